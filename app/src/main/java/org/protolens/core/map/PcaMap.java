package org.protolens.core.map;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.L2;

/**
 * The map's linear layout: the embeddings projected on their first two principal components
 * (the covariance's leading eigenvectors), in plain Java: the covariance summed on the CPU's
 * vector registers where they are available, its leading eigenvectors found by Lanczos iteration
 * ({@link LeadingEigen}). Deterministic: each axis's sign is fixed so that its largest loading is
 * positive, so the same embeddings always give the same picture. Every row gets a point.
 */
public final class PcaMap {
    /** at most this many tasks share the covariance's rows */
    private static final int MAX_TASKS = 16;
    /** rows centred into one block of doubles before they are added to the covariance */
    private static final int PANEL_ROWS = 64;
    /** rows projected by one task */
    private static final int PROJECT_CHUNK = 1024;

    private final double[] centre;
    private final double[][] axes;

    private PcaMap(double[] centre, double[][] axes) {
        this.centre = centre;
        this.axes = axes;
    }

    /** Fits the two axes on {@code x} (at least 2 rows). */
    public static PcaMap fit(FloatMatrix x) {
        return fit(x, 2);
    }

    /**
     * Fits the first {@code components} axes on {@code x} (at least 2 rows); fewer when x has fewer
     * dimensions. The axes are the leading eigenvectors of the centred rows' covariance.
     */
    public static PcaMap fit(FloatMatrix x, int components) {
        int n = x.rows();
        int d = x.cols();
        if (n < 2) {
            throw new IllegalArgumentException("a map needs at least 2 embeddings, got " + n);
        }
        double[] centre = new double[d];
        for (int r = 0; r < n; r++) {
            int off = x.offset(r);
            for (int j = 0; j < d; j++) {
                centre[j] += x.data()[off + j];
            }
        }
        for (int j = 0; j < d; j++) {
            centre[j] /= n;
        }
        double[] covariance = covariance(x, centre);
        for (double v : covariance) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the embeddings' covariance is not finite (embeddings with NaN or infinite values?)");
            }
        }
        double[][] axes = LeadingEigen.of(covariance, d, Math.min(components, d));
        for (int a = 0; a < axes.length; a++) {
            int biggest = 0;
            for (int j = 0; j < d; j++) {
                if (Math.abs(axes[a][j]) > Math.abs(axes[a][biggest])) {
                    biggest = j;
                }
            }
            if (axes[a][biggest] < 0) {
                for (int j = 0; j < d; j++) {
                    axes[a][j] = -axes[a][j];
                }
            }
        }
        return new PcaMap(centre, axes);
    }

    /**
     * The scatter matrix (d x d, row-major, both halves) of the centred rows: its lower triangle's
     * rows split into ranges of about equal work, one task each (side by side), every task adding
     * all the rows in order to its own elements. Each sum is thus made in one order whatever the
     * number of cores, and the matrix is the only one of its size in memory (a 4,096-d one is
     * 134 MB).
     */
    static double[] covariance(FloatMatrix x, double[] centre) {
        int d = x.cols();
        double[] c = new double[d * d];
        int[] bounds = rowRanges(d, Math.max(1, Math.min(MAX_TASKS, d / 32)));
        IntStream.range(0, bounds.length - 1).parallel().forEach(t -> addRows(x, centre, c, bounds[t], bounds[t + 1]));
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < j; k++) {
                c[k * d + j] = c[j * d + k];
            }
        }
        return c;
    }

    /**
     * Boundaries of {@code tasks} ranges of the rows of a d x d lower triangle with about the same
     * number of elements each (row j has j + 1), on multiples of 4 but the last.
     */
    static int[] rowRanges(int d, int tasks) {
        int[] b = new int[tasks + 1];
        for (int t = 1; t < tasks; t++) {
            b[t] = Math.max(b[t - 1], Math.min(d, (int) Math.round(d * Math.sqrt(t / (double) tasks)) / 4 * 4));
        }
        b[tasks] = d;
        return b;
    }

    /** Adds every row, centred, to the scatter matrix's rows {@code from} to {@code to}. */
    private static void addRows(FloatMatrix x, double[] centre, double[] c, int from, int to) {
        int n = x.rows();
        int d = x.cols();
        float[] data = x.data();
        double[] panel = new double[PANEL_ROWS * d];
        for (int r0 = 0; r0 < n; r0 += PANEL_ROWS) {
            int rows = Math.min(PANEL_ROWS, n - r0);
            for (int i = 0; i < rows; i++) {
                int off = x.offset(r0 + i);
                int at = i * d;
                for (int j = 0; j < d; j++) {
                    panel[at + j] = data[off + j] - centre[j];
                }
            }
            L2.addScatter(panel, rows, d, c, from, to);
        }
    }

    /** How many coordinates {@link #project} gives per row. */
    public int components() {
        return axes.length;
    }

    /** How many coordinates the rows it projects have. */
    int dimensions() {
        return centre.length;
    }

    /** The coordinates of every row of {@code x}, interleaved: {@code [x0, y0, x1, y1, ...]} for two axes. */
    public float[] project(FloatMatrix x) {
        return project(x, null, false);
    }

    /**
     * The coordinates of every row of {@code x} made unit length first, as {@link L2#normalizeRows}
     * makes them (the same values, without a normalised copy of the whole matrix).
     */
    float[] projectUnit(FloatMatrix x) {
        return project(x, null, true);
    }

    /** {@link #projectUnit} of the given rows of {@code x} only, in their order (without copying them out). */
    float[] projectUnit(FloatMatrix x, int[] rows) {
        return project(x, rows, true);
    }

    /** Rows {@code rows} of x (all when null), made unit length first when {@code unit}. */
    private float[] project(FloatMatrix x, int[] rows, boolean unit) {
        int d = centre.length;
        if (x.cols() != d) {
            throw new IllegalArgumentException("the map was fitted on " + d + "-d embeddings, got " + x.cols());
        }
        int k = axes.length;
        int count = rows == null ? x.rows() : rows.length;
        float[] out = new float[k * count];
        int chunks = (count + PROJECT_CHUNK - 1) / PROJECT_CHUNK;
        IntStream blocks = IntStream.range(0, chunks);
        (chunks > 1 ? blocks.parallel() : blocks).forEach(c -> {
            double[] centred = new double[d];
            for (int r = c * PROJECT_CHUNK, end = Math.min(count, r + PROJECT_CHUNK); r < end; r++) {
                int off = x.offset(rows == null ? r : Objects.checkIndex(rows[r], x.rows()));
                float[] v = x.data();
                if (unit) {
                    double norm = Math.max(L2.norm(v, off, d), L2.EPS);
                    for (int j = 0; j < d; j++) {
                        centred[j] = (float) (v[off + j] / norm) - centre[j];
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        centred[j] = v[off + j] - centre[j];
                    }
                }
                // four axes at a time: their sums are independent, so they overlap in the CPU; each is
                // added up in the same order as alone
                int a = 0;
                for (; a + 3 < k; a += 4) {
                    double[] a0 = axes[a];
                    double[] a1 = axes[a + 1];
                    double[] a2 = axes[a + 2];
                    double[] a3 = axes[a + 3];
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int j = 0; j < d; j++) {
                        double cj = centred[j];
                        s0 += cj * a0[j];
                        s1 += cj * a1[j];
                        s2 += cj * a2[j];
                        s3 += cj * a3[j];
                    }
                    out[k * r + a] = (float) s0;
                    out[k * r + a + 1] = (float) s1;
                    out[k * r + a + 2] = (float) s2;
                    out[k * r + a + 3] = (float) s3;
                }
                for (; a + 1 < k; a += 2) {
                    double[] a0 = axes[a];
                    double[] a1 = axes[a + 1];
                    double s0 = 0, s1 = 0;
                    for (int j = 0; j < d; j++) {
                        s0 += centred[j] * a0[j];
                        s1 += centred[j] * a1[j];
                    }
                    out[k * r + a] = (float) s0;
                    out[k * r + a + 1] = (float) s1;
                }
                for (; a < k; a++) {
                    double[] a0 = axes[a];
                    double s0 = 0;
                    for (int j = 0; j < d; j++) {
                        s0 += centred[j] * a0[j];
                    }
                    out[k * r + a] = (float) s0;
                }
            }
        });
        return out;
    }

    /** Bytes {@link #write} takes. */
    int bytes() {
        return 8 + 8 * centre.length * (1 + axes.length);
    }

    /** Stores the fit: its dimensions and axes (two ints), the centre and the axes (doubles). */
    void write(ByteBuffer b) {
        b.putInt(centre.length).putInt(axes.length);
        for (double v : centre) {
            b.putDouble(v);
        }
        for (double[] axis : axes) {
            for (double v : axis) {
                b.putDouble(v);
            }
        }
    }

    /**
     * A fit stored by {@link #write}, checked: {@code dimensions} coordinates, {@code components}
     * axes, every value finite and every axis of unit length.
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    static PcaMap read(ByteBuffer b, int dimensions, int components) {
        int d = b.getInt();
        int k = b.getInt();
        if (d != dimensions || k != components) {
            throw new IllegalArgumentException("its axes are " + k + " of " + d + " dimensions, where " + components + " of "
                    + dimensions + " were expected");
        }
        if (b.remaining() < 8L * d * (1 + k)) {
            throw new IllegalArgumentException("its axes are cut short");
        }
        double[] centre = new double[d];
        for (int j = 0; j < d; j++) {
            centre[j] = finite(b.getDouble());
        }
        double[][] axes = new double[k][d];
        for (double[] axis : axes) {
            for (int j = 0; j < d; j++) {
                axis[j] = finite(b.getDouble());
            }
            if (Math.abs(L2.norm(axis) - 1) > 1e-6) {
                throw new IllegalArgumentException("an axis is not of unit length");
            }
        }
        return new PcaMap(centre, axes);
    }

    private static double finite(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("its axes hold a value that is not a finite number");
        }
        return v;
    }
}
