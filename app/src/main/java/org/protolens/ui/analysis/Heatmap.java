package org.protolens.ui.analysis;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.List;
import java.util.function.BiConsumer;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A matrix drawn as coloured cells with a number in each (JFreeChart, so it exports to PNG and SVG
 * from its context menu): rows top to bottom, columns left to right. Cell colours run from the
 * background (0) to one hue (1).
 */
final class Heatmap {
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final XYPlot plot;
    /** the longest class name an axis shows whole */
    private static final int SHORT_NAME = 14;
    private final DefaultXYZDataset data = new DefaultXYZDataset();
    private final XYBlockRenderer renderer = new XYBlockRenderer();
    private final String rowsTitle;
    private final String columnsTitle;
    private int columns;
    private List<String> rowNames = List.of();
    private List<String> columnNames = List.of();
    private String[][] text = new String[0][];
    private boolean dark;
    /** whether a theme was applied yet */
    private boolean themed;
    private Color hue;

    /** @param hue the colour of a cell at 1 */
    Heatmap(String title, String rowsTitle, String columnsTitle, Color hue) {
        this.rowsTitle = rowsTitle;
        this.columnsTitle = columnsTitle;
        this.hue = hue;
        renderer.setBlockWidth(1);
        renderer.setBlockHeight(1);
        renderer.setBlockAnchor(RectangleAnchor.CENTER);
        renderer.setPaintScale(scale());
        renderer.setDefaultToolTipGenerator((ds, s, i) -> {
            int r = i / Math.max(columns, 1), c = i % Math.max(columns, 1);
            return r < rowNames.size() && c < columnNames.size()
                    ? rowNames.get(r) + " × " + columnNames.get(c) + ": " + text[r][c] : null;
        });
        plot = new XYPlot(data, new SymbolAxis(columnsTitle, new String[0]), new SymbolAxis(rowsTitle, new String[0]), renderer);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setOutlineVisible(false);
        chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 12), plot, false);
        viewer = new ChartViewer(chart);
        viewer.widthProperty().addListener((o, a, b) -> layout());
        viewer.heightProperty().addListener((o, a, b) -> layout());
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
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX e) {
                if (e.getEntity() instanceof XYItemEntity item && columns > 0) {
                    onCell.accept(item.getItem() / columns, item.getItem() % columns);
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX e) {
            }
        });
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
        int n = rows.size() * cols.size();
        double[][] xyz = new double[3][n];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols.size(); c++) {
                int i = r * cols.size() + c;
                xyz[0][i] = c;
                xyz[1][i] = r;
                xyz[2][i] = shade[r][c];
            }
        }
        changing(() -> {
            if (title != null) {
                chart.getTitle().setText(title);
            }
            data.removeSeries("m");
            data.addSeries("m", xyz);
            layoutQuietly();
        });
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

    private double[][] shade = new double[0][];

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
        renderer.setPaintScale(scale());
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

    /** 0: the plot's background; 1: the hue; linear between. */
    private PaintScale scale() {
        Color from = dark ? new Color(0x1b1f24) : Color.WHITE;
        Color to = hue;
        return new PaintScale() {
            @Override
            public double getLowerBound() {
                return 0;
            }

            @Override
            public double getUpperBound() {
                return 1;
            }

            @Override
            public Paint getPaint(double v) {
                double t = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
                return new Color((int) Math.round(from.getRed() + t * (to.getRed() - from.getRed())),
                        (int) Math.round(from.getGreen() + t * (to.getGreen() - from.getGreen())),
                        (int) Math.round(from.getBlue() + t * (to.getBlue() - from.getBlue())));
            }
        };
    }
}
