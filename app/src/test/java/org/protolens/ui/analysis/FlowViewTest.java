package org.protolens.ui.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.analysis.NovelFlow;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/** The novel -> base chart with more new classes than it draws: a search picks which get bars. */
class FlowViewTest {
    private static Set<String> barsOf(FlowView.Numbers n) {
        List<?> columns = n.data().getColumnKeys();
        return columns.stream().map(c -> ((FlowView.Bar) c).novelClass()).map(String::valueOf).collect(Collectors.toSet());
    }

    @Test
    void aSearchDrawsTheNewClassesWhoseNamesHoldIt() throws IOException {
        WorkspaceState w = Workspace.open(TestResources.samples().resolve("omniglot-manyclass")).state();
        int novel = NovelFlow.of(w).novelClasses().size();
        assertTrue(novel > 16, novel + " new classes: more than the chart draws");
        FlowView.Numbers top = FlowView.numbersOf(w, 16);
        assertEquals(16, barsOf(top).size());
        assertTrue(top.summary().contains("Drawn: the 16 of " + novel), top.summary());

        FlowView.Numbers found = FlowView.numbersOf(w, 16, "aramaic-CHARACTER0");
        Set<String> expected = NovelFlow.of(w).novelClasses().stream()
                .filter(k -> w.classNames().get(k).toLowerCase(Locale.ROOT).contains("aramaic-character0")).map(String::valueOf)
                .collect(Collectors.toSet());
        assertTrue(!expected.isEmpty() && expected.size() < 16, expected.toString());
        assertEquals(expected, barsOf(found), "the new classes whose names hold the text, in any case");
        assertTrue(found.summary().contains("Drawn: " + expected.size() + " of the " + expected.size() + " new"), found.summary());
        assertEquals(novel, found.novelClasses());

        FlowView.Numbers none = FlowView.numbersOf(w, 16, "no such class");
        assertEquals(0, none.data().getColumnCount());
        assertTrue(none.summary().contains("No new class's name holds “no such class”"), none.summary());
    }
}
