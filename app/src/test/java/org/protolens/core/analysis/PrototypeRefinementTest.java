package org.protolens.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.History;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.PrototypeHead;

/** A transductive head chosen in a project: refined in the background, applied only to what it was made from, stored. */
class PrototypeRefinementTest {
    @TempDir
    Path dir;

    @Test
    void aRefinementClassifiesUntilTheNextChangeAndTheHeadIsStored() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        int[] refinedPredictions;
        try (OpenProject p = OpenProject.open(project)) {
            Workspace w = p.workspace();
            History h = new History(w);
            WorkspaceState calibrated = w.state();
            assertFalse(calibrated.refining(), "as calibrated: nothing to refine");
            h.apply(History.head(PrototypeHead.TIM));
            WorkspaceState waiting = w.state();
            assertTrue(waiting.refining(), "until its refinement lands the prototypes are as calibrated");
            assertArrayEquals(calibrated.predictedClasses(), waiting.predictedClasses());

            PrototypeRefinement r = PrototypeRefinement.of(waiting, PrototypeHead.TIM);
            assertEquals(1000, r.imagesRead(), "every image but the 20 shots, labels unread");
            for (int k = 0; k < w.classNames().size(); k++) {
                assertEquals(w.isBase(k), r.prototypes()[k] == null, "only new classes are refined: " + w.classNames().get(k));
            }
            assertTrue(w.applyRefinement(r.head(), r.revision(), r.prototypes()));
            WorkspaceState refined = w.state();
            assertTrue(refined.predictions().refined() && !refined.refining());
            // predictions are the nearest refined prototype by cosine
            float[][] protos = IntStream.range(0, refined.classCount()).mapToObj(refined::prototype).toArray(float[][]::new);
            int[] nearest = new CosineClassifier(FloatMatrix.ofRows(protos)).predict(refined.embeddings());
            int agree = 0;
            for (int i = 0; i < nearest.length; i++) {
                agree += nearest[i] == refined.predicted(i) ? 1 : 0;
            }
            assertTrue(agree >= nearest.length - 2, agree + " of " + nearest.length + " (float ties aside)");
            assertTrue(refined.classMeanAccuracy() > calibrated.classMeanAccuracy() + 0.02,
                    "on the Fashion sample TIM lifts the accuracy: " + calibrated.classMeanAccuracy() + " -> "
                            + refined.classMeanAccuracy());
            refinedPredictions = refined.predictedClasses();

            // made before a change, or by another head: refused
            int someImage = IntStream.range(0, w.imageCount()).filter(i -> !w.isShot(i) && w.label(i) >= 0).findFirst().orElseThrow();
            h.apply(History.relabel("Relabel", new int[] {someImage}, w.classNames().get(w.label(someImage) == 0 ? 1 : 0), false));
            assertTrue(w.state().predictions().refined(), "the head reads no labels: relabelling an image that is no shot keeps it");
            h.undo();
            h.apply(History.relabel("New shot", new int[] {someImage}, "Bag", true));
            assertFalse(w.state().predictions().refined(), "a new shot takes the refinement away");
            assertFalse(w.applyRefinement(r.head(), r.revision(), r.prototypes()), "a refinement of what was is refused");
            PrototypeRefinement soft = PrototypeRefinement.of(w.state(), PrototypeHead.SOFT_KMEANS);
            assertFalse(w.applyRefinement(soft.head(), soft.revision(), soft.prototypes()), "made by another head than the project's");
            h.undo();
            PrototypeRefinement again = PrototypeRefinement.of(w.state(), PrototypeHead.TIM);
            assertTrue(w.applyRefinement(again.head(), again.revision(), again.prototypes()));
            assertArrayEquals(refinedPredictions, w.state().predictedClasses(), "the same state refines the same way");
            p.save("Prototypes: TIM");
        }
        try (OpenProject p = OpenProject.open(project)) {
            Workspace w = p.workspace();
            assertEquals(PrototypeHead.TIM, w.head(), "the head is stored with the project");
            assertTrue(w.state().refining());
            History h = new History(w);
            h.apply(History.head(PrototypeHead.CALIBRATED));
            assertFalse(w.state().refining());
            h.undo();
            assertEquals(PrototypeHead.TIM, w.head(), "choosing a head is one step to undo");
        }
    }

    @Test
    void manyImagesAreReadEvenlySpaced() {
        int[] rows = IntStream.range(0, 100).map(i -> 2 * i).toArray();
        assertArrayEquals(new int[] {0, 50, 100, 150}, PrototypeRefinement.evenly(rows, 4));
        assertArrayEquals(rows, PrototypeRefinement.evenly(rows, 100));
        assertNull(PrototypeHead.of("bogus"));
        assertEquals(PrototypeHead.SOFT_KMEANS, PrototypeHead.of(PrototypeHead.SOFT_KMEANS.id()));
    }
}
