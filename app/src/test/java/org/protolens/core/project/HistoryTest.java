package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.TeenCalibration;

class HistoryTest {
    @Test
    void aNewClassFromImagesPredictsThemAndUndoRestoresEverything() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int[] before = w.predictions();
        List<String> classesBefore = List.copyOf(w.classNames());
        // five Bag test images (not shots) become the shots of a new class "Handbag"
        int bag = w.classNames().indexOf("Bag");
        int[] picked = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(5).mapToInt(Integer::intValue).toArray();
        History h = new History(w);
        h.apply(History.newClass("Handbag", picked));
        int k = w.classNames().indexOf("Handbag");
        assertEquals(11, w.classNames().size());
        assertFalse(w.isBase(k));
        for (int i : picked) {
            assertEquals(k, w.label(i));
            assertTrue(w.isShot(i));
        }
        assertEquals(5, w.stats(k).shots());
        assertTrue(w.stats(k).predicted() > 5, "the new prototype attracts more than its own shots");
        assertEquals("New class “Handbag” from 5 images", h.nextUndo().description());

        h.undo();
        assertEquals(classesBefore, w.classNames());
        for (int i : picked) {
            assertEquals(bag, w.label(i));
            assertFalse(w.isShot(i));
        }
        assertArrayEquals(before, w.predictions(), "undo gives back the same predictions");
        assertTrue(h.canRedo());
        h.redo();
        assertEquals(k, w.classNames().indexOf("Handbag"));
        assertThrows(IllegalArgumentException.class, () -> h.apply(History.newClass("Handbag", picked)), "names are unique");
        assertThrows(IllegalArgumentException.class, () -> h.apply(History.newClass("  ", picked)));
    }

    @Test
    void takingShotsOfAClassReaveragesItsPrototypeAndUndoRestoresIt() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int shirt = w.classNames().indexOf("Shirt");
        int[] shirtShots = w.imagesOf(shirt).stream().filter(w::isShot).mapToInt(Integer::intValue).toArray();
        float[] before = w.rawPrototype(shirt);
        int[] predictionsBefore = w.predictions();
        History h = new History(w);
        h.apply(History.newClass("Blouse", new int[] {shirtShots[0], shirtShots[1]}));
        assertEquals(3, w.stats(shirt).shots());
        float[] mean = new float[before.length];
        for (int j = 2; j < 5; j++) {
            float[] row = w.embeddings().row(shirtShots[j]);
            for (int d = 0; d < mean.length; d++) {
                mean[d] += row[d] / 3;
            }
        }
        assertArrayEquals(mean, w.rawPrototype(shirt), 1e-5f, "Shirt's prototype is the mean of its 3 remaining shots");
        h.undo();
        assertArrayEquals(before, w.rawPrototype(shirt), 1e-5f);
        assertArrayEquals(predictionsBefore, w.predictions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.apply(History.newClass("Blouse", shirtShots)));
        assertTrue(e.getMessage().contains("every shot of \"Shirt\""), e.getMessage());
        assertArrayEquals(predictionsBefore, w.predictions(), "a refused edit changes nothing");
    }

    @Test
    void shotsAddedAndTakenOutRenameAndRemoveAreUndoneExactly() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        History h = new History(w);
        int bag = w.classNames().indexOf("Bag");
        int[] shots = w.imagesOf(bag).stream().filter(w::isShot).mapToInt(Integer::intValue).toArray();
        int[] more = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(3).mapToInt(Integer::intValue).toArray();
        int[] start = w.predictions();
        float[] prototype = w.rawPrototype(bag);

        h.apply(History.relabel("Add 3 shots to “Bag”", more, "Bag", true));
        assertEquals(shots.length + 3, w.stats(bag).shots());
        // the prototype is the mean of the 8 shots now
        float[] mean = new float[w.dim()];
        for (int i : IntStream.concat(Arrays.stream(shots), Arrays.stream(more)).toArray()) {
            float[] e = w.embedding(i);
            for (int j = 0; j < mean.length; j++) {
                mean[j] += e[j] / (shots.length + 3);
            }
        }
        assertArrayEquals(mean, w.rawPrototype(bag), 1e-5f);
        // taking out every shot is refused, the workspace unchanged
        int[] all = w.imagesOf(bag).stream().filter(w::isShot).mapToInt(Integer::intValue).toArray();
        assertThrows(IllegalArgumentException.class, () -> h.apply(History.relabel("none", all, "Bag", false)));
        assertEquals(shots.length + 3, w.stats(bag).shots());

        h.apply(History.rename("Bag", "Handbag"));
        assertEquals(bag, w.classNames().indexOf("Handbag"));
        assertThrows(IllegalArgumentException.class, () -> h.apply(History.rename("Trouser", "Pants")),
                "a base class of the backbone keeps its name");
        h.apply(History.remove("Handbag"));
        assertEquals(-1, w.classNames().indexOf("Handbag"));
        for (int i : shots) {
            assertEquals(-1, w.label(i), "its images are unlabelled");
        }

        h.undo();
        h.undo();
        assertEquals(bag, w.classNames().indexOf("Bag"), "removed and renamed back: the last class again");
        h.undo();
        assertArrayEquals(prototype, w.rawPrototype(bag), 1e-6f);
        assertArrayEquals(start, w.predictions(), "everything undone: the same predictions");
        h.redo();
        h.redo();
        h.redo();
        assertEquals(-1, w.classNames().indexOf("Handbag"));
    }

    /**
     * The calibration is undoable: the steps of one dragged slider are one step to undo, a new
     * gesture is another, and switching TEEN off and on is undone like any edit.
     */
    @Test
    void calibrationChangesOfOneGestureAreOneUndo() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        TeenCalibration start = w.calibration();
        int[] atStart = w.predictions();
        History h = new History(w);
        h.apply(History.calibrate(new TeenCalibration(0.6, start.tau()), true, false));
        h.apply(History.calibrate(new TeenCalibration(0.75, start.tau()), true, true));
        h.apply(History.calibrate(new TeenCalibration(0.9, start.tau()), true, true));
        assertEquals(0.9, w.calibration().alpha());
        assertEquals(String.format(Locale.ROOT, "\u03b1 %.2f \u2192 0.90", start.alpha()), h.nextUndo().description());
        int[] strong = w.predictions();
        h.apply(History.calibrate(new TeenCalibration(0.9, 4), true, false));
        h.apply(History.calibrate(w.calibration(), false, false));
        assertFalse(w.calibrationEnabled());
        assertEquals("Calibration off", h.nextUndo().description());

        h.undo();
        assertTrue(w.calibrationEnabled());
        h.undo();
        assertEquals(16, w.calibration().tau(), 0, "the tau step undone on its own");
        assertArrayEquals(strong, w.predictions());
        h.undo();
        assertEquals(start, w.calibration(), "the whole drag is one undo");
        assertArrayEquals(atStart, w.predictions());
        assertFalse(h.canUndo());
        h.redo();
        assertEquals(0.9, w.calibration().alpha());
    }

    /**
     * An import's batches are one step to undo: undone, the images and the classes they brought are
     * gone and every prediction is as before; redone, they are back as they were.
     */
    @Test
    void anImportIsUndoneWithTheClassesItBroughtAndRedoneAsItWas() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int n = w.imageCount();
        int bag = w.classNames().indexOf("Bag");
        int[] bags = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(9).mapToInt(Integer::intValue).toArray();
        List<ImportPlan.Item> items = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int j = 0; j < bags.length; j++) {
            // three new "Satchel" images (two of them shots), then six more labelled "Bag"
            items.add(new ImportPlan.Item(w.imageFile(bags[j]), j < 3 ? "Satchel" : "Bag",
                    j < 3 ? Workspace.Kind.NOVEL : Workspace.Kind.BASE, j < 2));
            keys.add(new byte[] {(byte) j});
        }
        FloatMatrix rows = w.embeddings().selectRows(bags);
        int[] predictedBefore = w.predictions();
        List<String> classesBefore = List.copyOf(w.classNames());
        Object job = new Object();
        History h = new History(w);
        h.apply(History.importBatch(job, items.subList(0, 3), keys.subList(0, 3), rows.selectRows(new int[] {0, 1, 2})));
        h.apply(History.importBatch(job, items.subList(3, 9), keys.subList(3, 9), rows.selectRows(new int[] {3, 4, 5, 6, 7, 8})));
        assertEquals(n + 9, w.imageCount());
        int satchel = w.classNames().indexOf("Satchel");
        assertEquals(2, w.stats(satchel).shots());
        assertEquals("Import of 9 images", h.nextUndo().description(), "the two batches are one edit");
        int[] predictedAfter = w.predictions();

        h.undo();
        assertEquals(n, w.imageCount());
        assertEquals(classesBefore, w.classNames(), "the class the import brought is gone");
        assertArrayEquals(predictedBefore, w.predictions(), "and every image is predicted as before");
        assertFalse(h.canUndo());
        h.redo();
        assertEquals(n + 9, w.imageCount());
        assertArrayEquals(predictedAfter, w.predictions());
        assertEquals("Bag", w.classNames().get(w.label(n + 5)));
        // an edit in between: the next batch of the same import is a step of its own
        h.apply(History.rename("Satchel", "Tote"));
        h.apply(History.importBatch(job, List.of(items.get(0)), List.of(keys.get(0)), rows.selectRows(new int[] {0})));
        assertEquals("Import of 1 image", h.nextUndo().description());
        h.undo();
        assertEquals(n + 9, w.imageCount());
        assertTrue(w.classNames().contains("Tote"));
    }

    /**
     * Imported images can be removed (the person's choice, one step to undo): the images after
     * them move up with their labels, shots and marks, the classes are re-averaged, predictions
     * follow; images the project was made with, and a class's last shot, are refused.
     */
    @Test
    void importedImagesAreRemovedWithTheirLabelsAndComeBackWithUndo() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int n = w.imageCount();
        int[] bags = w.imagesOf(w.classNames().indexOf("Bag")).stream().filter(i -> !w.isShot(i)).limit(8).mapToInt(Integer::intValue)
                .toArray();
        List<ImportPlan.Item> items = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int j = 0; j < bags.length; j++) {
            // "Satchel" from the first five (three shots), then three unlabelled
            items.add(new ImportPlan.Item(w.imageFile(bags[j]), j < 5 ? "Satchel" : null, j < 5 ? Workspace.Kind.NOVEL : null, j < 3));
            keys.add(new byte[] {(byte) j});
        }
        History h = new History(w);
        h.apply(History.importBatch(new Object(), items, keys, w.embeddings().selectRows(bags)));
        int satchel = w.classNames().indexOf("Satchel");
        w.setRejected(new int[] {n + 7}, "Bag", true);
        List<String> pathsBefore = List.copyOf(w.imagePaths());
        int[] labelsBefore = IntStream.range(0, w.imageCount()).map(w::label).toArray();
        int[] predictedBefore = w.predictions();
        float[] satchelBefore = w.prototype(satchel);

        // a shot, a member and an unlabelled image
        h.apply(History.removeImages(new int[] {n + 1, n + 4, n + 5}));
        assertEquals("Remove 3 images", h.nextUndo().description());
        assertEquals(n + 5, w.imageCount());
        assertEquals(List.of(pathsBefore.get(n), pathsBefore.get(n + 2), pathsBefore.get(n + 3), pathsBefore.get(n + 6),
                pathsBefore.get(n + 7)), w.imagePaths().subList(n, n + 5), "the others move up, in order");
        assertEquals(2, w.stats(satchel).shots());
        assertEquals(List.of(satchel, satchel, satchel, -1, -1), IntStream.range(n, n + 5).map(w::label).boxed().toList());
        assertTrue(w.isRejected(n + 4, w.classNames().indexOf("Bag")), "the mark moved with its image");
        assertEquals(List.of(true, true, false, false, false), IntStream.range(n, n + 5).mapToObj(w::isShot).toList(),
                "two shots left of three");

        IllegalArgumentException own = assertThrows(IllegalArgumentException.class, () -> h.apply(History.removeImages(new int[] {0})));
        assertTrue(own.getMessage().contains("project.json"), own.getMessage());
        int[] shotsLeft = IntStream.range(n, w.imageCount()).filter(w::isShot).toArray();
        IllegalArgumentException last = assertThrows(IllegalArgumentException.class, () -> h.apply(History.removeImages(shotsLeft)));
        assertTrue(last.getMessage().contains("no shots left"), last.getMessage());
        assertEquals(n + 5, w.imageCount(), "a refused removal changes nothing");

        h.undo();
        assertEquals(pathsBefore, w.imagePaths());
        assertArrayEquals(labelsBefore, IntStream.range(0, w.imageCount()).map(w::label).toArray());
        assertArrayEquals(predictedBefore, w.predictions(), "every image predicted as before");
        assertArrayEquals(satchelBefore, w.prototype(satchel), 1e-6f);
        assertTrue(w.isRejected(n + 7, w.classNames().indexOf("Bag")));
        h.redo();
        assertEquals(n + 5, w.imageCount());
    }
}
