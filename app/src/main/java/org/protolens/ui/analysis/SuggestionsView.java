package org.protolens.ui.analysis;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
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
import javafx.util.StringConverter;
import org.protolens.core.analysis.Suggestions;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ClassColours;
import org.protolens.ui.common.Dialogs;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;

/**
 * Unlabelled images offered for labelling, one class each, ranked in the background. A or Enter
 * accepts the highlighted suggestion as a labelled image, S as a shot of its new class, R or
 * Delete marks it as not of that class, a number key or L labels it as another class, Space shows
 * it full size; each is undoable, the list is ranked again after each, and the next suggestion
 * takes the place of the one decided, under the highlight.
 */
public final class SuggestionsView extends AnalysisView<SuggestionsViewModel.Ranking> {
    private final SuggestionsViewModel vm;
    private final Thumbnails thumbnails;
    private final ImageActions actions;
    private final ChoiceBox<SuggestionsViewModel.Order> order = new ChoiceBox<>();
    private final ChoiceBox<String> ofClass = new ChoiceBox<>();
    private final CheckBox diverse = new CheckBox(Messages.get("suggestions.diverse"));
    private final ListView<Suggestions.Suggestion> list = new ListView<>();
    private final Label summary = new Label();
    private WorkspaceState ranked;
    private boolean updating;
    /** where the highlight goes when the next ranking arrives (after a decision), -1: where it was */
    private int focusAt = -1;

