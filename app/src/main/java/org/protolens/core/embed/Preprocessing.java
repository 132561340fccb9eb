package org.protolens.core.embed;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an image becomes the backbone's input: resized to width x height (antialiased bilinear, as
 * PyTorch's {@code interpolate(mode='bilinear', antialias=True)} and PIL do), scaled to [0, 1],
 * then {@code (v - mean) / std} per RGB channel, in channel-height-width order.
 */
public record Preprocessing(int width, int height, float[] mean, float[] std) {
    /** Version of the decoding and resizing code: part of every fingerprint. */
    static final String RESIZE_VERSION = "aa-bilinear-v1";

    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public Preprocessing {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("input size must be positive, got " + width + " x " + height);
        }
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new IllegalArgumentException("mean and std need three values each (R, G, B)");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static Preprocessing imagenet(int size) {
        return new Preprocessing(size, size, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** Floats per image in a batch buffer. */
    public int valuesPerImage() {
        return 3 * width * height;
    }

    /** A stable text naming everything that changes the input tensor. */
    public String fingerprint() {
        return String.format(Locale.ROOT, "%dx%d mean=%s std=%s %s", width, height, Arrays.toString(mean),
                Arrays.toString(std), RESIZE_VERSION);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.width == width && p.height == height && Arrays.equals(p.mean, mean)
                && Arrays.equals(p.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + 17 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return fingerprint();
    }
}
