package org.protolens.ui.classes;

import java.util.List;
import java.util.Locale;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.util.StringConverter;
import org.controlsfx.control.action.Action;
import org.controlsfx.control.textfield.TextFields;
import org.protolens.core.analysis.ProjectTuning;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.ui.common.ClassColours;
import org.protolens.ui.common.Dialogs;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;

/**
 * The classes panel: the classes with colour, images, shots and accuracy (right-click one for its
 * actions), New class from the selection, and the calibration controls (TEEN on or off, alpha,
 * tau), which re-predict live.
 */
public final class ClassesView extends VBox {
    /** With more classes than this, a search field narrows the list. */
    static final int SEARCH_FROM = 16;
    private static final double ALPHA_STEP = 0.05;
    private static final double TAU_STEP = 1;

    /** The settings TEEN's paper uses: alpha 0.1 on CIFAR-100, 0.5 on miniImageNet and CUB-200, tau 16 on all. */
    private enum Preset {
        CIFAR(0.1, 16), MINI(0.5, 16);

        final double alpha;
        final double tau;

        Preset(double alpha, double tau) {
            this.alpha = alpha;
            this.tau = tau;
        }
    }

    private final ClassesViewModel vm;
    private final ProjectState project;
    private final Tasks tasks;
    private final ListView<ClassesViewModel.Row> list = new ListView<>();
    private final Action newClass;
    /** the number fields' views of the settings, held here: a bidirectional binding keeps only weak references */
    private final ObjectProperty<Double> alphaObject;
    private final ObjectProperty<Double> tauObject;

