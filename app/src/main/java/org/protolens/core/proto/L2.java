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

    /**
     * {@link #addScatter} without vector registers: the triangle's rows in blocks of 4 x 4
     * elements, each block's 16 sums held in registers while the panel's rows are added to them in
     * order (every element gets the same additions in the same order as one row at a time, so the
     * same number, and as the vector kernel); the rows of a last range that ends off a multiple of
     * 4 one element at a time.
     */
    static void scalarAddScatter(double[] panel, int rows, int d, double[] c, int from, int to) {
        int j = from;
        for (; j + 4 <= to; j += 4) {
            // up to the block on the diagonal, whose elements above it are replaced by their mirror images later
            for (int k = 0; k <= j; k += 4) {
                addScatterBlock(panel, rows, d, c, j, k);
            }
        }
        for (; j < to; j++) {
            int base = j * d;
            for (int k = 0; k <= j; k++) {
                double s = c[base + k];
                for (int i = 0, o = 0; i < rows; i++, o += d) {
                    s = Math.fma(panel[o + j], panel[o + k], s);
                }
                c[base + k] = s;
            }
        }
    }

    /** Adds the panel's rows to the 4 x 4 elements of c from row j, column k. */
    private static void addScatterBlock(double[] p, int rows, int d, double[] c, int j, int k) {
        int c0 = j * d + k;
        int c1 = c0 + d;
        int c2 = c1 + d;
        int c3 = c2 + d;
        double s00 = c[c0], s01 = c[c0 + 1], s02 = c[c0 + 2], s03 = c[c0 + 3];
        double s10 = c[c1], s11 = c[c1 + 1], s12 = c[c1 + 2], s13 = c[c1 + 3];
        double s20 = c[c2], s21 = c[c2 + 1], s22 = c[c2 + 2], s23 = c[c2 + 3];
        double s30 = c[c3], s31 = c[c3 + 1], s32 = c[c3 + 2], s33 = c[c3 + 3];
        for (int i = 0, o = 0; i < rows; i++, o += d) {
            double a0 = p[o + j], a1 = p[o + j + 1], a2 = p[o + j + 2], a3 = p[o + j + 3];
            double b0 = p[o + k], b1 = p[o + k + 1], b2 = p[o + k + 2], b3 = p[o + k + 3];
            s00 = Math.fma(a0, b0, s00);
            s01 = Math.fma(a0, b1, s01);
            s02 = Math.fma(a0, b2, s02);
            s03 = Math.fma(a0, b3, s03);
            s10 = Math.fma(a1, b0, s10);
            s11 = Math.fma(a1, b1, s11);
            s12 = Math.fma(a1, b2, s12);
            s13 = Math.fma(a1, b3, s13);
            s20 = Math.fma(a2, b0, s20);
            s21 = Math.fma(a2, b1, s21);
            s22 = Math.fma(a2, b2, s22);
            s23 = Math.fma(a2, b3, s23);
            s30 = Math.fma(a3, b0, s30);
            s31 = Math.fma(a3, b1, s31);
            s32 = Math.fma(a3, b2, s32);
            s33 = Math.fma(a3, b3, s33);
        }
        c[c0] = s00;
        c[c0 + 1] = s01;
        c[c0 + 2] = s02;
        c[c0 + 3] = s03;
        c[c1] = s10;
        c[c1 + 1] = s11;
        c[c1 + 2] = s12;
        c[c1 + 3] = s13;
        c[c2] = s20;
        c[c2 + 1] = s21;
        c[c2 + 2] = s22;
        c[c2 + 3] = s23;
        c[c3] = s30;
        c[c3 + 1] = s31;
        c[c3 + 2] = s32;
        c[c3 + 3] = s33;
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
