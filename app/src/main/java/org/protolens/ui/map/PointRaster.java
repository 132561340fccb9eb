package org.protolens.ui.map;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * The map's dots, drawn into a pixel array (on any thread) that the map then shows as a single
 * image: with 100,000 images, one JavaFX Canvas oval per image took about 240 ms a frame in the
 * software pipeline; writing the pixels directly takes a few milliseconds, and off the JavaFX
 * thread. Dots are small discs with 80% opacity blended over what is below, in drawing order.
 */
final class PointRaster {
    /** dots of radius 3 pixels; beyond {@link #DENSE} images radius 2, where bigger dots would only cover each other */
    private static final int[] NORMAL = disc(3);
    private static final int[] SMALL = disc(2);
    static final int DENSE = 20_000;
    private static final int RADIUS = 3;

    private int width;
    private int height;
    private int[] shown = new int[0];
    private PixelBuffer<IntBuffer> buffer;
    private WritableImage image;

    private static int[] disc(int r) {
        List<Integer> out = new ArrayList<>();
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                if (dx * dx + dy * dy <= r * r + 1) {
                    out.add(dx);
                    out.add(dy);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Fills {@code pixels} (w x h, 0xAARRGGBB) with the opaque colour {@code background}, then draws
     * dots at pixel centres (x[i], y[i]) in colours rgb[i] (0xRRGGBB), 80% opaque, in order. Large
     * sets are drawn in horizontal bands, one task each: every band visits the dots in order, so
     * the picture is the same as drawing them one after another. Any thread.
     */
    static void draw(int[] pixels, int w, int h, int background, int[] x, int[] y, int[] rgb, int count) {
        Arrays.fill(pixels, 0, w * h, background | 0xff000000);
        int[] disc = count > DENSE ? SMALL : NORMAL;
        int bands = count < 20_000 ? 1 : Math.min(8, Runtime.getRuntime().availableProcessors() * 2);
        int bandHeight = (h + bands - 1) / bands;
        IntStream.range(0, bands).parallel().forEach(band -> {
            int top = band * bandHeight;
            int bottom = Math.min(h, top + bandHeight);
            for (int i = 0; i < count; i++) {
                if (y[i] + RADIUS >= top && y[i] - RADIUS < bottom) {
                    dot(pixels, w, disc, x[i], y[i], rgb[i], top, bottom);
                }
            }
        });
    }

    private static void dot(int[] pixels, int width, int[] offsets, int cx, int cy, int rgb, int top, int bottom) {
        if (cx < -RADIUS || cx >= width + RADIUS) {
            return;
        }
        int sr = (rgb >> 16) & 0xff;
        int sg = (rgb >> 8) & 0xff;
        int sb = rgb & 0xff;
        boolean inside = cx >= RADIUS && cy >= top + RADIUS && cx < width - RADIUS && cy < bottom - RADIUS;
        for (int p = 0; p < offsets.length; p += 2) {
            int px = cx + offsets[p];
            int py = cy + offsets[p + 1];
            if (!inside && (px < 0 || py < top || px >= width || py >= bottom)) {
                continue;
            }
            int at = py * width + px;
            int d = pixels[at];
            // 80% source over the opaque destination: (4 src + dst) / 5, the division as a multiply and shift
            int r = ((4 * sr + ((d >> 16) & 0xff)) * 205) >> 10;
            int g = ((4 * sg + ((d >> 8) & 0xff)) * 205) >> 10;
            int b = ((4 * sb + (d & 0xff)) * 205) >> 10;
            pixels[at] = 0xff000000 | (r << 16) | (g << 8) | b;
        }
    }

    /** Shows drawn pixels (w x h) as the image: copied into the image's own buffer (the JavaFX thread). */
    WritableImage show(int[] pixels, int w, int h) {
        if (w != width || h != height || image == null) {
            width = Math.max(1, w);
            height = Math.max(1, h);
            shown = new int[width * height];
            buffer = new PixelBuffer<>(width, height, IntBuffer.wrap(shown), PixelFormat.getIntArgbPreInstance());
            image = new WritableImage(buffer);
        }
        System.arraycopy(pixels, 0, shown, 0, Math.min(pixels.length, shown.length));
        buffer.updateBuffer(b -> null);
        return image;
    }

    /** The image last shown, or null. */
    WritableImage image() {
        return image;
    }
}
