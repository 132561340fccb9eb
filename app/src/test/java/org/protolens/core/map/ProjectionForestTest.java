package org.protolens.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The forest that finds where images placed on a map belong: their nearest laid-out images. */
class ProjectionForestTest {
    private static final int D = 50;

    @Test
    void aPlacedImagesNeighboursAreMostlyItsTrueNearest() {
        // 8,000 laid-out rows and 300 more from the same 20 clusters, each cluster spread over a few directions
        int n = 8_000;
        int m = 300;
        float[] x = curvedClusters(n + m, 20, 3);
        float[] laidOut = Arrays.copyOf(x, n * D);
        float[] placed = Arrays.copyOfRange(x, n * D, (n + m) * D);
        ProjectionForest forest = ProjectionForest.grow(laidOut, n, D, MapLayout.PLACE_TREES, MapLayout.PLACE_LEAF, 7);
        ProjectionForest.Found found = forest.nearest(placed, IntStream.range(0, m).toArray(), 5);
        int hits = 0;
        for (int t = 0; t < m; t++) {
            int[] truth = nearestByScan(laidOut, n, placed, t, 5);
            assertEquals(5, found.count(t));
            for (int q = 0; q < 5; q++) {
                int j = found.index()[t * 5 + q];
                if (Arrays.stream(truth).anyMatch(v -> v == j)) {
                    hits++;
                }
                assertEquals(squared(placed, t, laidOut, j), found.squared()[t * 5 + q], 1e-5 * found.squared()[t * 5 + q],
                        "the distance given is the row's distance");
                if (q > 0) {
                    assertTrue(found.squared()[t * 5 + q - 1] <= found.squared()[t * 5 + q], "nearest first");
                }
            }
        }
        double recall = hits / (5.0 * m);
        assertTrue(recall >= 0.9, "share of the true 5 nearest found: " + recall);
    }

    @Test
    void aLaidOutImageFindsItselfFirst() {
        int n = 3_000;
        float[] x = curvedClusters(n, 10, 5);
        ProjectionForest forest = ProjectionForest.grow(x, n, D, 4, 32, 3);
        ProjectionForest.Found found = forest.nearest(x, IntStream.range(0, n).toArray(), 3);
        for (int i = 0; i < n; i++) {
            assertEquals(i, found.index()[i * 3], "row " + i + " descends to the leaves it was put in");
            assertEquals(0f, found.squared()[i * 3]);
        }
    }

    @Test
    void theSameRowsAndSeedGiveTheSameNeighboursOnAnyNumberOfCores() throws Exception {
        int n = 6_000;
        float[] x = curvedClusters(n + 500, 15, 11);
        int[] rows = IntStream.range(n, n + 500).toArray();
        ProjectionForest.Found here = ProjectionForest.grow(x, n, D, 8, 64, 5).nearest(x, rows, 5);
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            ProjectionForest.Found alone = one.submit(() -> ProjectionForest.grow(x, n, D, 8, 64, 5).nearest(x, rows, 5)).get();
            assertArrayEquals(here.index(), alone.index());
            assertArrayEquals(here.squared(), alone.squared());
        } finally {
            one.shutdown();
        }
    }

    @Test
    void fewerRowsThanAskedForGiveAllOfThem() {
        float[] x = {0, 0, 1, 0, 0, 3};
        ProjectionForest exact = ProjectionForest.grow(x, 3, 2, 1, 3, 1);
        ProjectionForest.Found found = exact.nearest(new float[] {0.2f, 0}, new int[] {0}, 5);
        assertEquals(3, found.count(0));
        assertArrayEquals(new int[] {0, 1, 2, -1, -1}, found.index());
        assertArrayEquals(new float[] {0.04f, 0.64f, 9.04f}, Arrays.copyOf(found.squared(), 3), 1e-6f);
    }

    /** The row indices of the k rows of x nearest to row t of q, by measuring every one. */
    private static int[] nearestByScan(float[] x, int n, float[] q, int t, int k) {
        return IntStream.range(0, n).boxed().sorted((a, b) -> Double.compare(squared(q, t, x, a), squared(q, t, x, b)))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static double squared(float[] q, int t, float[] x, int j) {
        double s = 0;
        for (int c = 0; c < D; c++) {
            double diff = q[t * D + c] - x[j * D + c];
            s += diff * diff;
        }
        return s;
    }

    /**
     * Rows around {@code clusters} centres in 50 dimensions, each cluster curved along three
     * directions of its own (a few intrinsic dimensions, as real embeddings reduced to principal
     * components have), plus a little noise everywhere.
     */
    private static float[] curvedClusters(int n, int clusters, long seed) {
        Random rnd = new Random(seed);
        float[][][] basis = new float[clusters][4][D];
        for (float[][] b : basis) {
            for (float[] v : b) {
                for (int j = 0; j < D; j++) {
                    v[j] = (float) rnd.nextGaussian();
                }
            }
        }
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            float[][] b = basis[rnd.nextInt(clusters)];
            double u = rnd.nextGaussian();
            double v = rnd.nextGaussian();
            double w = rnd.nextGaussian();
            for (int j = 0; j < D; j++) {
                x[i * D + j] = (float) (3 * b[0][j] + u * b[1][j] + v * b[2][j] + 0.5 * Math.sin(2 * w) * b[3][j]
                        + 0.05 * rnd.nextGaussian());
            }
        }
        return x;
    }
}
