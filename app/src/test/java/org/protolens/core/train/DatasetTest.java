package org.protolens.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;

class DatasetTest {
    @TempDir
    Path dir;

    @Test
    void readsGzippedIdxImagesAndLabels() throws IOException {
        // three 2x3 images; pixel value = 10 * image + position
        byte[] pixels = new byte[18];
        for (int i = 0; i < 18; i++) {
            pixels[i] = (byte) (10 * (i / 6) + i % 6);
        }
        Path images = idx("images.gz", 0x803, new int[] {3, 2, 3}, pixels, true);
        Path labels = idx("labels.gz", 0x801, new int[] {3}, new byte[] {9, 0, 6}, true);
        IdxDataset d = IdxDataset.open(images, labels, IdxDataset.FASHION_MNIST_CLASSES);
        assertEquals(3, d.size());
        assertEquals(9, d.label(0));
        assertEquals("Ankle boot", d.classNames().get(d.label(0)));
        var img = d.image(2);
        assertEquals(3, img.width());
        assertEquals(2, img.height());
        assertEquals(0x141414, img.rgb()[0], "grey 20 becomes RGB (20, 20, 20)");
        assertEquals(0x191919, img.rgb()[5]);
        assertEquals("images.gz #1", d.source(1));

        ImageDataset shirts = d.restrictTo(List.of("Shirt", "Ankle boot"));
        assertEquals(2, shirts.size());
        assertEquals(List.of(1, 0), List.of(shirts.label(0), shirts.label(1)));
        assertEquals("images.gz #2", shirts.source(1));
        var e = assertThrows(IllegalArgumentException.class, () -> d.restrictTo(List.of("Sock")));
        assertTrue(e.getMessage().contains("no class 'Sock'"), e.getMessage());
    }

    @Test
    void refusesMalformedIdxFilesNamingTheFile() throws IOException {
        Path labels = idx("labels", 0x801, new int[] {2}, new byte[] {1, 2}, false);
        Path wrongMagic = idx("wrong", 0x801, new int[] {2, 1, 1}, new byte[2], false);
        assertRefused(wrongMagic, labels, wrongMagic, "not an IDX image file");
        Path shortImages = idx("short", 0x803, new int[] {2, 2, 2}, new byte[5], false);
        assertRefused(shortImages, labels, shortImages, "truncated");
        Path threeImages = idx("three", 0x803, new int[] {3, 1, 1}, new byte[3], false);
        assertRefused(threeImages, labels, labels, "has 2 labels, but");
        Path images = idx("images", 0x803, new int[] {2, 1, 1}, new byte[2], false);
        Path badLabel = idx("bad-label", 0x801, new int[] {2}, new byte[] {1, 12}, false);
        assertRefused(images, badLabel, badLabel, "label 12 at index 1");
        Path notGzip = dir.resolve("plain.gz");
        Files.write(notGzip, new byte[] {0, 0, 8, 3});
        assertRefused(notGzip, labels, notGzip, "not a gzip file");
    }

    @Test
    void readsAFolderPerClassAndRefusesMissingOrEmptyClasses() throws IOException {
        Path root = dir.resolve("data");
        for (String c : List.of("cat", "ship")) {
            Files.createDirectories(root.resolve(c));
        }
        Path src = TestResources.torchscript("images");
        Files.copy(src.resolve("cifar-cat-0003.jpg"), root.resolve("cat/a.jpg"));
        Files.copy(src.resolve("grey.png"), root.resolve("cat/b.png"));
        Files.copy(src.resolve("cifar-ship-0005.jpg"), root.resolve("ship/c.jpg"));
        Files.writeString(root.resolve("ship/notes.txt"), "not an image");

        FolderDataset all = FolderDataset.open(root, null);
        assertEquals(List.of("cat", "ship"), all.classNames());
        assertEquals(3, all.size());
        assertArrayEquals(new int[] {0, 0, 1}, new int[] {all.label(0), all.label(1), all.label(2)});
        assertEquals(32, all.image(2).width());

        FolderDataset ordered = FolderDataset.open(root, List.of("ship", "cat"));
        assertEquals(0, ordered.label(0));
        assertTrue(ordered.source(0).endsWith("c.jpg"));

        var missing = assertThrows(IOException.class, () -> FolderDataset.open(root, List.of("cat", "frog")));
        assertTrue(missing.getMessage().contains("no folder for class 'frog'"), missing.getMessage());
        Files.createDirectories(root.resolve("empty"));
        var empty = assertThrows(IOException.class, () -> FolderDataset.open(root, List.of("empty")));
        assertTrue(empty.getMessage().contains("has no image files"), empty.getMessage());
    }

    private void assertRefused(Path images, Path labels, Path named, String problem) {
        var e = assertThrows(IOException.class, () -> IdxDataset.open(images, labels, IdxDataset.FASHION_MNIST_CLASSES));
        assertTrue(e.getMessage().startsWith(named.toString()) && e.getMessage().contains(problem), e.getMessage());
    }

    private Path idx(String name, int magic, int[] dims, byte[] data, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        Path f = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(f)) : Files.newOutputStream(f)) {
            out.write(bytes.toByteArray());
        }
        return f;
    }
}
