package org.protolens.ui.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;
import org.protolens.ui.Thumbnails;
import org.protolens.ui.WorkspaceModel;

/**
 * The images of the latest selection (a lasso, a chart segment or cell, a class) or of the whole
 * project, one row each: thumbnail, file, label, prediction, similarity, margin, whether the
 * prediction is right. Sortable by any column, filtered by label, prediction, correctness and
 * "new class predicted as base". Rows chosen here can be labelled, made a new class, or marked as
 * not of a class (right-click).
 */
public final class ImagesView extends AnalysisView {
    /** One image as the table shows it (built once per refresh, so sorting reads plain values). */
    public record Row(int image, String file, String label, String predicted, float similarity, float margin, String correct) {
    }

    private static final String ANY = "any";
    private static final String UNLABELLED = "(unlabelled)";
    private final Thumbnails thumbnails;
    private final TableView<Row> table = new TableView<>();
    private final ChoiceBox<String> label = new ChoiceBox<>();
    private final ChoiceBox<String> predicted = new ChoiceBox<>();
    private final ChoiceBox<String> correctness = new ChoiceBox<>();
    private final CheckBox novelAsBase = new CheckBox("New class → base");
    private final Label source = new Label();
    private final Button all = new Button("Show all");
    private final java.util.function.Consumer<int[]> newClass;
    /** the images shown before filters: the latest selection, or null for all */
    private int[] shown;

