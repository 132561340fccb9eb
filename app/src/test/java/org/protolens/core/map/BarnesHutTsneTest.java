package org.protolens.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;
import smile.manifold.TSNE;
import smile.math.MathEx;

/** The map's t-SNE: exact neighbours, proper similarities, the exact t-SNE's quality, one map on any number of cores. */
class BarnesHutTsneTest {
    private static final MapLayout.Progress QUIET = (what, done) -> { };

    @Test
    void neighboursAreTheExactNearest() {
        int n = 700, d = 20, k = 15;
        float[] x = MapFixtures.clusters(n, d, 7, 3);
        NearestNeighbours nn = NearestNeighbours.exact(x, n, d, k, 5, () -> false);
        for (int i = 0; i < n; i++) {
            int q = i;
            double[] all = IntStream.range(0, n).filter(j -> j != q).mapToDouble(j -> {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x[q * d + c] - x[j * d + c];
                    s += diff * diff;
                }
                return s;
            }).sorted().toArray();
            for (int t = 0; t < k; t++) {
                assertEquals(all[t], nn.squared()[i * k + t], 1e-3 * all[t], "point " + i + ", neighbour " + t);
                assertTrue(nn.index()[i * k + t] != i, "a point is not its own neighbour");
            }
        }
    }

    @Test
    void approximateNeighboursFindNearlyAllExactOnes() {
        int n = 4_000, d = 50, k = 90;
        // real embeddings are not well separated: clusters whose spread overlaps
        Random rnd = new Random(8);
        float[] x = MapFixtures.clusters(n, d, 10, 6);
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * 0.2f + (float) rnd.nextGaussian();
        }
        NearestNeighbours exact = NearestNeighbours.exact(x, n, d, k, 1, () -> false);
        NearestNeighbours approx = NearestNeighbours.approximate(x, n, d, k, 1, () -> false);
        long found = 0;
        for (int i = 0; i < n; i++) {
            int[] truth = Arrays.copyOfRange(exact.index(), i * k, i * k + k);
            Arrays.sort(truth);
            for (int t = 0; t < k; t++) {
                found += Arrays.binarySearch(truth, approx.index()[i * k + t]) >= 0 ? 1 : 0;
            }
        }
        double recall = found / (double) (n * k);
        System.out.printf("NN-descent recall of the %d nearest: %.4f%n", k, recall);
        assertTrue(recall > 0.98, "recall " + recall);
        try (ForkJoinPool one = new ForkJoinPool(1)) {
            NearestNeighbours again = one.submit(() -> NearestNeighbours.approximate(x, n, d, k, 1, () -> false)).join();
            assertArrayEquals(approx.index(), again.index(), "the same neighbours on one core");
        }
    }

    @Test
    void similaritiesAreSymmetricAndSumToOne() {
        int n = 300, d = 10, k = 30;
        float[] x = MapFixtures.clusters(n, d, 3, 4);
        BarnesHutTsne.SparseP p = BarnesHutTsne.SparseP.of(NearestNeighbours.exact(x, n, d, k, 1, () -> false), n, 10);
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int t = p.start()[i]; t < p.start()[i + 1]; t++) {
                int j = p.column()[t];
                assertTrue(p.value()[t] > 0);
                assertTrue(j != i);
                int back = Arrays.binarySearch(p.column(), p.start()[j], p.start()[j + 1], i);
                assertTrue(back >= 0, "p_" + i + "," + j + " has p_" + j + "," + i);
                assertEquals(p.value()[t], p.value()[back], 1e-15);
                total += p.value()[t];
            }
        }
        assertEquals(1, total, 1e-9);
    }

    @Test
    void clustersStaySeparateOnTheMap() {
        int n = 1_500, d = 50, c = 6;
        float[] xy = BarnesHutTsne.layout(MapFixtures.clusters(n, d, c, 9), n, d, 30, 1, QUIET, () -> false);
        int[] labels = IntStream.range(0, n).map(i -> i % c).toArray();
        assertEquals(1.0, MapFixtures.knnAccuracy(xy, labels, 10), 0.005, "each point's map neighbours are from its own cluster");
    }

    @Test
    void keepsNeighbourhoodsAsWellAsTheExactTsne() throws IOException {
        MapFixtures.Reduced f = MapFixtures.fashionReduced();
        FloatMatrix e = f.embeddings();
        long t0 = System.nanoTime();
        float[] bh = BarnesHutTsne.layout(f.reduced(), f.n(), f.r(), 30, 7, QUIET, () -> false);
        long t1 = System.nanoTime();
        MathEx.setSeed(7);
        double[][] coords = TSNE.fit(f.rows(), new TSNE.Options(2, 30, 200, 12, 1000)).coordinates();
        long t2 = System.nanoTime();
        float[] exact = MapFixtures.interleaved(coords);
        double tBh = Trustworthiness.of(e, bh, 10);
        double tExact = Trustworthiness.of(e, exact, 10);
        System.out.printf("Barnes-Hut t-SNE: trustworthiness %.3f, %d ms; Smile's exact t-SNE %.3f, %d ms%n", tBh,
                (t1 - t0) / 1_000_000, tExact, (t2 - t1) / 1_000_000);
        assertTrue(tBh >= tExact - 0.005, "Barnes-Hut " + tBh + " against exact " + tExact);
    }

    @Test
    void theSameMapOnOneCoreAndOnFour() throws Exception {
        int n = 2_000, d = 30;
        float[] x = MapFixtures.clusters(n, d, 5, 11);
        try (ForkJoinPool one = new ForkJoinPool(1); ForkJoinPool four = new ForkJoinPool(4)) {
            float[] a = one.submit(() -> BarnesHutTsne.layout(x, n, d, 30, 3, QUIET, () -> false)).get();
            float[] b = four.submit(() -> BarnesHutTsne.layout(x, n, d, 30, 3, QUIET, () -> false)).get();
            assertArrayEquals(a, b, "bit for bit the same map");
        }
    }

    @Test
    void aCancelledLayoutStops() {
        int n = 1_000, d = 10;
        AtomicInteger polls = new AtomicInteger();
        assertThrows(CancellationException.class,
                () -> BarnesHutTsne.layout(MapFixtures.clusters(n, d, 3, 2), n, d, 30, 1, QUIET, () -> polls.incrementAndGet() > 20));
        assertTrue(polls.get() < 30, "stops at the next poll, polled " + polls.get() + " times");
    }

    @Test
    void twoPointsAndDuplicatesGetFinitePositions() {
        float[] two = BarnesHutTsne.layout(new float[] {0, 0, 1, 1}, 2, 2, 30, 1, QUIET, () -> false);
        float[] same = BarnesHutTsne.layout(new float[40], 20, 2, 30, 1, QUIET, () -> false);
        for (float v : two) {
            assertTrue(Float.isFinite(v));
        }
        for (float v : same) {
            assertTrue(Float.isFinite(v));
        }
        assertTrue(two[0] != two[2] || two[1] != two[3], "two different points stay apart");
    }
}
