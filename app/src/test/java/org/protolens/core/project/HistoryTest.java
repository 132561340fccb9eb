package org.protolens.core.project;

import org.protolens.TestResources;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        for (int i : java.util.stream.IntStream.concat(java.util.Arrays.stream(shots), java.util.Arrays.stream(more)).toArray()) {
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
}
