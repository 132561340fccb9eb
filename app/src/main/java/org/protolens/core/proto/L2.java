package org.protolens.core.proto;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.protolens.core.FloatMatrix;

/**
 * Euclidean vector arithmetic for prototypes and embeddings. Normalisation follows PyTorch's
 * {@code F.normalize}: a vector is divided by {@code max(||v||, 1e-12)}, so the zero vector stays
 * zero instead of turning into NaN.
 */
public final class L2 {
    /** PyTorch's default eps for {@code F.normalize}. */
    public static final double EPS = 1e-12;

    /**
     * Whether the float kernels run on the CPU's vector registers: where the JVM was started with
     * {@code --add-modules jdk.incubator.vector} (the launchers do) and not turned off with
     * {@code -Dprotolens.vector=false}. Otherwise scalar loops compute the same values, rounded
     * differently.
     */
    private static final boolean VECTOR = vectorAvailable();
    private static final AtomicBoolean WARMING = new AtomicBoolean();
    /** the warm-up's products, kept so that the JIT cannot leave them out */
    private static volatile double warmedSum;

    private static boolean vectorAvailable() {
        if (!Boolean.parseBoolean(System.getProperty("protolens.vector", "true"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.usable();
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * Runs the float kernels on a small matrix until the JIT has compiled them: vector code runs
     * many times slower before it is compiled, which a project's first pass over its embeddings
     * would otherwise pay. Meant for a background thread while a project's files are read; only
     * the first call in a run does anything.
     */
    public static void warmUp() {
        if (!VECTOR || !WARMING.compareAndSet(false, true)) {
            return;
        }
        // rows as long as embeddings' and thousands of calls: the JIT compiles the kernels for
        // what they will meet (long inner loops, several vectors at a time)
        int d = 64;
        int rows = 16;
        float[] x = new float[rows * d];
        float[][] v = new float[5][d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3;
        }
        for (int k = 0; k < v.length; k++) {
            v[k][k] = 1;
        }
        float[][] out = new float[5][rows];
        float[][] two = {v[0], v[1]};
        float[] scale = new float[rows];
        Arrays.fill(scale, 1);
        for (int r = 0; r < 4000; r++) {
            columns(x, d, scale, 0, rows, v, out);
            columns(x, d, null, 0, rows, two, out);
        }
        // and the double one of the map's axes and the transductive heads
        double[] a = new double[d];
        double[] b = new double[d];
        Arrays.fill(a, 0.5);
        Arrays.fill(b, 0.25);
        double sink = 0;
        for (int r = 0; r < 20_000; r++) {
            sink += dot16(a, b);
        }
        warmedSum = sink;
    }

    /** How the float kernels run, for the About box and benchmarks: "256-bit vectors" or "scalar". */
    public static String kernels() {
        return VECTOR ? VectorKernels.describe() : "scalar";
    }

    private L2() {
    }

    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    public static double norm(float[] v, int offset, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            double x = v[offset + i];
            s += x * x;
        }
        return Math.sqrt(s);
    }

    public static double[] normalize(double[] v) {
        double n = Math.max(norm(v), EPS);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / n;
        }
        return out;
    }

    public static double[] normalized(float[] v, int offset, int length) {
        double n = Math.max(norm(v, offset, length), EPS);
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = v[offset + i] / n;
        }
        return out;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Dot product of two double vectors of equal length for the transductive heads' many
     * products: element j goes to partial sum j mod 16 (fused multiply-adds), the partial sums are
     * added in a fixed order, then the last {@code length mod 16} elements. So it gives the same
     * bits on vector registers of any width and without them.
     */
    public static double dot16(double[] a, double[] b) {
        return dot16(a, 0, b, a.length);
    }

    /** {@link #dot16} of {@code length} elements of {@code a} from {@code aOffset} and the first of {@code b}. */
    public static double dot16(double[] a, int aOffset, double[] b, int length) {
        if (VECTOR && VectorKernels.DOT16) {
            return VectorKernels.dot16(a, aOffset, b, length);
        }
        return scalarDot16(a, aOffset, b, length);
    }

    /**
     * {@link #dot16} without vector registers: sixteen scalar partial sums, summed as the vector
     * kernel sums them (the same number). For work of a few thousand short dot products, done once
     * in a process: there the vector kernel's first calls, before the JIT compiles it, cost more
     * than its compiled calls save.
     */
    public static double scalarDot16(double[] a, int aOffset, double[] b, int length) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
        int i = 0;
        for (; i + 16 <= length; i += 16) {
            int o = aOffset + i;
            s0 = Math.fma(a[o], b[i], s0);
            s1 = Math.fma(a[o + 1], b[i + 1], s1);
            s2 = Math.fma(a[o + 2], b[i + 2], s2);
            s3 = Math.fma(a[o + 3], b[i + 3], s3);
            s4 = Math.fma(a[o + 4], b[i + 4], s4);
            s5 = Math.fma(a[o + 5], b[i + 5], s5);
            s6 = Math.fma(a[o + 6], b[i + 6], s6);
            s7 = Math.fma(a[o + 7], b[i + 7], s7);
            s8 = Math.fma(a[o + 8], b[i + 8], s8);
            s9 = Math.fma(a[o + 9], b[i + 9], s9);
            s10 = Math.fma(a[o + 10], b[i + 10], s10);
            s11 = Math.fma(a[o + 11], b[i + 11], s11);
            s12 = Math.fma(a[o + 12], b[i + 12], s12);
            s13 = Math.fma(a[o + 13], b[i + 13], s13);
            s14 = Math.fma(a[o + 14], b[i + 14], s14);
            s15 = Math.fma(a[o + 15], b[i + 15], s15);
        }
        return tail16(a, aOffset, b, length, i, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
    }

    /** The sixteen partial sums of {@link #dot16} added in its order, then the elements from {@code i} on. */
    static double tail16(double[] a, int aOffset, double[] b, int length, int i, double s0, double s1, double s2, double s3, double s4,
                         double s5, double s6, double s7, double s8, double s9, double s10, double s11, double s12, double s13, double s14,
                         double s15) {
        double s = (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + (((s8 + s9) + (s10 + s11)) + ((s12 + s13) + (s14 + s15)));
        for (; i < length; i++) {
            s = Math.fma(a[aOffset + i], b[i], s);
        }
        return s;
    }

    /**
     * Dot product of a float row with a float vector: the inner loop of every re-prediction. On
     * vector registers where they are available ({@link #kernels()}), otherwise four scalar
     * partial sums so that the JIT keeps several multiply-adds in flight.
     */
    public static float dot(float[] a, int aOffset, float[] b, int length) {
        return dot(a, aOffset, b, 0, length);
    }

    /** As {@link #dot(float[], int, float[], int)}, both vectors read from an offset. */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        if (VECTOR) {
            return VectorKernels.dot(a, aOffset, b, bOffset, length);
        }
        return scalarDot(a, aOffset, b, bOffset, length);
    }

    /** The dot product without vector registers: four partial sums. */
    static float scalarDot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += a[aOffset + i] * b[bOffset + i];
            s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
            s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
            s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
        }
        for (; i < length; i++) {
            s0 += a[aOffset + i] * b[bOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Columns of similarities for rows {@code from} (inclusive) to {@code to} of the row-major
     * {@code x} of {@code d} columns: {@code out[k][i] = scale[i] * (x_i . v[k])} for every vector
     * {@code v[k]} ({@code scale} null: 1). Each row is read once for all the vectors, and every
     * value equals what {@link #dot(float[], int, float[], int)} gives for it.
     */
    public static void columns(float[] x, int d, float[] scale, int from, int to, float[][] v, float[][] out) {
        if (VECTOR) {
            VectorKernels.columns(x, d, scale, from, to, v, out);
            return;
        }
        for (int i = from; i < to; i++) {
            float f = scale == null ? 1 : scale[i];
            for (int k = 0; k < v.length; k++) {
                float s = dot(x, i * d, v[k], 0, d);
                out[k][i] = scale == null ? s : s * f;
            }
        }
    }

    /**
     * Adds a block of rows' products to rows {@code from} (inclusive) to {@code to} of a scatter
     * matrix: for every such {@code j} and {@code k <= j}, {@code c[j * d + k]} gets
     * {@code panel[i * d + j] * panel[i * d + k]} for the panel's rows {@code i} from 0 to
     * {@code rows - 1}, one fused multiply-add per row, in that order. So the vector and the scalar
     * kernel give the same sums bit for bit, and tasks given different ranges of the same matrix
     * never write the same element. Some elements above the diagonal get sums too: only the lower
     * triangle is meant. {@code from} is a multiple of 4; {@code to} too, or {@code d}.
     */
    public static void addScatter(double[] panel, int rows, int d, double[] c, int from, int to) {
        if (from % 4 != 0 || (to % 4 != 0 && to != d) || from > to || to > d) {
            throw new IllegalArgumentException("scatter rows " + from + " to " + to + " of " + d);
        }
        if (VECTOR && d >= VectorKernels.SCATTER_MIN_DIMS) {
            VectorKernels.addScatter(panel, rows, d, c, from, to);
            return;
        }
        scalarAddScatter(panel, rows, d, c, from, to);
    }

    /** {@link #addScatter} without vector registers: four panel rows per pass over the lower triangle's rows. */
    static void scalarAddScatter(double[] panel, int rows, int d, double[] c, int from, int to) {
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            int o0 = i * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            for (int j = from; j < to; j++) {
                double a0 = panel[o0 + j];
                double a1 = panel[o1 + j];
                double a2 = panel[o2 + j];
                double a3 = panel[o3 + j];
                int base = j * d;
                for (int k = 0; k <= j; k++) {
                    c[base + k] = Math.fma(a3, panel[o3 + k], Math.fma(a2, panel[o2 + k],
                            Math.fma(a1, panel[o1 + k], Math.fma(a0, panel[o0 + k], c[base + k]))));
                }
            }
        }
        for (; i < rows; i++) {
            int o = i * d;
            for (int j = from; j < to; j++) {
                double a = panel[o + j];
                int base = j * d;
                for (int k = 0; k <= j; k++) {
                    c[base + k] = Math.fma(a, panel[o + k], c[base + k]);
                }
            }
        }
    }

    /** Cosine similarity of two vectors of equal length (0 when either is zero). */
    public static double cosine(float[] a, float[] b) {
        return dot(normalized(a, 0, a.length), normalized(b, 0, b.length));
    }

    /** Rows scaled to unit length (zero rows stay zero), as a new matrix. */
    public static FloatMatrix normalizeRows(FloatMatrix m) {
        float[] out = new float[m.size()];
        int d = m.cols();
        for (int r = 0; r < m.rows(); r++) {
            int off = r * d;
            double n = Math.max(norm(m.data(), off, d), EPS);
            for (int j = 0; j < d; j++) {
                out[off + j] = (float) (m.data()[off + j] / n);
            }
        }
        return new FloatMatrix(m.rows(), d, out);
    }
}
