package org.protolens.core.map;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.protolens.core.FloatMatrix;
import smile.math.blas.UPLO;
import smile.math.matrix.Matrix;

/**
 * The map's linear layout: the embeddings projected on their first two principal components
 * (the covariance's leading eigenvectors: in plain Java up to 256 dimensions, where loading a
 * native BLAS would cost more than the arithmetic; beyond, through Smile's BLAS and LAPACK). Deterministic: each
 * axis's sign is fixed so that its largest loading is positive, so the same embeddings always
 * give the same picture. Every row gets a point.
 */
public final class PcaMap {
    /** Up to this many dimensions the covariance and its axes are computed in plain Java; beyond, with native BLAS and LAPACK. */
    static final int PLAIN_JAVA_DIMS = 256;
    private static final int STRETCHES = 16;

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
        return fit(x, components, x.cols() <= PLAIN_JAVA_DIMS);
    }

    /** {@link #fit(FloatMatrix, int)} in plain Java or with native BLAS and LAPACK, as asked. */
    static PcaMap fit(FloatMatrix x, int components, boolean plainJava) {
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
        double[] values = new double[d];
        double[][] vectors = new double[d][];
        if (plainJava) {
            eigenInJava(covariance(x, centre), d, values, vectors);
        } else {
            eigenWithLapack(x, centre, values, vectors);
        }
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        int k = Math.min(components, d);
        double[][] axes = new double[k][];
        for (int a = 0; a < k; a++) {
            axes[a] = vectors[order[a]].clone();
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
     * The scatter matrix (d x d, row-major, both halves) of the centred rows, summed in plain Java:
     * rows in a fixed number of stretches (side by side), four rows per pass over the lower
     * triangle, stretches added in order, so the same rows always give the same sums.
     */
    private static double[] covariance(FloatMatrix x, double[] centre) {
        int n = x.rows();
        int d = x.cols();
        int stretches = Math.max(1, Math.min(STRETCHES, n / 512));
        double[][] parts = new double[stretches][];
        IntStream.range(0, stretches).parallel()
                .forEach(s -> parts[s] = lowerScatter(x, centre, (int) ((long) s * n / stretches), (int) ((long) (s + 1) * n / stretches)));
        double[] c = parts[0];
        for (int s = 1; s < stretches; s++) {
            double[] p = parts[s];
            for (int i = 0; i < c.length; i++) {
                c[i] += p[i];
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < j; k++) {
                c[k * d + j] = c[j * d + k];
            }
        }
        return c;
    }

    private static double[] lowerScatter(FloatMatrix x, double[] centre, int from, int to) {
        int d = x.cols();
        float[] data = x.data();
        double[] c = new double[d * d];
        double[] v0 = new double[d];
        double[] v1 = new double[d];
        double[] v2 = new double[d];
        double[] v3 = new double[d];
        int r = from;
        for (; r + 4 <= to; r += 4) {
            centred(data, x.offset(r), centre, v0);
            centred(data, x.offset(r + 1), centre, v1);
            centred(data, x.offset(r + 2), centre, v2);
            centred(data, x.offset(r + 3), centre, v3);
            for (int j = 0; j < d; j++) {
                double a0 = v0[j];
                double a1 = v1[j];
                double a2 = v2[j];
                double a3 = v3[j];
                int base = j * d;
                for (int k = 0; k <= j; k++) {
                    c[base + k] += a0 * v0[k] + a1 * v1[k] + a2 * v2[k] + a3 * v3[k];
                }
            }
        }
        for (; r < to; r++) {
            centred(data, x.offset(r), centre, v0);
            for (int j = 0; j < d; j++) {
                double a0 = v0[j];
                int base = j * d;
                for (int k = 0; k <= j; k++) {
                    c[base + k] += a0 * v0[k];
                }
            }
        }
        return c;
    }

    private static void centred(float[] data, int off, double[] centre, double[] into) {
        for (int j = 0; j < into.length; j++) {
            into[j] = data[off + j] - centre[j];
        }
    }

    /** EJML's symmetric eigen-decomposition (tridiagonal form, implicit QR) of a d x d row-major matrix. */
    private static void eigenInJava(double[] symmetric, int d, double[] values, double[][] vectors) {
        EigenDecomposition_F64<DMatrixRMaj> evd = DecompositionFactory_DDRM.eig(d, true, true);
        if (!evd.decompose(DMatrixRMaj.wrap(d, d, symmetric))) {
            throw new IllegalArgumentException("the embeddings' covariance has no eigen-decomposition (not finite numbers?)");
        }
        for (int i = 0; i < d; i++) {
            values[i] = evd.getEigenvalue(i).getReal();
            DMatrixRMaj v = evd.getEigenVector(i);
            vectors[i] = v == null ? new double[d] : v.getData().clone();
        }
    }

    /** One BLAS product of the centred rows with themselves, and LAPACK's symmetric eigen-solver, through Smile. */
    private static void eigenWithLapack(FloatMatrix x, double[] centre, double[] values, double[][] vectors) {
        int n = x.rows();
        int d = x.cols();
        Matrix centred = new Matrix(n, d);
        for (int r = 0; r < n; r++) {
            int off = x.offset(r);
            for (int j = 0; j < d; j++) {
                centred.set(r, j, x.data()[off + j] - centre[j]);
            }
        }
        Matrix covariance = centred.ata();
        covariance.uplo(UPLO.LOWER);
        Matrix.EVD evd = covariance.eigen(false, true, true);
        for (int i = 0; i < d; i++) {
            values[i] = evd.wr[i];
            vectors[i] = new double[d];
            for (int j = 0; j < d; j++) {
                vectors[i][j] = evd.Vr.get(j, i);
            }
        }
    }

    /** How many coordinates {@link #project} gives per row. */
    public int components() {
        return axes.length;
    }

    /** The coordinates of every row of {@code x}, interleaved: {@code [x0, y0, x1, y1, ...]} for two axes. */
    public float[] project(FloatMatrix x) {
        if (x.cols() != centre.length) {
            throw new IllegalArgumentException("the map was fitted on " + centre.length + "-d embeddings, got " + x.cols());
        }
        int k = axes.length;
        float[] out = new float[k * x.rows()];
        IntStream rows = IntStream.range(0, x.rows());
        (x.rows() > 4096 ? rows.parallel() : rows).forEach(r -> {
            int off = x.offset(r);
            for (int a = 0; a < k; a++) {
                double s = 0;
                double[] axis = axes[a];
                for (int j = 0; j < centre.length; j++) {
                    s += (x.data()[off + j] - centre[j]) * axis[j];
                }
                out[k * r + a] = (float) s;
            }
        });
        return out;
    }
}
