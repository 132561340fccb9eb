package org.protolens.core.map;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * UMAP of every point (McInnes, Healy and Melville, 2018), as umap-learn and uwot compute it:
 * each point's 15 nearest neighbours ({@link NearestNeighbours}: exact, or NN-descent beyond
 * 20,000 points), their distances turned into memberships (the nearest at 1, a bandwidth per
 * point so that they sum to log2 15), the two directions joined as a fuzzy union
 * (w + w' - w w'), and a layout optimised by sampling each edge in proportion to its weight with
 * 5 negative samples per sample, 500 epochs up to 10,000 points and 200 beyond, the learning rate
 * falling linearly from 1. The curve 1 / (1 + a d^2b) is the one for min_dist 0.1 and spread 1.
 *
 * <p>Two choices differ from umap-learn's defaults, both for the same map on every run: the
 * layout starts from the first two principal components (the input is a PCA reduction, so these
 * are its first two columns), each scaled to [0, 10], instead of a spectral layout whose
 * eigen-solver carries random state between calls; and each epoch moves every point only by
 * its own edges, reading the other points where the previous epoch left them. So a point's steps
 * depend on nothing another thread does, and the same input and seed give the same map bit for
 * bit on any number of cores (umap-learn and uwot move both ends of an edge at once, and are
 * reproducible only on one thread). A point still gets both of its edge's pulls: its own edge
 * list holds the joined edge in each direction, and each sample pulls twice.
 */
final class Umap {
    static final int NEIGHBOURS = 15;
    /** The curve 1 / (1 + a d^(2b)) fitted by least squares to min_dist 0.1, spread 1 (umap-learn's find_ab_params). */
    static final double A = 1.5769434601962196;
    static final double B = 0.8950608779914887;
    static final int NEGATIVE_SAMPLES = 5;
    private static final double CLIP = 4;
    private static final int CHUNK = 256;

    private Umap() {
    }

    /** How many epochs umap-learn and uwot run for {@code n} points. */
    static int epochs(int n) {
        return n <= 10_000 ? 500 : 200;
    }

