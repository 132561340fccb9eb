package org.protolens.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

class TorchScriptBackboneTest {
    @TempDir
    Path dir;

    @Test
    void givesTheOutputsPyTorchComputed() throws IOException {
        FloatMatrix inputs = NpyFile.readMatrix(TestResources.torchscript("reference/inputs.npy"));
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/embeddings.npy"));
        try (Backbone b = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null)) {
            assertEquals(16, b.embeddingDim());
            assertEquals(ImageDecoderTest.CIFAR, b.preprocessing());
            assertTrue(b.device().startsWith("CPU") || b.device().startsWith("GPU"), b.device());
            FloatMatrix actual = b.embed(inputs.data(), inputs.rows());
            assertEquals(expected.rows(), actual.rows());
            assertArrayEquals(expected.data(), actual.data(), 1e-5f);
        }
    }

    @Test
    void refusesAModelWhoseOutputIsNotAFeatureMatrix() {
        var e = assertThrows(BackboneException.class,
                () -> BackboneLoader.open(TestResources.torchscript("spatial.pt").toString(), null, null));
        assertTrue(e.getMessage().contains("spatial.pt") && e.getMessage().contains("[2, 4, 16, 16]")
                && e.getMessage().contains("2-D"), e.getMessage());
    }

    @Test
    void asksForPreprocessingWhenNoSidecarIsThere() throws IOException {
        Path model = dir.resolve("model.pt");
        Files.copy(TestResources.torchscript("tiny.pt"), model);
        var e = assertThrows(IOException.class, () -> BackboneLoader.open(model.toString(), null, null));
        assertTrue(e.getMessage().contains("model.json"), e.getMessage());
        try (Backbone b = BackboneLoader.open(model.toString(), Preprocessing.imagenet(48), null)) {
            assertEquals(48, b.preprocessing().width());
        }
    }

    @Test
    void refusesFilesThatAreNotTorchScript() throws IOException {
        Path bogus = dir.resolve("bogus.pt");
        Files.writeString(bogus, "not a model");
        Files.copy(TestResources.torchscript("tiny.json"), dir.resolve("bogus.json"));
        var e = assertThrows(IOException.class, () -> BackboneLoader.open(bogus.toString(), null, null));
        assertTrue(e.getMessage().startsWith(bogus.toString()) && e.getMessage().contains("TorchScript"), e.getMessage());
        var missing = assertThrows(IOException.class, () -> BackboneLoader.open(dir.resolve("nothing.pt").toString(), null, null));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }

    @Test
    void fingerprintChangesWithWeightsAndPreprocessing() throws IOException {
        String a;
        String b;
        String c;
        try (Backbone x = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null)) {
            a = x.fingerprint();
        }
        try (Backbone x = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), Preprocessing.imagenet(32), null)) {
            b = x.fingerprint();
        }
        Path other = dir.resolve("spatial-free.pt");
        Files.copy(TestResources.torchscript("tiny.pt"), other);
        Files.write(other, new byte[] {0}, StandardOpenOption.APPEND);
        try (Backbone x = BackboneLoader.torchScript(TestResources.torchscript("tiny.pt"), ImageDecoderTest.CIFAR)) {
            c = x.fingerprint();
        }
        assertNotEquals(a, b);
        assertEquals(a, c);
        assertEquals(64, a.length());
    }
}
