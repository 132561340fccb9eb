package org.protolens.ui.analysis;

import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.BiConsumer;
import javafx.geometry.Point2D;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.util.Duration;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Align;
import org.jfree.chart.ui.TextAnchor;
import org.protolens.ui.common.ChartThemes;

/**
 * A matrix drawn as coloured cells with a number in each (JFreeChart, so it exports to PNG and SVG
 * from its context menu): rows top to bottom, columns left to right. Cell colours run from the
 * background (0) to one hue (1).
 *
 * <p>The cells are one image, a pixel each, that the plot stretches over its data area: drawing it
 * costs the same for 900 cells as for 4 (as 900 blocks of JFreeChart's block renderer, two
 * heatmaps took 130 ms and more of the JavaFX thread at each change). Clicks and tooltips find
 * their cell from the axes.
 */
final class Heatmap {
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final XYPlot plot;
    /** the longest class name an axis shows whole */
    private static final int SHORT_NAME = 14;
    private final String rowsTitle;
    private final String columnsTitle;
    private final Tooltip tip = new Tooltip();
    private int columns;
    private List<String> rowNames = List.of();
    private List<String> columnNames = List.of();
    private String[][] text = new String[0][];
    private double[][] shade = new double[0][];
    private boolean dark;
    /** whether a theme was applied yet */
    private boolean themed;
    private Color hue;

