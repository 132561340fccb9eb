package org.protolens.ui.classes;

import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.protolens.core.project.Workspace;
import org.protolens.ui.ClassColours;
import org.protolens.ui.WorkspaceModel;

/**
 * The classes panel: base and novel classes with colour, images, shots and accuracy, and the
 * calibration controls (TEEN on/off, alpha, tau) that re-predict live.
 */
public final class ClassesView extends VBox {
    private final WorkspaceModel model;
    private final VBox rows = new VBox(2);
    private final Label summary = new Label();

    public ClassesView(WorkspaceModel model) {
        this.model = model;
        getStyleClass().add("classes");
        setPadding(new Insets(10));
        setSpacing(8);
        setPrefWidth(300);

        Label title = new Label("Classes");
        title.getStyleClass().add("section-title");

        CheckBox on = new CheckBox("Calibrate novel prototypes (TEEN)");
        on.selectedProperty().bindBidirectional(model.calibrationOn());
        on.setId("calibration-on");
        on.setTooltip(new Tooltip("Mix each novel prototype with the base prototypes it resembles"));

        Slider alpha = new Slider(0, 1, model.alpha().get());
        alpha.setId("alpha");
        alpha.valueProperty().bindBidirectional(model.alpha());
        alpha.disableProperty().bind(model.calibrationOn().not());
        Label alphaValue = new Label();
        alphaValue.textProperty().bind(model.alpha().asString(Locale.ROOT, "%.2f"));
        Slider tau = new Slider(1, 64, model.tau().get());
        tau.setId("tau");
        tau.valueProperty().bindBidirectional(model.tau());
        tau.disableProperty().bind(model.calibrationOn().not());
        Label tauValue = new Label();
        tauValue.textProperty().bind(model.tau().asString(Locale.ROOT, "%.1f"));
        Tooltip.install(alpha, new Tooltip("alpha: share of the base-class direction in a calibrated prototype"));
        Tooltip.install(tau, new Tooltip("tau: sharpness of the softmax over base classes (high: only the most similar)"));

        GridPane controls = new GridPane(8, 4);
        controls.addRow(0, new Label("α"), alpha, alphaValue);
        controls.addRow(1, new Label("τ"), tau, tauValue);
        GridPane.setHgrow(alpha, Priority.ALWAYS);
        GridPane.setHgrow(tau, Priority.ALWAYS);

        summary.getStyleClass().add("summary");
        summary.setId("summary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        Label calTitle = new Label("Calibration");
        calTitle.getStyleClass().add("section-title");
        javafx.scene.control.Button newClass = new javafx.scene.control.Button("New class from selection…");
        newClass.setId("new-class");
        newClass.setMaxWidth(Double.MAX_VALUE);
        newClass.disableProperty().bind(model.selection().map(sel -> sel.length == 0).orElse(true));
        newClass.setTooltip(new Tooltip("Shift + drag on the map to select images; they become the new class's shots (Ctrl+N)"));
        newClass.setOnAction(e -> newClassFromSelection());
        Label selectionInfo = new Label();
        selectionInfo.getStyleClass().add("hint");
        selectionInfo.setId("selection-info");
        selectionInfo.textProperty().bind(model.selection().map(sel -> sel.length == 0
                ? "Shift + drag on the map to select images." : sel.length + " images selected."));
        getChildren().addAll(title, rows, selectionInfo, newClass, calTitle, on, controls, summary);
        model.revision().addListener((o, a, b) -> refresh());
        refresh();
    }

    /** Asks for a name and makes the selected images the shots of a new class (undoable). */
    public void newClassFromSelection() {
        newClassFrom(model.selection().get());
    }

    /** Asks for a name and makes {@code sel} the shots of a new class (undoable). */
    public void newClassFrom(int[] sel) {
        if (sel == null || sel.length == 0 || model.workspace().get() == null) {
            return;
        }
        javafx.scene.control.TextInputDialog ask = new javafx.scene.control.TextInputDialog();
        ask.initOwner(getScene() == null ? null : getScene().getWindow());
        ask.setTitle("New class");
        ask.setHeaderText("A new class with the " + sel.length + " selected images as its shots");
        ask.setContentText("Name:");
        ask.showAndWait().ifPresent(name ->
                org.protolens.ui.EditRefusal.apply(model, org.protolens.core.project.History.newClass(name, sel), this,
                        "No class was made"));
    }

    private void refresh() {
        Workspace w = model.workspace().get();
        if (w == null) {
            rows.getChildren().clear();
            builtFor = null;
            summary.setText("");
            return;
        }
        // the rows are built when the classes change; a re-prediction (a slider) only updates their numbers
        java.util.List<Object> structure = new java.util.ArrayList<>(w.classNames());
        for (int k = 0; k < w.classNames().size(); k++) {
            structure.add(w.kind(k));
        }
        if (!structure.equals(builtFor)) {
            build(w);
            builtFor = structure;
        }
        java.util.List<Workspace.ClassStats> stats = w.classStats();
        for (int k = 0; k < stats.size(); k++) {
            Workspace.ClassStats s = stats.get(k);
            Label[] c = cells[k];
            c[0].setText(Integer.toString(s.images()));
            c[1].setText(w.isBase(k) ? "" : Integer.toString(s.shots()));
            c[2].setText(Double.isNaN(s.accuracy()) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * s.accuracy()));
        }
        double n2b = w.novelToBase();
        double acc = w.accuracy();
        summary.setText(String.format(Locale.ROOT, "Accuracy over the labelled images (shots left out): %s.%n"
                        + "New-class images predicted as a base class: %s.",
                Double.isNaN(acc) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * acc),
                Double.isNaN(n2b) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * n2b)));
    }

    /** What can be done to one class: select its images, add or take out shots, rename, remove. */
    private javafx.scene.control.ContextMenu menuFor(String name, Workspace.Kind kind) {
        Workspace w = model.workspace().get();
        int[] sel = model.selection().get();
        int k = w.classNames().indexOf(name);
        javafx.scene.control.MenuItem select = new javafx.scene.control.MenuItem("Select Its Images");
        select.setOnAction(e -> model.selection().set(w.imagesOf(k).stream().mapToInt(Integer::intValue).toArray()));
        javafx.scene.control.MenuItem addShots = new javafx.scene.control.MenuItem("Add Selected Images as Shots ("
                + sel.length + ")");
        addShots.setDisable(kind != Workspace.Kind.NOVEL || sel.length == 0);
        addShots.setOnAction(e -> apply(org.protolens.core.project.History.relabel(
                "Add " + sel.length + (sel.length == 1 ? " shot" : " shots") + " to “" + name + "”", sel, name, true)));
        int[] selectedShots = java.util.Arrays.stream(sel).filter(i -> w.label(i) == k && w.isShot(i)).toArray();
        javafx.scene.control.MenuItem dropShots = new javafx.scene.control.MenuItem("Selected Shots Become Ordinary Images ("
                + selectedShots.length + ")");
        dropShots.setDisable(selectedShots.length == 0);
        dropShots.setOnAction(e -> apply(org.protolens.core.project.History.relabel(
                "Take " + selectedShots.length + (selectedShots.length == 1 ? " shot" : " shots") + " out of “" + name + "”",
                selectedShots, name, false)));
        javafx.scene.control.MenuItem label = new javafx.scene.control.MenuItem("Label Selected Images as “" + name + "” ("
                + sel.length + ")");
        label.setDisable(sel.length == 0);
        label.setOnAction(e -> apply(org.protolens.core.project.History.relabel(
                "Label " + sel.length + (sel.length == 1 ? " image" : " images") + " as “" + name + "”", sel, name, false)));
        javafx.scene.control.MenuItem notThis = new javafx.scene.control.MenuItem("Mark Selected Images as Not “" + name + "” ("
                + sel.length + ")");
        notThis.setDisable(sel.length == 0);
        notThis.setOnAction(e -> apply(org.protolens.core.project.History.reject(name, sel)));
        javafx.scene.control.MenuItem suggest = new javafx.scene.control.MenuItem("Suggest Likely Members");
        suggest.setOnAction(e -> onSuggest.accept(name));
        javafx.scene.control.MenuItem rename = new javafx.scene.control.MenuItem("Rename…");
        rename.setDisable(kind == Workspace.Kind.BASE);
        rename.setOnAction(e -> {
            javafx.scene.control.TextInputDialog ask = new javafx.scene.control.TextInputDialog(name);
            ask.initOwner(getScene() == null ? null : getScene().getWindow());
            ask.setTitle("Rename class");
            ask.setHeaderText("A new name for “" + name + "”");
            ask.setContentText("Name:");
            ask.showAndWait().ifPresent(to -> apply(org.protolens.core.project.History.rename(name, to)));
        });
        javafx.scene.control.MenuItem remove = new javafx.scene.control.MenuItem("Remove Class");
        remove.setDisable(kind == Workspace.Kind.BASE);
        remove.setOnAction(e -> apply(org.protolens.core.project.History.remove(name)));
        return new javafx.scene.control.ContextMenu(select, suggest, new javafx.scene.control.SeparatorMenuItem(), addShots, dropShots,
                label, notThis, new javafx.scene.control.SeparatorMenuItem(), rename, remove);
    }

    /** Applies an edit through the undo history; a refused edit is explained and changes nothing. */
    private void apply(org.protolens.core.project.History.Edit edit) {
        org.protolens.ui.EditRefusal.apply(model, edit, this, "Nothing was changed");
    }

    private java.util.function.Consumer<String> onSuggest = name -> { };

    /** What "Suggest Likely Members" of a class does (shows the suggestions for it). */
    public void setOnSuggest(java.util.function.Consumer<String> action) {
        onSuggest = action;
    }

    private java.util.List<Object> builtFor;
    /** per class: its images, shots and accuracy labels */
    private Label[][] cells = new Label[0][];

    /** One row per class, base classes then new ones, each group under its heading. */
    private void build(Workspace w) {
        rows.getChildren().clear();
        cells = new Label[w.classNames().size()][];
        HBox header = row(null, "class", "images", "shots", "accuracy");
        header.getStyleClass().add("class-header");
        rows.getChildren().add(header);
        for (boolean baseGroup : new boolean[] {true, false}) {
            boolean headed = false;
            for (int k = 0; k < w.classNames().size(); k++) {
                if (w.isBase(k) != baseGroup) {
                    continue;
                }
                if (!headed) {
                    Label sep = new Label(baseGroup ? "base classes" : "new classes");
                    sep.getStyleClass().add("class-group");
                    rows.getChildren().add(sep);
                    headed = true;
                }
                HBox row = row(new Rectangle(12, 12, ClassColours.of(k)), w.classNames().get(k), "", "", "");
                String name = w.classNames().get(k);
                Workspace.Kind kind = w.kind(k);
                row.setOnContextMenuRequested(e -> {
                    menuFor(name, kind).show(row, e.getScreenX(), e.getScreenY());
                    e.consume();
                });
                Tooltip.install(row, new Tooltip(switch (kind) {
                    case BASE -> "Base class of the project's backbone (prototype from its training images). Right-click for actions.";
                    case BASE_FROM_IMAGES -> "Base class imported here: its prototype is the mean of its images. Right-click for actions.";
                    case NOVEL -> "New class: its prototype is the mean of its shots, calibrated by TEEN. Right-click for actions.";
                }));
                rows.getChildren().add(row);
                cells[k] = row.getChildren().stream().skip(2).map(Label.class::cast).toArray(Label[]::new);
            }
        }
    }

    private static HBox row(Rectangle swatch, String name, String images, String shots, String accuracy) {
        Label n = new Label(name);
        n.setMinWidth(110);
        HBox.setHgrow(n, Priority.ALWAYS);
        n.setMaxWidth(Double.MAX_VALUE);
        Label i = cell(images, 50);
        Label s = cell(shots, 40);
        Label a = cell(accuracy, 60);
        HBox box = new HBox(6);
        box.setAlignment(Pos.CENTER_LEFT);
        if (swatch != null) {
            box.getChildren().add(swatch);
        } else {
            Region gap = new Region();
            gap.setMinWidth(12);
            box.getChildren().add(gap);
        }
        box.getChildren().addAll(n, i, s, a);
        box.getStyleClass().add("class-row");
        return box;
    }

    private static Label cell(String text, double width) {
        Label l = new Label(text);
        l.setMinWidth(width);
        l.setAlignment(Pos.CENTER_RIGHT);
        return l;
    }
}