    public ClassesView(ClassesViewModel vm, ProjectState project, Tasks tasks) {
        this.vm = vm;
        this.project = project;
        this.tasks = tasks;
        this.alphaObject = vm.alpha().asObject();
        this.tauObject = vm.tau().asObject();
        getStyleClass().add("classes");
        setId("classes");
        setPadding(new Insets(10, 10, 8, 10));
        setSpacing(6);

        Label title = new Label(Messages.get("classes.title"));
        title.getStyleClass().add("section-title");
        TextField search = TextFields.createClearableTextField();
        search.setId("class-search");
        search.setPromptText(Messages.get("classes.search"));
        search.setPrefColumnCount(10);
        search.textProperty().bindBidirectional(vm.search());
        search.visibleProperty().bind(Bindings.size(vm.rows()).greaterThan(SEARCH_FROM).or(search.textProperty().isNotEmpty()));
        search.managedProperty().bind(search.visibleProperty());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(8, title, gap, search);
        top.setAlignment(Pos.CENTER_LEFT);

        list.setId("class-list");
        list.getStyleClass().add("class-list");
        list.setItems(vm.rows());
        list.setCellFactory(v -> new RowCell());
        list.setPlaceholder(new Label(Messages.get("classes.none")));
        list.setFixedCellSize(24);
        list.setPrefHeight(24 * 12 + 4);
        list.setMinHeight(24 * 3 + 4);
        VBox.setVgrow(list, Priority.ALWAYS);
        HBox header = row(null, Messages.get("classes.column.class"), Messages.get("classes.column.images"),
                Messages.get("classes.column.shots"), Messages.get("classes.column.accuracy"));
        header.getStyleClass().add("class-header");
        header.setPadding(new Insets(0, 14, 0, 8));

        Label selectionInfo = new Label();
        selectionInfo.getStyleClass().add("hint");
        selectionInfo.setId("selection-info");
        selectionInfo.setMinWidth(0);
        selectionInfo.textProperty().bind(vm.selectionText());
        HBox.setHgrow(selectionInfo, Priority.ALWAYS);
        selectionInfo.setMaxWidth(Double.MAX_VALUE);
        selectionInfo.setTooltip(new Tooltip(Messages.get("classes.newClass.tip")));
        newClass = new Action(Messages.get("classes.newClass"), e -> newClassFromSelection());
        newClass.setLongText(Messages.get("classes.newClass.tip"));
        newClass.disabledProperty().bind(project.selection().map(sel -> sel.length == 0).orElse(true));
        // the button does what the menu's action does, with a shorter text
        Button newClassButton = new Button(Messages.get("classes.newClass.short"));
        newClassButton.setId("new-class");
        newClassButton.setMinWidth(Region.USE_PREF_SIZE);
        newClassButton.setOnAction(newClass::handle);
        newClassButton.disableProperty().bind(newClass.disabledProperty());
        newClassButton.setTooltip(new Tooltip(Messages.get("classes.newClass.tip")));
        HBox selectionRow = new HBox(8, selectionInfo, newClassButton);
        selectionRow.setAlignment(Pos.CENTER_LEFT);

        CheckBox on = new CheckBox(Messages.get("calibration.on"));
        on.getStyleClass().add("section-title");
        on.selectedProperty().bindBidirectional(vm.calibrationOn());
        on.setId("calibration-on");
        on.setTooltip(new Tooltip(Messages.get("calibration.on.tip")));
        on.disableProperty().bind(project.workspace().isNull());
        Slider alpha = slider("alpha", 0, 1, ALPHA_STEP, vm.alpha(), Messages.get("calibration.alpha.tip"));
        Slider tau = slider("tau", 1, 64, TAU_STEP, vm.tau(), Messages.get("calibration.tau.tip"));
        Spinner<Double> alphaValue = field("alpha-value", 0, 1, ALPHA_STEP, alphaObject, "%.2f", Messages.get("calibration.alpha.tip"));
        Spinner<Double> tauValue = field("tau-value", 1, 64, TAU_STEP, tauObject, "%.1f", Messages.get("calibration.tau.tip"));
        MenuButton reset = new MenuButton(Messages.get("calibration.reset"));
        reset.setId("calibration-reset");
        reset.getStyleClass().add("small");
        reset.setTooltip(new Tooltip(Messages.get("calibration.reset.tip")));
        for (Preset p : Preset.values()) {
            MenuItem item = new MenuItem(Messages.get("calibration.reset." + p.name().toLowerCase(Locale.ROOT), p.alpha, p.tau));
            item.setId("calibration-reset-" + p.name().toLowerCase(Locale.ROOT));
            item.setOnAction(e -> vm.preset(p.alpha, p.tau));
            reset.getItems().add(item);
        }
        MenuItem suggest = new MenuItem(Messages.get("calibration.suggest"));
        suggest.setId("calibration-suggest");
        suggest.setOnAction(e -> suggest());
        reset.getItems().addAll(new SeparatorMenuItem(), suggest);
        reset.disableProperty().bind(project.workspace().isNull());
        reset.setMinWidth(Region.USE_PREF_SIZE);
        GridPane controls = new GridPane(8, 2);
        controls.addRow(0, new Label("α"), alpha, alphaValue);
        controls.addRow(1, new Label("τ"), tau, tauValue);
        controls.add(reset, 3, 0, 1, 2);
        GridPane.setHgrow(alpha, Priority.ALWAYS);
        GridPane.setHgrow(tau, Priority.ALWAYS);
        Label summary = new Label();
        summary.getStyleClass().add("summary");
        summary.setId("summary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        summary.textProperty().bind(vm.summary());
        summary.setTooltip(new Tooltip(Messages.get("classes.summary.tip")));
        ChoiceBox<PrototypeHead> head = new ChoiceBox<>(FXCollections.observableArrayList(PrototypeHead.values()));
        head.setId("prototype-head");
        head.setConverter(new StringConverter<>() {
            @Override
            public String toString(PrototypeHead h) {
                return h == null ? "" : Messages.get("head." + h.id());
            }

            @Override
            public PrototypeHead fromString(String text) {
                return null;
            }
        });
        head.valueProperty().bindBidirectional(vm.head());
        head.disableProperty().bind(project.workspace().isNull());
        head.setTooltip(new Tooltip(Messages.get("head.tip")));
        head.setMaxWidth(Double.MAX_VALUE);
        Label headLabel = new Label(Messages.get("head.label"));
        headLabel.setLabelFor(head);
        headLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox headRow = new HBox(8, headLabel, head);
        headRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(head, Priority.ALWAYS);
        VBox calibration = new VBox(4, on, controls, headRow, summary);
        calibration.setPadding(new Insets(4, 0, 0, 0));
        getChildren().addAll(top, header, list, selectionRow, calibration);
    }

    public ClassesViewModel viewModel() {
        return vm;
    }

    /** New Class from Selection, for the menu (Ctrl+N) and the button. */
    public Action newClassAction() {
        return newClass;
    }

    private Slider slider(String id, double min, double max, double step, DoubleProperty value, String tip) {
        Slider s = new Slider(min, max, value.get());
        s.setId(id);
        // the arrow keys move by one step, a drag snaps to whole steps
        s.setBlockIncrement(step);
        s.setMajorTickUnit(step * 4);
        s.setMinorTickCount(3);
        s.setSnapToTicks(true);
        s.valueProperty().bindBidirectional(value);
        s.disableProperty().bind(vm.calibrationOn().not().or(project.workspace().isNull()));
        s.valueChangingProperty().addListener((o, was, now) -> vm.setDragging(now));
        Tooltip.install(s, new Tooltip(tip));
        return s;
    }

    /** Few-shot episodes over the project's labelled images, in a window of their own (the chart in {@code dark} colours). */
    public void episodes(boolean dark) {
        if (project.workspace().get() != null) {
            EpisodesDialog.show(Dialogs.windowOf(this), project, tasks, dark);
        }
    }

    /**
     * Scores alpha and tau on the project's own labels in the background (listed, cancellable),
     * then shows the grid; the suggestion is applied if the person says so (undoable).
     */
    public void suggest() {
        WorkspaceState s = project.workspace().get();
        if (s == null) {
            return;
        }
        tasks.start(tasks.job(Tasks.Lane.VIEWS, Messages.get("tuning.job"), j -> {
            j.say(Messages.get("tuning.job"));
            return ProjectTuning.of(s, j::isCancelled);
        }).onDone(r -> TuningDialog.ask(Dialogs.windowOf(this), r).ifPresent(c -> vm.preset(c.alpha(), c.tau())))
                .onFailure(e -> {
                    Alert a = new Alert(Alert.AlertType.INFORMATION, e.getMessage());
                    a.initOwner(Dialogs.windowOf(this));
                    a.setHeaderText(Messages.get("tuning.cannot"));
                    a.show();
                }), true);
    }

    /** A number field beside a slider: typed values (Enter) and the arrows set the same setting. */
    private Spinner<Double> field(String id, double min, double max, double step, ObjectProperty<Double> value, String format,
                                  String tip) {
        var factory = new SpinnerValueFactory.DoubleSpinnerValueFactory(min, max, value.get(), step);
        Spinner<Double> spinner = new Spinner<>(factory);
        spinner.setId(id);
        spinner.setEditable(true);
        spinner.setPrefWidth(78);
        spinner.setMinWidth(Region.USE_PREF_SIZE);
        spinner.getStyleClass().add("slider-value");
        factory.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : String.format(Locale.ROOT, format, v);
            }

            @Override
            public Double fromString(String text) {
                try {
                    return Double.parseDouble(text.strip().replace(',', '.'));
                } catch (NumberFormatException e) {
                    // not a number: the field shows the value it had again
                    Double had = factory.getValue();
                    Platform.runLater(() -> spinner.getEditor().setText(toString(had)));
                    return had;
                }
            }
        });
        factory.valueProperty().bindBidirectional(value);
        spinner.disableProperty().bind(vm.calibrationOn().not().or(project.workspace().isNull()));
        spinner.setTooltip(new Tooltip(tip));
        return spinner;
    }

    /** Asks how to make a new class of the selected images, then makes it (undoable). */
    public void newClassFromSelection() {
        newClassFrom(project.selection().get());
    }

    /**
     * Asks for a new class from {@code images}: its name, whether their labelled images move into
     * it, how many become shots; then makes it (undoable).
     */
    public void newClassFrom(int[] images) {
        WorkspaceState state = project.workspace().get();
        if (images == null || images.length == 0 || state == null) {
            return;
        }
        NewClassDialog.ask(Dialogs.windowOf(this), new NewClassViewModel(state, images)).ifPresent(a ->
                Dialogs.explainRefusal(vm.newClass(a.name(), a.plan()), this, Messages.get("edit.refused.noClass")));
    }

    private ContextMenu menuFor(ClassesViewModel.Row r) {
        ContextMenu menu = new ContextMenu();
        List<ClassesViewModel.ClassAction> actions = vm.actionsFor(r.index());
        for (int j = 0; j < actions.size(); j++) {
            ClassesViewModel.ClassAction a = actions.get(j);
            if (j == actions.size() - 1) {
                MenuItem rename = new MenuItem(Messages.get("class.rename"));
                rename.setDisable(!vm.canRename(r.index()));
                rename.setOnAction(e -> Dialogs.askName(Dialogs.windowOf(this), Messages.get("rename.title"),
                        Messages.get("rename.header", r.name()), r.name()).ifPresent(to ->
                        Dialogs.explainRefusal(vm.rename(r.name(), to), this, Messages.get("edit.refused"))));
                menu.getItems().add(rename);
            }
            if (a == null) {
                menu.getItems().add(new SeparatorMenuItem());
                continue;
            }
            MenuItem item = new MenuItem(a.text());
            item.setMnemonicParsing(false);
            item.setDisable(!a.enabled());
            item.setOnAction(e -> {
                var outcome = a.run().get();
                if (outcome != null) {
                    Dialogs.explainRefusal(outcome, this, Messages.get("edit.refused"));
                }
            });
            menu.getItems().add(item);
        }
        return menu;
    }

    /** A class's row: colour, name and numbers; a heading for a group of classes. */
    private final class RowCell extends ListCell<ClassesViewModel.Row> {
        private final Rectangle swatch = new Rectangle(12, 12);
        private final HBox box = row(swatch, "", "", "", "");
        private final Label heading = new Label();

        RowCell() {
            heading.getStyleClass().add("class-group");
            setOnContextMenuRequested(e -> {
                ClassesViewModel.Row r = getItem();
                if (r != null && !r.heading()) {
                    menuFor(r).show(this, e.getScreenX(), e.getScreenY());
                    e.consume();
                }
            });
        }

        @Override
        protected void updateItem(ClassesViewModel.Row r, boolean empty) {
            super.updateItem(r, empty);
            getStyleClass().removeAll("class-heading-cell");
            setText(null);
            if (empty || r == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            if (r.heading()) {
                heading.setText(r.name());
                getStyleClass().add("class-heading-cell");
                setGraphic(heading);
                setTooltip(null);
                return;
            }
            swatch.setFill(ClassColours.of(r.index()));
            List<Node> cells = box.getChildren();
            ((Label) cells.get(1)).setText(r.name());
            ((Label) cells.get(2)).setText(Integer.toString(r.images()));
            ((Label) cells.get(3)).setText(r.kind() == Workspace.Kind.NOVEL ? Integer.toString(r.shots()) : "");
            ((Label) cells.get(4)).setText(Double.isNaN(r.accuracy()) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * r.accuracy()));
            setGraphic(box);
            setTooltip(new Tooltip(r.name() + " · " + Messages.get("classes.kind." + r.kind().name().toLowerCase(Locale.ROOT))));
        }
    }

    private static HBox row(Rectangle swatch, String name, String images, String shots, String accuracy) {
        Label n = new Label(name);
        n.setMinWidth(60);
        // a long name is cut in its middle (both ends tell classes apart: "Greek-…ter01"), never widening the row past
        // the list, so that its numbers stay in view
        n.setPrefWidth(60);
        n.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        HBox.setHgrow(n, Priority.ALWAYS);
        n.setMaxWidth(Double.MAX_VALUE);
        HBox box = new HBox(6);
        box.setAlignment(Pos.CENTER_LEFT);
        if (swatch != null) {
            box.getChildren().add(swatch);
        } else {
            Region gap = new Region();
            gap.setMinWidth(12);
            box.getChildren().add(gap);
        }
        box.getChildren().addAll(n, cell(images, 50), cell(shots, 40), cell(accuracy, 60));
        box.getStyleClass().add("class-row");
        return box;
    }

    private static Label cell(String text, double width) {
        Label l = new Label(text);
        l.setMinWidth(width);
        l.setPrefWidth(width);
        l.setAlignment(Pos.CENTER_RIGHT);
        return l;
    }
}
