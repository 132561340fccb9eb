package org.protolens.core.shortcut;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.io.AtomicFiles;

/**
 * A saliency map laid over its image: the map scaled to the image (bilinear), each pixel's value
 * as a share of the largest shown from transparent through red to yellow, blended with the chosen
 * opacity. Under it the image loses its colour in the same measure (grey at full opacity), so
 * that the saliency's colours never merge with the image's own (a red background, say). Pixels
 * with no positive value (occlusion raised the similarity there) show the image alone.
 */
public final class SaliencyImage {
    private SaliencyImage() {
    }

    /**
     * @param maxSide the longest side of the result: larger images are scaled down (nearest pixel)
     * @return packed opaque 0xAARRGGBB pixels, row-major, of the returned size
     */
    public static RgbImage overlay(RgbImage image, SaliencyMap map, double opacity, int maxSide) {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be 0 to 1, not " + opacity);
        }
        double shrink = Math.min(1, maxSide / (double) Math.max(image.width(), image.height()));
        int w = Math.max(1, (int) Math.round(image.width() * shrink));
        int h = Math.max(1, (int) Math.round(image.height() * shrink));
        float max = map.max();
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(image.height() - 1, (int) ((y + 0.5) * image.height() / h));
            double my = (y + 0.5) * map.height() / h - 0.5;
            for (int x = 0; x < w; x++) {
                int sx = Math.min(image.width() - 1, (int) ((x + 0.5) * image.width() / w));
                double mx = (x + 0.5) * map.width() / w - 0.5;
                int px = image.rgb()[sy * image.width() + sx];
                double v = max > 0 ? Math.max(0, bilinear(map, mx, my)) / max : 0;
                double a = opacity * Math.min(1, v);
                int hr = 255;
                int hg = (int) Math.round(255 * Math.max(0, Math.min(1, 2 * v - 1)));
                int hb = 0;
                double luma = 0.299 * (px >> 16 & 0xff) + 0.587 * (px >> 8 & 0xff) + 0.114 * (px & 0xff);
                int r = (int) Math.round((1 - a) * mix(px >> 16 & 0xff, luma, opacity) + a * hr);
                int g = (int) Math.round((1 - a) * mix(px >> 8 & 0xff, luma, opacity) + a * hg);
                int b = (int) Math.round((1 - a) * mix(px & 0xff, luma, opacity) + a * hb);
                out[y * w + x] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
        return new RgbImage(w, h, out);
    }

    /** {@code channel} moved towards {@code grey} by {@code t}. */
    private static double mix(int channel, double grey, double t) {
        return channel + t * (grey - channel);
    }

    private static double bilinear(SaliencyMap m, double x, double y) {
        double cx = Math.max(0, Math.min(m.width() - 1, x));
        double cy = Math.max(0, Math.min(m.height() - 1, y));
        int x0 = (int) Math.floor(cx);
        int y0 = (int) Math.floor(cy);
        int x1 = Math.min(m.width() - 1, x0 + 1);
        int y1 = Math.min(m.height() - 1, y0 + 1);
        double fx = cx - x0;
        double fy = cy - y0;
        float[] d = m.values();
        return (1 - fy) * ((1 - fx) * d[y0 * m.width() + x0] + fx * d[y0 * m.width() + x1])
                + fy * ((1 - fx) * d[y1 * m.width() + x0] + fx * d[y1 * m.width() + x1]);
    }

    /** Writes an image as PNG, atomically. */
    public static void writePng(RgbImage image, Path file) throws IOException {
        BufferedImage b = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        b.setRGB(0, 0, image.width(), image.height(), image.rgb(), 0, image.width());
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(b, "png", out)) {
                throw new IOException(file + ": no PNG writer is available");
            }
        });
    }
}
