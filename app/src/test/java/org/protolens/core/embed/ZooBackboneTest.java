package org.protolens.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

/**
 * The model-zoo path that downloads a model archive on first use: exercised offline on a local
 * file:// archive, which DJL fetches, unpacks and caches exactly as it does an https:// one.
 */
class ZooBackboneTest {
    @TempDir
    Path dir;

    @Test
    void downloadsUnpacksAndRunsAnArchivedModelWithProgress() throws IOException {
        Path zip = TestResources.tinyModelZip(dir.resolve("tinynet.zip"));
        List<Long> seen = new ArrayList<>();
        FloatMatrix inputs = NpyFile.readMatrix(TestResources.torchscript("reference/inputs.npy"));
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/embeddings.npy"));
        try (Backbone b = BackboneLoader.open(zip.toUri().toString(), ImageDecoderTest.CIFAR,
                (what, done, total) -> seen.add(done))) {
            assertEquals(16, b.embeddingDim());
            assertArrayEquals(expected.data(), b.embed(inputs.data(), inputs.rows()).data(), 1e-5f);
        }
        assertTrue(!seen.isEmpty(), "download progress was reported");
    }

    @Test
    void anOfflineDownloadSaysThereIsNoConnection() {
        var wrapped = new IOException(new UnknownHostException("mlrepo.djl.ai"));
        assertEquals("no connection to mlrepo.djl.ai", BackboneLoader.describe(wrapped));
    }

    @Test
    void aMissingModelSaysSo() {
        String url = dir.resolve("absent.zip").toUri().toString();
        var e = assertThrows(IOException.class, () -> BackboneLoader.open(url, null, null));
        assertTrue(e.getMessage().startsWith(url) && e.getMessage().contains("cannot load"), e.getMessage());
    }
}
