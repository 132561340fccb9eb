package org.protolens.ui.common;

import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.fx.FXHints;

/** The colours of the window's bar charts (JFreeChart) in the light and the dark theme. */
public final class ChartThemes {
    private ChartThemes() {
    }

    public static void apply(JFreeChart chart, boolean dark) {
        measureTextWithAwt(chart);
        Color back = dark ? new Color(0x23282f) : new Color(0xf7f8fa);
        Color text = dark ? new Color(0xd5dae1) : new Color(0x3c4858);
        CategoryPlot plot = chart.getCategoryPlot();
        // one redraw at the end, not one per setter
        boolean notifying = chart.isNotify();
        chart.setNotify(false);
        chart.setBackgroundPaint(back);
        if (chart.getLegend() != null) {
            chart.getLegend().setBackgroundPaint(back);
            chart.getLegend().setItemPaint(text);
        }
        plot.setBackgroundPaint(dark ? new Color(0x1b1f24) : Color.WHITE);
        plot.getDomainAxis().setTickLabelPaint(text);
        plot.getRangeAxis().setTickLabelPaint(text);
        plot.getRangeAxis().setLabelPaint(text);
        plot.setRangeGridlinePaint(dark ? new Color(0x3a414b) : new Color(0xd3d8e0));
        chart.setNotify(notifying);
    }

    /**
     * Has the chart measure its text with Java2D's font metrics instead of JavaFX's: JavaFX measures
     * each string by laying out a Text node, which took most of the JavaFX thread's time when a chart
     * with dozens of class names (rotated tick labels included) was drawn.
     */
    public static void measureTextWithAwt(JFreeChart chart) {
        chart.getRenderingHints().put(FXHints.KEY_USE_FX_FONT_METRICS, Boolean.FALSE);
    }
}