    /**
     * The 2-d layout of {@code n} points of {@code d} coordinates each (row-major in {@code x}),
     * interleaved x, y.
     *
     * @param progress  told the share done now and then
     * @param cancelled polled every epoch; a cancelled layout throws CancellationException
     */
    static float[] layout(float[] x, int n, int d, long seed, MapLayout.Progress progress, BooleanSupplier cancelled) {
        if (n < 2) {
            throw new IllegalArgumentException("UMAP needs at least 2 points, got " + n);
        }
        int k = Math.min(NEIGHBOURS, n - 1);
        progress.report("UMAP of " + n + " images: nearest neighbours", 0);
        NearestNeighbours nn = NearestNeighbours.of(x, n, d, k, seed, cancelled);
        check(cancelled);
        Graph graph = Graph.of(nn, n);
        double[] y = initialise(x, n, d, seed);
        optimise(graph, y, n, epochs(n), seed, progress, cancelled);
        float[] out = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            out[i] = (float) y[i];
        }
        return out;
    }

    /**
     * The joined fuzzy neighbour graph, both directions of every edge listed, row by row:
     * row i's edges are {@code col[start[i]] .. col[start[i + 1] - 1]} with their weights.
     */
    record Graph(int[] start, int[] col, double[] weight) {
        static Graph of(NearestNeighbours nn, int n) {
            int k = nn.k();
            double[] member = memberships(nn, n);
            int[] degree = new int[n + 1];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < k; t++) {
                    int j = nn.index()[i * k + t];
                    degree[i]++;
                    degree[j]++;
                }
            }
            int[] start = new int[n + 1];
            for (int i = 0; i < n; i++) {
                start[i + 1] = start[i] + degree[i];
            }
            int[] fill = start.clone();
            int[] col = new int[start[n]];
            double[] w = new double[start[n]];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < k; t++) {
                    int j = nn.index()[i * k + t];
                    double m = member[i * k + t];
                    col[fill[i]] = j;
                    w[fill[i]++] = m;
                    col[fill[j]] = i;
                    w[fill[j]++] = m;
                }
            }
            // per row: sort by column, then join the two directions of a pair: w + w' - w w'
            int[] outStart = new int[n + 1];
            int out = 0;
            for (int i = 0; i < n; i++) {
                int lo = start[i];
                int hi = start[i + 1];
                sortByColumn(col, w, lo, hi);
                outStart[i] = out;
                for (int e = lo; e < hi; e++) {
                    if (out > outStart[i] && col[out - 1] == col[e]) {
                        double a = w[out - 1];
                        w[out - 1] = a + w[e] - a * w[e];
                    } else {
                        col[out] = col[e];
                        w[out++] = w[e];
                    }
                }
            }
            outStart[n] = out;
            return new Graph(outStart, Arrays.copyOf(col, out), Arrays.copyOf(w, out));
        }

        int edges() {
            return col.length;
        }

        /** Point i's membership weight of its t-th nearest neighbour: exp(-(dist - rho_i) / sigma_i). */
        static double[] memberships(NearestNeighbours nn, int n) {
            int k = nn.k();
            double target = Math.log(k) / Math.log(2);
            double[] member = new double[n * k];
            double meanAll = 0;
            for (double s : nn.squared()) {
                meanAll += Math.sqrt(s);
            }
            meanAll /= nn.squared().length;
            double meanOfAll = meanAll;
            IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel().forEach(c -> {
                double[] dist = new double[k];
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    double rho = 0;
                    double mean = 0;
                    for (int t = 0; t < k; t++) {
                        dist[t] = Math.sqrt(nn.squared()[i * k + t]);
                        mean += dist[t];
                        if (rho == 0 && dist[t] > 0) {
                            rho = dist[t];
                        }
                    }
                    mean /= k;
                    double sigma = bandwidth(dist, rho, target);
                    // as umap-learn: never narrower than a thousandth of the mean distance
                    sigma = Math.max(sigma, 1e-3 * (rho > 0 ? mean : meanOfAll));
                    for (int t = 0; t < k; t++) {
                        double excess = dist[t] - rho;
                        member[i * k + t] = excess <= 0 ? 1 : Math.exp(-excess / sigma);
                    }
                }
            });
            return member;
        }

        /** The sigma for which sum_t exp(-max(0, dist_t - rho) / sigma) = target, by bisection (64 steps at most). */
        private static double bandwidth(double[] dist, double rho, double target) {
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            double mid = 1;
            for (int step = 0; step < 64; step++) {
                double sum = 0;
                for (double dt : dist) {
                    double excess = dt - rho;
                    sum += excess <= 0 ? 1 : Math.exp(-excess / mid);
                }
                if (Math.abs(sum - target) < 1e-5) {
                    break;
                }
                if (sum > target) {
                    hi = mid;
                    mid = (lo + hi) / 2;
                } else {
                    lo = mid;
                    mid = hi == Double.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
                }
            }
            return mid;
        }

        private static void sortByColumn(int[] col, double[] w, int lo, int hi) {
            for (int a = lo + 1; a < hi; a++) {
                int c = col[a];
                double v = w[a];
                int b = a - 1;
                while (b >= lo && col[b] > c) {
                    col[b + 1] = col[b];
                    w[b + 1] = w[b];
                    b--;
                }
                col[b + 1] = c;
                w[b + 1] = v;
            }
        }
    }

    private static double[] initialise(float[] x, int n, int d, long seed) {
        double[] y = new double[2 * n];
        for (int axis = 0; axis < 2; axis++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double v = axis < d ? x[i * d + axis] : 0;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double scale = max > min ? 10 / (max - min) : 0;
            for (int i = 0; i < n; i++) {
                double v = axis < d ? x[i * d + axis] : 0;
                // a little seeded noise keeps points that share both components apart
                y[2 * i + axis] = (v - min) * scale + 1e-4 * gaussian(seed, i, axis);
            }
        }
        return y;
    }

    private static void optimise(Graph g, double[] y, int n, int epochs, long seed, MapLayout.Progress progress,
                                 BooleanSupplier cancelled) {
        int m = g.edges();
        double maxW = 0;
        for (double w : g.weight()) {
            maxW = Math.max(maxW, w);
        }
        // edges too weak to be sampled once in the whole run are left out, as umap-learn does
        double[] perSample = new double[m];
        double[] nextSample = new double[m];
        double[] perNegative = new double[m];
        double[] nextNegative = new double[m];
        for (int e = 0; e < m; e++) {
            double w = g.weight()[e];
            perSample[e] = w >= maxW / epochs ? maxW / w : -1;
            nextSample[e] = perSample[e];
            perNegative[e] = perSample[e] / NEGATIVE_SAMPLES;
            nextNegative[e] = perNegative[e];
        }
        double[] previous = new double[2 * n];
        int chunks = (n + CHUNK - 1) / CHUNK;
        for (int epoch = 0; epoch < epochs; epoch++) {
            check(cancelled);
            if (epoch % 10 == 0) {
                progress.report("UMAP of " + n + " images", epoch / (double) epochs);
            }
            System.arraycopy(y, 0, previous, 0, 2 * n);
            double alpha = 1 - epoch / (double) epochs;
            int now = epoch;
            IntStream.range(0, chunks).parallel().forEach(c -> {
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    long state = mix(seed ^ mix(((long) now << 32) | i));
                    double yi0 = y[2 * i];
                    double yi1 = y[2 * i + 1];
                    for (int e = g.start()[i], last = g.start()[i + 1]; e < last; e++) {
                        if (perSample[e] < 0 || nextSample[e] > now) {
                            continue;
                        }
                        int j = g.col()[e];
                        double yj0 = previous[2 * j];
                        double yj1 = previous[2 * j + 1];
                        for (int pull = 0; pull < 2; pull++) {
                            double dx = yi0 - yj0;
                            double dy = yi1 - yj1;
                            double d2 = dx * dx + dy * dy;
                            if (d2 > 0) {
                                double pb = Math.pow(d2, B);
                                double coef = -2 * A * B * pb / d2 / (A * pb + 1);
                                yi0 += clip(coef * dx) * alpha;
                                yi1 += clip(coef * dy) * alpha;
                            }
                        }
                        nextSample[e] += perSample[e];
                        int negatives = (int) ((now - nextNegative[e]) / perNegative[e]);
                        for (int s = 0; s < negatives; s++) {
                            state = mix(state);
                            int q = (int) (((state >>> 33) * n) >>> 31);
                            if (q == i) {
                                continue;
                            }
                            double dx = yi0 - previous[2 * q];
                            double dy = yi1 - previous[2 * q + 1];
                            double d2 = dx * dx + dy * dy;
                            if (d2 > 0) {
                                double coef = 2 * B / ((0.001 + d2) * (A * Math.pow(d2, B) + 1));
                                yi0 += clip(coef * dx) * alpha;
                                yi1 += clip(coef * dy) * alpha;
                            } else {
                                yi0 += CLIP * alpha;
                                yi1 += CLIP * alpha;
                            }
                        }
                        nextNegative[e] += negatives * perNegative[e];
                    }
                    y[2 * i] = yi0;
                    y[2 * i + 1] = yi1;
                }
            });
        }
        progress.report("UMAP of " + n + " images", 1);
    }

    private static double clip(double v) {
        return v > CLIP ? CLIP : v < -CLIP ? -CLIP : v;
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit value of {@code z}. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double gaussian(long seed, int i, int axis) {
        long a = mix(seed ^ mix(2L * i + axis));
        long b = mix(a);
        double u = ((a >>> 11) + 1) / 9007199254740993.0;
        double v = (b >>> 11) / 9007199254740992.0;
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("layout cancelled");
        }
    }
}
