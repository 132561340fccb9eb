package org.protolens.ui.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.analysis.Suggestions;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;

/** What accepting a suggestion does: a labelled image of its class; a shot of a new class (its prototype moves) only when asked. */
class SuggestionsViewModelTest {
    @Test
    void acceptingAddsALabelledImageAndAShotOnlyWhenAskedForOfANewClass() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int[] free = IntStream.range(0, w.imageCount()).filter(i -> !w.isShot(i)).toArray();
        w.setLabels(free, IntStream.range(0, free.length).map(i -> -1).toArray(), new boolean[free.length]);
        History h = new History(w);
        int novel = w.classNames().size() - 1;
        var ranking = SuggestionsViewModel.rank(w.state(), SuggestionsViewModel.Order.LIKELY, w.classNames().get(novel), false);
        assertEquals(Suggestions.likelyMembers(w.state(), novel, SuggestionsViewModel.SHOWN, false), ranking.suggestions());
        Suggestions.Suggestion member = ranking.suggestions().getFirst();
        assertTrue(SuggestionsViewModel.canBeShot(w.state(), member));
        int shots = w.shotCount(novel);
        float[] before = w.rawPrototype(novel);
        h.apply(SuggestionsViewModel.acceptance(w.state(), member, false));
        assertEquals(novel, w.label(member.image()));
        assertFalse(w.isShot(member.image()), "accepted, it is a labelled image of the new class");
        assertEquals(shots, w.shotCount(novel));
        assertTrue(Arrays.equals(before, w.rawPrototype(novel)), "its prototype stays until the person adds a shot");
        h.undo();
        h.apply(SuggestionsViewModel.acceptance(w.state(), member, true));
        assertTrue(w.isShot(member.image()), "accepted as a shot, it is one");
        assertEquals(shots + 1, w.shotCount(novel));
        assertFalse(Arrays.equals(before, w.rawPrototype(novel)), "the new class's prototype follows its new shot");

        var uncertain = SuggestionsViewModel.rank(w.state(), SuggestionsViewModel.Order.UNCERTAIN, null, false);
        Suggestions.Suggestion base = uncertain.suggestions().stream().filter(s -> w.isBase(s.suggested())).findFirst().orElseThrow();
        assertFalse(SuggestionsViewModel.canBeShot(w.state(), base));
        float[] baseBefore = w.rawPrototype(base.suggested());
        h.apply(SuggestionsViewModel.acceptance(w.state(), base, true));
        assertEquals(base.suggested(), w.label(base.image()));
        assertFalse(w.isShot(base.image()), "a base class takes it as a labelled image");
        assertTrue(Arrays.equals(baseBefore, w.rawPrototype(base.suggested())), "a backbone base prototype stays");
        assertEquals(w.state().unlabelledCount()
                        + " unlabelled images; the first 200 ranked by the margin between their two nearest classes.",
                SuggestionsViewModel.rank(w.state(), SuggestionsViewModel.Order.UNCERTAIN, null, false).summary());
    }
}
