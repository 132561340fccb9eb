package org.protolens.core.shortcut;

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
     * The share of the positive values that lies on {@code region} (each cell counted by its
     * centre): 1 when all of the saliency is there, NaN when no value is positive.
     */
    default double shareOn(ImageEdit.Region region) {
        float[] v = values();
        double on = 0;
        double all = 0;
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < width(); x++) {
                double p = Math.max(0, v[y * width() + x]);
                all += p;
                on += region.contains(x, y, width(), height()) ? p : 0;
            }
        }
        return all > 0 ? on / all : Double.NaN;
    }
}
