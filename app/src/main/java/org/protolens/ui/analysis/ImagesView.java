package org.protolens.ui.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.SetChangeListener;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;
import org.controlsfx.control.RangeSlider;
import org.controlsfx.control.textfield.TextFields;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Dialogs;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;

/**
 * The images of the latest selection (a lasso, a chart segment or cell, a class) or of the whole
 * project, one row each: thumbnail, file, label, prediction, similarity, margin, whether the
 * prediction is right. Sortable by any column; filtered by labels and predictions (any number of
 * classes), by result, to new-class images predicted as a base class, and by ranges of similarity
 * and margin. Rows chosen here can be
 * labelled, made a new class, or marked as not of a class (right-click); the number keys and L
 * label them, Space or a double-click shows the highlighted one full size.
 */
public final class ImagesView extends AnalysisView<ImagesViewModel.Rows> {
    private final ImagesViewModel vm;
    private final Thumbnails thumbnails;
    private final TableView<ImagesViewModel.Row> table = new TableView<>();
    private final CheckComboBox<String> label = new CheckComboBox<>();
    private final CheckComboBox<String> predicted = new CheckComboBox<>();
    private final ChoiceBox<ImagesViewModel.Result> result = new ChoiceBox<>();
    private final CheckBox novelAsBase = new CheckBox(Messages.get("images.novelAsBase"));
    private final Label source = new Label();
    private final Button all = new Button(Messages.get("images.all"));
    private final Consumer<int[]> newClass;
    private final ImageActions actions;
    private WorkspaceState listed;
    private boolean updatingChoices;

