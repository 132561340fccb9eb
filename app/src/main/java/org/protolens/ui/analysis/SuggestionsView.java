package org.protolens.ui.analysis;

import java.util.List;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.protolens.core.project.History;
import org.protolens.core.analysis.Suggestions;
import org.protolens.core.project.Workspace;
import org.protolens.ui.ClassColours;
import org.protolens.ui.Thumbnails;
import org.protolens.ui.WorkspaceModel;

/**
 * Unlabelled images offered for labelling, one class each: the most uncertain first (smallest
 * margin between the two nearest prototypes) or the likely members of one class. A accepts the
 * highlighted suggestion (the image joins the class: a new class takes it as a shot, so its
 * prototype moves at once), R marks it as not of that class; both are undoable, and the list is
 * ranked again after each.
 */
public final class SuggestionsView extends AnalysisView {
    /** How many suggestions the list holds. */
    static final int SHOWN = 200;
    private static final String UNCERTAIN = "Most uncertain first";
    private static final String LIKELY = "Likely members of";

    private final Thumbnails thumbnails;
    private final ChoiceBox<String> order = new ChoiceBox<>();
    private final ChoiceBox<String> ofClass = new ChoiceBox<>();
    private final CheckBox diverse = new CheckBox("Diverse");
    private final ListView<Suggestions.Suggestion> list = new ListView<>();
    private final Label summary = new Label();
    private boolean updating;

