package org.protolens.ui.classes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;

/** The classes panel's rows: base classes under their heading, then new ones, with the workspace's own numbers. */
class ClassesViewModelTest {
    @Test
    void rowsListBaseThenNewClassesWithTheirImagesShotsAndAccuracy() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int bag = w.classNames().indexOf("Bag");
        int[] picked = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(4).mapToInt(Integer::intValue).toArray();
        new History(w).apply(History.newClass("Tote", picked));
        List<ClassesViewModel.Row> rows = ClassesViewModel.rowsOf(w.state());
        assertEquals(w.classNames().size() + 2, rows.size(), "two headings and one row per class");
        assertEquals(-1, rows.getFirst().index());
        int heading = 1 + (int) rows.stream().skip(1).takeWhile(r -> r.index() >= 0 && w.isBase(r.index())).count();
        assertEquals(7, heading, "six base classes, then the new classes' heading");
        assertEquals(-1, rows.get(heading).index());
        assertEquals("base classes", rows.getFirst().name());
        assertEquals("new classes", rows.get(heading).name());
        for (ClassesViewModel.Row r : rows) {
            if (r.index() >= 0) {
                Workspace.ClassStats s = w.stats(r.index());
                assertEquals(w.classNames().get(r.index()), r.name());
                assertEquals(s.images(), r.images());
                assertEquals(s.shots(), r.shots());
                assertEquals(s.accuracy(), r.accuracy(), 0);
            }
        }
        ClassesViewModel.Row tote = rows.getLast();
        assertEquals("Tote", tote.name());
        assertEquals(4, tote.images());
        assertEquals(4, tote.shots());
        assertEquals(Workspace.Kind.NOVEL, tote.kind());
    }
}
