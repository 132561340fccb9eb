package org.protolens.core.map;

import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import smile.feature.extraction.PCA;

/**
 * The map's linear layout: the embeddings projected on their first two principal components
 * (Smile's PCA on the covariance). Deterministic: each axis's sign is fixed so that its largest
 * loading is positive, so the same embeddings always give the same picture. Every row gets a point.
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

    /** Fits the first {@code components} axes on {@code x} (at least 2 rows); fewer when x has fewer dimensions. */
    public static PcaMap fit(FloatMatrix x, int components) {
        if (x.rows() < 2) {
            throw new IllegalArgumentException("a map needs at least 2 embeddings, got " + x.rows());
        }
        double[][] rows = new double[x.rows()][x.cols()];
        for (int r = 0; r < x.rows(); r++) {
            int off = x.offset(r);
            for (int j = 0; j < x.cols(); j++) {
                rows[r][j] = x.data()[off + j];
            }
        }
        PCA pca = PCA.fit(rows);
        var loadings = pca.loadings();
        int d = x.cols();
        int k = Math.min(components, Math.min(d, loadings.ncol()));
        double[][] axes = new double[k][d];
        for (int a = 0; a < k; a++) {
            int biggest = 0;
            for (int j = 0; j < d; j++) {
                axes[a][j] = loadings.get(j, a);
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
        return new PcaMap(pca.center().clone(), axes);
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
