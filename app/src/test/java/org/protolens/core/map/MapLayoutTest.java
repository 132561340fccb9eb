package org.protolens.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.Workspace;

/** Maps of the Fashion sample's 1,020 embeddings: every image placed, neighbourhoods kept, same seed same map. */
class MapLayoutTest {
    @TempDir
    Path dir;

    private static final MapLayout.Progress QUIET = (what, done) -> { };

    @ParameterizedTest
    @EnumSource(MapLayout.Method.class)
    void everyImageIsPlacedAndNeighbourhoodsAreKept(MapLayout.Method method) throws IOException {
        FloatMatrix e = Workspace.open(TestResources.samples().resolve("fashion-fewshot")).embeddings();
        long t0 = System.nanoTime();
        MapLayout layout = MapLayout.compute(e, method, 7, MapLayout.defaultLandmarks(method), QUIET, () -> false);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        float[] xy = layout.xy();
        assertEquals(2 * e.rows(), xy.length, "every image gets a point");
        for (float v : xy) {
            assertTrue(Float.isFinite(v));
        }
        double t = Trustworthiness.of(e, xy, 10);
        System.out.printf("%s: trustworthiness %.3f, %d ms%n", method, t, ms);
        // t-SNE and UMAP keep local neighbourhoods far better than a linear projection
        assertTrue(t > (method == MapLayout.Method.PCA ? 0.75 : 0.93), method + " trustworthiness " + t);
        assertArrayEquals(xy, MapLayout.compute(e, method, 7, MapLayout.defaultLandmarks(method), QUIET, () -> false).xy(),
                "the same embeddings and seed give the same map");
        // stored and read back, with 3 images more than it was computed on: the same map, the new ones placed
        Path file = dir.resolve("map.bin");
        layout.write(file);
        FloatMatrix more = new FloatMatrix(e.rows() + 3, e.cols(), Arrays.copyOf(e.data(), e.data().length + 3 * e.cols()));
        System.arraycopy(e.row(17), 0, more.data(), e.data().length, e.cols());
        System.arraycopy(e.row(400), 0, more.data(), e.data().length + e.cols(), e.cols());
        System.arraycopy(e.row(900), 0, more.data(), e.data().length + 2 * e.cols(), e.cols());
        MapLayout read = MapLayout.read(file, more);
        assertEquals(method, read.method());
        assertArrayEquals(xy, Arrays.copyOf(read.xy(), xy.length), "the stored map comes back as it was");
        // the file holds the principal axes: the images added since land exactly where the computed map puts them
        assertArrayEquals(layout.place(more.selectRows(new int[] {e.rows(), e.rows() + 1, e.rows() + 2})),
                Arrays.copyOfRange(read.xy(), xy.length, xy.length + 6));
        // a file stored before the axes were (its first 24 bytes and points, "PLM1") fits them again: the same places
        byte[] stored = Files.readAllBytes(file);
        byte[] older = Arrays.copyOf(stored, 24 + 8 * e.rows());
        ByteBuffer.wrap(older).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x504c4d31);
        Files.write(file, older);
        assertArrayEquals(read.xy(), MapLayout.read(file, more).xy());

