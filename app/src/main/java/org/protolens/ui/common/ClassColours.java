package org.protolens.ui.common;

import java.util.Arrays;
import java.util.function.IntConsumer;
import javafx.scene.paint.Color;

/**
 * One colour per class, and the colours of right and wrong. The first ten classes take Tableau's
 * ten (its grey replaced, so that no class looks unlabelled); every further class takes the
 * colour farthest, in CIELAB, from all those before it and from the unlabelled grey (Glasbey's
 * method), among clearly coloured candidates that read on the light and the dark map: 50 and more
 * classes stay apart. Right and wrong are blue and vermillion (Okabe and Ito), apart for
 * colour-blind eyes too.
 */
public final class ClassColours {
    private static final int[] TABLEAU = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f,
        0xb6992d};
    /** How many colours are made; classes beyond them repeat the palette. */
    static final int COUNT = 256;
    /** Unlabelled images. */
    public static final int UNLABELLED = 0xb3b3b3;
    /** A prediction that is right. */
    public static final int RIGHT = 0x0072b2;
    /** A prediction that is wrong. */
    public static final int WRONG = 0xd55e00;
    private static final int[] PALETTE = palette();

    private ClassColours() {
    }

    public static Color of(int k) {
        return k < 0 ? colour(UNLABELLED) : colour(rgb(k));
    }

    /** The colour of class {@code k} as 0xRRGGBB (for pixel buffers and charts); -1: unlabelled. */
    public static int rgb(int k) {
        return k < 0 ? UNLABELLED : PALETTE[k % COUNT];
    }

    /** 0xRRGGBB as a colour. */
    public static Color colour(int rgb) {
        return Color.rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
    }

    /** A colour as 0xRRGGBB. */
    public static int rgb(Color c) {
        return ((int) Math.round(c.getRed() * 255) << 16) | ((int) Math.round(c.getGreen() * 255) << 8)
                | (int) Math.round(c.getBlue() * 255);
    }

    private static int[] palette() {
        int[] out = new int[COUNT];
        System.arraycopy(TABLEAU, 0, out, 0, TABLEAU.length);
        // candidates: a 16-step grid of the RGB cube, without greys, the darkest and the lightest
        int steps = 16;
        int m = steps * steps * steps;
        int[] rgb = new int[m];
        double[][] lab = new double[m][];
        int c = 0;
        for (int r = 0; r < steps; r++) {
            for (int g = 0; g < steps; g++) {
                for (int b = 0; b < steps; b++) {
                    int v = (r * 17 << 16) | (g * 17 << 8) | b * 17;
                    double[] l = lab(v);
                    if (Math.hypot(l[1], l[2]) >= 30 && l[0] >= 35 && l[0] <= 88) {
                        rgb[c] = v;
                        lab[c++] = l;
                    }
                }
            }
        }
        double[] nearest = new double[c];
        Arrays.fill(nearest, Double.MAX_VALUE);
        IntConsumer taken = v -> {
            double[] t = lab(v);
            for (int j = 0; j < nearest.length; j++) {
                nearest[j] = Math.min(nearest[j], distance(t, lab[j]));
            }
        };
        taken.accept(UNLABELLED);
        for (int k = 0; k < TABLEAU.length; k++) {
            taken.accept(TABLEAU[k]);
        }
        for (int k = TABLEAU.length; k < COUNT; k++) {
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (nearest[j] > nearest[best]) {
                    best = j;
                }
            }
            out[k] = rgb[best];
            taken.accept(rgb[best]);
        }
        return out;
    }

    /** The CIE76 colour difference of two colours (0xRRGGBB): about 2.3 is just noticeable. */
    static double difference(int a, int b) {
        return distance(lab(a), lab(b));
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }

    /** sRGB (D65) to CIELAB. */
    static double[] lab(int rgb) {
        double r = linear(((rgb >> 16) & 0xff) / 255.0);
        double g = linear(((rgb >> 8) & 0xff) / 255.0);
        double b = linear((rgb & 0xff) / 255.0);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double linear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }
}
