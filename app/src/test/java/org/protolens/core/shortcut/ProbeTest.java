package org.protolens.core.shortcut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.embed.Preprocessing;

/** Counterfactual edits, probes and occlusion saliency, with a real TorchScript backbone. */
class ProbeTest {
    private static Backbone tiny;

    @BeforeAll
    static void open() throws IOException {
        tiny = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null);
    }

    @AfterAll
    static void close() {
        tiny.close();
    }

    private static RgbImage noise(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(0x1000000);
        }
        return new RgbImage(w, h, px);
    }

    /** A flat image of the backbone's normalisation mean (input 0) with one coloured square. */
    private static RgbImage square(int size, int x0, int y0, int side, int colour) {
        float[] mean = tiny.preprocessing().mean();
        int bg = Math.round(mean[0] * 255) << 16 | Math.round(mean[1] * 255) << 8 | Math.round(mean[2] * 255);
        int[] px = new int[size * size];
        Arrays.fill(px, bg);
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) {
                px[y * size + x] = colour;
            }
        }
        return new RgbImage(size, size, px);
    }

    private static float[] embed(RgbImage img) {
        float[] in = new float[tiny.preprocessing().valuesPerImage()];
        ImageDecoder.writeInput(img, tiny.preprocessing(), in, 0);
        return tiny.embed(in, 1).row(0);
    }

    @Test
    void eachEditChangesWhatItSaysAndNothingElse() {
        RgbImage img = noise(40, 30, 3);
        RgbImage grey = new ImageEdit.Greyscale().apply(img);
        for (int p : grey.rgb()) {
            assertTrue((p >> 16 & 0xff) == (p & 0xff) && (p >> 8 & 0xff) == (p & 0xff), "greyscale leaves no colour");
        }
        ImageEdit.Flip flip = new ImageEdit.Flip();
        assertArrayEquals(img.rgb(), flip.apply(flip.apply(img)).rgb(), "flipping twice gives the image back");
        assertEquals(img.rgb()[39], flip.apply(img).rgb()[0]);

        RgbImage shuffled = new ImageEdit.PatchShuffle(4, 7).apply(img);
        assertFalse(Arrays.equals(img.rgb(), shuffled.rgb()), "the tiles moved");
        int[] a = img.rgb().clone();
        int[] b = shuffled.rgb().clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(a, b, "a patch shuffle keeps every pixel (colour and texture), only moves them");
        assertArrayEquals(shuffled.rgb(), new ImageEdit.PatchShuffle(4, 7).apply(img).rgb(), "the same seed, the same shuffle");

        ImageEdit.Box box = ImageEdit.Box.CENTRE;
        RgbImage flat = new ImageEdit.Background(ImageEdit.Fill.FLAT, box, null, 1).apply(img);
        RgbImage erased = new ImageEdit.Erase(box, false).apply(img);
        RgbImage donor = noise(20, 20, 9);
        RgbImage swapped = new ImageEdit.Background(ImageEdit.Fill.DONOR, box, donor, 1).apply(img);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                int i = y * 40 + x;
                boolean inside = box.contains(x, y, 40, 30);
                assertEquals(inside ? img.rgb()[i] : ImageEdit.GREY, flat.rgb()[i], "flat background at " + x + "," + y);
                assertEquals(inside ? ImageEdit.GREY : img.rgb()[i], erased.rgb()[i], "occluded centre at " + x + "," + y);
                assertEquals(inside ? img.rgb()[i] : donor.rgb()[(y * 20 / 30) * 20 + x * 20 / 40], swapped.rgb()[i]);
            }
        }
        assertThrows(IllegalStateException.class, () -> new ImageEdit.Background(ImageEdit.Fill.DONOR, box, null, 1).apply(img));

        RgbImage jittered = new ImageEdit.ColourJitter(0.4, 5).apply(img);
        assertArrayEquals(jittered.rgb(), new ImageEdit.ColourJitter(0.4, 5).apply(img).rgb(), "the same seed, the same jitter");
        assertNotEquals(Arrays.hashCode(img.rgb()), Arrays.hashCode(jittered.rgb()));
        RgbImage still = new ImageEdit.ColourJitter(0, 5).apply(img);
        for (int i = 0; i < still.rgb().length; i++) {
            for (int s = 0; s <= 16; s += 8) {
                assertTrue(Math.abs((still.rgb()[i] >> s & 0xff) - (img.rgb()[i] >> s & 0xff)) <= 1, "jitter of strength 0 keeps colours");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ImageEdit.Box(0.5, 0, 0.4, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageEdit.PatchShuffle(1, 0));
    }

    @Test
    void withTheObjectsOutlineTheBackgroundEditsKeepEveryObjectPixelAndNoneOfTheDonorsObject() {
        // a 40 x 30 noise image whose object is a 12 x 10 L-shape (not a box); the donor is blue with a red object of its own
        RgbImage img = noise(40, 30, 4);
        boolean[] shape = new boolean[40 * 30];
        for (int y = 8; y < 18; y++) {
            for (int x = 10; x < 22; x++) {
                shape[y * 40 + x] = x < 14 || y >= 14;
            }
        }
        ImageEdit.Mask object = new ImageEdit.Mask(40, 30, shape);
        int[] donorPx = new int[20 * 15];
        boolean[] donorShape = new boolean[20 * 15];
        for (int i = 0; i < donorPx.length; i++) {
            int x = i % 20;
            int y = i / 20;
            donorShape[i] = x >= 2 && x < 16 && y >= 3 && y < 12;
            donorPx[i] = donorShape[i] ? 0xff0000 : 0x0000ff;
        }
        RgbImage donor = new RgbImage(20, 15, donorPx);
        ImageEdit.Mask donorObject = new ImageEdit.Mask(20, 15, donorShape);
        List<ImageEdit> templates = ImageEdit.standard(ImageEdit.Box.CENTRE, null, 1);
        Probes.Subject subject = new Probes.Subject(img, object, donor, donorObject);
        for (ImageEdit template : templates) {
            ImageEdit edit = Probes.edit(template, subject);
            RgbImage out = edit.apply(img);
            for (int i = 0; i < shape.length; i++) {
                switch (template.id()) {
                    case "background-flat", "background-noise", "background-other" -> {
                        if (shape[i]) {
                            assertEquals(img.rgb()[i], out.rgb()[i], template.id() + " keeps the object's pixel " + i);
                        } else {
                            assertNotEquals(0xff0000, out.rgb()[i], "no pixel of the donor's own object shows");
                        }
                    }
                    case "occlude-centre" -> assertEquals(shape[i] ? ImageEdit.GREY : img.rgb()[i], out.rgb()[i],
                            "the object, exactly, greyed out at " + i);
                    default -> {
                    }
                }
            }
            if (template.id().equals("background-other")) {
                assertEquals(0x0000ff, out.rgb()[0], "the donor's background");
                assertEquals(0x0000ff, out.rgb()[12 * 40 + 25], "where the donor's object was, its background");
            }
        }
        assertTrue(Probes.edit(templates.get(2), subject).describe().contains("outline"));
        assertTrue(templates.get(2).describe().contains("box"), "without an outline, the box");
        assertEquals(templates.getFirst(), Probes.edit(templates.getFirst(), subject), "greyscale needs no object");
    }

    @Test
    void anEditThatChangesNothingMovesNothingAndFlipsNothing() {
        List<RgbImage> images = List.of(noise(32, 32, 1), noise(50, 40, 2), noise(32, 32, 3));
        FloatMatrix protos = FloatMatrix.ofRows(embed(noise(32, 32, 10)), embed(noise(32, 32, 11)), embed(noise(32, 32, 12)));
        Probes.Report r = Probes.run(tiny, images, null, List.of(new ImageEdit.Identity()), protos, protos, 2, null, null);
        assertEquals(3, r.outcomes().size());
        for (Probes.Outcome o : r.outcomes()) {
            assertArrayEquals(r.originals().get(o.image()).embedding(), o.embedding(), 1e-6f);
            assertEquals(0, o.moved(), 1e-6);
        }
        Probes.Row row = r.rows().getFirst();
        assertEquals(3, row.images());
        assertEquals(0, row.flippedRaw());
        assertEquals(0, row.flipped());
        assertEquals(0, row.similarityDrop(), 1e-6);
        assertArrayEquals(embed(images.get(1)), r.originals().get(1).embedding(), 1e-6f, "originals are embedded as the importer does");
    }

    @Test
    void aPredictionThatRestsOnColourFlipsUnderGreyscale() {
        // class 0: a red square; class 1: the same square in its grey; greyscale turns the first into the second
        RgbImage red = square(32, 8, 8, 14, 0xd02020);
        RgbImage grey = new ImageEdit.Greyscale().apply(red);
        FloatMatrix protos = FloatMatrix.ofRows(embed(red), embed(grey));
        List<ImageEdit> edits = List.of(new ImageEdit.Greyscale(), new ImageEdit.Flip(),
                new ImageEdit.Background(ImageEdit.Fill.DONOR, ImageEdit.Box.CENTRE, null, 1));
        Probes.Report r = Probes.run(tiny, List.of(red, red), Arrays.asList(grey, null), edits, protos, protos, 8, null, null);
        assertEquals(0, r.originals().getFirst().predicted());
        Probes.Row greyscale = r.rows().get(0);
        assertEquals("greyscale", greyscale.edit());
        assertEquals(1.0, greyscale.flipped(), "both red images now look like the grey class");
        assertTrue(greyscale.similarityDrop() > 0);
        Probes.Row flipped = r.rows().get(1);
        assertEquals(0.0, flipped.flipped(), "a mirrored square is still red");
        Probes.Row donor = r.rows().get(2);
        assertEquals(1, donor.images(), "only the image given a donor is probed with its background");
        assertEquals(1, greyscale.flippedTo(), "the red images flipped to the grey class");
        String csv = r.csv(List.of("red", "grey"));
        assertTrue(csv.startsWith("edit,description,images,flipped_alpha0,flipped_calibrated") && csv.contains("\ngreyscale,"), csv);
        assertTrue(csv.contains("\"grey\"\n"), csv);
        assertEquals(4, csv.split("\n").length);
        // new prototypes (the grey class gone): the same embeddings scored again, nothing flips to a class that is not there
        Probes.Report one = Probes.rescore(r, FloatMatrix.ofRows(embed(red)), FloatMatrix.ofRows(embed(red)));
        assertEquals(0.0, one.rows().getFirst().flipped());
        assertArrayEquals(r.outcomes().getFirst().embedding(), one.outcomes().getFirst().embedding());
    }

    @Test
    void saliencyOfASquaresPrototypePeaksOnTheSquare() {
        RgbImage img = square(32, 20, 4, 8, 0x20c040);
        float[] prototype = embed(img);
        int[] seen = new int[2];
        OcclusionSaliency.Map m = OcclusionSaliency.compute(tiny, img, prototype, 4, 2, 64, (d, t) -> {
            seen[0] = d;
            seen[1] = t;
        }, null);
        assertEquals(15 * 15, m.grid().length);
        assertEquals(225, seen[0]);
        assertEquals(225, seen[1]);
        assertEquals(1.0, m.similarity(), 1e-5, "the image is its own prototype");
        int[] peak = m.peak();
        assertTrue(peak[0] >= 18 && peak[0] < 30 && peak[1] >= 2 && peak[1] < 14, "the peak " + Arrays.toString(peak)
                + " lies on the square at x 20-27, y 4-11");
        // far from the square (the lower left quarter) occlusion takes away almost nothing
        float far = 0;
        for (int y = 20; y < 32; y++) {
            for (int x = 0; x < 12; x++) {
                far = Math.max(far, Math.abs(m.drop()[y * 32 + x]));
            }
        }
        assertTrue(m.max() > 20 * far, "peak " + m.max() + " against " + far + " far from the square");
        OcclusionSaliency.Map batchedByOne = OcclusionSaliency.compute(tiny, img, prototype, 4, 2, 1, null, null);
        assertArrayEquals(m.drop(), batchedByOne.drop(), 1e-5f, "batching does not change the map");
    }

    @Test
    void theOverlayColoursOnlyTheSaliencyAndGreysTheImageUnderIt() {
        // a red image; its saliency: the upper left cell only
        int[] red = new int[16 * 16];
        Arrays.fill(red, 0xd02020);
        RgbImage img = new RgbImage(16, 16, red);
        float[] values = new float[4 * 4];
        values[0] = 1;
        GradCam.Map map = new GradCam.Map(4, 4, 0.5, values, new float[1]);
        RgbImage clear = SaliencyImage.overlay(img, map, 0, 512);
        for (int p : clear.rgb()) {
            assertEquals(0xd02020, p & 0xffffff, "at opacity 0, the image as it is");
        }
        RgbImage full = SaliencyImage.overlay(img, map, 1, 512);
        int far = full.rgb()[15 * 16 + 15];
        assertTrue((far >> 16 & 0xff) == (far & 0xff) && (far >> 8 & 0xff) == (far & 0xff),
                "no saliency: the image in grey, not its red: " + Integer.toHexString(far));
        assertEquals(0xffff00, full.rgb()[0] & 0xffffff, "the peak in full yellow");
    }

    @Test
    void saliencyCountsItsCopiesAndCanBeCancelled() {
        Preprocessing p224 = Preprocessing.imagenet(224);
        assertEquals(729, OcclusionSaliency.copies(p224, 16, 8), "27 x 27 patch positions");
        assertArrayEquals(new int[] {0, 3, 6, 7}, OcclusionSaliency.positions(10, 3, 3), "the last patch is flush with the edge");
        var bad = assertThrows(IllegalArgumentException.class, () -> OcclusionSaliency.copies(p224, 16, 17));
        assertTrue(bad.getMessage().contains("stride"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OcclusionSaliency.copies(p224, 300, 8));
        RgbImage img = noise(32, 32, 4);
        assertThrows(CancellationException.class, () -> OcclusionSaliency.compute(tiny, img, embed(img), 4, 2, 8, null, () -> true));
        assertThrows(IllegalArgumentException.class, () -> OcclusionSaliency.compute(tiny, img, new float[3], 4, 2, 8, null, null));
    }
}
