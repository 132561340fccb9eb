package org.protolens.core.shortcut;

import java.util.function.BiPredicate;

/**
 * Where in an image the similarity to a prototype comes from, as a grid over the backbone's input
 * (the image as resized for the backbone): occlusion sensitivity at input resolution, or Grad-CAM
 * at the resolution of the last feature map. Larger values: more of the similarity rests there.
 */
public interface SaliencyMap {
    /** The grid's width: columns spread evenly over the image's width. */
    int width();

    /** The grid's height. */
    int height();

    /** Per cell, row-major: how much of the similarity rests on it (0 or less: none). */
    float[] values();

    /** The image's cosine to the prototype. */
    double similarity();

    /** The largest value (0 when none is positive). */
    default float max() {
        float m = 0;
        for (float v : values()) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The cell with the largest value, as {x, y}. */
    default int[] peak() {
        float[] v = values();
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return new int[] {best % width(), best / width()};
    }

    /**
     * The share of the positive values that lies where {@code inside} says, each cell counted at
     * its centre on a {@code w} x {@code h} image: 1 when all of the saliency is there.
     */
    default double shareInside(BiPredicate<Integer, Integer> inside, int w, int h) {
        float[] v = values();
        double in = 0;
        double all = 0;
        for (int cy = 0; cy < height(); cy++) {
            for (int cx = 0; cx < width(); cx++) {
                double p = Math.max(0, v[cy * width() + cx]);
                all += p;
                int x = Math.min(w - 1, (int) ((cx + 0.5) * w / width()));
                int y = Math.min(h - 1, (int) ((cy + 0.5) * h / height()));
                if (inside.test(x, y)) {
                    in += p;
                }
            }
        }
        return all > 0 ? in / all : Double.NaN;
    }
}
