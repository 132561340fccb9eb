package org.protolens.ui.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/** The image grid's filters, against the images they should keep, counted directly. */
class ImagesViewModelTest {
    private static List<Integer> images(ImagesViewModel.Rows r) {
        return r.rows().stream().map(ImagesViewModel.Row::image).toList();
    }

    @Test
    void eachFilterKeepsExactlyTheImagesItNames() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        w.setCalibrationEnabled(false);
        WorkspaceState s = w.state();
        var all = ImagesViewModel.rows(s, null, Set.of(), Set.of(), ImagesViewModel.Result.ANY, false, "");
        assertEquals(s.imageCount(), all.rows().size());
        assertFalse(all.selection());

        var bags = ImagesViewModel.rows(s, null, Set.of("Bag", "Sandal"), Set.of(), ImagesViewModel.Result.ANY, false, "");
        int bag = s.classNames().indexOf("Bag");
        int sandal = s.classNames().indexOf("Sandal");
        assertEquals(IntStream.range(0, s.imageCount()).filter(i -> s.label(i) == bag || s.label(i) == sandal).boxed().toList(),
                images(bags), "labels: any of the checked classes");

        var wrong = ImagesViewModel.rows(s, null, Set.of(), Set.of(), ImagesViewModel.Result.WRONG, false, "");
        assertEquals(IntStream.range(0, s.imageCount()).filter(i -> s.isEvaluated(i) && s.predicted(i) != s.label(i)).boxed().toList(),
                images(wrong), "wrong: evaluated images (labelled, no shot) predicted as another class");
        assertTrue(wrong.rows().stream().allMatch(r -> r.correct().equals("✗")));

        var novelAsBase = ImagesViewModel.rows(s, null, Set.of(), Set.of(), ImagesViewModel.Result.ANY, true, "");
        List<Integer> expected = IntStream.range(0, s.imageCount())
                .filter(i -> s.isEvaluated(i) && !s.isBase(s.label(i)) && s.isBase(s.predicted(i))).boxed().toList();
        assertFalse(expected.isEmpty(), "before calibration some new-class images fall into base classes");
        assertEquals(expected, images(novelAsBase));

        var searched = ImagesViewModel.rows(s, null, Set.of(), Set.of(), ImagesViewModel.Result.ANY, false, "Bag/TRAIN-");
        List<Integer> bagTraining = IntStream.range(0, s.imageCount()).filter(i -> s.imagePath(i).contains("Bag/train-")).boxed().toList();
        assertFalse(bagTraining.isEmpty());
        assertEquals(bagTraining, images(searched), "search: the images whose path in the project holds the text, in any case");

        // ranges: the predictions that nearly went another way, and the most similar images
        var unsure = ImagesViewModel.rows(s, null, Set.of(), Set.of(), ImagesViewModel.Result.ANY, false, "",
                ImagesViewModel.Range.SIMILARITY, new ImagesViewModel.Range(0, 0.02));
        List<Integer> nearTies = IntStream.range(0, s.imageCount()).filter(i -> s.margin(i) <= 0.02).boxed().toList();
        assertFalse(nearTies.isEmpty() || nearTies.size() == s.imageCount());
        assertEquals(nearTies, images(unsure), "margin: the images whose best and runner-up cosines lie within 0.02");
        var close = ImagesViewModel.rows(s, null, Set.of("Bag"), Set.of(), ImagesViewModel.Result.ANY, false, "",
                new ImagesViewModel.Range(0.9, 1), ImagesViewModel.Range.MARGIN);
        List<Integer> closeBags = IntStream.range(0, s.imageCount()).filter(i -> s.label(i) == bag && s.score(i) >= 0.9).boxed().toList();
        assertFalse(closeBags.isEmpty());
        assertEquals(closeBags, images(close), "similarity, with the label filter: both hold");

        int[] chosen = {5, 17, 300};
        var selected = ImagesViewModel.rows(s, chosen, Set.of(), Set.of(s.classNames().get(s.predicted(17))),
                ImagesViewModel.Result.ANY, false, "");
        assertTrue(selected.selection());
        assertEquals(3, selected.of());
        assertTrue(images(selected).contains(17), "the selection, filtered by the prediction of one of its images");
        assertTrue(images(selected).stream().allMatch(i -> List.of(5, 17, 300).contains(i)));
        assertFalse(ImagesViewModel.rows(s, new int[] {s.imageCount()}, Set.of(), Set.of(), ImagesViewModel.Result.ANY, false, "")
                .selection(), "a selection of images that are gone lists every image");
    }
}