    /** @param newClass asks for a name and makes a new class of the given images */
    public ImagesView(ImagesViewModel vm, ProjectState project, Tasks tasks, Theme theme, Thumbnails thumbnails,
                      ImageActions actions, Consumer<int[]> newClass) {
        super(project, tasks, theme, "images-view");
        this.vm = vm;
        this.thumbnails = thumbnails;
        this.actions = actions;
        this.newClass = newClass;
        setSpacing(6);
        label.setId("grid-label");
        predicted.setId("grid-predicted");
        result.setId("grid-correct");
        novelAsBase.setId("grid-novel-as-base");
        novelAsBase.setTooltip(new Tooltip(Messages.get("images.novelAsBase.tip")));
        novelAsBase.selectedProperty().bindBidirectional(vm.novelAsBase());
        label.setConverter(names(n -> ImagesViewModel.UNLABELLED.equals(n) ? Messages.get("images.unlabelled") : n));
        label.setTitle(Messages.get("images.filter.any"));
        label.setPrefWidth(115);
        predicted.setPrefWidth(115);
        predicted.setTitle(Messages.get("images.filter.any"));
        follow(label, vm.labels());
        follow(predicted, vm.predicted());
        result.getItems().setAll(ImagesViewModel.Result.values());
        result.setConverter(new StringConverter<>() {
            @Override
            public String toString(ImagesViewModel.Result r) {
                return r == null ? "" : Messages.get("images.result." + r.name().toLowerCase(Locale.ROOT));
            }

            @Override
            public ImagesViewModel.Result fromString(String s) {
                return null;
            }
        });
        result.valueProperty().bindBidirectional(vm.result());
        vm.result().addListener((o, a, b) -> refresh());
        vm.novelAsBase().addListener((o, a, b) -> refresh());
        vm.source().addListener((o, a, b) -> refresh());
        vm.labels().addListener((SetChangeListener<String>) c -> refresh());
        vm.predicted().addListener((SetChangeListener<String>) c -> refresh());
        all.setId("grid-all");
        all.getStyleClass().add("small");
        all.setOnAction(e -> vm.showAll());
        source.getStyleClass().add("hint");
        source.setId("grid-source");
        TextField search = TextFields.createClearableTextField();
        search.setId("grid-search");
        search.setPromptText(Messages.get("images.search"));
        search.setPrefColumnCount(9);
        search.setTooltip(new Tooltip(Messages.get("images.search.tip")));
        search.textProperty().bindBidirectional(vm.search());
        vm.search().addListener((o, a, b) -> refresh());
        // the ranges of similarity and margin sit in one drop-down, which names those set
        MenuButton ranges = new MenuButton();
        ranges.setId("grid-ranges");
        for (var item : List.of(range("images.filter.similarity", "grid-similarity", vm.similarity(), ImagesViewModel.Range.SIMILARITY),
                range("images.filter.margin", "grid-margin", vm.margin(), ImagesViewModel.Range.MARGIN))) {
            CustomMenuItem entry = new CustomMenuItem(item, false);
            ranges.getItems().add(entry);
        }
        Runnable rangesText = () -> {
            List<String> set = new ArrayList<>();
            if (!vm.similarity().get().equals(ImagesViewModel.Range.SIMILARITY)) {
                set.add(Messages.get("images.filter.similarity") + " " + text(vm.similarity().get()));
            }
            if (!vm.margin().get().equals(ImagesViewModel.Range.MARGIN)) {
                set.add(Messages.get("images.filter.margin") + " " + text(vm.margin().get()));
            }
            ranges.setText(set.isEmpty() ? Messages.get("images.filter.ranges") : String.join(", ", set));
        };
        rangesText.run();
        vm.similarity().addListener((o, a, b) -> {
            rangesText.run();
            refresh();
        });
        vm.margin().addListener((o, a, b) -> {
            rangesText.run();
            refresh();
        });
        ranges.setTooltip(new Tooltip(Messages.get("images.filter.ranges.tip")));
        // the filters wrap onto a second line where the area is narrow: none hides
        FlowPane bar = new FlowPane(12, 4, search, pair(Messages.get("images.filter.label"), label),
                pair(Messages.get("images.filter.predicted"), predicted), pair(Messages.get("images.filter.result"), result),
                novelAsBase, ranges, new HBox(8, source, all));
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setRowValignment(VPos.CENTER);
        table.setId("images-table");
        table.getStyleClass().add("image-grid");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(new Label(Messages.get("images.none")));
        table.getColumns().setAll(List.of(thumbnailColumn(), column(Messages.get("images.column.file"), ImagesViewModel.Row::file, 200),
                column(Messages.get("images.column.label"), ImagesViewModel.Row::label, 110),
                column(Messages.get("images.column.predicted"), ImagesViewModel.Row::predicted, 110),
                number(Messages.get("images.column.similarity"), ImagesViewModel.Row::similarity),
                number(Messages.get("images.column.margin"), ImagesViewModel.Row::margin),
                column("", ImagesViewModel.Row::correct, 30)));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // the chosen rows are drawn on the map while the table is shown
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<ImagesViewModel.Row>) c -> {
            if (!updatingChoices) {
                highlight();
            }
        });
        shownProperty().addListener((o, was, now) -> highlight());
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null && !updatingChoices) {
                project.inspected().set(r.image());
            }
        });
        // the number keys and L label the chosen rows, Space or a double-click shows the highlighted one full size
        table.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (actions.handle(e, this::chosen, this::shownImages, table)) {
                e.consume();
            } else if (actions.remove(e, this::chosen, table, table.getSelectionModel()::clearSelection)) {
                // Delete removes the chosen imported images, after the same question as the menu
                e.consume();
            }
        });
        table.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && table.getSelectionModel().getSelectedItem() != null) {
                actions.view(shownImages());
            }
        });
        // a menu with no items does not show: it holds one until it is filled for the chosen rows
        table.setContextMenu(new ContextMenu(new MenuItem("…")));
        table.getContextMenu().setOnShowing(e -> fillMenu(table.getContextMenu()));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(bar, table);
        refresh();
    }

    /**
     * A range filter: a two-thumb slider over {@code whole} bound to {@code range}, with the range
     * in words beside it ("any" when it is the whole); a double-click on it sets it back to the whole.
     */
    private static HBox range(String key, String id, ObjectProperty<ImagesViewModel.Range> range, ImagesViewModel.Range whole) {
        RangeSlider slider = new RangeSlider(whole.low(), whole.high(), range.get().low(), range.get().high());
        slider.setId(id);
        slider.setBlockIncrement(0.05);
        slider.setPrefWidth(180);
        Label value = new Label();
        value.setMinWidth(70);
        Runnable show = () -> value.setText(range.get().equals(whole) ? Messages.get("images.filter.any") : text(range.get()));
        show.run();
        slider.lowValueProperty().addListener((o, a, b) -> range.set(new ImagesViewModel.Range(b.doubleValue(), slider.getHighValue())));
        slider.highValueProperty().addListener((o, a, b) -> range.set(new ImagesViewModel.Range(slider.getLowValue(), b.doubleValue())));
        range.addListener((o, a, r) -> {
            show.run();
            if (slider.getLowValue() != r.low() || slider.getHighValue() != r.high()) {
                slider.setLowValue(r.low());
                slider.setHighValue(r.high());
            }
        });
        slider.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                range.set(whole);
            }
        });
        Tooltip.install(slider, new Tooltip(Messages.get(key + ".tip")));
        Label name = new Label(Messages.get(key));
        name.setMinWidth(70);
        HBox box = new HBox(8, name, slider, value);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static String text(ImagesViewModel.Range r) {
        return String.format(Locale.ROOT, "%.2f–%.2f", r.low(), r.high());
    }

    private static HBox pair(String label, Region control) {
        HBox box = new HBox(6, new Label(label), control);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private void highlight() {
        project.highlighted().set(shownProperty().get() ? chosen() : new int[0]);
    }

    private int[] chosen() {
        return table.getSelectionModel().getSelectedItems().stream().mapToInt(ImagesViewModel.Row::image).toArray();
    }

    private List<Integer> shownImages() {
        return table.getItems().stream().map(ImagesViewModel.Row::image).toList();
    }

    public TableView<ImagesViewModel.Row> table() {
        return table;
    }

    public ImagesViewModel viewModel() {
        return vm;
    }

    private static StringConverter<String> names(Function<String, String> show) {
        return new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s == null ? "" : show.apply(s);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        };
    }

    /** The check box list writes its checks into the view model's set. */
    private void follow(CheckComboBox<String> box, Set<String> into) {
        box.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            if (!updatingChoices) {
                Set<String> now = new HashSet<>(box.getCheckModel().getCheckedItems());
                into.retainAll(now);
                into.addAll(now);
            }
            box.setTitle(title(box));
        });
    }

    /** What a filter shows closed: "any", the classes checked, or the first two and how many more. */
    private static String title(CheckComboBox<String> box) {
        StringConverter<String> names = box.getConverter();
        List<String> checked = box.getCheckModel().getCheckedItems().stream().map(n -> names == null ? n : names.toString(n)).toList();
        if (checked.isEmpty()) {
            return Messages.get("images.filter.any");
        }
        return checked.size() <= 2 ? String.join(", ", checked)
                : Messages.get("images.filter.more", String.join(", ", checked.subList(0, 2)), checked.size() - 2);
    }

    /** The class names offered by a filter, keeping what is checked where it still exists. */
    private void offer(CheckComboBox<String> box, List<String> items, Set<String> checked) {
        if (box.getItems().equals(items)) {
            return;
        }
        updatingChoices = true;
        try {
            box.getCheckModel().clearChecks();
            box.getItems().setAll(items);
            checked.retainAll(Set.copyOf(items));
            for (String s : checked) {
                box.getCheckModel().check(s);
            }
        } finally {
            updatingChoices = false;
        }
    }

    @Override
    protected Supplier<ImagesViewModel.Rows> prepare(WorkspaceState s) {
        if (s != null) {
            List<String> labels = new ArrayList<>(List.of(ImagesViewModel.UNLABELLED));
            labels.addAll(s.classNames());
            offer(label, labels, vm.labels());
            offer(predicted, s.classNames(), vm.predicted());
        }
        Supplier<ImagesViewModel.Rows> rows = vm.prepare(s);
        return () -> rows.get();
    }

    @Override
    protected void show(ImagesViewModel.Rows r) {
        listed = project.workspace().get();
        Set<Integer> chosen = new HashSet<>();
        table.getSelectionModel().getSelectedItems().forEach(row -> chosen.add(row.image()));
        updatingChoices = true;
        try {
            table.getItems().setAll(r.rows());
            table.sort();
            for (int j = 0; j < table.getItems().size() && !chosen.isEmpty(); j++) {
                if (chosen.contains(table.getItems().get(j).image())) {
                    table.getSelectionModel().select(j);
                }
            }
        } finally {
            updatingChoices = false;
        }
        highlight();
        source.setText(Messages.get("images.count", r.rows().size(), r.of(), r.selection() ? 1 : 0));
        all.setDisable(!r.selection());
    }

    /** Actions on the chosen rows: label them, make a new class, mark them as not of a class, select them on the map. */
    private void fillMenu(ContextMenu menu) {
        WorkspaceState w = project.workspace().get();
        int[] chosen = chosen();
        menu.getItems().clear();
        if (w == null || chosen.length == 0) {
            MenuItem none = new MenuItem(Messages.get("images.menu.none"));
            none.setDisable(true);
            menu.getItems().add(none);
            return;
        }
        Menu labelAs = new Menu(Messages.get("images.menu.label", chosen.length));
        Menu notOf = new Menu(Messages.get("images.menu.reject", chosen.length));
        for (String name : w.classNames()) {
            MenuItem l = new MenuItem(name);
            l.setMnemonicParsing(false);
            l.setOnAction(e -> Dialogs.explainRefusal(vm.label(chosen, name), this, Messages.get("edit.refused")));
            labelAs.getItems().add(l);
            MenuItem n = new MenuItem(name);
            n.setMnemonicParsing(false);
            n.setOnAction(e -> Dialogs.explainRefusal(vm.reject(chosen, name), this, Messages.get("edit.refused")));
            notOf.getItems().add(n);
        }
        MenuItem make = new MenuItem(Messages.get("images.menu.newClass", chosen.length));
        make.setOnAction(e -> newClass.accept(chosen));
        MenuItem unlabel = new MenuItem(Messages.get("images.menu.unlabel", chosen.length));
        unlabel.setOnAction(e -> Dialogs.explainRefusal(vm.unlabel(chosen), this, Messages.get("edit.refused")));
        MenuItem select = new MenuItem(Messages.get("images.menu.select"));
        select.setOnAction(e -> vm.select(chosen));
        boolean own = !actions.removable(chosen);
        MenuItem remove = new MenuItem(own ? Messages.get("images.menu.removeOwn") : Messages.get("images.menu.remove", chosen.length));
        remove.setId("images-remove");
        remove.setDisable(own);
        // the rows chosen go: no other image may take their place in the selection
        remove.setOnAction(e -> actions.remove(chosen, this, table.getSelectionModel()::clearSelection));
        menu.getItems().setAll(labelAs, make, notOf, unlabel, new SeparatorMenuItem(), select, new SeparatorMenuItem(), remove);
    }

    private TableColumn<ImagesViewModel.Row, ImagesViewModel.Row> thumbnailColumn() {
        TableColumn<ImagesViewModel.Row, ImagesViewModel.Row> c = new TableColumn<>("");
        c.setSortable(false);
        c.setMinWidth(40);
        c.setMaxWidth(40);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(r.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            private final ImageView view = new ImageView();

            {
                view.setFitWidth(32);
                view.setFitHeight(32);
                view.setPreserveRatio(true);
            }

            @Override
            protected void updateItem(ImagesViewModel.Row r, boolean empty) {
                super.updateItem(r, empty);
                WorkspaceState w = listed;
                if (empty || r == null || w == null || r.image() >= w.imageCount()) {
                    setGraphic(null);
                } else {
                    view.setImage(thumbnails.get(w.imageFile(r.image()), 64));
                    setGraphic(view);
                }
            }
        });
        return c;
    }

    private static TableColumn<ImagesViewModel.Row, String> column(String title, Function<ImagesViewModel.Row, String> value,
                                                                double width) {
        TableColumn<ImagesViewModel.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.apply(r.getValue())));
        return c;
    }

    private static TableColumn<ImagesViewModel.Row, Float> number(String title, Function<ImagesViewModel.Row, Float> value) {
        TableColumn<ImagesViewModel.Row, Float> c = new TableColumn<>(title);
        c.setPrefWidth(80);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.apply(r.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            {
                getStyleClass().add("number");
            }

            @Override
            protected void updateItem(Float v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null || v.isNaN() ? null : v.isInfinite() ? "–" : String.format(Locale.ROOT, "%.3f", v));
            }
        });
        return c;
    }
}