    /** @param newClass asks for a name and makes a new class of the given images */
    public ImagesView(WorkspaceModel model, Thumbnails thumbnails, java.util.function.Consumer<int[]> newClass) {
        super(model, "images-view");
        this.thumbnails = thumbnails;
        this.newClass = newClass;
        setSpacing(6);
        correctness.getItems().setAll(ANY, "right", "wrong", "unlabelled");
        correctness.setValue(ANY);
        label.setId("grid-label");
        predicted.setId("grid-predicted");
        correctness.setId("grid-correct");
        novelAsBase.setId("grid-novel-as-base");
        novelAsBase.setTooltip(new Tooltip("Images labelled with a new class but predicted as a base class: "
                + "what TEEN calibration sets out to fix"));
        for (ChoiceBox<String> c : List.of(label, predicted, correctness)) {
            c.valueProperty().addListener((o, a, b) -> refreshSoon());
        }
        novelAsBase.selectedProperty().addListener((o, a, b) -> refreshSoon());
        all.setId("grid-all");
        all.getStyleClass().add("small");
        all.setOnAction(e -> {
            shown = null;
            refreshSoon();
        });
        source.getStyleClass().add("hint");
        source.setId("grid-source");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, new Label("Label"), label, new Label("Predicted"), predicted, new Label("Result"),
                correctness, novelAsBase, gap, source, all);
        bar.setAlignment(Pos.CENTER_LEFT);
        // the filters keep their size; the count gives way when the area is narrow
        bar.getChildren().stream().filter(n -> n != source && n instanceof Region).forEach(n -> ((Region) n).setMinWidth(Region.USE_PREF_SIZE));
        source.setMinWidth(0);
        table.setId("images-table");
        table.getStyleClass().add("image-grid");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setPlaceholder(new Label("No images match"));
        table.getColumns().setAll(List.of(thumbnailColumn(), column("File", Row::file, 180), column("Label", Row::label, 110),
                column("Predicted", Row::predicted, 110), number("Similarity", Row::similarity),
                number("Margin", Row::margin), column("", Row::correct, 30)));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null) {
                model.selected().set(r.image());
            }
        });
        // a menu with no items does not show: it holds one until it is filled for the chosen rows
        table.setContextMenu(new ContextMenu(new MenuItem("…")));
        table.getContextMenu().setOnShowing(e -> fillMenu(table.getContextMenu()));
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(bar, table);
        // made when its tab is first chosen: it starts with the selection made before
        int[] selected = model.selection().get();
        shown = selected == null || selected.length == 0 ? null : selected.clone();
        model.selection().addListener((o, a, sel) -> {
            // an edit clears the selection; the grid keeps showing what was chosen
            if (sel != null && sel.length > 0) {
                shown = sel.clone();
                refreshSoon();
            }
        });
        model.workspace().addListener((o, a, b) -> {
            shown = null;
            refreshSoon();
        });
        refresh();
    }

    public TableView<Row> table() {
        return table;
    }

    /** Filters to images labelled with a new class and predicted as a base class. */
    public void setNovelAsBase(boolean on) {
        novelAsBase.setSelected(on);
    }


    @Override
    protected void refresh() {
        Workspace w = model.workspace().get();
        if (w == null) {
            table.getItems().clear();
            return;
        }
        List<String> labels = new ArrayList<>(List.of(ANY, UNLABELLED));
        labels.addAll(w.classNames());
        keepChoices(label, labels);
        List<String> classes = new ArrayList<>(List.of(ANY));
        classes.addAll(w.classNames());
        keepChoices(predicted, classes);
        int[] images = shown == null || java.util.Arrays.stream(shown).anyMatch(i -> i >= w.imageCount())
                ? java.util.stream.IntStream.range(0, w.imageCount()).toArray() : shown;
        if (images != shown) {
            shown = null;
        }
        int wantLabel = label.getValue() == null || ANY.equals(label.getValue()) ? -2
                : UNLABELLED.equals(label.getValue()) ? -1 : w.classNames().indexOf(label.getValue());
        int wantPredicted = predicted.getValue() == null || ANY.equals(predicted.getValue()) ? -2
                : w.classNames().indexOf(predicted.getValue());
        String right = correctness.getValue();
        List<Row> rows = new ArrayList<>();
        for (int i : images) {
            int l = w.label(i);
            int p = w.predicted(i);
            if ((wantLabel != -2 && l != wantLabel) || (wantPredicted != -2 && p != wantPredicted)) {
                continue;
            }
            boolean evaluated = l >= 0 && !w.isShot(i);
            if (("right".equals(right) && !(evaluated && p == l)) || ("wrong".equals(right) && !(evaluated && p != l))
                    || ("unlabelled".equals(right) && l >= 0)) {
                continue;
            }
            if (novelAsBase.isSelected() && !(evaluated && !w.isBase(l) && p >= 0 && w.isBase(p))) {
                continue;
            }
            String lab = l < 0 ? "" : w.classNames().get(l) + (w.isShot(i) ? " (shot)" : "");
            rows.add(new Row(i, w.imageFile(i).getFileName().toString(), lab, p < 0 ? "" : w.classNames().get(p),
                    p < 0 ? Float.NaN : w.score(i), w.margin(i), !evaluated ? "" : p == l ? "✓" : "✗"));
        }
        java.util.Set<Integer> chosen = new java.util.HashSet<>();
        table.getSelectionModel().getSelectedItems().forEach(r -> chosen.add(r.image()));
        table.getItems().setAll(rows);
        table.sort();
        for (int j = 0; j < table.getItems().size() && !chosen.isEmpty(); j++) {
            if (chosen.contains(table.getItems().get(j).image())) {
                table.getSelectionModel().select(j);
            }
        }
        source.setText(String.format(Locale.ROOT, "%d of %d %s", rows.size(), images.length,
                shown == null ? "images" : "selected"));
        all.setDisable(shown == null);
    }

    private static void keepChoices(ChoiceBox<String> box, List<String> items) {
        if (!box.getItems().equals(items)) {
            String was = box.getValue();
            box.getItems().setAll(items);
            box.setValue(items.contains(was) ? was : ANY);
        }
    }

    /** Actions on the chosen rows: label them, make a new class, mark them as not of a class, select them on the map. */
    private void fillMenu(ContextMenu menu) {
        Workspace w = model.workspace().get();
        int[] chosen = table.getSelectionModel().getSelectedItems().stream().mapToInt(Row::image).toArray();
        menu.getItems().clear();
        if (w == null || chosen.length == 0) {
            MenuItem none = new MenuItem("Choose rows first (Shift or Ctrl + click)");
            none.setDisable(true);
            menu.getItems().add(none);
            return;
        }
        String count = chosen.length + (chosen.length == 1 ? " image" : " images");
        Menu labelAs = new Menu("Label " + count + " as");
        Menu notOf = new Menu("Mark " + count + " as Not");
        for (String name : w.classNames()) {
            MenuItem l = new MenuItem(name);
            l.setOnAction(e -> apply(History.relabel("Label " + count + " as “" + name + "”", chosen, name, false)));
            labelAs.getItems().add(l);
            MenuItem n = new MenuItem(name);
            n.setOnAction(e -> apply(History.reject(name, chosen)));
            notOf.getItems().add(n);
        }
        MenuItem make = new MenuItem("New Class from " + count + "…");
        make.setOnAction(e -> newClass.accept(chosen));
        MenuItem unlabel = new MenuItem("Remove Labels of " + count);
        unlabel.setOnAction(e -> apply(History.relabel("Remove the labels of " + count, chosen, null, false)));
        MenuItem select = new MenuItem("Select on the Map");
        select.setOnAction(e -> model.selection().set(java.util.Arrays.stream(chosen).sorted().toArray()));
        menu.getItems().setAll(labelAs, make, notOf, unlabel, new SeparatorMenuItem(), select);
    }

    private void apply(History.Edit edit) {
        org.protolens.ui.EditRefusal.apply(model, edit, this, "Nothing was changed");
    }

    private TableColumn<Row, Row> thumbnailColumn() {
        TableColumn<Row, Row> c = new TableColumn<>("");
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
            protected void updateItem(Row r, boolean empty) {
                super.updateItem(r, empty);
                Workspace w = model.workspace().get();
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

    private static TableColumn<Row, String> column(String title, java.util.function.Function<Row, String> value, double width) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.apply(r.getValue())));
        return c;
    }

    private static TableColumn<Row, Float> number(String title, java.util.function.Function<Row, Float> value) {
        TableColumn<Row, Float> c = new TableColumn<>(title);
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
