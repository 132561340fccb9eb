package org.protolens.core.shortcut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.TeenCalibration;
import smile.classification.LogisticRegression;

/** The shortcut datasets and the bias figure: what a researcher reads the report by. */
class ShortcutTest {
    @TempDir
    Path dir;

    private static ShortcutDataset.Spec spec(ShortcutDataset.Shortcut kind, double p, double q, int perClass, long seed) {
        return new ShortcutDataset.Spec(4, kind, p, q, 14, 6, 1.0, perClass, 32, seed);
    }

    @Test
    void theManifestDescribesEveryImageAndTheShortcutIsInItsPixels() throws IOException {
        for (ShortcutDataset.Shortcut kind : List.of(ShortcutDataset.Shortcut.PATCH, ShortcutDataset.Shortcut.BACKGROUND_COLOUR)) {
            Path out = dir.resolve(kind.optionName());
            List<ShortcutDataset.Item> made = ShortcutDataset.write(spec(kind, 0.9, 0.6, 20, 1), out);
            assertEquals(made, ShortcutDataset.readManifest(out), "the manifest reads back as written");
            assertEquals(80, made.size());
            for (ShortcutDataset.Item it : made) {
                assertTrue(it.path().startsWith(ShortcutDataset.className(it.label()) + "/"), "an image lies in its label's folder");
                BufferedImage img = ImageIO.read(out.resolve(it.path()).toFile());
                assertEquals(32, img.getWidth());
                // the corner pixel shows the shortcut's class colour (patch and background band both cover it)
                assertEquals(ShortcutDataset.colour(it.shortcut(), 4).getRGB() | 0xff000000, img.getRGB(1, 1) | 0xff000000,
                        it.path() + ": shortcut " + it.shortcut());
                assertObjectWhereTheManifestSays(it, img);
            }
        }
    }

