package org.protolens.ui.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
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
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ChartExport;
import org.protolens.ui.common.ChartThemes;
import org.protolens.ui.common.ClassColours;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;

/**
 * Novel -> base: for each new class, the share of its evaluated images predicted as each class,
 * before calibration (alpha = 0) and now, as stacked bars side by side. A click on a segment
 * selects those images. With many classes, the new classes with the most images are drawn (or, with
 * a search, those whose names hold it), and the segments of the classes that take the fewest images
 * are one "other classes" segment.
 * Right-click the chart to export it (PNG, SVG).
 */
public final class FlowView extends AnalysisView<FlowView.Numbers> {
    /** At most this many new classes get bars; fewer where the chart is too short for their labels. */
    static final int MAX_BARS = 16;
    /** the height a new class's two bars and their labels need, and the chart's own (axis, legend) */
    private static final double CLASS_HEIGHT = 22;
    private static final double CHART_MARGIN = 60;
    /** At most this many classes get a segment of their own. */
    static final int MAX_SEGMENTS = 12;
    /** the colour of the "other classes" segment */
    private static final int OTHERS = 0xb8b8b8;

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

    /** A segment's classes (the stacked series), shown by name: one class, or the others together. */
    record Target(int k, int[] classes, String name) implements Comparable<Target> {
        @Override
        public int compareTo(Target o) {
            return Integer.compare(k < 0 ? Integer.MAX_VALUE : k, o.k < 0 ? Integer.MAX_VALUE : o.k);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Target t && t.k == k;
        }

