package org.protolens.core.map;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.L2;

/**
 * Placing images on a t-SNE or UMAP map (imports into a laid-out map, and the images beyond the
 * 250,000 that a map lays out): their 5 nearest laid-out images found through the random-projection
 * forest the app uses, against measuring every laid-out image, in alternating rounds. Prints the
 * medians of growing the forest, of searching it and of the exact scan (per query; the scan runs on
 * at most 2,000 queries), their ratio, and the share of the true 5 nearest that the forest finds.
 *
 * <pre>  PlacementBenchmark fashion [ROUNDS]          Fashion-MNIST (/usr/share/datasets): 60,000 laid out, 10,000 placed
 *  PlacementBenchmark N QUERIES [ROUNDS]         N laid out, QUERIES placed: made-up embeddings (200 clusters, 128-d)</pre>
 *
 * Both go through what the map does first: rows normalised, reduced to 50 principal components.
 */
public final class PlacementBenchmark {
    private static final int K = MapLayout.NEIGHBOURS;
    private static final int EXACT_QUERIES = 2_000;

    private PlacementBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        boolean fashion = args[0].equals("fashion");
        int laidOut;
        int queries;
        FloatMatrix raw;
        if (fashion) {
            raw = fashion(Path.of("/usr/share/datasets/fashion-mnist"));
            laidOut = 60_000;
            queries = raw.rows() - laidOut;
        } else {
            laidOut = Integer.parseInt(args[0]);
            queries = Integer.parseInt(args[1]);
            raw = clusters(laidOut + queries, 128, 200, 7);
        }
        int rounds = Integer.parseInt(args.length > (fashion ? 1 : 2) ? args[fashion ? 1 : 2] : "3");
        FloatMatrix unit = L2.normalizeRows(raw);
        int[] fit = new Random(1).ints(0, unit.rows()).distinct().limit(Math.min(unit.rows(), MapLayout.PCA_FIT_ROWS)).sorted().toArray();
        PcaMap pca = PcaMap.fit(unit.selectRows(fit), MapLayout.REDUCED_DIMS);
        int r = pca.components();
        float[] reduced = pca.project(unit);
        float[] map = Arrays.copyOf(reduced, laidOut * r);
        float[] placed = Arrays.copyOfRange(reduced, laidOut * r, (laidOut + queries) * r);
        int[] all = IntStream.range(0, queries).toArray();
        int[] some = IntStream.range(0, Math.min(queries, EXACT_QUERIES)).map(i -> (int) ((long) i * queries / Math.min(queries,
                EXACT_QUERIES))).toArray();
        System.out.printf("%s: %,d laid out, %,d placed, %d principal components, %d nearest%n",
                fashion ? "Fashion-MNIST" : "made-up embeddings", laidOut, queries, r, K);
        List<Double> grow = new ArrayList<>();
        List<Double> search = new ArrayList<>();
        List<Double> exact = new ArrayList<>();
        double recall = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            ProjectionForest forest = ProjectionForest.grow(map, laidOut, r, MapLayout.PLACE_TREES, MapLayout.PLACE_LEAF, 42);
            long t1 = System.nanoTime();
            ProjectionForest.Found found = forest.nearest(placed, all, K);
            long t2 = System.nanoTime();
            ProjectionForest scan = ProjectionForest.grow(map, laidOut, r, 1, laidOut, 42);
            ProjectionForest.Found truth = scan.nearest(placed, some, K);
            long t3 = System.nanoTime();
            grow.add((t1 - t0) / 1e6);
            search.add((t2 - t1) / 1e6);
            exact.add((t3 - t2) / 1e6);
            recall = recall(found, truth, some);
            System.out.printf("round %d: forest grown in %.0f ms, %,d searched in %.0f ms; exact scan of %,d in %.0f ms; recall %.3f%n",
                    round + 1, grow.getLast(), queries, search.getLast(), some.length, exact.getLast(), recall);
        }
        double perForest = median(search) / queries;
        double perExact = median(exact) / some.length;
        System.out.printf("medians: grow %.0f ms, search %.0f ms (%.1f us per image), exact %.1f us per image: %.1fx faster; "
                        + "all %,d placed exactly would take %.1f s; recall of the 5 nearest %.3f%n",
                median(grow), median(search), 1000 * perForest, 1000 * perExact, perExact / perForest, queries,
                perExact * queries / 1000, recall);
    }

    private static double recall(ProjectionForest.Found found, ProjectionForest.Found truth, int[] rows) {
        long hits = 0;
        for (int t = 0; t < rows.length; t++) {
            Set<Integer> near = new HashSet<>();
            for (int q = 0; q < K; q++) {
                near.add(truth.index()[t * K + q]);
            }
            for (int q = 0; q < K; q++) {
                if (near.contains(found.index()[rows[t] * K + q])) {
                    hits++;
                }
            }
        }
        return hits / (double) (rows.length * K);
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Fashion-MNIST's 60,000 training and 10,000 test images as rows of 784 pixels in [0, 1]. */
    private static FloatMatrix fashion(Path dir) throws IOException {
        float[] all = new float[70_000 * 784];
        int at = 0;
        for (String part : new String[] {"train", "t10k"}) {
            Path f = dir.resolve(part + "-images-idx3-ubyte.gz");
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(Files.newInputStream(f))))) {
                in.readInt();
                int n = in.readInt();
                in.readInt();
                in.readInt();
                byte[] b = new byte[n * 784];
                in.readFully(b);
                for (byte v : b) {
                    all[at++] = (v & 255) / 255f;
                }
            }
        }
        return new FloatMatrix(70_000, 784, all);
    }

    /** n rows around {@code clusters} random centres, noise of a different scale per coordinate. */
    private static FloatMatrix clusters(int n, int d, int clusters, long seed) {
        Random rnd = new Random(seed);
        float[][] centre = new float[clusters][d];
        for (float[] c : centre) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] c = centre[rnd.nextInt(clusters)];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c[j] + (float) (rnd.nextGaussian() * (0.3 + 0.1 * (j % 7)));
            }
        }
        return new FloatMatrix(n, d, x);
    }
}
