package org.protolens.core.map;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.Workspace;
import org.protolens.core.proto.L2;

/** Inputs and measures shared by the map tests. */
final class MapFixtures {
    private MapFixtures() {
    }

    /**
     * The Fashion sample's embeddings, unit length and reduced to the map's principal components
     * ({@code reduced}, n x r row-major, and the same as rows of doubles for Smile's layouts).
     */
    record Reduced(FloatMatrix embeddings, float[] reduced, int n, int r, double[][] rows) {
    }

    static Reduced fashionReduced() throws IOException {
        FloatMatrix e = Workspace.open(TestResources.samples().resolve("fashion-fewshot")).embeddings();
        FloatMatrix unit = L2.normalizeRows(e);
        PcaMap reduce = PcaMap.fit(unit, MapLayout.REDUCED_DIMS);
        float[] reduced = reduce.project(unit);
        int n = e.rows();
        int r = reduce.components();
        double[][] rows = new double[n][r];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < r; j++) {
                rows[i][j] = reduced[i * r + j];
            }
        }
        return new Reduced(e, reduced, n, r, rows);
    }

    /** A layout given as rows of two doubles, interleaved as the map keeps it. */
    static float[] interleaved(double[][] coords) {
        float[] xy = new float[2 * coords.length];
        for (int i = 0; i < coords.length; i++) {
            xy[2 * i] = (float) coords[i][0];
            xy[2 * i + 1] = (float) coords[i][1];
        }
        return xy;
    }

    /** n points in d dimensions around c well-separated centres; point i belongs to cluster i % c. */
    static float[] clusters(int n, int d, int c, long seed) {
        Random rnd = new Random(seed);
        float[][] centres = new float[c][d];
        for (float[] centre : centres) {
            for (int j = 0; j < d; j++) {
                centre[j] = (float) (rnd.nextGaussian() * 10);
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[i % c][j] + (float) rnd.nextGaussian();
            }
        }
        return x;
    }

    /** Leave-one-out k-NN accuracy of a map (x, y interleaved): each point's label against its k nearest points' vote. */
    static double knnAccuracy(float[] xy, int[] labels, int k) {
        int n = labels.length;
        int right = 0;
        for (int i = 0; i < n; i++) {
            int q = i;
            Integer[] order = IntStream.range(0, n).filter(j -> j != q).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> Double.compare(dist(xy, q, a), dist(xy, q, b)));
            int[] votes = new int[Arrays.stream(labels).max().orElse(0) + 1];
            for (int t = 0; t < k; t++) {
                votes[labels[order[t]]]++;
            }
            int best = 0;
            for (int c = 1; c < votes.length; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            right += best == labels[i] ? 1 : 0;
        }
        return right / (double) n;
    }

    private static double dist(float[] xy, int a, int b) {
        double dx = xy[2 * a] - xy[2 * b], dy = xy[2 * a + 1] - xy[2 * b + 1];
        return dx * dx + dy * dy;
    }
}
