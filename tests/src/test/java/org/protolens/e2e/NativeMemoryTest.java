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
 * call adds about 1.5 MB a batch, some 260 MB between the two measurements), and freed activation
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
        // resident memory read after every batch; compared: the lowest reading in the 16 batches
        // after 4,000 images (warmed up) and in the last 16 batches, which both span a whole cycle
        // of the C heap's trimming, so that its phase does not matter
        List<long[]> readings = new ArrayList<>();
        try (Backbone b = BackboneLoader.open(folder.toString(), null, null)) {
            var listener = new EmbeddingPipeline.Listener() {
                @Override
                public void progress(int done, int total) {
                    readings.add(new long[] {done, residentBytes()});
                }
            };
            var result = new EmbeddingPipeline(b, null, 32, 1).embed(files, listener, null);
            assertEquals(10_000, result.embeddings().rows());
        }
        int first = 0;
        while (readings.get(first)[0] < 4_000) {
            first++;
        }
        long early = lowest(readings.subList(first, first + 16));
        long late = lowest(readings.subList(readings.size() - 16, readings.size()));
        long growth = late - early;
        StringBuilder trend = new StringBuilder();
        for (long[] r : readings) {
            if (r[0] % 1_024 == 0) {
                trend.append(r[0]).append(": ").append(r[1] >> 20).append(" MB  ");
            }
        }
        System.out.println("resident memory by images embedded: " + trend);
        System.out.printf("after 4,000 images: %d MB, after 10,000: %d MB (growth %d MB)%n", early >> 20, late >> 20, growth >> 20);
        assertTrue(growth < 100L << 20, "resident memory grew by " + (growth >> 20) + " MB over 6,000 images: " + trend);
    }

    private static long lowest(List<long[]> readings) {
        return readings.stream().mapToLong(r -> r[1]).min().orElseThrow();
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
