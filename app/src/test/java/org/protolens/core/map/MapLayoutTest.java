package org.protolens.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
        assertArrayEquals(layout.place(more.selectRows(new int[] {e.rows(), e.rows() + 1, e.rows() + 2})),
                Arrays.copyOfRange(read.xy(), xy.length, xy.length + 6), 1e-4f);

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

    private static double spread(float[] xy) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : xy) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
