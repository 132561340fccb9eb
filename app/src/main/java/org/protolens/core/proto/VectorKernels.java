package org.protolens.core.proto;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link L2}'s float kernels on the CPU's vector registers (the JDK's Vector API). Loaded only
 * where the {@code jdk.incubator.vector} module is present; {@link L2} falls back to its scalar
 * loops otherwise.
 *
 * <p>Every dot product sums in the same order, whichever kernel computes it: two vector
 * accumulators (even and odd blocks of the species' length), a last whole block into the first,
 * the lanes added from the first to the last, then the remaining elements one by one. So a
 * class's column of similarities built with all classes at once equals the one built for that
 * class alone, bit for bit. The lanes are added in scalar code, not by {@code reduceLanes}, whose
 * order differs between the interpreter and compiled code: the same numbers in, the same out, at
 * any moment of the run.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** rows read by all vectors before the next rows: 64 KB of them, within a core's L2 cache */
    private static final int ROW_BLOCK_FLOATS = 16_384;

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    /**
     * Narrower scatter matrices go through the scalar kernel: as fast there, and it needs no
     * compiling (a vector loop runs many times slower until the JIT has compiled it).
     */
    static final int SCATTER_MIN_DIMS = 128;
    /** Whether {@link #dot16} has a kernel for this width (2 or 4 vectors of 8 or 4 doubles). */
    static final boolean DOT16 = DL == 8 || DL == 4;

    private VectorKernels() {
    }

    /** Whether the CPU has vector registers of at least four floats. */
    static boolean usable() {
        return L >= 4;
    }

    static String describe() {
        return L * 32 + "-bit vectors";
    }

    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int i = 0;
        for (; i + 2 * L <= length; i += 2 * L) {
            s0 = FloatVector.fromArray(S, a, aOffset + i).fma(FloatVector.fromArray(S, b, bOffset + i), s0);
            s1 = FloatVector.fromArray(S, a, aOffset + i + L).fma(FloatVector.fromArray(S, b, bOffset + i + L), s1);
        }
        if (i + L <= length) {
            s0 = FloatVector.fromArray(S, a, aOffset + i).fma(FloatVector.fromArray(S, b, bOffset + i), s0);
            i += L;
        }
        float s = sum(s0.add(s1), new float[L]);
        for (; i < length; i++) {
            s += a[aOffset + i] * b[bOffset + i];
        }
        return s;
    }

    /**
     * For rows {@code from} to {@code to} of {@code x} (d floats each) and every vector
     * {@code v[k]}: {@code out[k][i] = scale[i] * (x_i . v[k])} ({@code scale} null: 1). Four
     * (or two) vectors at a time share each load of a row.
     */
    static void columns(float[] x, int d, float[] scale, int from, int to, float[][] v, float[][] out) {
        float[] lanes = new float[L];
        // a block of rows stays in the cache while every group of vectors reads it
        int block = v.length <= 2 ? to - from : Math.max(8, ROW_BLOCK_FLOATS / d);
        for (int r0 = from; r0 < to; r0 += block) {
            int r1 = Math.min(to, r0 + block);
            int k = 0;
            for (; k + 4 <= v.length; k += 4) {
                columns4(x, d, scale, r0, r1, v[k], v[k + 1], v[k + 2], v[k + 3], out[k], out[k + 1], out[k + 2], out[k + 3],
                        lanes);
            }
            if (k + 2 <= v.length) {
                columns2(x, d, scale, r0, r1, v[k], v[k + 1], out[k], out[k + 1], lanes);
                k += 2;
            }
            for (; k < v.length; k++) {
                float[] u = v[k];
                float[] o = out[k];
                for (int i = r0; i < r1; i++) {
                    float s = dot(x, i * d, u, 0, d);
                    o[i] = scale == null ? s : s * scale[i];
                }
            }
        }
    }

    /**
     * {@link L2#addScatter}: tiles of 4 rows by 2 vectors of the scatter matrix held in registers
     * while every row of the panel adds to them, one fused multiply-add per row and element in
     * the rows' order (as the scalar kernel does). Tiles may reach above the diagonal.
     */
    static void addScatter(double[] panel, int rows, int d, double[] c, int from, int to) {
        int j = from;
        for (; j + 4 <= to; j += 4) {
            int k = 0;
            for (; k < j + 4 && k + 2 * DL <= d; k += 2 * DL) {
                scatterTile(panel, rows, d, j, k, c);
            }
            for (int jj = j; jj < j + 4; jj++) {
                scatterElements(panel, rows, d, jj, k, jj, c);
            }
        }
        for (; j < to; j++) {
            scatterElements(panel, rows, d, j, 0, j, c);
        }
    }

    /** Elements {@code (j, from..to)} one at a time. */
    private static void scatterElements(double[] panel, int rows, int d, int j, int from, int to, double[] c) {
        for (int k = from; k <= to; k++) {
            double s = c[j * d + k];
            for (int i = 0; i < rows; i++) {
                s = Math.fma(panel[i * d + j], panel[i * d + k], s);
            }
            c[j * d + k] = s;
        }
    }

    private static void scatterTile(double[] panel, int rows, int d, int j, int k, double[] c) {
        int r0 = j * d + k;
        int r1 = r0 + d;
        int r2 = r1 + d;
        int r3 = r2 + d;
        DoubleVector c00 = DoubleVector.fromArray(D, c, r0);
        DoubleVector c01 = DoubleVector.fromArray(D, c, r0 + DL);
        DoubleVector c10 = DoubleVector.fromArray(D, c, r1);
        DoubleVector c11 = DoubleVector.fromArray(D, c, r1 + DL);
        DoubleVector c20 = DoubleVector.fromArray(D, c, r2);
        DoubleVector c21 = DoubleVector.fromArray(D, c, r2 + DL);
        DoubleVector c30 = DoubleVector.fromArray(D, c, r3);
        DoubleVector c31 = DoubleVector.fromArray(D, c, r3 + DL);
        for (int i = 0; i < rows; i++) {
            int o = i * d;
            DoubleVector b0 = DoubleVector.fromArray(D, panel, o + k);
            DoubleVector b1 = DoubleVector.fromArray(D, panel, o + k + DL);
            DoubleVector a0 = DoubleVector.broadcast(D, panel[o + j]);
            DoubleVector a1 = DoubleVector.broadcast(D, panel[o + j + 1]);
            DoubleVector a2 = DoubleVector.broadcast(D, panel[o + j + 2]);
            DoubleVector a3 = DoubleVector.broadcast(D, panel[o + j + 3]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + DL);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + DL);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + DL);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + DL);
    }

    /** {@link L2#dot16}: the sixteen partial sums held in two vectors of 8 doubles or four of 4. */
    static double dot16(double[] a, int aOffset, double[] b, int length) {
        int i = 0;
        if (DL == 8) {
            DoubleVector p0 = DoubleVector.zero(D);
            DoubleVector p1 = DoubleVector.zero(D);
            for (; i + 16 <= length; i += 16) {
                p0 = DoubleVector.fromArray(D, a, aOffset + i).fma(DoubleVector.fromArray(D, b, i), p0);
                p1 = DoubleVector.fromArray(D, a, aOffset + i + 8).fma(DoubleVector.fromArray(D, b, i + 8), p1);
            }
            return L2.tail16(a, aOffset, b, length, i, p0.lane(0), p0.lane(1), p0.lane(2), p0.lane(3), p0.lane(4), p0.lane(5),
                    p0.lane(6), p0.lane(7), p1.lane(0), p1.lane(1), p1.lane(2), p1.lane(3), p1.lane(4), p1.lane(5), p1.lane(6), p1.lane(7));
        }
        DoubleVector p0 = DoubleVector.zero(D);
        DoubleVector p1 = DoubleVector.zero(D);
        DoubleVector p2 = DoubleVector.zero(D);
        DoubleVector p3 = DoubleVector.zero(D);
        for (; i + 16 <= length; i += 16) {
            int o = aOffset + i;
            p0 = DoubleVector.fromArray(D, a, o).fma(DoubleVector.fromArray(D, b, i), p0);
            p1 = DoubleVector.fromArray(D, a, o + 4).fma(DoubleVector.fromArray(D, b, i + 4), p1);
            p2 = DoubleVector.fromArray(D, a, o + 8).fma(DoubleVector.fromArray(D, b, i + 8), p2);
            p3 = DoubleVector.fromArray(D, a, o + 12).fma(DoubleVector.fromArray(D, b, i + 12), p3);
        }
        return L2.tail16(a, aOffset, b, length, i, p0.lane(0), p0.lane(1), p0.lane(2), p0.lane(3), p1.lane(0), p1.lane(1), p1.lane(2),
                p1.lane(3), p2.lane(0), p2.lane(1), p2.lane(2), p2.lane(3), p3.lane(0), p3.lane(1), p3.lane(2), p3.lane(3));
    }

    /** The lanes of {@code v} added from the first to the last ({@code lanes}: room for them). */
    private static float sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float s = 0;
        for (int j = 0; j < L; j++) {
            s += lanes[j];
        }
        return s;
    }

    private static void columns2(float[] x, int d, float[] scale, int from, int to, float[] u0, float[] u1, float[] o0,
                                 float[] o1, float[] lanes) {
        for (int r = from; r < to; r++) {
            int off = r * d;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S);
            FloatVector b1 = FloatVector.zero(S);
            int i = 0;
            for (; i + 2 * L <= d; i += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, off + i);
                FloatVector x1 = FloatVector.fromArray(S, x, off + i + L);
                a0 = x0.fma(FloatVector.fromArray(S, u0, i), a0);
                a1 = x1.fma(FloatVector.fromArray(S, u0, i + L), a1);
                b0 = x0.fma(FloatVector.fromArray(S, u1, i), b0);
                b1 = x1.fma(FloatVector.fromArray(S, u1, i + L), b1);
            }
            if (i + L <= d) {
                FloatVector x0 = FloatVector.fromArray(S, x, off + i);
                a0 = x0.fma(FloatVector.fromArray(S, u0, i), a0);
                b0 = x0.fma(FloatVector.fromArray(S, u1, i), b0);
                i += L;
            }
            float sa = sum(a0.add(a1), lanes);
            float sb = sum(b0.add(b1), lanes);
            for (; i < d; i++) {
                float xi = x[off + i];
                sa += xi * u0[i];
                sb += xi * u1[i];
            }
            o0[r] = scale == null ? sa : sa * scale[r];
            o1[r] = scale == null ? sb : sb * scale[r];
        }
    }

    private static void columns4(float[] x, int d, float[] scale, int from, int to, float[] u0, float[] u1, float[] u2,
                                 float[] u3, float[] o0, float[] o1, float[] o2, float[] o3, float[] lanes) {
        for (int r = from; r < to; r++) {
            int off = r * d;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S);
            FloatVector b1 = FloatVector.zero(S);
            FloatVector c0 = FloatVector.zero(S);
            FloatVector c1 = FloatVector.zero(S);
            FloatVector e0 = FloatVector.zero(S);
            FloatVector e1 = FloatVector.zero(S);
            int i = 0;
            for (; i + 2 * L <= d; i += 2 * L) {
                FloatVector x0 = FloatVector.fromArray(S, x, off + i);
                FloatVector x1 = FloatVector.fromArray(S, x, off + i + L);
                a0 = x0.fma(FloatVector.fromArray(S, u0, i), a0);
                a1 = x1.fma(FloatVector.fromArray(S, u0, i + L), a1);
                b0 = x0.fma(FloatVector.fromArray(S, u1, i), b0);
                b1 = x1.fma(FloatVector.fromArray(S, u1, i + L), b1);
                c0 = x0.fma(FloatVector.fromArray(S, u2, i), c0);
                c1 = x1.fma(FloatVector.fromArray(S, u2, i + L), c1);
                e0 = x0.fma(FloatVector.fromArray(S, u3, i), e0);
                e1 = x1.fma(FloatVector.fromArray(S, u3, i + L), e1);
            }
            if (i + L <= d) {
                FloatVector x0 = FloatVector.fromArray(S, x, off + i);
                a0 = x0.fma(FloatVector.fromArray(S, u0, i), a0);
                b0 = x0.fma(FloatVector.fromArray(S, u1, i), b0);
                c0 = x0.fma(FloatVector.fromArray(S, u2, i), c0);
                e0 = x0.fma(FloatVector.fromArray(S, u3, i), e0);
                i += L;
            }
            float sa = sum(a0.add(a1), lanes);
            float sb = sum(b0.add(b1), lanes);
            float sc = sum(c0.add(c1), lanes);
            float se = sum(e0.add(e1), lanes);
            for (; i < d; i++) {
                float xi = x[off + i];
                sa += xi * u0[i];
                sb += xi * u1[i];
                sc += xi * u2[i];
                se += xi * u3[i];
            }
            float f = scale == null ? 1 : scale[r];
            o0[r] = scale == null ? sa : sa * f;
            o1[r] = scale == null ? sb : sb * f;
            o2[r] = scale == null ? sc : sc * f;
            o3[r] = scale == null ? se : se * f;
        }
    }
}