    public SuggestionsView(WorkspaceModel model, Thumbnails thumbnails) {
        super(model, "suggestions-view");
        this.thumbnails = thumbnails;
        setSpacing(6);
        order.getItems().setAll(UNCERTAIN, LIKELY);
        order.setValue(UNCERTAIN);
        order.setId("suggestion-order");
        ofClass.setId("suggestion-class");
        ofClass.visibleProperty().bind(order.valueProperty().isEqualTo(LIKELY));
        ofClass.managedProperty().bind(ofClass.visibleProperty());
        diverse.setId("suggestion-diverse");
        diverse.setTooltip(new Tooltip("No near-duplicates in a row: the best-ranked images are reordered so that each "
                + "is as far as possible from those before it (farthest-point sampling)"));
        order.valueProperty().addListener((o, a, b) -> refreshSoon());
        ofClass.valueProperty().addListener((o, a, b) -> {
            if (!updating) {
                refreshSoon();
            }
        });
        diverse.selectedProperty().addListener((o, a, b) -> refreshSoon());
        Label keys = new Label("A or Enter: accept   R or Delete: not this class   Ctrl+Z: undo");
        keys.getStyleClass().add("hint");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, order, ofClass, diverse, gap, keys);
        bar.setAlignment(Pos.CENTER_LEFT);
        summary.getStyleClass().add("hint");
        summary.setId("suggestions-summary");
        list.setId("suggestions-list");
        list.setCellFactory(v -> new SuggestionCell());
        list.setPlaceholder(new Label(""));
        VBox.setVgrow(list, Priority.ALWAYS);
        list.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (s != null && !updating) {
                model.selected().set(s.image());
            }
        });
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            Suggestions.Suggestion s = list.getSelectionModel().getSelectedItem();
            if (s == null || e.isShortcutDown() || e.isAltDown()) {
                return;
            }
            if (e.getCode() == KeyCode.A || e.getCode() == KeyCode.ENTER) {
                accept(s);
                e.consume();
            } else if (e.getCode() == KeyCode.R || e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                reject(s);
                e.consume();
            }
        });
        getChildren().addAll(bar, summary, list);
        refresh();
    }

    /** The suggestions shown, best first (for tests). */
    public List<Suggestions.Suggestion> suggestions() {
        return List.copyOf(list.getItems());
    }

    public ListView<Suggestions.Suggestion> list() {
        return list;
    }

    /** Shows the likely members of class {@code name}. */
    public void showLikelyMembers(String name) {
        order.setValue(LIKELY);
        ofClass.setValue(name);
    }

    /** The image joins the suggested class: as a shot of a new class (its prototype follows), labelled otherwise. */
    public void accept(Suggestions.Suggestion s) {
        Workspace w = model.workspace().get();
        String name = w.classNames().get(s.suggested());
        boolean shot = w.kind(s.suggested()) == Workspace.Kind.NOVEL;
        apply(History.relabel("Accept " + w.imageFile(s.image()).getFileName() + " as “" + name + "”",
                new int[] {s.image()}, name, shot));
    }

    /** Marks the image as not of the suggested class: it is offered its next class, or no longer for that class. */
    public void reject(Suggestions.Suggestion s) {
        Workspace w = model.workspace().get();
        apply(History.reject(w.classNames().get(s.suggested()), new int[] {s.image()}));
    }

    private void apply(History.Edit edit) {
        int at = list.getSelectionModel().getSelectedIndex();
        try {
            model.edit(edit);
        } catch (IllegalArgumentException ex) {
            summary.setText("Not changed: " + ex.getMessage());
            return;
        }
        refresh();
        // the next suggestion takes the place of the one just decided
        if (!list.getItems().isEmpty()) {
            int next = Math.min(Math.max(at, 0), list.getItems().size() - 1);
            list.getSelectionModel().select(next);
            list.scrollTo(Math.max(0, next - 2));
        }
        list.requestFocus();
    }


    @Override
    protected void refresh() {
        Workspace w = model.workspace().get();
        updating = true;
        try {
            Suggestions.Suggestion focused = list.getSelectionModel().getSelectedItem();
            int at = list.getSelectionModel().getSelectedIndex();
            String chosen = ofClass.getValue();
            if (w == null) {
                ofClass.getItems().clear();
                list.getItems().clear();
                summary.setText("");
                return;
            }
            if (!ofClass.getItems().equals(w.classNames())) {
                ofClass.getItems().setAll(w.classNames());
            }
            if (chosen == null || !w.classNames().contains(chosen)) {
                chosen = w.classNames().isEmpty() ? null : w.classNames().getLast();
            }
            ofClass.setValue(chosen);
            long unlabelled = java.util.stream.IntStream.range(0, w.imageCount()).filter(i -> w.label(i) < 0).count();
            if (w.classNames().isEmpty()) {
                list.getItems().clear();
                summary.setText("No classes yet: import labelled images or make a class from a selection on the map.");
                return;
            }
            boolean likely = LIKELY.equals(order.getValue());
            List<Suggestions.Suggestion> s = likely
                    ? Suggestions.likelyMembers(w.state(), w.classNames().indexOf(chosen), SHOWN, diverse.isSelected())
                    : Suggestions.uncertain(w.state(), SHOWN, diverse.isSelected());
            list.getItems().setAll(s);
            if (unlabelled == 0) {
                summary.setText("Every image is labelled: import more images (Ctrl+I) to get suggestions.");
            } else {
                summary.setText(String.format(Locale.ROOT, "%d unlabelled images; %s %d %s.", unlabelled,
                        s.size() < unlabelled ? "the first" : "all", s.size(),
                        likely ? "ranked by similarity to “" + chosen + "”" : "ranked by the margin between their two nearest classes"));
            }
            // keep the highlighted image where it is still offered, else the same place in the list
            int again = focused == null ? -1 : indexOf(s, focused.image());
            if (again >= 0) {
                list.getSelectionModel().select(again);
            } else if (at >= 0 && !s.isEmpty()) {
                list.getSelectionModel().select(Math.min(at, s.size() - 1));
            }
        } finally {
            updating = false;
        }
    }

    private static int indexOf(List<Suggestions.Suggestion> s, int image) {
        for (int j = 0; j < s.size(); j++) {
            if (s.get(j).image() == image) {
                return j;
            }
        }
        return -1;
    }

    /** A thumbnail, the suggested class with its colour, the numbers behind the ranking, and two buttons. */
    private final class SuggestionCell extends ListCell<Suggestions.Suggestion> {
        private final ImageView thumb = new ImageView();
        private final Rectangle swatch = new Rectangle(10, 10);
        private final Label what = new Label();
        private final Label why = new Label();
        private final Button yes = new Button("✓");
        private final Button no = new Button("✗");
        private final HBox box;

        SuggestionCell() {
            thumb.setFitWidth(44);
            thumb.setFitHeight(44);
            thumb.setPreserveRatio(true);
            thumb.setSmooth(false);
            what.getStyleClass().add("suggestion-class");
            why.getStyleClass().add("hint");
            yes.getStyleClass().addAll("small", "accept");
            no.getStyleClass().addAll("small", "reject");
            yes.setTooltip(new Tooltip("Accept (A)"));
            no.setTooltip(new Tooltip("Not this class (R)"));
            yes.setOnAction(e -> accept(getItem()));
            no.setOnAction(e -> reject(getItem()));
            HBox title = new HBox(6, swatch, what);
            title.setAlignment(Pos.CENTER_LEFT);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            box = new HBox(10, thumb, new VBox(2, title, why), gap, yes, no);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(Suggestions.Suggestion s, boolean empty) {
            super.updateItem(s, empty);
            Workspace w = model.workspace().get();
            if (empty || s == null || w == null || s.image() >= w.imageCount() || s.suggested() >= w.classNames().size()) {
                setGraphic(null);
                setText(null);
                return;
            }
            thumb.setImage(thumbnails.get(w.imageFile(s.image()), 64));
            swatch.setFill(ClassColours.of(s.suggested()));
            what.setText(w.classNames().get(s.suggested()) + "?   " + w.imageFile(s.image()).getFileName());
            String next = s.runnerUp() < 0 || s.runnerUp() >= w.classNames().size() ? ""
                    : String.format(Locale.ROOT, Math.abs(s.margin()) < 1e-3 ? "  ·  margin %.1e over %s" : "  ·  margin %.3f over %s",
                            s.margin(), w.classNames().get(s.runnerUp()));
            why.setText(String.format(Locale.ROOT, "similarity %.3f%s", s.score(), next));
            setText(null);
            setGraphic(box);
        }
    }
}
