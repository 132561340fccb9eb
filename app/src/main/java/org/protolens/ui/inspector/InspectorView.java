package org.protolens.ui.inspector;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.protolens.core.project.Workspace;
import org.protolens.ui.Thumbnails;
import org.protolens.ui.WorkspaceModel;

/**
 * The selected image: the picture, its label and prediction, the five most similar prototypes as
 * bars (raw beside calibrated), and its nearest neighbours, which select on click.
 */
public final class InspectorView extends VBox {
    private static final int NEIGHBOURS = 8;
    private final WorkspaceModel model;
    private final Thumbnails thumbnails;
    private final ImageView image = new ImageView();
    private final Label name = new Label();
    private final Label verdict = new Label();
    private final DefaultCategoryDataset bars = new DefaultCategoryDataset();
    private final FlowPane neighbours = new FlowPane(4, 4);
    private final VBox details;
    private final Label empty = new Label("Click a point on the map to inspect its image.");
    private JFreeChart chart;

    public InspectorView(WorkspaceModel model, Thumbnails thumbnails) {
        this.model = model;
        this.thumbnails = thumbnails;
        getStyleClass().add("inspector");
        setId("inspector");
        setPadding(new Insets(10));
        setSpacing(6);
        Label title = new Label("Inspector");
        title.getStyleClass().add("section-title");
        image.setFitWidth(96);
        image.setFitHeight(96);
        image.setPreserveRatio(true);
        image.setSmooth(false);
        name.getStyleClass().add("inspector-name");
        name.setId("inspector-name");
        verdict.setId("verdict");
        verdict.setWrapText(true);
        VBox text = new VBox(4, name, verdict);
        HBox top = new HBox(10, image, text);

        chart = barChart();
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setPrefHeight(190);
        viewer.setMinHeight(150);
        Label nnTitle = new Label("Nearest images");
        nnTitle.getStyleClass().add("class-group");
        details = new VBox(6, top, viewer, nnTitle, neighbours);
        empty.setWrapText(true);
        empty.getStyleClass().add("hint");
        getChildren().addAll(title, empty, details);
        // neighbours depend on the selected image only; similarities also on the prototypes
        model.selected().addListener((o, a, b) -> {
            refresh();
            refreshNeighbours();
        });
        model.revision().addListener((o, a, b) -> refresh());
        refresh();
    }

    private JFreeChart barChart() {
        NumberAxis value = new NumberAxis("cosine");
        value.setAutoRangeIncludesZero(false);
        CategoryPlot plot = new CategoryPlot(bars, new org.jfree.chart.axis.CategoryAxis(), value, new BarRenderer());
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        r.setSeriesPaint(0, new java.awt.Color(0xbab0ac));
        r.setSeriesPaint(1, new java.awt.Color(0x4e79a7));
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setRangeGridlinePaint(new java.awt.Color(0xd3d8e0));
        plot.setRangeGridlineStroke(new BasicStroke(0.6f));
        plot.setOutlineVisible(false);
        JFreeChart chart = new JFreeChart(null, new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 11), plot, true);
        chart.setBackgroundPaint(new java.awt.Color(0xf7f8fa));
        chart.getLegend().setBackgroundPaint(new java.awt.Color(0xf7f8fa));
        return chart;
    }

    /** Chart colours for the dark theme (the rest follows the style sheet). */
    public void setDark(boolean dark) {
        org.protolens.ui.ChartThemes.apply(chart, dark);
    }

    private void refresh() {
        Workspace w = model.workspace().get();
        int i = model.selected().get();
        boolean show = w != null && i >= 0 && i < w.imageCount();
        details.setVisible(show);
        details.setManaged(show);
        empty.setVisible(!show);
        empty.setManaged(!show);
        if (!show) {
            return;
        }
        image.setImage(thumbnails.get(w.imageFile(i), 256));
        name.setText(w.imageFile(i).getFileName().toString());
        int label = w.label(i);
        int predicted = w.predicted(i);
        float[] sims = w.similarities(i);
        float[] raw = w.rawSimilarities(i);
        verdict.setText(String.format(Locale.ROOT, "%s%s%npredicted %s (cosine %.3f)%s",
                label < 0 ? "unlabelled" : "label " + w.classNames().get(label), w.isShot(i) ? ", a shot" : "",
                w.classNames().get(predicted), sims[predicted],
                label < 0 ? "" : predicted == label ? "  ✓" : "  ✗"));
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < sims.length; k++) {
            order.add(k);
        }
        order.sort(Comparator.comparingDouble(k -> -sims[k]));
        bars.clear();
        for (int k : order.subList(0, Math.min(5, order.size()))) {
            String cls = w.classNames().get(k) + (w.isBase(k) ? "" : " (new)");
            bars.addValue(raw[k], "raw", cls);
            bars.addValue(sims[k], model.calibrationOn().get() ? "calibrated" : "calibration off", cls);
        }
    }

    private void refreshNeighbours() {
        neighbours.getChildren().clear();
        Workspace w = model.workspace().get();
        int i = model.selected().get();
        if (w == null || i < 0 || i >= w.imageCount()) {
            return;
        }
        for (int j : nearest(w, i)) {
            ImageView v = new ImageView(thumbnails.get(w.imageFile(j), 64));
            v.setFitWidth(40);
            v.setFitHeight(40);
            v.setPreserveRatio(true);
            v.setSmooth(false);
            v.getStyleClass().add("neighbour");
            String lab = w.label(j) < 0 ? "unlabelled" : w.classNames().get(w.label(j));
            Tooltip.install(v, new Tooltip(w.imageFile(j).getFileName() + ": " + lab));
            v.setOnMouseClicked(e -> model.selected().set(j));
            neighbours.getChildren().add(v);
        }
    }

    /** The images most similar to image i by cosine of their embeddings. */
    private static int[] nearest(Workspace w, int i) {
        var x = w.embeddings();
        float[] q = x.row(i);
        double qn = org.protolens.core.proto.L2.norm(q, 0, q.length);
        int n = x.rows();
        double[] sim = new double[n];
        for (int j = 0; j < n; j++) {
            double dot = org.protolens.core.proto.L2.dot(x.data(), x.offset(j), q, q.length);
            sim[j] = j == i ? Double.NEGATIVE_INFINITY
                    : dot / Math.max(qn * org.protolens.core.proto.L2.norm(x.data(), x.offset(j), q.length), 1e-12);
        }
        return java.util.stream.IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(j -> -sim[j]))
                .limit(NEIGHBOURS).mapToInt(Integer::intValue).toArray();
    }
}
