package org.protolens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.BuiltinArchitecture;
import org.protolens.core.embed.BuiltinBackbones;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.embed.Preprocessing;

/**
 * Embedding 10,000 images must not grow the process's resident memory past a steady state: every
 * batch's native tensors are freed when the batch is done (a leak of one 64x64 input batch per
 * call adds about 1.5 MB a batch, some 280 MB between the two measurements), and freed activation
 * buffers go back to the system instead of fragmenting the C heap (see NativeMemory; without it
 * this run grew by 300 to 650 MB). The heap is fixed and pre-touched (see the pom) so that the
 * growth measured is native memory.
 */
class NativeMemoryTest {
    @TempDir
    Path dir;

    @Test
    void residentMemoryStaysFlatOverTenThousandImages() throws IOException {
        Random rnd = new Random(1);
        List<Path> distinct = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 48; x++) {
                    img.setRGB(x, y, rnd.nextInt(0xffffff));
                }
            }
            Path p = dir.resolve("img" + i + ".png");
            ImageIO.write(img, "png", p.toFile());
            distinct.add(p);
        }
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            files.addAll(distinct);
        }
        Path folder = dir.resolve("smallcnn");
        Preprocessing pre = new Preprocessing(64, 64, Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block block = BuiltinArchitecture.SMALLCNN.newBlock();
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            BuiltinBackbones.write(folder, BuiltinArchitecture.SMALLCNN, block, pre, List.of(), null);
        }
        // resident memory after warm-up (4,000 images) and at the end, and the trend in between
        long[] rss = new long[2];
        StringBuilder trend = new StringBuilder();
        try (Backbone b = BackboneLoader.open(folder.toString(), null, null)) {
            var listener = new EmbeddingPipeline.Listener() {
                @Override
                public void progress(int done, int total) {
                    if (done % 1_024 == 0) {
                        trend.append(done).append(": ").append(residentBytes() >> 20).append(" MB  ");
                    }
                    if (rss[0] == 0 && done >= 4_000) {
                        rss[0] = residentBytes();
                    } else if (done == total) {
                        rss[1] = residentBytes();
                    }
                }
            };
            var result = new EmbeddingPipeline(b, null, 32, 1).embed(files, listener, null);
            assertEquals(10_000, result.embeddings().rows());
        }
        long growth = rss[1] - rss[0];
        System.out.println("resident memory by images embedded: " + trend);
        System.out.printf("after 4,000 images: %d MB, after 10,000: %d MB (growth %d MB)%n", rss[0] >> 20, rss[1] >> 20, growth >> 20);
        assertTrue(rss[0] > 0 && rss[1] > 0, "resident memory was read");
        assertTrue(growth < 100L << 20, "resident memory grew by " + (growth >> 20) + " MB over 6,000 images: " + trend);
    }

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
