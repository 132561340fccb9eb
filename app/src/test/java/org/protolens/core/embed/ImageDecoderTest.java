package org.protolens.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.NpyFile;

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
}
