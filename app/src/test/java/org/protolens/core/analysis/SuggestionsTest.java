package org.protolens.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.History;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.Workspace;

/** Ranking unlabelled images for labelling, and "not this class" marks. */
class SuggestionsTest {

    /** The Fashion sample with every image that is no shot unlabelled. */
    private static Workspace unlabelled() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int[] free = IntStream.range(0, w.imageCount()).filter(i -> !w.isShot(i)).toArray();
        int[] none = new int[free.length];
        Arrays.fill(none, -1);
        w.setLabels(free, none, new boolean[free.length]);
        return w;
    }

    @Test
    void theMostUncertainImagesComeFirstByTheMarginBetweenTheirTwoBestClasses() throws IOException {
        Workspace w = unlabelled();
        List<Suggestions.Suggestion> s = Suggestions.uncertain(w.state(), Integer.MAX_VALUE, false);
        long unlabelled = IntStream.range(0, w.imageCount()).filter(i -> w.label(i) < 0).count();
        assertEquals(unlabelled, s.size(), "every unlabelled image is offered once");
        for (int j = 0; j < s.size(); j++) {
            Suggestions.Suggestion x = s.get(j);
            float[] sim = w.similarities(x.image());
            float[] sorted = sim.clone();
            Arrays.sort(sorted);
            assertEquals(w.predicted(x.image()), x.suggested(), "the suggested class is the predicted one");
            assertEquals(sorted[sorted.length - 1] - sorted[sorted.length - 2], x.margin(), 1e-6);
            if (j > 0) {
                assertTrue(s.get(j - 1).margin() <= x.margin(), "ordered by margin at " + j);
            }
        }
        assertEquals(s.subList(0, 10), Suggestions.uncertain(w.state(), 10, false), "the limit keeps the first ones");
    }

    @Test
    void likelyMembersAreRankedBySimilarityToTheClassAndSkipImagesMarkedNotOfIt() throws IOException {
        Workspace w = unlabelled();
        int k = w.classNames().size() - 1;
        List<Suggestions.Suggestion> s = Suggestions.likelyMembers(w.state(), k, 50, false);
        assertEquals(50, s.size());
        for (int j = 1; j < s.size(); j++) {
            assertEquals(k, s.get(j).suggested());
            assertEquals(w.similarity(s.get(j).image(), k), s.get(j).score());
            assertTrue(s.get(j - 1).score() >= s.get(j).score());
        }
        int top = s.getFirst().image();
        History h = new History(w);
        h.apply(History.reject(w.classNames().get(k), new int[] {top}));
        assertTrue(w.isRejected(top, k));
        assertFalse(Suggestions.likelyMembers(w.state(), k, 50, false).stream().anyMatch(x -> x.image() == top),
                "an image marked as not of the class is no longer offered for it");
        h.undo();
        assertFalse(w.isRejected(top, k));
        assertEquals(top, Suggestions.likelyMembers(w.state(), k, 1, false).getFirst().image(), "undo offers it again");
    }

    @Test
    void aShortListIsTheHeadOfTheWholeRankingAndDiversityDrawsFromItsPool() throws IOException {
        // the list shown (200) is kept while the images are read, not cut from a sort of them all
        Workspace w = unlabelled();
        History h = new History(w);
        List<Suggestions.Suggestion> all = Suggestions.uncertain(w.state(), Integer.MAX_VALUE, false);
        // some images marked not of their class: ranked by the classes left to them
        for (int j = 0; j < 40; j += 4) {
            h.apply(History.reject(w.classNames().get(all.get(j).suggested()), new int[] {all.get(j).image()}));
        }
        all = Suggestions.uncertain(w.state(), Integer.MAX_VALUE, false);
        int k = w.classNames().size() - 2;
        List<Suggestions.Suggestion> members = Suggestions.likelyMembers(w.state(), k, Integer.MAX_VALUE, false);
        for (int limit : new int[] {1, 7, 200}) {
            assertEquals(all.subList(0, limit), Suggestions.uncertain(w.state(), limit, false), "most uncertain, " + limit);
            assertEquals(members.subList(0, limit), Suggestions.likelyMembers(w.state(), k, limit, false), "likely members, " + limit);
            for (List<Suggestions.Suggestion> ranking : List.of(all, members)) {
                List<Suggestions.Suggestion> pool = ranking.subList(0, limit * Suggestions.POOL_PER_PICK);
                int[] order = Suggestions.farthestPoints(w.state(), pool.stream().mapToInt(Suggestions.Suggestion::image).toArray(), limit);
                List<Suggestions.Suggestion> expected = Arrays.stream(order).mapToObj(pool::get).toList();
                assertEquals(expected, ranking == all ? Suggestions.uncertain(w.state(), limit, true)
                        : Suggestions.likelyMembers(w.state(), k, limit, true), "diverse, " + limit);
            }
        }
    }

    @Test
    void anImageMarkedNotOfItsPredictedClassIsSuggestedTheNextOne() throws IOException {
        Workspace w = unlabelled();
        Suggestions.Suggestion first = Suggestions.uncertain(w.state(), 1, false).getFirst();
        History h = new History(w);
        h.apply(History.reject(w.classNames().get(first.suggested()), new int[] {first.image()}));
        Suggestions.Suggestion again = Suggestions.uncertain(w.state(), Integer.MAX_VALUE, false).stream()
                .filter(x -> x.image() == first.image()).findFirst().orElseThrow();
        assertEquals(first.runnerUp(), again.suggested(), "the runner-up is offered instead");
        assertNotEquals(first.suggested(), again.suggested());
    }

    @Test
    void markingLabelledImagesNotOfTheirClassUnlabelsThemAndShotsAreRefused() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int k = w.classNames().size() - 1;
        String name = w.classNames().get(k);
        int shot = w.imagesOf(k).stream().filter(w::isShot).findFirst().orElseThrow();
        int member = w.imagesOf(k).stream().filter(i -> !w.isShot(i)).findFirst().orElseThrow();
        History h = new History(w);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.apply(History.reject(name, new int[] {member, shot})));
        assertTrue(e.getMessage().contains("shot"), e.getMessage());
        assertEquals(k, w.label(member), "a refused edit changes nothing");
        assertFalse(w.isRejected(member, k));
        h.apply(History.reject(name, new int[] {member}));
        assertEquals(-1, w.label(member));
        h.undo();
        assertEquals(k, w.label(member));
        assertFalse(w.isRejected(member, k));
    }

    @Test
    void withDiversityNearDuplicatesDoNotFollowEachOther() throws IOException {
        Workspace w = unlabelled();
        Suggestions.Suggestion first = Suggestions.uncertain(w.state(), 1, false).getFirst();
        // three more copies of the most uncertain image: same embedding, so same margin, ranked together
        float[] e = w.embedding(first.image());
        FloatMatrix copies = new FloatMatrix(3, e.length, new float[3 * e.length]);
        for (int r = 0; r < 3; r++) {
            System.arraycopy(e, 0, copies.data(), r * e.length, e.length);
        }
        int added = w.addImages(List.of(copy(1), copy(2), copy(3)), copies);
        Set<Integer> twins = Set.of(first.image(), added, added + 1, added + 2);
        List<Suggestions.Suggestion> plain = Suggestions.uncertain(w.state(), 20, false);
        assertTrue(twins.contains(plain.get(0).image()) && twins.contains(plain.get(1).image()),
                "without diversity the copies come one after another");
        List<Suggestions.Suggestion> diverse = Suggestions.uncertain(w.state(), 20, true);
        assertEquals(20, diverse.size());
        assertEquals(20, new HashSet<>(diverse.stream().map(Suggestions.Suggestion::image).toList()).size(), "no image twice");
        assertEquals(plain.getFirst().image(), diverse.getFirst().image(), "the most uncertain image still comes first");
        for (int j = 1; j < diverse.size(); j++) {
            assertFalse(twins.contains(diverse.get(j - 1).image()) && twins.contains(diverse.get(j).image()),
                    "two copies in a row at " + j);
        }
        long copiesShown = diverse.stream().filter(x -> twins.contains(x.image())).count();
        assertTrue(copiesShown < 4, "farthest-point order leaves duplicates for last: " + copiesShown);
    }

    private static Workspace.ImportedImage copy(int n) {
        return new Workspace.ImportedImage("/copies/copy-" + n + ".png", new byte[32]);
    }

    @Test
    void notThisClassMarksSurviveClosingAndReopening(@TempDir Path tmp) throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", tmp.resolve("p"));
        int image;
        String name;
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            image = 3;
            name = w.classNames().get(w.predicted(image));
            new History(w).apply(History.reject(name, new int[] {image}));
            s.save("mark");
        }
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            assertEquals(Set.of(name), w.rejectedClasses(image));
            assertTrue(w.isRejected(image, w.classNames().indexOf(name)));
            assertEquals(Set.of(), w.rejectedClasses(image + 1));
        }
    }
}
