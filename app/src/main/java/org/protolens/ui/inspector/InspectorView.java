package org.protolens.ui.inspector;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.MouseHandlerFX;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ChartThemes;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;

/**
 * The inspected image: the picture, its label and prediction, the five most similar prototypes as
 * bars (raw beside calibrated), and its nearest images, which are inspected on a click.
 */
public final class InspectorView extends VBox {
    private final InspectorViewModel vm;
    private final Thumbnails thumbnails;
    private final ImageView image = new ImageView();
    private final Label name = new Label();
    private final Label verdict = new Label();
    private final FlowPane neighbours = new FlowPane(4, 4);
    private final VBox details;
    private final Label empty = new Label(Messages.get("inspector.empty"));
    private final JFreeChart chart;
    private final CategoryPlot plot;
    private Runnable viewFullSize = () -> { };

    public InspectorView(InspectorViewModel vm, Thumbnails thumbnails, Theme theme) {
        this.vm = vm;
        this.thumbnails = thumbnails;
        getStyleClass().add("inspector");
        setId("inspector");
        setPadding(new Insets(10));
        setSpacing(6);
        Label title = new Label(Messages.get("inspector.title"));
        title.getStyleClass().add("section-title");
        image.setFitWidth(96);
        image.setFitHeight(96);
        image.setPreserveRatio(true);
        image.setSmooth(false);
        image.setId("inspector-image");
        Tooltip.install(image, new Tooltip(Messages.get("inspector.image.tip")));
        image.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                viewFullSize.run();
            }
        });
        name.getStyleClass().add("inspector-name");
        // a long path gives way at its start: the file name stays readable, the tooltip has it all
        name.setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
        name.setMinWidth(0);
        name.setId("inspector-name");
        verdict.setId("verdict");
        verdict.setWrapText(true);
        VBox words = new VBox(4, name, verdict);
        words.setMinWidth(0);
        HBox.setHgrow(words, Priority.ALWAYS);
        HBox top = new HBox(10, image, words);

        NumberAxis value = new NumberAxis(Messages.get("inspector.cosine"));
        value.setAutoRangeIncludesZero(false);
        plot = new CategoryPlot(new DefaultCategoryDataset(), new CategoryAxis(), value, new BarRenderer());
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.05);
        r.setSeriesPaint(0, new Color(0xbab0ac));
        r.setSeriesPaint(1, new Color(0x4e79a7));
        plot.setRangeGridlineStroke(new BasicStroke(0.6f));
        plot.setOutlineVisible(false);
        chart = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 11), plot, true);
        ChartThemes.apply(chart, theme.isDark());
        theme.dark().addListener((o, a, dark) -> ChartThemes.apply(chart, dark));
        ChartViewer viewer = new ChartViewer(chart);
        // the wheel scrolls the inspector's panel, it does not zoom the bars
        MouseHandlerFX wheelZoom = viewer.getCanvas().getMouseHandler("scroll");
        if (wheelZoom != null) {
            viewer.getCanvas().removeAuxiliaryMouseHandler(wheelZoom);
        }
        viewer.setPrefHeight(190);
        viewer.setMinHeight(150);
        Label nnTitle = new Label(Messages.get("inspector.nearest"));
        nnTitle.getStyleClass().add("class-group");
        details = new VBox(6, top, viewer, nnTitle, neighbours);
        empty.setWrapText(true);
        empty.getStyleClass().add("hint");
        getChildren().addAll(title, empty, details);
        vm.details().addListener((o, was, now) -> show(now));
        vm.neighbours().addListener((o, was, now) -> showNeighbours(now));
        show(vm.details().get());
    }

    /** What a double-click on the picture does: show it full size. */
    public void setOnViewFullSize(Runnable action) {
        viewFullSize = action;
    }

    private void show(InspectorViewModel.Details d) {
        boolean shown = d != null;
        details.setVisible(shown);
        details.setManaged(shown);
        empty.setVisible(!shown);
        empty.setManaged(!shown);
        if (!shown) {
            return;
        }
        image.setImage(thumbnails.get(d.state().imageFile(d.image()), 256));
        name.setText(d.file());
        name.setTooltip(new Tooltip(d.state().imageFile(d.image()).toString()));
        verdict.setText(d.verdict());
        // a new dataset set once: filling the chart's own dataset would redraw it per value
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        String now = Messages.get(d.calibrated() ? "inspector.series.calibrated" : "inspector.series.off");
        for (InspectorViewModel.Bar b : d.bars()) {
            String cls = b.base() ? b.className() : Messages.get("inspector.newClass", b.className());
            bars.addValue(b.raw(), Messages.get("inspector.series.raw"), cls);
            bars.addValue(b.now(), now, cls);
        }
        plot.setDataset(bars);
    }

    private void showNeighbours(InspectorViewModel.Neighbours n) {
        neighbours.getChildren().clear();
        if (n == null) {
            return;
        }
        WorkspaceState s = n.state();
        for (int j : n.nearest()) {
            ImageView v = new ImageView(thumbnails.get(s.imageFile(j), 64));
            v.setFitWidth(40);
            v.setFitHeight(40);
            v.setPreserveRatio(true);
            v.setSmooth(false);
            v.getStyleClass().add("neighbour");
            String lab = s.label(j) < 0 ? Messages.get("image.unlabelled") : s.classNames().get(s.label(j));
            Tooltip.install(v, new Tooltip(s.imagePath(j) + ": " + lab));
            v.setOnMouseClicked(e -> vm.inspect(j));
            neighbours.getChildren().add(v);
        }
    }
}
