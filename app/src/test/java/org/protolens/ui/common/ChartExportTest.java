package org.protolens.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chart exported at a chosen size: that many pixels, on an opaque background in either theme. */
class ChartExportTest {
    @TempDir
    Path dir;

    @Test
    void aChartIsWrittenAtTheSizeChosenOnItsOwnBackground() throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        data.addValue(40, "acc", "session 0");
        data.addValue(30, "acc", "session 1");
        JFreeChart chart = ChartFactory.createBarChart(null, "session", "%", data);
        for (boolean dark : new boolean[] {false, true}) {
            ChartThemes.apply(chart, dark);
            for (int[] size : ChartExport.SIZES) {
                Path png = dir.resolve((dark ? "dark-" : "light-") + size[0] + ".png");
                ChartExport.writePng(ChartExport.draw(chart, size[0], size[1]), png);
                BufferedImage img = ImageIO.read(png.toFile());
                assertEquals(size[0], img.getWidth());
                assertEquals(size[1], img.getHeight());
                int corner = img.getRGB(0, 0);
                assertEquals(0xff, corner >>> 24, "opaque, not transparent");
                assertEquals(dark ? 0x23282f : 0xf7f8fa, corner & 0xffffff, "the theme's chart background");
            }
        }
    }
}
