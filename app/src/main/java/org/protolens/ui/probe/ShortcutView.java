package org.protolens.ui.probe;

import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.protolens.ui.common.ChartThemes;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.Tables;
import org.protolens.ui.common.Theme;

/**
 * The Shortcut bias tab: on a project made from a shortcut dataset, how its predictions of the
 * conflict images (shape says one class, shortcut another) split, and reliance and bias against
 * the Bayes-optimal classifier, for the project's prototypes now and at alpha = 0, and for the
 * command line's protocol; a chart of reliance, optimal reliance and bias; JSON export.
 */
public final class ShortcutView extends VBox {
    private final ShortcutViewModel vm;
    private final TableView<ShortcutViewModel.Reading> table = new TableView<>();
    private final JFreeChart chart;
    private final DefaultCategoryDataset data = new DefaultCategoryDataset();

    public ShortcutView(ShortcutViewModel vm, Theme theme, Consumer<String> exportJson) {
        this.vm = vm;
        setId("shortcut-view");
        getStyleClass().add("analysis");
        setPadding(new Insets(6, 10, 6, 10));
        setSpacing(4);
        vm.active().bind(visibleProperty().and(sceneProperty().isNotNull()));
        Label summary = new Label();
        summary.setId("shortcut-summary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        Button choose = new Button(Messages.get("shortcut.choose"));
        choose.setId("shortcut-choose");
        choose.setTooltip(new Tooltip(Messages.get("shortcut.choose.tip")));
        choose.setMinWidth(Region.USE_PREF_SIZE);
        choose.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle(Messages.get("shortcut.choose.title"));
            if (vm.manifest().get() != null) {
                chooser.setInitialDirectory(vm.manifest().get().toFile());
            }
            File dir = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
            if (dir != null) {
                vm.choose(dir.toPath());
            }
        });
        Button export = new Button(Messages.get("shortcut.export"));
        export.setId("shortcut-export");
        export.setMinWidth(Region.USE_PREF_SIZE);
        export.disableProperty().bind(vm.shown().map(s -> s.json() == null).orElse(true));
        export.setOnAction(e -> exportJson.accept(vm.shown().get() == null ? null : vm.shown().get().json()));
        HBox.setHgrow(summary, Priority.ALWAYS);
        summary.setMaxWidth(Double.MAX_VALUE);
        HBox top = new HBox(8, summary, choose, export);
        top.setAlignment(Pos.CENTER_LEFT);

        table.setId("shortcut-table");
        table.setPlaceholder(new Label(Messages.get("shortcut.placeholder")));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().setAll(List.of(
                Tables.column("shortcut.col.reading", ShortcutViewModel.Reading::name, 170),
                Tables.column("shortcut.col.aligned", r -> Figures.pct(r.report().alignedAccuracy(), 1), 70),
                Tables.column("shortcut.col.conflict", r -> Figures.pct(r.report().conflictAccuracy(), 1), 70),
                Tables.column("shortcut.col.toShortcut", r -> Figures.pct(r.report().shortcutShare(), 1), 70),
                Tables.column("shortcut.col.toShape", r -> Figures.pct(r.report().coreShare(), 1), 70),
                Tables.column("shortcut.col.reliance", r -> Figures.signed(r.report().reliance()), 65),
                Tables.column("shortcut.col.optimal", r -> Figures.signed(r.report().optimalReliance()), 65),
                Tables.column("shortcut.col.bias", r -> Figures.signed(r.report().bias()), 65)));
        table.setMinWidth(0);

        chart = chart();
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("shortcut-chart");
        viewer.setMinWidth(0);
        HBox body = new HBox(8, table, viewer);
        viewer.prefWidthProperty().bind(body.widthProperty().multiply(0.38));
        HBox.setHgrow(table, Priority.ALWAYS);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().setAll(top, body);

        vm.shown().addListener((o, a, s) -> {
            summary.setText(s == null ? "" : s.summary());
            table.getItems().setAll(s == null ? List.of() : s.readings());
            chart.setNotify(false);
            data.clear();
            if (s != null) {
                for (ShortcutViewModel.Reading r : s.readings()) {
                    add(Messages.get("shortcut.col.reliance"), r.shortName(), r.report().reliance());
                    add(Messages.get("shortcut.col.optimal"), r.shortName(), r.report().optimalReliance());
                    add(Messages.get("shortcut.col.bias"), r.shortName(), r.report().bias());
                }
            }
            chart.setNotify(true);
        });
        ChartThemes.apply(chart, theme.isDark());
        theme.dark().addListener((o, a, dark) -> ChartThemes.apply(chart, dark));
    }

    /** What the tab computes from (for tests). */
    public ShortcutViewModel viewModel() {
        return vm;
    }

    private void add(String series, String reading, double v) {
        if (!Double.isNaN(v)) {
            data.addValue(v, series, reading);
        }
    }

    private JFreeChart chart() {
        CategoryAxis readings = new CategoryAxis(null);
        readings.setMaximumCategoryLabelLines(1);
        readings.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 10));
        NumberAxis value = new NumberAxis(Messages.get("shortcut.axis"));
        value.setRange(-2, 2);
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x4e79a7));
        r.setSeriesPaint(1, new Color(0xbab0ac));
        r.setSeriesPaint(2, new Color(0xe15759));
        r.setDefaultToolTipGenerator((ds, row, col) -> String.format(Locale.ROOT, "%s, %s: %+.3f", ds.getColumnKey(col),
                ds.getRowKey(row), ds.getValue(row, col).doubleValue()));
        CategoryPlot plot = new CategoryPlot(data, readings, value, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setOutlineVisible(false);
        JFreeChart c = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 11), plot, true);
        c.getLegend().setPosition(RectangleEdge.BOTTOM);
        return c;
    }

}
