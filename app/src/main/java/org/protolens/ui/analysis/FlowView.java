package org.protolens.ui.analysis;

import java.awt.BasicStroke;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.protolens.core.analysis.NovelFlow;
import org.protolens.core.project.Workspace;
import org.protolens.ui.ClassColours;
import org.protolens.ui.WorkspaceModel;

/**
 * Novel -> base: for each new class, the share of its labelled images (shots left out) predicted
 * as each class, before calibration (alpha = 0) and now, as stacked bars side by side. Clicking a
 * segment selects those images on the map. Right-click the chart to export it (PNG, SVG).
 */
public final class FlowView extends AnalysisView {
    /** A bar: one novel class, before calibration or now. */
    record Bar(int novelClass, boolean calibrated, String label) implements Comparable<Bar> {
        @Override
        public int compareTo(Bar o) {
            return novelClass != o.novelClass ? Integer.compare(novelClass, o.novelClass) : Boolean.compare(calibrated, o.calibrated);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** A segment's class (the stacked series), shown by its name. */
    record Target(int k, String name) implements Comparable<Target> {
        @Override
        public int compareTo(Target o) {
            return Integer.compare(k, o.k);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final Label summary = new Label();
    private NovelFlow flow;

    public FlowView(WorkspaceModel model) {
        super(model, "flow-view");
        summary.setId("flow-summary");
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        chart = chart();
        viewer = new ChartViewer(chart);
        viewer.setId("flow-chart");
        VBox.setVgrow(viewer, Priority.ALWAYS);
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX e) {
                if (e.getEntity() instanceof CategoryItemEntity item && flow != null
                        && item.getColumnKey() instanceof Bar bar && item.getRowKey() instanceof Target target) {
                    model.selection().set(flow.images(bar.novelClass(), target.k(), bar.calibrated()));
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX e) {
            }
        });
        getChildren().addAll(summary, viewer);
        refresh();
    }

    /** The dataset drawn: rows are the predicted classes, columns the bars (for tests and export). */
    public DefaultCategoryDataset data() {
        return data;
    }

    public ChartViewer viewer() {
        return viewer;
    }


    @Override
    protected void refresh() {
        Workspace w = model.workspace().get();
        data.clear();
        flow = w == null ? null : NovelFlow.of(w.state());
        if (flow == null || flow.novelClasses().isEmpty()) {
            summary.setText("No new classes yet: make one from a selection on the map (Ctrl+N) to see where its images go.");
            return;
        }
        String now = !w.calibrationEnabled() ? "now (calibration off)"
                : String.format(Locale.ROOT, "α=%.2f τ=%.0f", w.calibration().alpha(), w.calibration().tau());
        StackedBarRenderer r = (StackedBarRenderer) chart.getCategoryPlot().getRenderer();
        // every class in every bar (empty segments draw nothing): the legend lists the classes in order
        for (int k : flow.novelClasses()) {
            String name = w.classNames().get(k);
            for (boolean calibrated : new boolean[] {false, true}) {
                Bar bar = new Bar(k, calibrated, name + (calibrated ? "  " + now : "  α=0"));
                int[] counts = flow.counts(k, calibrated);
                int total = Math.max(1, java.util.Arrays.stream(counts).sum());
                for (int as = 0; as < counts.length; as++) {
                    data.addValue(100.0 * counts[as] / total, new Target(as, w.classNames().get(as)), bar);
                }
            }
        }
        for (int s = 0; s < data.getRowCount(); s++) {
            Target t = (Target) data.getRowKey(s);
            javafx.scene.paint.Color c = ClassColours.of(t.k());
            r.setSeriesPaint(s, new java.awt.Color((float) c.getRed(), (float) c.getGreen(), (float) c.getBlue()));
        }
        summary.setText(String.format(Locale.ROOT,
                "New-class images predicted as a base class: %.1f%% before calibration, %.1f%% %s. "
                        + "Click a segment to select its images.",
                100 * flow.toBase(false), 100 * flow.toBase(true), w.calibrationEnabled() ? "with it" : "now"));
    }

    private JFreeChart chart() {
        NumberAxis share = new NumberAxis("% of the class's images (shots left out)");
        share.setRange(0, 100);
        CategoryAxis bars = new CategoryAxis();
        bars.setCategoryMargin(0.15);
        StackedBarRenderer r = new StackedBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(true);
        r.setDefaultOutlinePaint(java.awt.Color.WHITE);
        r.setDefaultOutlineStroke(new BasicStroke(0.8f));
        r.setDefaultToolTipGenerator((dataset, row, column) -> String.format(Locale.ROOT, "%s → %s: %.1f%%",
                dataset.getColumnKey(column), dataset.getRowKey(row), dataset.getValue(row, column).doubleValue()));
        CategoryPlot plot = new CategoryPlot(data, bars, share, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setRangeGridlinePaint(new java.awt.Color(0xd3d8e0));
        plot.setOutlineVisible(false);
        JFreeChart c = new JFreeChart(null, new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 11), plot, true);
        c.setBackgroundPaint(new java.awt.Color(0xf7f8fa));
        c.getLegend().setBackgroundPaint(new java.awt.Color(0xf7f8fa));
        return c;
    }

    @Override
    public void setDark(boolean dark) {
        org.protolens.ui.ChartThemes.apply(chart, dark);
    }
}