    /** @param hue the colour of a cell at 1 */
    Heatmap(String title, String rowsTitle, String columnsTitle, Color hue) {
        this.rowsTitle = rowsTitle;
        this.columnsTitle = columnsTitle;
        this.hue = hue;
        // no dataset: the cells are the plot's background image
        plot = new XYPlot(null, new SymbolAxis(columnsTitle, new String[0]), new SymbolAxis(rowsTitle, new String[0]),
                new XYLineAndShapeRenderer(false, false));
        plot.setNoDataMessage(null);
        plot.setBackgroundImageAlignment(Align.FIT);
        plot.setBackgroundImageAlpha(1f);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlineVisible(false);
        chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 12), plot, false);
        ChartThemes.measureTextWithAwt(chart);
        viewer = new ChartViewer(chart);
        // a cell is a pixel of the image, stretched: drawn sharp, not blended into its neighbours
        viewer.getCanvas().getGraphicsContext2D().setImageSmoothing(false);
        viewer.widthProperty().addListener((o, a, b) -> layout());
        viewer.heightProperty().addListener((o, a, b) -> layout());
        // the chart's own tooltips come from entities, which an image has none of: the cell's tooltip is ours
        viewer.getCanvas().setTooltipEnabled(false);
        tip.setShowDelay(Duration.millis(300));
        viewer.getCanvas().addEventHandler(MouseEvent.MOUSE_MOVED, e -> {
            int[] cell = cellAt(e.getX(), e.getY());
            if (cell == null) {
                Tooltip.uninstall(viewer.getCanvas(), tip);
            } else {
                tip.setText(rowNames.get(cell[0]) + " × " + columnNames.get(cell[1]) + ": " + text[cell[0]][cell[1]]);
                Tooltip.install(viewer.getCanvas(), tip);
            }
        });
        setDark(false);
    }

    ChartViewer viewer() {
        return viewer;
    }

    JFreeChart chart() {
        return chart;
    }

    /** Calls {@code onCell(row, column)} when a cell is clicked. */
    void onClick(BiConsumer<Integer, Integer> onCell) {
        viewer.getCanvas().addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            int[] cell = cellAt(e.getX(), e.getY());
            if (cell != null && e.isStillSincePress()) {
                onCell.accept(cell[0], cell[1]);
            }
        });
    }

    /** The cell under a point of the viewer's canvas, as {row, column}; null outside the cells. */
    int[] cellAt(double x, double y) {
        Rectangle2D area = dataArea();
        if (area == null || !area.contains(x, y) || rowNames.isEmpty() || columnNames.isEmpty()) {
            return null;
        }
        int c = (int) Math.round(plot.getDomainAxis().java2DToValue(x, area, plot.getDomainAxisEdge()));
        int r = (int) Math.round(plot.getRangeAxis().java2DToValue(y, area, plot.getRangeAxisEdge()));
        return r >= 0 && r < rowNames.size() && c >= 0 && c < columnNames.size() ? new int[] {r, c} : null;
    }

    /** Where a cell's centre is drawn on the viewer's canvas; null before the chart was drawn. */
    Point2D cellCentre(int row, int column) {
        Rectangle2D area = dataArea();
        if (area == null) {
            return null;
        }
        return new Point2D(plot.getDomainAxis().valueToJava2D(column, area, plot.getDomainAxisEdge()),
                plot.getRangeAxis().valueToJava2D(row, area, plot.getRangeAxisEdge()));
    }

    private Rectangle2D dataArea() {
        ChartRenderingInfo info = viewer.getCanvas().getRenderingInfo();
        return info == null ? null : info.getPlotInfo().getDataArea();
    }

    /**
     * Shows a matrix.
     *
     * @param shade per cell, its colour from 0 (background) to 1 (the hue)
     * @param text  per cell, the number written in it ("" for none)
     * @param title the chart's title, or null to keep it
     */
    void set(List<String> rows, List<String> cols, double[][] shade, String[][] text, String title) {
        this.rowNames = List.copyOf(rows);
        this.columnNames = List.copyOf(cols);
        this.text = text;
        this.shade = shade;
        this.columns = cols.size();
        changing(() -> {
            if (title != null) {
                chart.getTitle().setText(title);
            }
            plot.setBackgroundImage(cells());
            layoutQuietly();
        });
    }

    /** The cells as an image, one pixel each, coloured from the background (0) to the hue (1); null without cells. */
    private BufferedImage cells() {
        int rows = rowNames.size();
        if (rows == 0 || columns == 0) {
            return null;
        }
        Color from = dark ? new Color(0x1b1f24) : Color.WHITE;
        BufferedImage img = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                double t = Double.isNaN(shade[r][c]) ? 0 : Math.max(0, Math.min(1, shade[r][c]));
                int red = (int) Math.round(from.getRed() + t * (hue.getRed() - from.getRed()));
                int green = (int) Math.round(from.getGreen() + t * (hue.getGreen() - from.getGreen()));
                int blue = (int) Math.round(from.getBlue() + t * (hue.getBlue() - from.getBlue()));
                img.setRGB(c, r, red << 16 | green << 8 | blue);
            }
        }
        return img;
    }

    /** Makes a change with one redraw at its end: the chart would otherwise draw itself after every setter. */
    private void changing(Runnable change) {
        boolean notifying = chart.isNotify();
        chart.setNotify(false);
        try {
            change.run();
        } finally {
            if (notifying) {
                chart.setNotify(true);
            }
        }
    }

    /**
     * Axes and cell numbers for the viewer's size: column names turn vertical when they do not fit
     * side by side, and numbers are written only in cells big enough to read them.
     */
    private void layout() {
        changing(this::layoutQuietly);
    }

    private void layoutQuietly() {
        double width = Math.max(1, viewer.getWidth() - 110);
        double height = Math.max(1, viewer.getHeight() - 70);
        int rows = rowNames.size(), cols = columnNames.size();
        int longest = columnNames.stream().mapToInt(String::length).max().orElse(0);
        boolean vertical = cols > 0 && width / cols < longest * 5.6 + 6;
        double cellHeight = (height - (vertical ? longest * 5.6 : 14)) / Math.max(rows, 1);
        double cellWidth = width / Math.max(cols, 1);
        plot.clearAnnotations();
        if (cellHeight >= 13 && cellWidth >= 24) {
            Font font = new Font("SansSerif", Font.PLAIN, cellHeight >= 18 ? 10 : 9);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    if (text[r][c] != null && !text[r][c].isEmpty()) {
                        XYTextAnnotation a = new XYTextAnnotation(text[r][c], c, r);
                        a.setFont(font);
                        a.setTextAnchor(TextAnchor.CENTER);
                        a.setPaint(shade[r][c] > 0.55 ? Color.WHITE : dark ? new Color(0xd5dae1) : new Color(0x2c3440));
                        plot.addAnnotation(a, false);
                    }
                }
            }
        }
        SymbolAxis x = new SymbolAxis(columnsTitle, columnNames.stream().map(Heatmap::shortName).toArray(String[]::new));
        x.setVerticalTickLabels(vertical);
        x.setGridBandsVisible(false);
        x.setRange(-0.5, Math.max(cols, 1) - 0.5);
        SymbolAxis y = new SymbolAxis(rowsTitle, rowNames.stream().map(Heatmap::shortName).toArray(String[]::new));
        y.setGridBandsVisible(false);
        y.setInverted(true);
        y.setRange(-0.5, Math.max(rows, 1) - 0.5);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        themeAxes();
    }

    /**
     * A class name as an axis shows it: a long one cut in its middle, both ends kept ("Early_…ter21"),
     * so that the labels leave the cells their room.
     */
    static String shortName(String name) {
        return name.length() <= SHORT_NAME ? name : name.substring(0, 6) + "…" + name.substring(name.length() - (SHORT_NAME - 7));
    }

    /** Follows the theme; drawn again only when it changed. */
    void setDark(boolean dark) {
        if (!themed || dark != this.dark) {
            themed = true;
            changing(() -> setDarkQuietly(dark));
        }
    }

    private void setDarkQuietly(boolean dark) {
        this.dark = dark;
        Color back = dark ? new Color(0x23282f) : new Color(0xf7f8fa);
        chart.setBackgroundPaint(back);
        plot.setBackgroundPaint(dark ? new Color(0x1b1f24) : Color.WHITE);
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(text());
        }
        plot.setBackgroundImage(cells());
        layoutQuietly();
    }

    private Color text() {
        return dark ? new Color(0xd5dae1) : new Color(0x3c4858);
    }

    private void themeAxes() {
        for (var axis : new ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
            axis.setTickLabelPaint(text());
            axis.setLabelPaint(text());
            axis.setLabelFont(new Font("SansSerif", Font.PLAIN, 11));
            axis.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 10));
        }
    }
}