        @Override
        public int hashCode() {
            return k;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What the chart shows: the dataset (rows: targets, columns: bars), its colours, the words above
     * it, and how many new classes the project has.
     */
    record Numbers(NovelFlow flow, DefaultCategoryDataset data, List<Color> paints, String summary, int novelClasses) {
    }

    private final JFreeChart chart;
    private final CategoryPlot plot;
    private final ChartViewer viewer;
    private final Label summary = new Label();
    /** text a new class's name must hold to get bars; empty: any */
    private final TextField find;
    /** at most this many classes, once a drawn chart's plot (its legend taking rows) had room for no more; 0: none set */
    private int roomFor;
    private NovelFlow flow;

    public FlowView(ProjectState project, Tasks tasks, Theme theme) {
        super(project, tasks, theme, "flow-view");
        summary.setId("flow-summary");
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        NumberAxis share = new NumberAxis(Messages.get("flow.axis"));
        share.setRange(0, 100);
        CategoryAxis bars = new CategoryAxis();
        bars.setCategoryMargin(0.15);
        StackedBarRenderer r = new StackedBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(true);
        r.setDefaultOutlinePaint(Color.WHITE);
        r.setDefaultOutlineStroke(new BasicStroke(0.8f));
        r.setDefaultToolTipGenerator((dataset, row, column) -> String.format(Locale.ROOT, "%s → %s: %.1f%%",
                dataset.getColumnKey(column), dataset.getRowKey(row), dataset.getValue(row, column).doubleValue()));
        plot = new CategoryPlot(new DefaultCategoryDataset(), bars, share, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.setOutlineVisible(false);
        chart = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 11), plot, true);
        ChartThemes.apply(chart, theme.isDark());
        viewer = new ChartViewer(chart);
        viewer.setId("flow-chart");
        ChartExport.offerSizes(viewer, project, tasks);
        VBox.setVgrow(viewer, Priority.ALWAYS);
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX e) {
                if (e.getEntity() instanceof CategoryItemEntity item && flow != null
                        && item.getColumnKey() instanceof Bar bar && item.getRowKey() instanceof Target target) {
                    project.selection().set(imagesOf(flow, bar, target));
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX e) {
            }
        });
        find = classSearch("flow-find", "flow.find");
        getChildren().addAll(besideSearch(summary, find), viewer);
        // a taller or shorter chart draws as many classes as fit
        viewer.heightProperty().addListener((o, was, now) -> {
            if (fitting(was.doubleValue()) != fitting(now.doubleValue())) {
                roomFor = 0;
                refresh();
            }
        });
        refresh();
    }

    /** The dataset drawn: rows are the predicted classes, columns the bars (for tests and export). */
    public DefaultCategoryDataset data() {
        return (DefaultCategoryDataset) plot.getDataset();
    }

    public ChartViewer viewer() {
        return viewer;
    }

    private static int[] imagesOf(NovelFlow flow, Bar bar, Target target) {
        return IntStream.of(target.classes()).flatMap(as -> IntStream.of(flow.images(bar.novelClass(), as, bar.calibrated())))
                .sorted().toArray();
    }

    @Override
    protected Supplier<Numbers> prepare(WorkspaceState s) {
        int fit = fitting(viewer == null ? 0 : viewer.getHeight());
        int bars = roomFor > 0 ? Math.min(fit, roomFor) : fit;
        String text = find == null || find.getText() == null ? "" : find.getText().strip();
        return () -> numbersOf(s, bars, text);
    }

    /** How many new classes' bars fit a chart of {@code height} with readable labels (2 to 16; 16 before it is laid out). */
    private static int fitting(double height) {
        double h = height <= 0 ? Double.MAX_VALUE : height;
        return (int) Math.max(2, Math.min(MAX_BARS, (h - CHART_MARGIN) / CLASS_HEIGHT));
    }

    static Numbers numbersOf(WorkspaceState w, int maxBars) {
        return numbersOf(w, maxBars, "");
    }

    /** As {@link #numbersOf(WorkspaceState, int)}, of the new classes whose names hold {@code find} (any case; empty: every one). */
    static Numbers numbersOf(WorkspaceState w, int maxBars, String find) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        NovelFlow flow = w == null ? null : NovelFlow.of(w);
        if (flow == null || flow.novelClasses().isEmpty()) {
            return new Numbers(flow, data, List.of(), Messages.get("flow.none"), 0);
        }
        String now = Messages.now(w, !w.calibrationEnabled() ? Messages.get("flow.now.off")
                : String.format(Locale.ROOT, "α=%.2f τ=%.0f", w.calibration().alpha(), w.calibration().tau()));
        // the new classes with the most evaluated images get bars
        String needle = find == null ? "" : find.strip().toLowerCase(Locale.ROOT);
        List<Integer> novel = flow.novelClasses().stream()
                .filter(k -> needle.isEmpty() || w.classNames().get(k).toLowerCase(Locale.ROOT).contains(needle)).toList();
        if (novel.isEmpty()) {
            return new Numbers(flow, data, List.of(), Messages.get("flow.noneFound", find.strip()), flow.novelClasses().size());
        }
        int[][] raw = new int[w.classCount()][];
        int[][] cal = new int[w.classCount()][];
        for (int k : novel) {
            raw[k] = flow.counts(k, false);
            cal[k] = flow.counts(k, true);
        }
        List<Integer> drawn = novel.stream().sorted(Comparator.comparingInt((Integer k) -> -IntStream.of(raw[k]).sum())
                .thenComparingInt(k -> k)).limit(maxBars).sorted().toList();
        // the classes that take the most of them get segments; the rest are "other classes"
        double[] taken = new double[w.classCount()];
        for (int k : drawn) {
            for (int[] counts : new int[][] {raw[k], cal[k]}) {
                int total = Math.max(1, IntStream.of(counts).sum());
                for (int as = 0; as < counts.length; as++) {
                    taken[as] += (double) counts[as] / total;
                }
            }
        }
        List<Integer> receiving = IntStream.range(0, w.classCount()).filter(as -> taken[as] > 0).boxed()
                .sorted(Comparator.comparingDouble((Integer as) -> -taken[as]).thenComparingInt(as -> as)).toList();
        List<Integer> own = receiving.size() <= MAX_SEGMENTS ? receiving : receiving.subList(0, MAX_SEGMENTS - 1);
        int[] others = receiving.stream().filter(as -> !own.contains(as)).mapToInt(Integer::intValue).toArray();
        List<Target> targets = new ArrayList<>();
        own.stream().sorted().forEach(as -> targets.add(new Target(as, new int[] {as}, w.classNames().get(as))));
        if (others.length > 0) {
            targets.add(new Target(-1, others, Messages.get("flow.others", others.length)));
        }
        for (int k : drawn) {
            String name = w.classNames().get(k);
            for (boolean calibrated : new boolean[] {false, true}) {
                Bar bar = new Bar(k, calibrated, name + (calibrated ? "  " + now : "  α=0"));
                int[] counts = calibrated ? cal[k] : raw[k];
                int total = Math.max(1, IntStream.of(counts).sum());
                for (Target t : targets) {
                    int c = IntStream.of(t.classes()).map(as -> counts[as]).sum();
                    data.addValue(100.0 * c / total, t, bar);
                }
            }
        }
        List<Color> paints = new ArrayList<>();
        for (Target t : targets) {
            paints.add(new Color(t.k() < 0 ? OTHERS : ClassColours.rgb(t.k())));
        }
        String text = Messages.get("flow.summary", String.format(Locale.ROOT, "%.1f", 100 * flow.toBase(false)),
                String.format(Locale.ROOT, "%.1f", 100 * flow.toBase(true)),
                w.calibrationEnabled() && !w.refined() ? 1 : 0);
        if (!needle.isEmpty()) {
            text += " " + Messages.get("flow.found", drawn.size(), novel.size(), find.strip());
        } else if (drawn.size() < novel.size()) {
            text += " " + Messages.get("flow.limited", drawn.size(), novel.size());
        }
        return new Numbers(flow, data, paints, text, flow.novelClasses().size());
    }

    @Override
    protected void show(Numbers n) {
        flow = n.flow();
        StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
        for (int s = 0; s < n.paints().size(); s++) {
            r.setSeriesPaint(s, n.paints().get(s), false);
        }
        plot.setDataset(n.data());
        summary.setText(n.summary());
        // a legend of two or three rows leaves the bars less room than the chart's height promised: draw fewer
        ChartRenderingInfo info = viewer.getCanvas().getRenderingInfo();
        double plotHeight = info == null ? 0 : info.getPlotInfo().getDataArea().getHeight();
        int classes = n.data().getColumnCount() / 2;
        int room = (int) Math.max(2, plotHeight / CLASS_HEIGHT);
        if (plotHeight > 0 && classes > room) {
            roomFor = room;
            refresh();
        }
        find.setVisible(n.novelClasses() > fitting(viewer.getHeight()) || !find.getText().isEmpty());
    }

    @Override
    protected void themed(boolean dark) {
        ChartThemes.apply(chart, dark);
    }
}
