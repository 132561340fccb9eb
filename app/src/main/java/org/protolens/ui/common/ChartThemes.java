package org.protolens.ui.common;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;

/** The colours of the window's bar charts (JFreeChart) in the light and the dark theme. */
public final class ChartThemes {
    private ChartThemes() {
    }

    public static void apply(JFreeChart chart, boolean dark) {
        java.awt.Color back = dark ? new java.awt.Color(0x23282f) : new java.awt.Color(0xf7f8fa);
        java.awt.Color text = dark ? new java.awt.Color(0xd5dae1) : new java.awt.Color(0x3c4858);
        CategoryPlot plot = chart.getCategoryPlot();
        chart.setBackgroundPaint(back);
        chart.getLegend().setBackgroundPaint(back);
        chart.getLegend().setItemPaint(text);
        plot.setBackgroundPaint(dark ? new java.awt.Color(0x1b1f24) : java.awt.Color.WHITE);
        plot.getDomainAxis().setTickLabelPaint(text);
        plot.getRangeAxis().setTickLabelPaint(text);
        plot.getRangeAxis().setLabelPaint(text);
        plot.setRangeGridlinePaint(dark ? new java.awt.Color(0x3a414b) : new java.awt.Color(0xd3d8e0));
    }
}
