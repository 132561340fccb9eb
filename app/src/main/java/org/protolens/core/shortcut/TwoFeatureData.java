package org.protolens.core.shortcut;

import java.util.SplittableRandom;

/**
 * The two-feature vector data of Hermann et al. (ICLR 2024), without images: a label y in
 * {-1, +1}; a core feature z_c whose sign is y with probability P and a shortcut z_s whose sign is
 * y with probability Q; magnitudes uniform in [0.5, 1.5] times each feature's scale (its
 * availability); inputs x = A z, with A a fixed random d x 2 Gaussian matrix (seeded).
 *
 * @param zs shortcut feature per row
 * @param zc core feature per row
 * @param y  label per row, -1 or +1
 * @param x  inputs, n x d, row-major
 */
public record TwoFeatureData(double[] zs, double[] zc, int[] y, double[][] x) {

    /**
     * @param n             rows
     * @param coreP         P(sgn z_c = y)
     * @param shortcutQ     P(sgn z_s = y)
     * @param coreScale     the core feature's magnitude
     * @param shortcutScale the shortcut's magnitude
     * @param d             input dimensions (2 or more)
     */
    public static TwoFeatureData sample(int n, double coreP, double shortcutQ, double coreScale, double shortcutScale, int d, long seed) {
        ShortcutBias.requireProbability("core predictivity", coreP);
        ShortcutBias.requireProbability("shortcut predictivity", shortcutQ);
        return make(n, coreP, shortcutQ, coreScale, shortcutScale, d, seed, false);
    }

    /**
     * Probe inputs of the same map A (same seed and d): the signs of z_s and z_c independent and
     * uniform, so half are conflicts; y is z_c's sign (the core's class).
     */
    public static TwoFeatureData probes(int n, double coreScale, double shortcutScale, int d, long seed) {
        return make(n, 0.5, 0.5, coreScale, shortcutScale, d, seed, true);
    }

    private static TwoFeatureData make(int n, double coreP, double shortcutQ, double coreScale, double shortcutScale, int d, long seed,
                                       boolean probes) {
        if (d < 2) {
            throw new IllegalArgumentException("inputs need at least 2 dimensions, not " + d);
        }
        if (!(coreScale > 0) || !(shortcutScale > 0)) {
            throw new IllegalArgumentException("feature scales must be positive: " + coreScale + ", " + shortcutScale);
        }
        double[][] a = map(d, seed);
        // the rows come from a stream of their own, so that probes and training rows differ
        SplittableRandom random = new SplittableRandom(seed ^ (probes ? 0x5DEECE66DL : 0x2545F4914F6CDD1DL));
        double[] zs = new double[n];
        double[] zc = new double[n];
        int[] y = new int[n];
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            int label = random.nextBoolean() ? 1 : -1;
            int signC = probes ? label : random.nextDouble() < coreP ? label : -label;
            int signS = probes ? (random.nextBoolean() ? 1 : -1) : random.nextDouble() < shortcutQ ? label : -label;
            zc[i] = signC * coreScale * random.nextDouble(0.5, 1.5);
            zs[i] = signS * shortcutScale * random.nextDouble(0.5, 1.5);
            y[i] = label;
            for (int j = 0; j < d; j++) {
                x[i][j] = a[j][0] * zs[i] + a[j][1] * zc[i];
            }
        }
        return new TwoFeatureData(zs, zc, y, x);
    }

    /** The fixed map A (d x 2) of a seed. */
    private static double[][] map(int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] a = new double[d][2];
        for (double[] row : a) {
            row[0] = gaussian(random);
            row[1] = gaussian(random);
        }
        return a;
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble(Double.MIN_VALUE, 1);
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
