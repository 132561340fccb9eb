package org.protolens.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;
import smile.graph.NearestNeighborGraph;
import smile.manifold.UMAP;
import smile.math.MathEx;

/** The map's UMAP: umap-learn's memberships and fuzzy union, Smile's quality, one map on any number of cores. */
class UmapTest {
    private static final MapLayout.Progress QUIET = (what, done) -> { };

    @Test
    void membershipsStartAtOneAndSumToLog2K() {
        int n = 500, d = 12, k = Umap.NEIGHBOURS;
        NearestNeighbours nn = NearestNeighbours.exact(MapFixtures.clusters(n, d, 4, 2), n, d, k, 1, () -> false);
        double[] m = Umap.Graph.memberships(nn, n);
        for (int i = 0; i < n; i++) {
            assertEquals(1, m[i * k], 1e-12, "the nearest neighbour is a full member");
            double sum = 0;
            for (int t = 0; t < k; t++) {
                assertTrue(m[i * k + t] > 0 && m[i * k + t] <= 1);
                assertTrue(t == 0 || m[i * k + t] <= m[i * k + t - 1], "farther neighbours are weaker members");
                sum += m[i * k + t];
            }
            assertEquals(Math.log(k) / Math.log(2), sum, 1e-4, "point " + i);
        }
    }

    @Test
    void theGraphIsTheFuzzyUnionOfBothDirections() {
        int n = 400, d = 8, k = Umap.NEIGHBOURS;
        NearestNeighbours nn = NearestNeighbours.exact(MapFixtures.clusters(n, d, 3, 5), n, d, k, 1, () -> false);
        double[] m = Umap.Graph.memberships(nn, n);
        Umap.Graph g = Umap.Graph.of(nn, n);
        for (int i = 0; i < n; i++) {
            for (int e = g.start()[i]; e < g.start()[i + 1]; e++) {
                int j = g.col()[e];
                assertTrue(j != i);
                assertTrue(e == g.start()[i] || g.col()[e - 1] < j, "each neighbour once, in order");
                int back = Arrays.binarySearch(g.col(), g.start()[j], g.start()[j + 1], i);
                assertTrue(back >= 0, "edge " + i + "-" + j + " is listed from both ends");
                double a = membership(nn, m, i, j);
                double b = membership(nn, m, j, i);
                assertEquals(a + b - a * b, g.weight()[e], 1e-12);
                assertEquals(g.weight()[e], g.weight()[back], 0);
            }
        }
    }

    private static double membership(NearestNeighbours nn, double[] m, int i, int j) {
        for (int t = 0; t < nn.k(); t++) {
            if (nn.index()[i * nn.k() + t] == j) {
                return m[i * nn.k() + t];
            }
        }
        return 0;
    }

    @Test
    void clustersStaySeparateOnTheMap() {
        int n = 1_500, d = 50, c = 6;
        float[] xy = Umap.layout(MapFixtures.clusters(n, d, c, 9), n, d, 1, QUIET, () -> false);
        int[] labels = IntStream.range(0, n).map(i -> i % c).toArray();
        assertEquals(1.0, MapFixtures.knnAccuracy(xy, labels, 10), 0.005, "each point's map neighbours are from its own cluster");
    }

    @Test
    void keepsNeighbourhoodsAsWellAsSmilesUmap() throws IOException {
        MapFixtures.Reduced f = MapFixtures.fashionReduced();
        FloatMatrix e = f.embeddings();
        long t0 = System.nanoTime();
        float[] ours = Umap.layout(f.reduced(), f.n(), f.r(), 7, QUIET, () -> false);
        long t1 = System.nanoTime();
        MathEx.setSeed(7);
        double[][] coords = UMAP.fit(f.rows(), NearestNeighborGraph.of(f.rows(), Umap.NEIGHBOURS), new UMAP.Options(Umap.NEIGHBOURS));
        long t2 = System.nanoTime();
        float[] smile = MapFixtures.interleaved(coords);
        double tOurs = Trustworthiness.of(e, ours, 10);
        double tSmile = Trustworthiness.of(e, smile, 10);
        System.out.printf("UMAP: trustworthiness %.3f, %d ms; Smile's UMAP %.3f, %d ms%n", tOurs, (t1 - t0) / 1_000_000, tSmile,
                (t2 - t1) / 1_000_000);
        assertTrue(tOurs >= tSmile - 0.005, "ours " + tOurs + " against Smile's " + tSmile);
    }

    @Test
    void theSameMapOnOneCoreAndOnFour() throws Exception {
        int n = 2_000, d = 30;
        float[] x = MapFixtures.clusters(n, d, 5, 11);
        try (ForkJoinPool one = new ForkJoinPool(1); ForkJoinPool four = new ForkJoinPool(4)) {
            float[] a = one.submit(() -> Umap.layout(x, n, d, 3, QUIET, () -> false)).get();
            float[] b = four.submit(() -> Umap.layout(x, n, d, 3, QUIET, () -> false)).get();
            assertArrayEquals(a, b, "bit for bit the same map");
            float[] c = four.submit(() -> Umap.layout(x, n, d, 4, QUIET, () -> false)).get();
            assertTrue(!Arrays.equals(a, c), "another seed, another map");
        }
    }

    @Test
    void aCancelledLayoutStops() {
        int n = 1_000, d = 10;
        AtomicInteger polls = new AtomicInteger();
        assertThrows(CancellationException.class,
                () -> Umap.layout(MapFixtures.clusters(n, d, 3, 2), n, d, 1, QUIET, () -> polls.incrementAndGet() > 20));
        assertTrue(polls.get() < 30, "stops at the next poll, polled " + polls.get() + " times");
    }

    @Test
    void twoPointsAndDuplicatesGetFinitePositions() {
        float[] two = Umap.layout(new float[] {0, 0, 1, 1}, 2, 2, 1, QUIET, () -> false);
        float[] same = Umap.layout(new float[40], 20, 2, 1, QUIET, () -> false);
        for (float v : two) {
            assertTrue(Float.isFinite(v));
        }
        for (float v : same) {
            assertTrue(Float.isFinite(v));
        }
        assertTrue(two[0] != two[2] || two[1] != two[3], "two different points stay apart");
    }
}