    public SuggestionsView(SuggestionsViewModel vm, ProjectState project, Tasks tasks, Theme theme, Thumbnails thumbnails,
                           ImageActions actions) {
        super(project, tasks, theme, "suggestions-view");
        this.vm = vm;
        this.thumbnails = thumbnails;
        this.actions = actions;
        setSpacing(6);
        order.getItems().setAll(SuggestionsViewModel.Order.values());
        order.setConverter(new StringConverter<>() {
            @Override
            public String toString(SuggestionsViewModel.Order o) {
                return o == null ? "" : Messages.get("suggestions.order." + o.name().toLowerCase(Locale.ROOT));
            }

            @Override
            public SuggestionsViewModel.Order fromString(String s) {
                return null;
            }
        });
        order.valueProperty().bindBidirectional(vm.order());
        order.setId("suggestion-order");
        ofClass.setId("suggestion-class");
        ofClass.visibleProperty().bind(vm.order().isEqualTo(SuggestionsViewModel.Order.LIKELY));
        ofClass.managedProperty().bind(ofClass.visibleProperty());
        ofClass.valueProperty().addListener((o, a, b) -> {
            if (!updating && b != null) {
                vm.ofClass().set(b);
            }
        });
        diverse.setId("suggestion-diverse");
        diverse.setTooltip(new Tooltip(Messages.get("suggestions.diverse.tip")));
        diverse.selectedProperty().bindBidirectional(vm.diverse());
        vm.order().addListener((o, a, b) -> refresh());
        vm.ofClass().addListener((o, a, b) -> refresh());
        vm.diverse().addListener((o, a, b) -> refresh());
        Label keys = new Label(Messages.get("suggestions.keys"));
        keys.getStyleClass().add("hint");
        keys.setId("suggestions-keys");
        keys.setMinWidth(0);
        HBox bar = new HBox(8, order, ofClass, diverse);
        bar.setAlignment(Pos.CENTER_LEFT);
        summary.getStyleClass().add("hint");
        summary.setId("suggestions-summary");
        list.setId("suggestions-list");
        list.setCellFactory(v -> new SuggestionCell());
        list.setPlaceholder(new Label(""));
        VBox.setVgrow(list, Priority.ALWAYS);
        list.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (s != null && !updating) {
                project.inspected().set(s.image());
            }
        });
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            Suggestions.Suggestion s = list.getSelectionModel().getSelectedItem();
            if (s == null || e.isShortcutDown() || e.isAltDown()) {
                return;
            }
            int k = ranked == null ? -1 : ImageActions.classForKey(ranked, e.getCode());
            if (e.getCode() == KeyCode.A || e.getCode() == KeyCode.ENTER) {
                accept(s);
            } else if (e.getCode() == KeyCode.S) {
                acceptAsShot(s);
            } else if (e.getCode() == KeyCode.R || e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                reject(s);
            } else if (k >= 0) {
                decided(actions.label(new int[] {s.image()}, k));
            } else if (e.getCode() == KeyCode.L && ranked != null) {
                ImageActions.pickClass(this, ranked, 1).ifPresent(c -> decided(actions.label(new int[] {s.image()}, c)));
            } else if (e.getCode() == KeyCode.SPACE) {
                actions.view(list.getItems().stream().map(Suggestions.Suggestion::image).toList());
            } else {
                return;
            }
            e.consume();
        });
        getChildren().addAll(bar, summary, keys, list);
        refresh();
    }

    /** The suggestions shown, best first (for tests). */
    public List<Suggestions.Suggestion> suggestions() {
        return List.copyOf(list.getItems());
    }

    public ListView<Suggestions.Suggestion> list() {
        return list;
    }

    public SuggestionsViewModel viewModel() {
        return vm;
    }

    /** Shows the likely members of class {@code name}. */
    public void showLikelyMembers(String name) {
        vm.showLikelyMembers(name);
    }

    /** Accepts a suggestion: the image joins the suggested class. */
    public void accept(Suggestions.Suggestion s) {
        decided(vm.accept(ranked, s));
    }

    /** Accepts a suggestion of a new class as one of its shots: its prototype moves. */
    public void acceptAsShot(Suggestions.Suggestion s) {
        if (ranked != null && SuggestionsViewModel.canBeShot(ranked, s)) {
            decided(vm.acceptAsShot(ranked, s));
        }
    }

    /** Marks the suggestion's image as not of the suggested class. */
    public void reject(Suggestions.Suggestion s) {
        decided(vm.reject(ranked, s));
    }

    private void decided(CompletableFuture<Void> edit) {
        focusAt = Math.max(0, list.getSelectionModel().getSelectedIndex());
        Dialogs.explainRefusal(edit, this, Messages.get("edit.refused")).whenComplete((v, e) -> {
            if (e != null) {
                focusAt = -1;
            }
        });
        list.requestFocus();
    }

    @Override
    protected Supplier<SuggestionsViewModel.Ranking> prepare(WorkspaceState s) {
        return vm.prepare(s);
    }

    @Override
    protected void show(SuggestionsViewModel.Ranking r) {
        updating = true;
        ranked = r.state();
        try {
            Suggestions.Suggestion focused = list.getSelectionModel().getSelectedItem();
            int at = focusAt >= 0 ? focusAt : list.getSelectionModel().getSelectedIndex();
            boolean decided = focusAt >= 0;
            focusAt = -1;
            if (!ofClass.getItems().equals(r.classes())) {
                ofClass.getItems().setAll(r.classes());
            }
            ofClass.setValue(r.ofClass());
            list.getItems().setAll(r.suggestions());
            summary.setText(r.summary());
            // after a decision the next suggestion takes its place; otherwise the highlighted image stays highlighted
            int again = decided || focused == null ? -1 : indexOf(r.suggestions(), focused.image());
            if (again >= 0) {
                list.getSelectionModel().select(again);
            } else if (at >= 0 && !r.suggestions().isEmpty()) {
                int next = Math.min(at, r.suggestions().size() - 1);
                list.getSelectionModel().select(next);
                list.scrollTo(Math.max(0, next - 2));
            }
        } finally {
            updating = false;
        }
        Suggestions.Suggestion now = list.getSelectionModel().getSelectedItem();
        if (now != null) {
            project.inspected().set(now.image());
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
        private final Button asShot = new Button("★");
        private final HBox box;

        SuggestionCell() {
            thumb.setFitWidth(44);
            thumb.setFitHeight(44);
            thumb.setPreserveRatio(true);
            thumb.setSmooth(false);
            what.getStyleClass().add("suggestion-class");
            why.getStyleClass().add("hint");
            Button yes = new Button("✓");
            Button no = new Button("✗");
            yes.getStyleClass().addAll("small", "accept");
            no.getStyleClass().addAll("small", "reject");
            asShot.getStyleClass().addAll("small", "accept-shot");
            yes.setTooltip(new Tooltip(Messages.get("suggestions.accept.tip")));
            no.setTooltip(new Tooltip(Messages.get("suggestions.reject.tip")));
            asShot.setTooltip(new Tooltip(Messages.get("suggestions.shot.tip")));
            yes.setOnAction(e -> {
                getListView().getSelectionModel().select(getIndex());
                accept(getItem());
            });
            asShot.setOnAction(e -> {
                getListView().getSelectionModel().select(getIndex());
                acceptAsShot(getItem());
            });
            no.setOnAction(e -> {
                getListView().getSelectionModel().select(getIndex());
                reject(getItem());
            });
            HBox title = new HBox(6, swatch, what);
            title.setAlignment(Pos.CENTER_LEFT);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            box = new HBox(10, thumb, new VBox(2, title, why), gap, yes, asShot, no);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(Suggestions.Suggestion s, boolean empty) {
            super.updateItem(s, empty);
            WorkspaceState w = ranked;
            if (empty || s == null || w == null || s.image() >= w.imageCount() || s.suggested() >= w.classNames().size()) {
                setGraphic(null);
                setText(null);
                return;
            }
            thumb.setImage(thumbnails.get(w.imageFile(s.image()), 64));
            swatch.setFill(ClassColours.of(s.suggested()));
            what.setText(w.classNames().get(s.suggested()) + "?   " + w.imagePath(s.image()));
            boolean shot = SuggestionsViewModel.canBeShot(w, s);
            asShot.setVisible(shot);
            asShot.setManaged(shot);
            why.setText(SuggestionsViewModel.why(w, s));
            setText(null);
            setGraphic(box);
        }
    }
}
