package org.protolens.core.proto;

import org.protolens.core.FloatMatrix;

/**
 * Euclidean vector arithmetic for prototypes and embeddings. Normalisation follows PyTorch's
 * {@code F.normalize}: a vector is divided by {@code max(||v||, 1e-12)}, so the zero vector stays
 * zero instead of turning into NaN.
 */
public final class L2 {
    /** PyTorch's default eps for {@code F.normalize}. */
    public static final double EPS = 1e-12;

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
     * Dot product with four partial sums, so that the JIT keeps several multiply-adds in flight
     * (the transductive heads' inner loop); it rounds differently from {@link #dot(double[], double[])}.
     */
    public static double dot4(double[] a, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Dot product of a float row with a float vector, four partial sums so that the JIT keeps
     * several multiply-adds in flight. This loop is the inner loop of every re-prediction.
     */
    public static float dot(float[] a, int aOffset, float[] b, int length) {
        return dot(a, aOffset, b, 0, length);
    }

    /** As {@link #dot(float[], int, float[], int)}, both vectors read from an offset. */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
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

    /** Cosine similarity of two vectors of equal length (0 when either is zero). */
    public static double cosine(float[] a, float[] b) {
        return dot(normalized(a, 0, a.length), normalized(b, 0, b.length));
    }

    /** Rows scaled to unit length (zero rows stay zero), as a new matrix. */
    public static FloatMatrix normalizeRows(FloatMatrix m) {
        float[] out = new float[m.data().length];
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