        // an image added later with the embedding of image 17 lands where image 17 is
        float[] again = layout.place(e.selectRows(new int[] {17}));
        assertEquals(xy[34], again[0], 1e-3 * spread(xy));
        assertEquals(xy[35], again[1], 1e-3 * spread(xy));
    }

    @ParameterizedTest
    @EnumSource(value = MapLayout.Method.class, names = {"TSNE", "UMAP"})
    void beyondTheLandmarksImagesArePlacedByTheirNeighbours(MapLayout.Method method) throws IOException {
        FloatMatrix e = Workspace.open(TestResources.samples().resolve("fashion-fewshot")).embeddings();
        MapLayout layout = MapLayout.compute(e, method, 7, 400, QUIET, () -> false);
        assertEquals(400, layout.landmarks());
        assertEquals(2 * e.rows(), layout.xy().length, "every image gets a point");
        double t = Trustworthiness.of(e, layout.xy(), 10);
        System.out.printf("%s on 400 landmarks: trustworthiness %.3f%n", method, t);
        assertTrue(t > 0.9, method + " with placed images, trustworthiness " + t);
    }

    @Test
    void imagesTakenOutOfTheProjectTakeTheirPointsWithThemWhenTheMapOpensAgain() throws IOException {
        FloatMatrix e = fashion();
        MapLayout layout = stored(e, MapLayout.Method.TSNE);
        Path file = dir.resolve(FILE);
        // images 300 to 349 and the last one taken out, then two imported: the others keep their points, in order
        int[] kept = IntStream.range(0, e.rows() - 1).filter(i -> i < 300 || i >= 350).toArray();
        FloatMatrix left = e.selectRows(kept);
        FloatMatrix now = new FloatMatrix(left.rows() + 2, e.cols(), Arrays.copyOf(left.data(), left.data().length + 2 * e.cols()));
        System.arraycopy(e.row(5), 0, now.data(), left.data().length, e.cols());
        System.arraycopy(e.row(320), 0, now.data(), left.data().length + e.cols(), e.cols());
        MapLayout read = MapLayout.read(file, now);
        float[] xy = read.xy();
        assertEquals(2 * now.rows(), xy.length, "every image gets a point");
        for (int t = 0; t < kept.length; t++) {
            assertEquals(layout.xy()[2 * kept[t]], xy[2 * t], "image " + kept[t] + " keeps its point");
            assertEquals(layout.xy()[2 * kept[t] + 1], xy[2 * t + 1]);
        }
        // an imported copy of image 5 lands on it; one of image 320, taken out, near where it was (among its neighbours)
        assertEquals(layout.xy()[10], xy[2 * kept.length], 1e-3 * spread(layout.xy()));
        assertEquals(layout.xy()[11], xy[2 * kept.length + 1], 1e-3 * spread(layout.xy()));
        assertEquals(layout.xy()[640], xy[2 * kept.length + 2], 0.02 * spread(layout.xy()));
        assertEquals(layout.xy()[641], xy[2 * kept.length + 3], 0.02 * spread(layout.xy()));
        // stored again and opened with the same images: the same points
        read.write(file);
        assertArrayEquals(xy, MapLayout.read(file, now).xy());
    }

    @Test
    void aMapFileWhoseAxesDoNotFitIsRefusedByName() throws IOException {
        FloatMatrix e = fashion();
        MapLayout layout = stored(e, MapLayout.Method.UMAP);
        Path file = dir.resolve(FILE);
        byte[] good = Files.readAllBytes(file);
        int axes = 24 + 12 * e.rows();
        // a value of the first axis that is not a number
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putDouble(axes + 8 + 8 * e.cols(), Double.NaN);
        // axes stored for embeddings of another width
        byte[] wider = good.clone();
        ByteBuffer.wrap(wider).order(ByteOrder.LITTLE_ENDIAN).putInt(axes, e.cols() + 1);
        // an axis that is not of unit length
        byte[] longer = good.clone();
        ByteBuffer bb = ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN);
        int first = axes + 8 + 8 * e.cols();
        bb.putDouble(first, bb.getDouble(first) + 0.5);
        for (byte[] bad : List.of(nan, wider, longer, Arrays.copyOf(good, good.length - 8))) {
            Files.write(file, bad);
            IOException refused = assertThrows(IOException.class, () -> MapLayout.read(file, e));
            assertTrue(refused.getMessage().contains(FILE), refused.getMessage());
        }
        Files.write(file, good);
        assertArrayEquals(layout.xy(), MapLayout.read(file, e).xy());
    }

    @Test
    void imagesPlacedOnALargeMapLandInTheirOwnCluster() {
        // 7,000 images of 12 clusters, UMAP on 5,500 of them: the other 1,500, and 120 imported
        // later, are placed through the forest (more than PLACE_SEARCH laid-out images)
        int n = 7_000;
        int c = 12;
        float[] all = MapFixtures.clusters(n + 120, 20, c, 3);
        FloatMatrix e = new FloatMatrix(n, 20, Arrays.copyOf(all, n * 20));
        MapLayout layout = MapLayout.compute(e, MapLayout.Method.UMAP, 5, 5_500, QUIET, () -> false);
        assertEquals(5_500, layout.landmarks());
        float[] xy = layout.xy();
        int[] cluster = IntStream.range(0, n + 120).map(i -> i % c).toArray();
        // every image's nearest point on the map is of its own cluster: the 1,500 placed ones too
        // (placed at random, some 1,400 of them would not be)
        int wrong = 0;
        for (int i = 0; i < n; i++) {
            if (cluster[nearestOnMap(xy, n, xy[2 * i], xy[2 * i + 1], i)] != cluster[i]) {
                wrong++;
            }
        }
        assertTrue(wrong <= n / 100, wrong + " of " + n + " images are nearest to another cluster's");
        float[] later = layout.place(new FloatMatrix(120, 20, Arrays.copyOfRange(all, n * 20, (n + 120) * 20)));
        int wrongLater = 0;
        for (int t = 0; t < 120; t++) {
            if (cluster[nearestOnMap(xy, n, later[2 * t], later[2 * t + 1], -1)] != cluster[n + t]) {
                wrongLater++;
            }
        }
        assertTrue(wrongLater <= 2, wrongLater + " of 120 images imported later landed by another cluster");
    }

    private static final String FILE = "map-layout.bin";

    private static FloatMatrix fashion() throws IOException {
        return Workspace.open(TestResources.samples().resolve("fashion-fewshot")).embeddings();
    }

    /** The map of {@code e} by {@code method} (seed 7), stored as {@link #FILE} in the test's folder. */
    private MapLayout stored(FloatMatrix e, MapLayout.Method method) throws IOException {
        MapLayout layout = MapLayout.compute(e, method, 7, MapLayout.defaultLandmarks(method), QUIET, () -> false);
        layout.write(dir.resolve(FILE));
        return layout;
    }

    /** The image whose point is nearest to (x, y), other than {@code self}. */
    private static int nearestOnMap(float[] xy, int n, double x, double y, int self) {
        int best = -1;
        double bestD = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double d = Math.hypot(xy[2 * i] - x, xy[2 * i + 1] - y);
            if (i != self && d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    private static double spread(float[] xy) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : xy) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
