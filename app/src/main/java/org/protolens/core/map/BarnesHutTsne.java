package org.protolens.core.map;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * t-SNE of every point in O(n log n) per iteration (van der Maaten, "Accelerating t-SNE using
 * Tree-Based Algorithms", JMLR 2014): input similarities over each point's 3 x perplexity exact
 * nearest neighbours (a vantage-point tree), repulsion summarised by a quadtree (Barnes-Hut,
 * theta 0.5).
 *
 * <p>The optimisation follows the current practice (openTSNE; Belkina et al. 2019; Kobak and
 * Linderman 2021): initialised from the first two principal components scaled to a standard
 * deviation of 1e-4 (the input is a PCA reduction, so these are its first two columns),
 * 250 iterations with early exaggeration 12 and momentum 0.5, then 500 with momentum 0.8,
 * learning rate max(n / 12, 200), per-coordinate gains as in the reference code.
 *
 * <p>Deterministic: every point's forces are summed by one thread in a fixed order and the
 * normalisation is added up in index order, so the same input and seed give the same map
 * bit for bit, on any number of cores. The seed only picks the tree's vantage points.
 */
final class BarnesHutTsne {
    static final double THETA = 0.5;
    static final double EXAGGERATION = 12;
    static final int EXAGGERATION_ITERATIONS = 250;
    static final int ITERATIONS = 750;
    private static final int CHUNK = 256;

    private BarnesHutTsne() {
    }

    /**
     * The 2-d layout of {@code n} points of {@code d} coordinates each (row-major in {@code x}),
     * interleaved x, y.
     *
     * @param progress  told the share done now and then
     * @param cancelled polled every iteration; a cancelled layout throws CancellationException
     */
    static float[] layout(float[] x, int n, int d, double perplexity, long seed, MapLayout.Progress progress,
                          BooleanSupplier cancelled) {
        if (n < 2) {
            throw new IllegalArgumentException("t-SNE needs at least 2 points, got " + n);
        }
        int k = Math.min(n - 1, (int) (3 * perplexity));
        progress.report("t-SNE of " + n + " images: nearest neighbours", 0);
        NearestNeighbours nn = NearestNeighbours.of(x, n, d, Math.max(1, k), seed, cancelled);
        check(cancelled);
        SparseP p = SparseP.of(nn, n, Math.min(perplexity, Math.max(1, k) / 3.0 + 1e-9));
        check(cancelled);
        double[] y = initialise(x, n, d, seed);
        optimise(p, y, n, progress, cancelled);
        float[] out = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            out[i] = (float) y[i];
        }
        return out;
    }

    private static double[] initialise(float[] x, int n, int d, long seed) {
        double[] y = new double[2 * n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[i * d];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (x[i * d] - mean) * (x[i * d] - mean);
        }
        double std = Math.sqrt(var / n);
        if (d >= 2 && std > 0) {
            for (int i = 0; i < n; i++) {
                y[2 * i] = x[i * d] * 1e-4 / std;
                y[2 * i + 1] = x[i * d + 1] * 1e-4 / std;
            }
        } else {
            Random rnd = new Random(seed);
            for (int i = 0; i < 2 * n; i++) {
                y[i] = rnd.nextGaussian() * 1e-4;
            }
        }
        return y;
    }

    private static void optimise(SparseP p, double[] y, int n, MapLayout.Progress progress, BooleanSupplier cancelled) {
        double eta = Math.max(n / EXAGGERATION, 200);
        double[] update = new double[2 * n];
        double[] gains = new double[2 * n];
        Arrays.fill(gains, 1);
        double[] attractive = new double[2 * n];
        double[] repulsive = new double[2 * n];
        double[] sumQ = new double[n];
        int chunks = (n + CHUNK - 1) / CHUNK;
        for (int iter = 0; iter < ITERATIONS; iter++) {
            check(cancelled);
            if (iter % 10 == 0) {
                progress.report("t-SNE of " + n + " images", iter / (double) ITERATIONS);
            }
            boolean early = iter < EXAGGERATION_ITERATIONS;
            double exaggeration = early ? EXAGGERATION : 1;
            double momentum = early ? 0.5 : 0.8;
            QuadTree tree = QuadTree.of(y, n);
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int[] stack = new int[64 * 4];
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    p.attraction(i, y, attractive);
                    sumQ[i] = tree.repulsion(i, y, THETA * THETA, repulsive, stack);
                }
            });
            double z = 0;
            for (int i = 0; i < n; i++) {
                z += sumQ[i];
            }
            double mx = 0, my = 0;
            for (int i = 0; i < 2 * n; i++) {
                double grad = exaggeration * attractive[i] - repulsive[i] / z;
                gains[i] = Math.signum(grad) != Math.signum(update[i]) ? gains[i] + 0.2 : Math.max(gains[i] * 0.8, 0.01);
                update[i] = momentum * update[i] - eta * gains[i] * grad;
                y[i] += update[i];
                if ((i & 1) == 0) {
                    mx += y[i];
                } else {
                    my += y[i];
                }
            }
            mx /= n;
            my /= n;
            for (int i = 0; i < n; i++) {
                y[2 * i] -= mx;
                y[2 * i + 1] -= my;
            }
        }
        progress.report("t-SNE of " + n + " images", 1);
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("layout cancelled");
        }
    }

    /** The symmetrised input similarities p_ij = (p_j|i + p_i|j) / 2n, by rows (CSR). */
    record SparseP(int[] start, int[] column, double[] value) {
        static SparseP of(NearestNeighbours nn, int n, double perplexity) {
            int k = nn.k();
            double[] conditional = new double[n * k];
            double target = Math.log(perplexity);
            IntStream.range(0, n).parallel().forEach(i -> calibrate(nn.squared(), i * k, k, target, conditional));
            int[] count = new int[n];
            for (int i = 0; i < n; i++) {
                count[i] += k;
                for (int t = 0; t < k; t++) {
                    count[nn.index()[i * k + t]]++;
                }
            }
            int[] rawStart = new int[n + 1];
            for (int i = 0; i < n; i++) {
                rawStart[i + 1] = rawStart[i] + count[i];
            }
            int[] fill = Arrays.copyOf(rawStart, n);
            int[] col = new int[rawStart[n]];
            double[] val = new double[rawStart[n]];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < k; t++) {
                    int j = nn.index()[i * k + t];
                    double pij = conditional[i * k + t];
                    col[fill[i]] = j;
                    val[fill[i]++] = pij;
                    col[fill[j]] = i;
                    val[fill[j]++] = pij;
                }
            }
            // sort each row by column and add up the pairs that appear from both sides
            int[] merged = new int[n];
            double scale = 1.0 / (2.0 * n);
            IntStream.range(0, n).parallel().forEach(i -> {
                int lo = rawStart[i], hi = rawStart[i + 1];
                Integer[] order = new Integer[hi - lo];
                for (int t = 0; t < order.length; t++) {
                    order[t] = lo + t;
                }
                Arrays.sort(order, (a, b) -> Integer.compare(col[a], col[b]));
                int[] c = new int[order.length];
                double[] v = new double[order.length];
                int m = -1;
                for (Integer o : order) {
                    if (m >= 0 && c[m] == col[o]) {
                        v[m] += val[o];
                    } else {
                        m++;
                        c[m] = col[o];
                        v[m] = val[o];
                    }
                }
                m++;
                for (int t = 0; t < m; t++) {
                    col[lo + t] = c[t];
                    val[lo + t] = v[t] * scale;
                }
                merged[i] = m;
            });
            int[] start = new int[n + 1];
            for (int i = 0; i < n; i++) {
                start[i + 1] = start[i] + merged[i];
            }
            int[] column = new int[start[n]];
            double[] value = new double[start[n]];
            for (int i = 0; i < n; i++) {
                System.arraycopy(col, rawStart[i], column, start[i], merged[i]);
                System.arraycopy(val, rawStart[i], value, start[i], merged[i]);
            }
            return new SparseP(start, column, value);
        }

        /** p_j|i over a point's neighbours, with the Gaussian's precision found by bisection to match the perplexity. */
        private static void calibrate(double[] squared, int off, int k, double target, double[] out) {
            double nearest = squared[off];
            double beta = 1, lo = 0, hi = Double.POSITIVE_INFINITY;
            double scale = 0;
            for (int t = 0; t < k; t++) {
                scale = Math.max(scale, squared[off + t] - nearest);
            }
            if (scale > 0) {
                beta = 1 / scale;
            }
            for (int iter = 0; iter < 200; iter++) {
                double sum = 0, weighted = 0;
                for (int t = 0; t < k; t++) {
                    double dd = squared[off + t] - nearest;
                    double pt = Math.exp(-beta * dd);
                    out[off + t] = pt;
                    sum += pt;
                    weighted += dd * pt;
                }
                double entropy = Math.log(sum) + beta * weighted / sum;
                double diff = entropy - target;
                if (Math.abs(diff) < 1e-5) {
                    break;
                }
                if (diff > 0) {
                    lo = beta;
                    beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = (beta + lo) / 2;
                }
            }
            double sum = 0;
            for (int t = 0; t < k; t++) {
                sum += out[off + t];
            }
            for (int t = 0; t < k; t++) {
                out[off + t] /= sum;
            }
        }

        /** The attractive force on point i (without the exaggeration), into out[2i], out[2i+1]. */
        void attraction(int i, double[] y, double[] out) {
            double yx = y[2 * i], yy = y[2 * i + 1];
            double fx = 0, fy = 0;
            for (int t = start[i], end = start[i + 1]; t < end; t++) {
                int j = column[t];
                double dx = yx - y[2 * j], dy = yy - y[2 * j + 1];
                double w = value[t] / (1 + dx * dx + dy * dy);
                fx += w * dx;
                fy += w * dy;
            }
            out[2 * i] = fx;
            out[2 * i + 1] = fy;
        }
    }

    /** A quadtree over the current layout, each cell holding its points' count and centre of mass. */
    static final class QuadTree {
        private static final int LEAF = 8;
        private static final int MAX_DEPTH = 48;
        private final int[] items;
        private double[] comX, comY, width;
        private int[] count, firstChild, leafStart;
        private int nodes;

        private QuadTree(int n) {
            items = IntStream.range(0, n).toArray();
            int cap = Math.max(16, n / 2);
            comX = new double[cap];
            comY = new double[cap];
            width = new double[cap];
            count = new int[cap];
            firstChild = new int[cap];
            leafStart = new int[cap];
        }

        static QuadTree of(double[] y, int n) {
            double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                minX = Math.min(minX, y[2 * i]);
                maxX = Math.max(maxX, y[2 * i]);
                minY = Math.min(minY, y[2 * i + 1]);
                maxY = Math.max(maxY, y[2 * i + 1]);
            }
            double half = Math.max(Math.max(maxX - minX, maxY - minY) / 2, 1e-12) * (1 + 1e-9);
            QuadTree tree = new QuadTree(n);
            tree.build(y, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
            return tree;
        }

        private int newNodes(int m) {
            if (nodes + m > count.length) {
                int cap = Math.max(2 * count.length, nodes + m);
                comX = Arrays.copyOf(comX, cap);
                comY = Arrays.copyOf(comY, cap);
                width = Arrays.copyOf(width, cap);
                count = Arrays.copyOf(count, cap);
                firstChild = Arrays.copyOf(firstChild, cap);
                leafStart = Arrays.copyOf(leafStart, cap);
            }
            int first = nodes;
            nodes += m;
            return first;
        }

        /** Builds the root cell over items[lo..hi). */
        private void build(double[] y, int lo, int hi, double cx, double cy, double half, int depth) {
            int node = newNodes(1);
            fill(node, y, lo, hi, cx, cy, half, depth);
        }

        /** Fills a node with the cell of items[lo..hi), centred at (cx, cy), and its children. */
        private void fill(int node, double[] y, int lo, int hi, double cx, double cy, double half, int depth) {
            double sx = 0, sy = 0;
            for (int t = lo; t < hi; t++) {
                sx += y[2 * items[t]];
                sy += y[2 * items[t] + 1];
            }
            int m = hi - lo;
            comX[node] = sx / m;
            comY[node] = sy / m;
            width[node] = 2 * half;
            count[node] = m;
            if (m <= LEAF || depth >= MAX_DEPTH) {
                firstChild[node] = -1;
                leafStart[node] = lo;
                return;
            }
            // partition by y, then each half by x: quadrants (south-west, south-east, north-west, north-east)
            int midY = partition(y, lo, hi, 1, cy);
            int midXLow = partition(y, lo, midY, 0, cx);
            int midXHigh = partition(y, midY, hi, 0, cx);
            int[] bounds = {lo, midXLow, midY, midXHigh, hi};
            int children = 0;
            for (int q = 0; q < 4; q++) {
                if (bounds[q + 1] > bounds[q]) {
                    children++;
                }
            }
            int first = newNodes(children);
            firstChild[node] = first;
            leafStart[node] = children;
            double h = half / 2;
            int c = first;
            for (int q = 0; q < 4; q++) {
                if (bounds[q + 1] > bounds[q]) {
                    double qx = (q & 1) == 0 ? cx - h : cx + h;
                    double qy = (q & 2) == 0 ? cy - h : cy + h;
                    fill(c++, y, bounds[q], bounds[q + 1], qx, qy, h, depth + 1);
                }
            }
        }

        /** Moves the items of [lo, hi) whose coordinate (0 x, 1 y) is below the split to the front; returns where the rest start. */
        private int partition(double[] y, int lo, int hi, int axis, double split) {
            int i = lo, j = hi - 1;
            while (i <= j) {
                if (y[2 * items[i] + axis] < split) {
                    i++;
                } else {
                    int t = items[i];
                    items[i] = items[j];
                    items[j] = t;
                    j--;
                }
            }
            return i;
        }

        /**
         * The repulsive force on point i, unnormalised (sum of q_ij^2 (y_i - y_j)) into out[2i],
         * out[2i+1]; returns its share of the normalisation, the sum of q_ij = 1 / (1 + |y_i - y_j|^2).
         */
        double repulsion(int i, double[] y, double theta2, double[] out, int[] stack) {
            double yx = y[2 * i], yy = y[2 * i + 1];
            double fx = 0, fy = 0, sumQ = 0;
            int top = 0;
            stack[top++] = 0;
            while (top > 0) {
                int node = stack[--top];
                double dx = yx - comX[node], dy = yy - comY[node];
                double d2 = dx * dx + dy * dy;
                double w = width[node];
                if (w * w < theta2 * d2) {
                    double q = 1 / (1 + d2);
                    double mq = count[node] * q;
                    sumQ += mq;
                    fx += mq * q * dx;
                    fy += mq * q * dy;
                } else if (firstChild[node] < 0) {
                    for (int t = leafStart[node], end = t + count[node]; t < end; t++) {
                        int j = items[t];
                        if (j != i) {
                            double ex = yx - y[2 * j], ey = yy - y[2 * j + 1];
                            double q = 1 / (1 + ex * ex + ey * ey);
                            sumQ += q;
                            fx += q * q * ex;
                            fy += q * q * ey;
                        }
                    }
                } else {
                    for (int c = firstChild[node], end = c + leafStart[node]; c < end; c++) {
                        stack[top++] = c;
                    }
                }
            }
            out[2 * i] = fx;
            out[2 * i + 1] = fy;
            return sumQ;
        }
    }
}