    /**
     * The manifest's object outline is the object: pixels well inside it have the object's grey
     * (dark or light, the same in every channel), pixels well outside it never do (band, patch or
     * the neutral field); only pixels on the outline (anti-aliased) are left unchecked.
     */
    private static void assertObjectWhereTheManifestSays(ShortcutDataset.Item it, BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean[] mask = it.objectMask(w, h);
        int inside = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                boolean all = true;
                boolean none = true;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        all &= mask[(y + dy) * w + x + dx];
                        none &= !mask[(y + dy) * w + x + dx];
                    }
                }
                int p = img.getRGB(x, y);
                int r = p >> 16 & 0xff;
                boolean objectGrey = r == (p >> 8 & 0xff) && r == (p & 0xff) && (r < 60 || r > 195);
                if (all) {
                    inside++;
                    assertTrue(objectGrey, it.path() + ": (" + x + ", " + y + ") is inside the object's outline but shows "
                            + Integer.toHexString(p));
                } else if (none) {
                    assertTrue(!objectGrey, it.path() + ": (" + x + ", " + y + ") is outside the object's outline but shows its grey");
                }
            }
        }
        assertTrue(inside > 10, it.path() + ": the outline holds the object (" + inside + " pixels well inside)");
    }

    @Test
    void aFolderWithoutAManifestIsRefusedSayingWhatIsMissing() {
        IOException e = assertThrows(IOException.class, () -> ShortcutDataset.readManifest(dir.resolve("photos")));
        assertTrue(e.getMessage().contains("manifest.csv: no such file") && e.getMessage().contains("not a shortcut dataset"),
                e.getMessage());
    }

    @Test
    void aManifestWrittenBeforeObjectsWereRecordedStillReads() throws IOException {
        Files.writeString(dir.resolve("manifest.csv"), "path,label,core,shortcut,kind\ncircle/a.png,circle,square,circle,conflict\n");
        ShortcutDataset.Item it = ShortcutDataset.readManifest(dir).getFirst();
        assertEquals(0, it.label());
        assertEquals(1, it.core());
        assertEquals(null, it.object());
        assertEquals(null, it.objectMask(32, 32), "no outline known: probes use the box");
        Files.writeString(dir.resolve("manifest.csv"), "path,label,core,shortcut,kind,object_x,object_y,object_size\n"
                + "circle/a.png,circle,circle,circle,aligned,0.5,1.7,0.4\n");
        IOException e = assertThrows(IOException.class, () -> ShortcutDataset.readManifest(dir));
        assertTrue(e.getMessage().contains("manifest.csv") && e.getMessage().contains("line 2") && e.getMessage().contains("1.7"),
                e.getMessage());
    }

    @Test
    void predictivitiesAreAsAskedWithinSamplingErrorAndASeedGivesTheSameFiles() throws IOException {
        double p = 0.9;
        double q = 0.7;
        List<ShortcutDataset.Item> items = ShortcutDataset.write(spec(ShortcutDataset.Shortcut.TEXTURE, p, q, 300, 7), dir.resolve("a"));
        int n = items.size();
        double coreShare = items.stream().filter(i -> i.core() == i.label()).count() / (double) n;
        double shortcutShare = items.stream().filter(i -> i.shortcut() == i.label()).count() / (double) n;
        assertEquals(p, coreShare, 4 * Math.sqrt(p * (1 - p) / n), "core predictivity");
        assertEquals(q, shortcutShare, 4 * Math.sqrt(q * (1 - q) / n), "shortcut predictivity");

        ShortcutDataset.write(spec(ShortcutDataset.Shortcut.TEXTURE, p, q, 5, 3), dir.resolve("b"));
        ShortcutDataset.write(spec(ShortcutDataset.Shortcut.TEXTURE, p, q, 5, 3), dir.resolve("c"));
        for (String f : List.of("manifest.csv", "circle/00000.png", "cross/00004.png")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("b").resolve(f)), Files.readAllBytes(dir.resolve("c").resolve(f)), f);
        }
    }

    @Test
    void aDatasetAsksForSensibleValuesAndAManifestThatNamesOutsideIsRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new ShortcutDataset.Spec(9, ShortcutDataset.Shortcut.PATCH, 1, 1, 8, 4, 1,
                1, 32, 1), "one shape per class: at most 8");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShortcutDataset.Spec(3, ShortcutDataset.Shortcut.PATCH, 1.5, 1, 8, 4, 1, 1, 32, 1));
        assertTrue(e.getMessage().contains("core predictivity"), e.getMessage());
        Files.writeString(dir.resolve("manifest.csv"), "path,label,core,shortcut,kind\n../../etc/passwd,circle,circle,circle,aligned\n");
        IOException refused = assertThrows(IOException.class, () -> ShortcutDataset.readManifest(dir));
        assertTrue(refused.getMessage().contains("manifest.csv") && refused.getMessage().contains("outside"), refused.getMessage());
    }

    @Test
    void relianceCountsConflictsOnlyAndBiasIsMeasuredAgainstTheOptimalClassifier() {
        // four images: two aligned (both right), two conflicts: one follows the shortcut, one the core
        int[] label = {0, 1, 0, 1};
        int[] core = {0, 1, 0, 1};
        int[] shortcut = {0, 1, 1, 0};
        int[] predicted = {0, 1, 1, 1};
        ShortcutBias.Report r = ShortcutBias.of(label, core, shortcut, predicted, 1.0, 0.9, 2);
        assertEquals(2, r.aligned());
        assertEquals(2, r.conflicts());
        assertEquals(1.0, r.alignedAccuracy());
        assertEquals(0.5, r.conflictAccuracy());
        assertEquals(0.5, r.shortcutShare());
        assertEquals(0.5, r.coreShare());
        assertEquals(0.0, r.reliance());
        assertEquals(-1.0, r.optimalReliance(), "with P > Q the optimal classifier follows the core");
        assertEquals(1.0, r.bias());
        assertEquals(1.0, ShortcutBias.optimalReliance(0.6, 0.9, 4), "with Q > P it follows the shortcut");
        assertEquals(0.0, ShortcutBias.optimalReliance(0.8, 0.8, 4));
        assertEquals(0.0, ShortcutBias.optimalReliance(0.02, 0.05, 10), "below chance a third class is likelier than both");
    }

    @Test
    void onTheVectorDataALinearModelHasNoShortcutBiasAndAShortcutOnlyModelTheMost() {
        // core fully predictive, the shortcut 90 % predictive and three times as available
        int d = 8;
        TwoFeatureData train = TwoFeatureData.sample(4000, 1.0, 0.9, 1.0, 3.0, d, 42);
        TwoFeatureData probes = TwoFeatureData.probes(4000, 1.0, 3.0, d, 42);
        int[] y01 = new int[train.y().length];
        for (int i = 0; i < y01.length; i++) {
            y01[i] = train.y()[i] > 0 ? 1 : 0;
        }
        var linear = LogisticRegression.binomial(train.x(), y01, new LogisticRegression.Options(0, 1e-8, 2000));
        int n = probes.y().length;
        int[] linearSays = new int[n];
        int[] shortcutSays = new int[n];
        int[] label = new int[n];
        int[] core = new int[n];
        int[] shortcut = new int[n];
        for (int i = 0; i < n; i++) {
            linearSays[i] = linear.predict(probes.x()[i]) == 1 ? 1 : -1;
            shortcutSays[i] = probes.zs()[i] > 0 ? 1 : -1;
            label[i] = probes.y()[i] > 0 ? 1 : 0;
            core[i] = probes.zc()[i] > 0 ? 1 : 0;
            shortcut[i] = probes.zs()[i] > 0 ? 1 : 0;
        }
        double linearBias = ShortcutBias.of(label, core, shortcut, toClasses(linearSays), 1.0, 0.9, 2).bias();
        double shortcutBias = ShortcutBias.of(label, core, shortcut, toClasses(shortcutSays), 1.0, 0.9, 2).bias();
        System.out.printf("two-feature data, P = 1, Q = 0.9, shortcut 3x as available: bias of a linear model %.3f, of a shortcut-only"
                + " model %.3f%n", linearBias, shortcutBias);
        assertEquals(0, linearBias, 0.1, "the linear model relies on the core as the optimal classifier does");
        assertEquals(2, shortcutBias, 1e-9, "the shortcut-only model follows the shortcut on every conflict");
        // the two-class form over all probes is the conflicts' reliance times the share of conflicts (about half)
        var viaConflicts = ShortcutBias.of(label, core, shortcut, toClasses(shortcutSays), 1.0, 0.9, 2);
        assertEquals(1.0, viaConflicts.reliance(), 1e-9);
        assertEquals(viaConflicts.conflicts() / (double) n, ShortcutBias.twoClassReliance(probes.zs(), probes.zc(), shortcutSays), 1e-9);
    }

    private static int[] toClasses(int[] pm) {
        int[] c = new int[pm.length];
        for (int i = 0; i < pm.length; i++) {
            c[i] = pm[i] > 0 ? 1 : 0;
        }
        return c;
    }

    /** Embeddings that show one feature only: the class of the shape, or of the shortcut, as a one-hot direction with noise. */
    private static FloatMatrix showing(List<ShortcutDataset.Item> items, boolean shortcut, int classes) {
        Random random = new Random(3);
        float[] x = new float[items.size() * classes];
        for (int i = 0; i < items.size(); i++) {
            int c = shortcut ? items.get(i).shortcut() : items.get(i).core();
            for (int j = 0; j < classes; j++) {
                x[i * classes + j] = (j == c ? 1f : 0f) + 0.05f * (float) random.nextGaussian();
            }
        }
        return new FloatMatrix(items.size(), classes, x);
    }

    @Test
    void theReportOfABackboneThatSeesOnlyTheShortcutSaysSoAndOfOneThatSeesTheShapeSaysNoBias() throws IOException {
        List<ShortcutDataset.Item> items = ShortcutDataset.write(spec(ShortcutDataset.Shortcut.PATCH, 0.95, 0.8, 60, 9), dir.resolve("d"));
        TeenCalibration teen = new TeenCalibration(0.5, 16);
        ShortcutReport.Result onShortcut = ShortcutReport.of(items, showing(items, true, 4), Set.of("cross"), 5, 1, teen);
        assertEquals(List.of("circle", "square", "triangle", "cross"), onShortcut.classes());
        assertEquals(1.0, onShortcut.raw().shortcutShare(), 1e-9, "every conflict goes to its shortcut's class");
        assertEquals(-1.0, onShortcut.raw().optimalReliance(), "the shape is the more predictive feature");
        assertEquals(2.0, onShortcut.raw().bias(), 1e-9);
        ShortcutReport.Result onShape = ShortcutReport.of(items, showing(items, false, 4), Set.of("cross"), 5, 1, teen);
        assertEquals(1.0, onShape.raw().coreShare(), 1e-9);
        assertEquals(0.0, onShape.raw().bias(), 1e-9);
        assertEquals(items.size() - 3 * 30 - 5, onShape.evaluated(), "half of each base class and the shots build the prototypes");
        assertEquals(0.95, onShape.coreP(), 0.05);
        assertTrue(onShape.rawNovel().conflicts() > 0 && onShape.calibratedNovel() != null);
    }
}
