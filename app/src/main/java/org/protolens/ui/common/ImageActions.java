package org.protolens.ui.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.SearchableComboBox;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/**
 * What every view of images offers the same way: the number keys 1 to 9 (and 0 for the tenth)
 * label the highlighted image or the chosen ones as a class, in the classes panel's order (base
 * classes, then new ones); L asks for any class in a searchable picker; Space opens the full-size
 * viewer. Labelling makes labelled images, never shots: becoming a shot is a separate choice.
 */
public final class ImageActions {
    private final ProjectState project;
    private final Commands commands;
    private Consumer<List<Integer>> viewer = images -> { };

    public ImageActions(ProjectState project, Commands commands) {
        this.project = project;
        this.commands = commands;
    }

    /** What Space does: shows the inspected image full size, the given images one arrow key apart. */
    public void setViewer(Consumer<List<Integer>> viewer) {
        this.viewer = viewer;
    }

    /** Opens the full-size viewer on the inspected image; the arrow keys step through {@code sequence}. */
    public void view(List<Integer> sequence) {
        viewer.accept(sequence);
    }

    /** The classes as the number keys reach them: base classes, then new ones (the classes panel's order). */
    public static int[] keyOrder(WorkspaceState s) {
        List<Integer> out = new ArrayList<>();
        for (boolean base : new boolean[] {true, false}) {
            for (int k = 0; k < s.classCount(); k++) {
                if (s.isBase(k) == base) {
                    out.add(k);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The class a number key labels with (1 the first class, 0 the tenth), or -1 for another key. */
    public static int classForKey(WorkspaceState s, KeyCode code) {
        int digit = switch (code) {
            case DIGIT1, NUMPAD1 -> 1;
            case DIGIT2, NUMPAD2 -> 2;
            case DIGIT3, NUMPAD3 -> 3;
            case DIGIT4, NUMPAD4 -> 4;
            case DIGIT5, NUMPAD5 -> 5;
            case DIGIT6, NUMPAD6 -> 6;
            case DIGIT7, NUMPAD7 -> 7;
            case DIGIT8, NUMPAD8 -> 8;
            case DIGIT9, NUMPAD9 -> 9;
            case DIGIT0, NUMPAD0 -> 10;
            default -> -1;
        };
        int[] order = keyOrder(s);
        return digit < 0 || digit > order.length ? -1 : order[digit - 1];
    }

    /** The keys and their classes, as a hint line: "1 airplane · 2 automobile · … · L any class". */
    public static String legend(WorkspaceState s) {
        int[] order = keyOrder(s);
        List<String> parts = new ArrayList<>();
        for (int j = 0; j < Math.min(10, order.length); j++) {
            parts.add((j == 9 ? 0 : j + 1) + " " + s.classNames().get(order[j]));
        }
        parts.add(Messages.get("keys.pick"));
        return String.join("  ·  ", parts);
    }

    /** Labels {@code images} as class {@code k}: labelled images, shots no longer (undoable); the selection stays. */
    public CompletableFuture<Void> label(int[] images, int k) {
        WorkspaceState s = project.workspace().get();
        if (s == null || images.length == 0 || k < 0 || k >= s.classCount()) {
            return CompletableFuture.completedFuture(null);
        }
        String name = s.classNames().get(k);
        return commands.edit(History.relabel(Messages.get("edit.label", images.length, name), images, name, false), true);
    }

    /** Makes image {@code i} a shot of its new class, or takes it out of the shots (undoable). */
    public CompletableFuture<Void> toggleShot(int i) {
        WorkspaceState s = project.workspace().get();
        if (s == null || i < 0 || i >= s.imageCount() || s.label(i) < 0 || s.kind(s.label(i)) != Workspace.Kind.NOVEL) {
            return CompletableFuture.completedFuture(null);
        }
        String name = s.classNames().get(s.label(i));
        boolean shot = !s.isShot(i);
        return commands.edit(History.relabel(Messages.get(shot ? "edit.addShots" : "edit.dropShots", 1, name), new int[] {i}, name, shot),
                true);
    }

    /**
     * Handles a key on a view of images: a number labels {@code targets}, L asks for a class,
     * Space opens the viewer on {@code sequence}. Returns whether the key was one of these (the
     * caller consumes it). The targets and the sequence are asked for only when such a key
     * comes, not at every key a view sees (the arrow keys pan and step through large lists).
     */
    public boolean handle(KeyEvent e, Supplier<int[]> targets, Supplier<List<Integer>> sequence, Node owner) {
        WorkspaceState s = project.workspace().get();
        if (s == null || e.isShortcutDown() || e.isAltDown()) {
            return false;
        }
        if (e.getCode() == KeyCode.SPACE) {
            view(sequence.get());
            return true;
        }
        int k = classForKey(s, e.getCode());
        if (k < 0 && e.getCode() != KeyCode.L) {
            return false;
        }
        int[] images = targets.get();
        if (images.length == 0) {
            return false;
        }
        if (k >= 0) {
            Dialogs.explainRefusal(label(images, k), owner, Messages.get("edit.refused"));
        } else {
            pickClass(owner, s, images.length).ifPresent(c ->
                    Dialogs.explainRefusal(label(images, c), owner, Messages.get("edit.refused")));
        }
        return true;
    }

    /** Whether {@code images} can be removed from the project: some, all imported (none the project was made with). */
    public boolean removable(int[] images) {
        WorkspaceState s = project.workspace().get();
        return s != null && images.length > 0 && Arrays.stream(images).allMatch(i -> i >= s.projectImageCount());
    }

    /**
     * Delete: asks, then takes the imported {@code targets} out of the project (one step to undo);
     * {@code before} runs once the person said yes (a view lets go of its chosen rows). False when
     * the key is not Delete or nothing can be removed.
     */
    public boolean remove(KeyEvent e, Supplier<int[]> targets, Node owner, Runnable before) {
        if (e.getCode() != KeyCode.DELETE || e.isShortcutDown() || e.isAltDown()) {
            return false;
        }
        int[] images = targets.get();
        if (!removable(images)) {
            return false;
        }
        remove(images, owner, before);
        return true;
    }

    /** Asks, then takes the imported {@code images} out of the project (one step to undo; the files stay on disk). */
    public void remove(int[] images, Node owner, Runnable before) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, Messages.get("images.remove.text", images.length), ButtonType.OK,
                ButtonType.CANCEL);
        a.initOwner(Dialogs.windowOf(owner));
        a.setTitle(Messages.get("images.remove.title"));
        a.setHeaderText(Messages.get("images.remove.header", images.length));
        ((Button) a.getDialogPane().lookupButton(ButtonType.OK)).setText(Messages.get("images.remove.ok"));
        if (a.showAndWait().orElse(ButtonType.CANCEL) == ButtonType.OK) {
            before.run();
            Dialogs.explainRefusal(commands.edit(History.removeImages(images)), owner, Messages.get("edit.refused"));
        }
    }

    /** Asks for a class in a searchable list; empty when the person cancels. */
    public static Optional<Integer> pickClass(Node owner, WorkspaceState s, int count) {
        SearchableComboBox<Integer> box = new SearchableComboBox<>();
        box.setId("class-picker");
        for (int k : keyOrder(s)) {
            box.getItems().add(k);
        }
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer k) {
                return k == null || k >= s.classCount() ? "" : s.classNames().get(k);
            }

            @Override
            public Integer fromString(String text) {
                int k = s.classNames().indexOf(text);
                return k < 0 ? null : k;
            }
        });
        box.setMaxWidth(Double.MAX_VALUE);
        Dialog<Integer> d = new Dialog<>();
        d.initOwner(Dialogs.windowOf(owner));
        d.setTitle(Messages.get("picker.title"));
        d.setHeaderText(Messages.get("picker.header", count));
        Label hint = new Label(Messages.get("picker.hint"));
        hint.getStyleClass().add("hint");
        VBox content = new VBox(8, box, hint);
        content.setPrefWidth(360);
        d.getDialogPane().setContent(content);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("class-picker-ok");
        ok.disableProperty().bind(box.valueProperty().isNull());
        d.setResultConverter(b -> b == ButtonType.OK ? box.getValue() : null);
        d.setOnShown(e -> Platform.runLater(() -> {
            box.requestFocus();
            box.show();
        }));
        return d.showAndWait();
    }
}
