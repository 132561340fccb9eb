package org.protolens.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

class ImageDecoderTest {
    static final Preprocessing CIFAR = new Preprocessing(32, 32, new float[] {0.5071f, 0.4865f, 0.4409f},
            new float[] {0.2673f, 0.2564f, 0.2762f});

    static List<String> referenceNames() throws IOException {
        return Files.readAllLines(TestResources.torchscript("reference/names.txt")).stream().filter(s -> !s.isBlank()).toList();
    }

    @Test
    void losslessImagesMatchThePythonPreprocessing() throws IOException {
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/inputs.npy"));
        List<String> names = referenceNames();
        int checked = 0;
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).endsWith(".png")) {
                continue;
            }
            float[] actual = input(names.get(i));
            // PIL decodes the same PNG pixels; resize + normalise agree to float rounding
            assertArrayEquals(expected.row(i), actual, 2e-4f, names.get(i));
            checked++;
        }
        assertEquals(5, checked, "wide, small, grey, palette and alpha PNGs");
    }

    @Test
    void jpegsDifferFromPillowOnlyByDecoderRounding() throws IOException {
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/inputs.npy"));
        List<String> names = referenceNames();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).endsWith(".jpg")) {
                continue;
            }
            float[] actual = input(names.get(i));
            float[] want = expected.row(i);
            double meanAbs = 0;
            for (int j = 0; j < want.length; j++) {
                meanAbs += Math.abs(want[j] - actual[j]);
            }
            meanAbs /= want.length;
            // libjpeg versions differ by about one grey level: 1/255/0.27 = 0.015 in normalised units
            assertTrue(meanAbs < 0.03, names.get(i) + ": mean difference " + meanAbs);
        }
    }

    @Test
    void exifOrientationTurnsTheImageUpright() throws IOException {
        byte[] bytes = Files.readAllBytes(TestResources.torchscript("images/exif-rotated.jpg"));
        assertEquals(6, ImageDecoder.exifOrientation(bytes));
        ImageDecoder.RgbImage img = ImageDecoder.decode(bytes, "exif-rotated.jpg");
        assertEquals(24, img.width());
        assertEquals(40, img.height());
    }

    @Test
    void allEightOrientationsMoveTheCornersAsExifDefines() {
        // 3 x 2 image: a b c / d e f
        var img = new ImageDecoder.RgbImage(3, 2, new int[] {'a', 'b', 'c', 'd', 'e', 'f'});
        assertArrayEquals(new int[] {'c', 'b', 'a', 'f', 'e', 'd'}, ImageDecoder.orient(img, 2).rgb());
        assertArrayEquals(new int[] {'f', 'e', 'd', 'c', 'b', 'a'}, ImageDecoder.orient(img, 3).rgb());
        assertArrayEquals(new int[] {'d', 'e', 'f', 'a', 'b', 'c'}, ImageDecoder.orient(img, 4).rgb());
        assertArrayEquals(new int[] {'a', 'd', 'b', 'e', 'c', 'f'}, ImageDecoder.orient(img, 5).rgb());
        assertArrayEquals(new int[] {'d', 'a', 'e', 'b', 'f', 'c'}, ImageDecoder.orient(img, 6).rgb());
        assertArrayEquals(new int[] {'f', 'c', 'e', 'b', 'd', 'a'}, ImageDecoder.orient(img, 7).rgb());
        assertArrayEquals(new int[] {'c', 'f', 'b', 'e', 'a', 'd'}, ImageDecoder.orient(img, 8).rgb());
        assertEquals(2, ImageDecoder.orient(img, 6).width());
    }

    @Test
    void sixteenBitGreyKeepsItsStoredLevels() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0x8000);
        grey.getRaster().setSample(1, 0, 0, 0xffff);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        ImageDecoder.RgbImage img = ImageDecoder.decode(png.toByteArray(), "grey16.png");
        assertArrayEquals(new int[] {0x808080, 0xffffff}, img.rgb());
    }

    @Test
    void unreadableFilesAreRefusedWithTheirName() throws IOException {
        Path text = TestResources.torchscript("images/not-an-image.jpg");
        var e = assertThrows(ImageReadException.class, () -> ImageDecoder.decode(Files.readAllBytes(text), text.toString()));
        assertTrue(e.getMessage().startsWith(text.toString()) && e.getMessage().contains("not an image"), e.getMessage());
        Path truncated = TestResources.torchscript("images/truncated.jpg");
        var t = assertThrows(ImageReadException.class,
                () -> ImageDecoder.decode(Files.readAllBytes(truncated), truncated.toString()));
        assertTrue(t.getMessage().startsWith(truncated.toString()), t.getMessage());
        var empty = assertThrows(ImageReadException.class, () -> ImageDecoder.decode(new byte[0], "empty.png"));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }

    static float[] input(String name) throws IOException {
        Path file = TestResources.torchscript("images/" + name);
        float[] out = new float[CIFAR.valuesPerImage()];
        ImageDecoder.writeInput(ImageDecoder.decode(Files.readAllBytes(file), name), CIFAR, out, 0);
        return out;
    }

    /**
     * A PNG of a few tens of kilobytes that declares {@code side} x {@code side} black-and-white
     * pixels (1 bit each, all zero): a decompression bomb.
     */
    static byte[] pngBomb(int side) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (var z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[1 + (side + 7) / 8];
            for (int y = 0; y < side; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 1).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        var crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(type.getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aDecompressionBombIsDecodedSubsampledWithinThePixelLimit() throws Exception {
        byte[] bomb = pngBomb(20_000);
        assertTrue(bomb.length < 200_000, "a small file: " + bomb.length + " bytes");
        String before = System.getProperty(ImageDecoder.MAX_PIXELS_PROPERTY);
        System.setProperty(ImageDecoder.MAX_PIXELS_PROPERTY, "4000000");
        try {
            ImageDecoder.RgbImage img = ImageDecoder.decode(bomb, "bomb.png");
            assertTrue((long) img.width() * img.height() <= 4_000_000L, img.width() + " x " + img.height());
            assertEquals(img.width(), img.height());
            assertTrue(img.width() >= 1900, "subsampled no more than needed: " + img.width());
            assertEquals(0, img.rgb()[img.rgb().length / 2], "its pixels are read (black)");
        } finally {
            if (before == null) {
                System.clearProperty(ImageDecoder.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(ImageDecoder.MAX_PIXELS_PROPERTY, before);
            }
        }
        assertEquals(1, ImageDecoder.subsampling(4000, 3000, 50_000_000L), "a 12-megapixel photo is decoded whole");
        assertEquals(3, ImageDecoder.subsampling(20_000, 20_000, 50_000_000L));
    }
}
