package org.protolens.core.map;

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
    private static final int STRETCHES = 16;
    /** rows centred into one block of doubles before they are added to the covariance */
    private static final int PANEL_ROWS = 64;

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
        LeadingEigen leading = LeadingEigen.of(covariance, d, Math.min(components, d));
        double[][] axes = new double[leading.vectors.length][];
        for (int a = 0; a < axes.length; a++) {
            axes[a] = leading.vectors[a];
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
     * The scatter matrix (d x d, row-major, both halves) of the centred rows: rows in a fixed
     * number of stretches (side by side), each stretch's rows added in order ({@link L2#addScatter}),
     * stretches added in order, so the same rows always give the same sums.
     */
    static double[] covariance(FloatMatrix x, double[] centre) {
        int n = x.rows();
        int d = x.cols();
        int stretches = Math.max(1, Math.min(STRETCHES, n / 512));
        double[][] parts = new double[stretches][];
        IntStream.range(0, stretches).parallel()
                .forEach(s -> parts[s] = lowerScatter(x, centre, (int) ((long) s * n / stretches), (int) ((long) (s + 1) * n / stretches)));
        double[] c = parts[0];
        for (int s = 1; s < stretches; s++) {
            double[] p = parts[s];
            for (int j = 0; j < d; j++) {
                for (int k = 0; k <= j; k++) {
                    c[j * d + k] += p[j * d + k];
                }
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
        double[] panel = new double[PANEL_ROWS * d];
        for (int r0 = from; r0 < to; r0 += PANEL_ROWS) {
            int rows = Math.min(PANEL_ROWS, to - r0);
            for (int i = 0; i < rows; i++) {
                int off = x.offset(r0 + i);
                int at = i * d;
                for (int j = 0; j < d; j++) {
                    panel[at + j] = data[off + j] - centre[j];
                }
            }
            L2.addScatter(panel, rows, d, c);
        }
        return c;
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
