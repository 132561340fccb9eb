package org.protolens.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

class EmbeddingPipelineTest {
    @TempDir
    Path dir;

    static List<Path> testImages() throws IOException {
        try (Stream<Path> s = Files.list(TestResources.torchscript("images"))) {
            return s.sorted().toList();
        }
    }

    @Test
    void embedsRealImagesAsPythonDoesAndSkipsBrokenFiles() throws IOException {
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/embeddings.npy"));
        List<String> names = ImageDecoderTest.referenceNames();
        List<Path> images = testImages();
        List<String> progress = new ArrayList<>();
        try (Backbone b = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null)) {
            var pipeline = new EmbeddingPipeline(b, null, 5, 2);
            var result = pipeline.embed(images, new EmbeddingPipeline.Listener() {
                @Override
                public void progress(int done, int total) {
                    progress.add(done + "/" + total);
                }
            }, () -> false);
            assertEquals(List.of("5/14", "10/14", "14/14"), progress);
            assertEquals(List.of("not-an-image.jpg", "truncated.jpg"),
                    result.failures().stream().map(f -> f.file().getFileName().toString()).toList());
            assertEquals(names, result.paths().stream().map(p -> p.getFileName().toString()).toList());
            for (int i = 0; i < names.size(); i++) {
                float[] want = expected.row(i);
                float[] got = result.embeddings().row(i);
                if (names.get(i).endsWith(".png")) {
                    assertArrayEquals(want, got, 1e-4f, names.get(i));
                } else {
                    assertTrue(cosine(want, got) > 0.999, names.get(i) + ": cosine " + cosine(want, got));
                }
            }
        }
    }

    @Test
    void aSecondRunWithTheSameBackboneComesFromTheCache() throws IOException {
        List<Path> images = testImages();
        try (Backbone b = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null)) {
            FloatMatrix first;
            try (EmbeddingCache cache = EmbeddingCache.open(dir, b.fingerprint(), b.embeddingDim())) {
                var r = new EmbeddingPipeline(b, cache, 4, 2).embed(images, null, null);
                assertEquals(0, r.cached());
                first = r.embeddings();
                assertEquals(12, cache.size());
            }
            try (EmbeddingCache cache = EmbeddingCache.open(dir, b.fingerprint(), b.embeddingDim())) {
                Backbone failing = new Backbone() {
                    public String name() { return b.name(); }
                    public Preprocessing preprocessing() { return b.preprocessing(); }
                    public int embeddingDim() { return b.embeddingDim(); }
                    public String fingerprint() { return b.fingerprint(); }
                    public String device() { return b.device(); }
                    public FloatMatrix embed(float[] batch, int count) { throw new AssertionError("nothing to compute"); }
                    public void close() { }
                };
                var again = new EmbeddingPipeline(failing, cache, 4, 2).embed(images, null, null);
                assertEquals(12, again.cached());
                assertEquals(first, again.embeddings());
            }
        }
    }

    @Test
    void aCacheSurvivesAHalfWrittenRowAndRefusesAnotherBackboneOrASecondUser() throws IOException {
        byte[] k1 = EmbeddingPipeline.sha256().digest(new byte[] {1});
        byte[] k2 = EmbeddingPipeline.sha256().digest(new byte[] {2});
        Path folder;
        try (EmbeddingCache cache = EmbeddingCache.open(dir, "f".repeat(64), 3)) {
            cache.put(k1, new float[] {1, 2, 3});
            cache.put(k2, new float[] {4, 5, 6});
            assertArrayEquals(new float[] {4, 5, 6}, cache.get(k2));
            folder = cache.folder();
        }
        // a crash after the vector of a third row was written but before its key
        Files.write(folder.resolve("vectors.f32"), new byte[12], StandardOpenOption.APPEND);
        try (EmbeddingCache cache = EmbeddingCache.open(dir, "f".repeat(64), 3)) {
            assertEquals(2, cache.size());
            assertArrayEquals(new float[] {1, 2, 3}, cache.get(k1));
            cache.put(EmbeddingPipeline.sha256().digest(new byte[] {3}), new float[] {7, 8, 9});
            assertArrayEquals(new float[] {7, 8, 9}, cache.get(EmbeddingPipeline.sha256().digest(new byte[] {3})));
        }
        var e = assertThrows(IOException.class, () -> EmbeddingCache.open(dir, "f".repeat(64), 4));
        assertTrue(e.getMessage().contains("another backbone"), e.getMessage());
        try (EmbeddingCache held = EmbeddingCache.open(dir, "f".repeat(64), 3)) {
            var busy = assertThrows(IOException.class, () -> EmbeddingCache.open(dir, "f".repeat(64), 3));
            assertTrue(busy.getMessage().contains("in use by another ProtoLens process"), busy.getMessage());
            assertEquals(3, held.size());
        }
    }

    @Test
    void cancellingStopsBetweenBatches() throws IOException {
        try (Backbone b = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null)) {
            int[] batches = {0};
            var listener = new EmbeddingPipeline.Listener() {
                @Override
                public void progress(int done, int total) {
                    batches[0]++;
                }
            };
            assertThrows(CancellationException.class,
                    () -> new EmbeddingPipeline(b, null, 2, 1).embed(testImages(), listener, () -> batches[0] >= 2));
            assertEquals(2, batches[0]);
        }
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void aModelThatReturnsNaNIsRefusedByNameAndNothingIsCached() throws IOException {
        List<Path> images = testImages();
        try (Backbone b = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null);
                EmbeddingCache cache = EmbeddingCache.open(dir, b.fingerprint(), b.embeddingDim())) {
            // the real model, with one value of the third image's embedding broken as a diverged model breaks it
            Backbone broken = new Backbone() {
                public String name() { return "broken.pt"; }
                public Preprocessing preprocessing() { return b.preprocessing(); }
                public int embeddingDim() { return b.embeddingDim(); }
                public String fingerprint() { return b.fingerprint(); }
                public String device() { return b.device(); }
                public FloatMatrix embed(float[] batch, int count) {
                    FloatMatrix m = b.embed(batch, count);
                    if (count > 2) {
                        m.data()[2 * m.cols() + 1] = Float.NaN;
                    }
                    return m;
                }
                public void close() { }
            };
            IOException e = assertThrows(IOException.class, () -> new EmbeddingPipeline(broken, cache, 4, 1).embed(images, null, null));
            assertTrue(e.getMessage().contains("broken.pt") && e.getMessage().contains("NaN")
                    && e.getMessage().contains(images.get(2).toString()), e.getMessage());
            assertEquals(0, cache.size(), "no embedding of the broken batch is kept");
        }
    }
}
