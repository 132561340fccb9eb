package org.protolens.ui.backbones;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.controlsfx.control.SegmentedButton;
import org.protolens.core.analysis.BackboneComparison;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ClassColours;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tables;
import org.protolens.ui.common.Theme;

/**
 * The Backbones tab: which backbone separates the project's classes. A row per backbone (the
 * project's first) with class-mean accuracies before and after TEEN, the share of new-class
 * images taken by base classes and the new classes' kNN accuracy; below, the project's backbone's
 * map beside the chosen row's, each a PCA of its own embeddings, coloured by class, with the
 * images chosen on the main map drawn large in both.
 */
public final class BackbonesView extends VBox {
    /** a table row's height */
    private static final double ROW = 24;
    private final BackbonesViewModel vm;
    private final ProjectState project;
    private final Theme theme;
    private final TableView<BackbonesViewModel.Row> table = new TableView<>();
    private final MapPane left = new MapPane("backbones-map-own");
    private final MapPane right = new MapPane("backbones-map-other");
    private final TableView<Integer> sessions = new TableView<>();
    private final TableView<Integer> novelClasses = new TableView<>();

    public BackbonesView(BackbonesViewModel vm, ProjectState project, Theme theme) {
        this.vm = vm;
        this.project = project;
        this.theme = theme;
        setId("backbones-view");
        getStyleClass().add("analysis");
        setPadding(new Insets(6, 10, 6, 10));
        setSpacing(4);
        vm.active().bind(visibleProperty().and(sceneProperty().isNotNull()));

        Label summary = new Label();
        summary.setId("backbones-summary");
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        summary.setMinWidth(0);
        summary.setMaxWidth(Double.MAX_VALUE);
        summary.setTooltip(new Tooltip(Messages.get("backbones.summary.tip")));
        MenuButton add = new MenuButton(Messages.get("backbones.add"));
        add.setId("backbones-add");
        add.setTooltip(new Tooltip(Messages.get("backbones.add.tip")));
        add.setMinWidth(Region.USE_PREF_SIZE);
        MenuItem folder = new MenuItem(Messages.get("backbones.add.folder"));
        folder.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle(Messages.get("backbones.add.folder.title"));
            File dir = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
            if (dir != null) {
                vm.add(dir.getPath());
            }
        });
        MenuItem file = new MenuItem(Messages.get("backbones.add.file"));
        file.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(Messages.get("backbones.add.file.title"));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(Messages.get("backbones.add.file.filter"), "*.pt", "*.pth"));
            File f = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                vm.add(f.getPath());
            }
        });
        add.getItems().setAll(folder, file);
        // below the table: the two maps, the session table or the new classes, side by side for the project's backbone and the chosen one
        SegmentedButton below = new SegmentedButton();
        below.setId("backbones-below");
        for (String what : List.of("maps", "sessions", "classes")) {
            ToggleButton b = new ToggleButton(Messages.get("backbones.below." + what));
            b.setId("backbones-below-" + what);
            b.setTooltip(new Tooltip(Messages.get("backbones.below." + what + ".tip")));
            b.setUserData(what);
            below.getButtons().add(b);
        }
        below.getButtons().getFirst().setSelected(true);
        below.setMinWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(summary, Priority.ALWAYS);
        HBox top = new HBox(8, summary, below, add);
        top.setAlignment(Pos.CENTER_LEFT);

        table.setId("backbones-table");
        table.setPlaceholder(new Label(Messages.get("backbones.placeholder")));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(
                Tables.column("backbones.col.backbone", r -> r.figures().backbone(), 190),
                Tables.column("backbones.col.dim", r -> Integer.toString(r.figures().dim()), 45),
                Tables.column("backbones.col.base", r -> pair(r, "base"), 95),
                Tables.column("backbones.col.novel", r -> pair(r, "novel"), 95),
                Tables.column("backbones.col.hm", r -> pair(r, "hm"), 95),
                Tables.column("backbones.col.toBase", r -> pair(r, "toBase"), 95),
                Tables.column("backbones.col.knn", r -> BackboneComparison.pct(r.figures().novelSeparation()), 70)));
        table.setMinWidth(0);
        table.setFixedCellSize(ROW);
        table.setPrefHeight(3 * ROW + 6);
        table.setMinHeight(Region.USE_PREF_SIZE);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            drawMaps();
            fillComparisons();
        });
        MenuItem remove = new MenuItem(Messages.get("backbones.remove"));
        remove.setId("backbones-remove");
        remove.setOnAction(e -> {
            var row = table.getSelectionModel().getSelectedItem();
            if (row != null && !row.own()) {
                vm.remove(row.spec());
            }
        });
        // the project's own backbone cannot be taken out
        remove.disableProperty().bind(Bindings.createBooleanBinding(() -> table.getSelectionModel().getSelectedItem() == null
                || table.getSelectionModel().getSelectedItem().own(), table.getSelectionModel().selectedItemProperty()));
        MenuItem work = new MenuItem(Messages.get("backbones.switch"));
        work.setId("backbones-switch");
        work.setOnAction(e -> {
            var row = table.getSelectionModel().getSelectedItem();
            if (row != null && !row.own() && confirmSwitch(row.figures().backbone())) {
                vm.switchTo(row.spec());
            }
        });
        work.disableProperty().bind(remove.disableProperty());
        table.setContextMenu(new ContextMenu(work, remove));
        table.setOnKeyPressed(e -> {
            var row = table.getSelectionModel().getSelectedItem();
            if ((e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) && row != null && !row.own()) {
                vm.remove(row.spec());
                e.consume();
            }
        });

        HBox maps = new HBox(8, left, right);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        sessions.setId("backbones-sessions");
        sessions.setPlaceholder(new Label(Messages.get("backbones.sessions.none")));
        sessions.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        sessions.setMinSize(0, 0);
        novelClasses.setId("backbones-classes");
        novelClasses.setPlaceholder(new Label(Messages.get("backbones.classes.none")));
        novelClasses.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        novelClasses.setMinSize(0, 0);
        StackPane lower = new StackPane(maps, sessions, novelClasses);
        lower.setMinSize(0, 0);
        VBox.setVgrow(lower, Priority.ALWAYS);
        Runnable showBelow = () -> {
            var selected = below.getToggleGroup().getSelectedToggle();
            Object what = selected == null ? "maps" : selected.getUserData();
            maps.setVisible("maps".equals(what));
            sessions.setVisible("sessions".equals(what));
            novelClasses.setVisible("classes".equals(what));
        };
        below.getToggleGroup().selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                // a second click on the shown view keeps it shown
                was.setSelected(true);
            }
            showBelow.run();
        });
        showBelow.run();
        getChildren().setAll(top, table, lower);

        vm.shown().addListener((o, a, s) -> {
            String chosen = table.getSelectionModel().getSelectedItem() == null ? null
                    : table.getSelectionModel().getSelectedItem().figures().backbone();
            summary.setText(summaryOf(s));
            table.getItems().setAll(s == null ? List.of() : s.rows());
            // keep the other backbone chosen; else the last added one
            int at = table.getItems().size() - 1;
            for (int r = 1; r < table.getItems().size(); r++) {
                if (table.getItems().get(r).figures().backbone().equals(chosen)) {
                    at = r;
                }
            }
            // as tall as its rows, up to five
            table.setPrefHeight(ROW * (Math.min(5, Math.max(1, table.getItems().size())) + 1) + 6);
            if (at >= 0) {
                table.getSelectionModel().select(at);
            }
            drawMaps();
            fillComparisons();
        });
        project.selection().addListener((o, a, b) -> drawMaps());
        theme.dark().addListener((o, a, b) -> drawMaps());
        left.widthProperty().addListener((o, a, b) -> drawMaps());
        left.heightProperty().addListener((o, a, b) -> drawMaps());
        right.widthProperty().addListener((o, a, b) -> drawMaps());
    }

    /** Asks before the project changes backbone: what changes, what stays, and how to go back. */
    private boolean confirmSwitch(String name) {
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, Messages.get("backbones.switch.text", name), ButtonType.OK, ButtonType.CANCEL);
        ask.setTitle(Messages.get("backbones.switch.title"));
        ask.setHeaderText(Messages.get("backbones.switch.header", name));
        ask.initOwner(getScene() == null ? null : getScene().getWindow());
        ask.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        ((Button) ask.getDialogPane().lookupButton(ButtonType.OK)).setText(Messages.get("backbones.switch.ok"));
        return ask.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    /** The tab's state (for tests). */
    public BackbonesViewModel viewModel() {
        return vm;
    }

    private static String summaryOf(BackbonesViewModel.Shown s) {
        if (s == null) {
            return "";
        }
        if (s.problem() != null) {
            return s.problem();
        }
        BackboneComparison.Figures f = s.rows().getFirst().figures();
        return Messages.get(s.rows().size() < 2 ? "backbones.summary.alone" : "backbones.summary", f.prototypeImages(), f.measuredImages());
    }

    private static String pair(BackbonesViewModel.Row r, String what) {
        return figure(r, what).replace(" -> ", " → ");
    }

    private static String figure(BackbonesViewModel.Row r, String what) {
        BackboneComparison.Figures f = r.figures();
        return switch (what) {
            case "base" -> BackboneComparison.pair(f.ncm().classMeanAccBase(), f.teen().classMeanAccBase());
            case "novel" -> BackboneComparison.pair(f.ncm().classMeanAccNovel(), f.teen().classMeanAccNovel());
            case "hm" -> BackboneComparison.pair(f.ncm().classMeanHm(), f.teen().classMeanHm());
            default -> BackboneComparison.pair(f.ncm().novelToBase(), f.teen().novelToBase());
        };
    }

    /**
     * The session table and the new classes' table for the project's backbone and the chosen one:
     * a column pair per figure, headed by the backbones' names.
     */
    private void fillComparisons() {
        BackbonesViewModel.Shown s = vm.shown().get();
        BackbonesViewModel.Row own = s == null || s.rows().isEmpty() ? null : s.rows().getFirst();
        BackbonesViewModel.Row chosen = table.getSelectionModel().getSelectedItem();
        List<BackbonesViewModel.Row> shownRows = own == null ? List.of()
                : chosen == null || chosen == own ? List.of(own) : List.of(own, chosen);
        List<TableColumn<Integer, String>> sessionColumns = new ArrayList<>();
        sessionColumns.add(Tables.column("backbones.sessions.col.session",
                at -> Integer.toString(own.figures().sessions().get(at).session()), 60));
        sessionColumns.add(Tables.column("backbones.sessions.col.classes",
                at -> Integer.toString(own.figures().sessions().get(at).teen().classes()), 60));
        List<TableColumn<Integer, String>> classColumns = new ArrayList<>();
        classColumns.add(Tables.column("backbones.classes.col.class", at -> own.figures().novelClasses().get(at).name(), 140));
        for (BackbonesViewModel.Row r : shownRows) {
            // the project's backbone by its part, the other by its name: the headers stay short
            String name = r.own() ? Messages.get("backbones.ownShort") : r.figures().backbone();
            sessionColumns.add(named(Tables.column("backbones.sessions.col.hm", at -> {
                return arrow(r.figures().sessions().get(at).headline());
            }, 150), name));
            classColumns.add(named(Tables.column("backbones.classes.col.knn",
                    at -> BackboneComparison.pct(r.figures().novelClasses().get(at).separation()), 90), name));
            classColumns.add(named(Tables.column("backbones.classes.col.toBase", at -> {
                BackboneComparison.NovelClass c = r.figures().novelClasses().get(at);
                return arrow(BackboneComparison.pair(c.toBaseNcm(), c.toBaseTeen()));
            }, 130), name));
        }
        // the numbers need little room; the figures take the rest
        sessionColumns.get(0).setMaxWidth(90);
        sessionColumns.get(1).setMaxWidth(90);
        classColumns.getFirst().setMaxWidth(240);
        sessions.getColumns().setAll(own == null ? List.of() : sessionColumns);
        sessions.getItems().setAll(own == null ? List.of()
                : IntStream.range(0, own.figures().sessions().size()).boxed().toList());
        novelClasses.getColumns().setAll(own == null ? List.of() : classColumns);
        novelClasses.getItems().setAll(own == null ? List.of()
                : IntStream.range(0, own.figures().novelClasses().size()).boxed().toList());
    }

    /** A column of one backbone's figure: its header says whose. */
    private static <R> TableColumn<R, String> named(TableColumn<R, String> c, String backbone) {
        if (c.getGraphic() instanceof Label header) {
            header.setText(header.getText() + " · " + backbone);
            header.getTooltip().setText(header.getTooltip().getText() + " (" + backbone + ")");
        }
        return c;
    }

    private static String arrow(String figures) {
        return figures.replace(" -> ", " → ");
    }

    private void drawMaps() {
        BackbonesViewModel.Shown s = vm.shown().get();
        if (s == null || s.rows().isEmpty() || s.state() == null) {
            left.draw(null, null, null, "", theme.isDark());
            right.draw(null, null, null, "", theme.isDark());
            return;
        }
        int[] chosen = project.selection().get();
        BackbonesViewModel.Row own = s.rows().getFirst();
        BackbonesViewModel.Row other = table.getSelectionModel().getSelectedItem();
        left.draw(own.map(), s.state(), chosen, own.figures().backbone(), theme.isDark());
        if (other == null || other == own) {
            right.draw(null, null, null, Messages.get("backbones.map.none"), theme.isDark());
        } else {
            right.draw(other.map(), s.state(), chosen, other.figures().backbone(), theme.isDark());
        }
    }

    /** One backbone's map: its images as dots coloured by class, the chosen ones large and outlined, its name at the top. */
    static final class MapPane extends Pane {
        private final Canvas canvas = new Canvas();

        MapPane(String id) {
            setId(id);
            getStyleClass().add("backbone-map");
            getChildren().add(canvas);
            setMinSize(0, 0);
            setPrefSize(200, 160);
        }

        @Override
        protected void layoutChildren() {
            canvas.setWidth(getWidth());
            canvas.setHeight(getHeight());
        }

        void draw(float[] xy, WorkspaceState w, int[] chosen, String title, boolean dark) {
            double width = canvas.getWidth(), height = canvas.getHeight();
            GraphicsContext g = canvas.getGraphicsContext2D();
            g.clearRect(0, 0, width, height);
            g.setFill(dark ? Color.web("#cfd6de") : Color.web("#3c4858"));
            g.fillText(title, 6, 14);
            if (xy == null || w == null || width < 20 || height < 30) {
                return;
            }
            float minX = Float.POSITIVE_INFINITY, maxX = Float.NEGATIVE_INFINITY, minY = Float.POSITIVE_INFINITY;
            float maxY = Float.NEGATIVE_INFINITY;
            int n = Math.min(w.imageCount(), xy.length / 2);
            for (int i = 0; i < n; i++) {
                if (!Float.isNaN(xy[2 * i])) {
                    minX = Math.min(minX, xy[2 * i]);
                    maxX = Math.max(maxX, xy[2 * i]);
                    minY = Math.min(minY, xy[2 * i + 1]);
                    maxY = Math.max(maxY, xy[2 * i + 1]);
                }
            }
            if (!(maxX > minX) || !(maxY > minY)) {
                return;
            }
            double pad = 8, top = 20;
            // one scale for both axes, as on the main map: a PCA's spread along its first axis is part of the picture
            double scale = Math.min((width - 2 * pad) / (maxX - minX), (height - top - pad) / (maxY - minY));
            double sx = scale, sy = scale;
            double left = pad + ((width - 2 * pad) - (maxX - minX) * scale) / 2;
            double up = top + ((height - top - pad) - (maxY - minY) * scale) / 2;
            double r = n > 20_000 ? 1.2 : n > 3_000 ? 1.8 : 2.6;
            for (int i = 0; i < n; i++) {
                if (!Float.isNaN(xy[2 * i])) {
                    g.setFill(ClassColours.of(w.label(i)).deriveColor(0, 1, 1, 0.8));
                    g.fillOval(left + (xy[2 * i] - minX) * sx - r, up + (maxY - xy[2 * i + 1]) * sy - r, 2 * r, 2 * r);
                }
            }
            if (chosen != null) {
                double big = r + 2.5;
                g.setStroke(dark ? Color.WHITE : Color.BLACK);
                g.setLineWidth(1.5);
                for (int i : chosen) {
                    if (i < n && !Float.isNaN(xy[2 * i])) {
                        double x = left + (xy[2 * i] - minX) * sx, y = up + (maxY - xy[2 * i + 1]) * sy;
                        g.setFill(ClassColours.of(w.label(i)));
                        g.fillOval(x - big, y - big, 2 * big, 2 * big);
                        g.strokeOval(x - big, y - big, 2 * big, 2 * big);
                    }
                }
            }
        }
    }
}
