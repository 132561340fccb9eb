package org.protolens.core.map;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import smile.math.blas.UPLO;
import smile.math.matrix.Matrix;

/**
 * The map's linear layout: the embeddings projected on their first two principal components
 * (the covariance's leading eigenvectors, through Smile's BLAS and LAPACK). Deterministic: each
 * axis's sign is fixed so that its largest loading is positive, so the same embeddings always
 * give the same picture. Every row gets a point.
 */
public final class PcaMap {
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
     * dimensions. The covariance is one BLAS product of the centred rows with themselves and its
     * axes come from LAPACK's symmetric eigen-solver, both through Smile's matrices.
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
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(evd.wr[b], evd.wr[a]));
        int k = Math.min(components, d);
        double[][] axes = new double[k][d];
        for (int a = 0; a < k; a++) {
            int biggest = 0;
            for (int j = 0; j < d; j++) {
                axes[a][j] = evd.Vr.get(j, order[a]);
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
