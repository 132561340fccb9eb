package org.protolens.core.map;

import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.L2;

/**
 * How well a map keeps neighbourhoods (Venna and Kaski, 2001): 1 when each point's k nearest
 * points on the map are among its k nearest in the embedding space, lower when the map brings
 * in strangers, penalised by how far down the embedding-space ranking they are. Distances in the
 * embedding space are between unit-length embeddings, as the map draws them. Quadratic: for tests
 * and reports on up to some thousands of points.
 */
public final class Trustworthiness {
    private Trustworthiness() {
    }

    public static double of(FloatMatrix embeddings, float[] xy, int k) {
        int n = embeddings.rows();
        if (xy.length != 2 * n || k < 1 || 2 * n - 3 * k - 1 <= 0) {
            throw new IllegalArgumentException("need 2 coordinates per embedding and k < n / 1.5");
        }
        float[] x = L2.normalizeRows(embeddings).data();
        int d = embeddings.cols();
        double penalty = IntStream.range(0, n).parallel().mapToDouble(i -> {
            double[] high = new double[n];
            double[] low = new double[n];
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x[i * d + c] - x[j * d + c];
                    s += diff * diff;
                }
                high[j] = s;
                double dx = xy[2 * i] - xy[2 * j];
                double dy = xy[2 * i + 1] - xy[2 * j + 1];
                low[j] = dx * dx + dy * dy;
            }
            high[i] = Double.NEGATIVE_INFINITY;
            low[i] = Double.NEGATIVE_INFINITY;
            Integer[] byHigh = IntStream.range(0, n).boxed().sorted((a, b) -> Double.compare(high[a], high[b])).toArray(Integer[]::new);
            int[] rank = new int[n];
            for (int p = 0; p < n; p++) {
                rank[byHigh[p]] = p; // i itself has rank 0, its nearest neighbour rank 1
            }
            Integer[] byLow = IntStream.range(0, n).boxed().sorted((a, b) -> Double.compare(low[a], low[b])).toArray(Integer[]::new);
            double sum = 0;
            for (int p = 1; p <= k; p++) {
                int j = byLow[p];
                if (rank[j] > k) {
                    sum += rank[j] - k;
                }
            }
            return sum;
        }).sum();
        return 1 - 2.0 / (n * (double) k * (2 * n - 3 * k - 1)) * penalty;
    }
}
