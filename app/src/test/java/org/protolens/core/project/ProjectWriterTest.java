package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.proto.TeenCalibration;

/** Changes are stored as they are made, of quick ones only the latest, with every edit logged. */
class ProjectWriterTest {
    @TempDir
    Path dir;

    /** An executor that runs what it was given only when told: a writer thread that is busy. */
    private static final class Later implements Executor {
        final Deque<Runnable> queued = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            queued.add(r);
        }

        void runAll() {
            for (Runnable r; (r = queued.poll()) != null; ) {
                r.run();
            }
        }
    }

    @Test
    void quickChangesAreWrittenOnceWithEveryEditLoggedAndSurviveReopening() throws Exception {
        Path project = dir.resolve("fashion");
        OpenProject.copy(TestResources.samples().resolve("fashion-fewshot"), project);
        Later later = new Later();
        List<String> problems = new ArrayList<>();
        int[] labels;
        OpenProject open = OpenProject.open(project);
        Workspace w = open.workspace();
        History h = new History(w);
        ProjectWriter writer = new ProjectWriter(open, later, problems::add);
        int bag = w.classNames().indexOf("Bag");
        int[] picked = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(4).mapToInt(Integer::intValue).toArray();
        h.apply(History.newClass("Tote", picked));
        writer.changed(w.state(), h.nextUndo().description());
        h.apply(History.rename("Tote", "Satchel"));
        writer.changed(w.state(), h.nextUndo().description());
        h.apply(History.calibrate(new TeenCalibration(0.8, 12), true, false));
        writer.changed(w.state(), h.nextUndo().description());
        assertEquals(1, later.queued.size(), "three quick changes, one write");
        later.runAll();
        assertEquals(List.of("New class “Tote” from 4 images", "Rename “Tote” to “Satchel”", "α 0.50 → 0.80, τ 16.0 → 12.0"),
                open.catalog().history().subList(open.catalog().history().size() - 3, open.catalog().history().size()));
        assertNull(problems.getLast(), "saved");
        labels = w.labels();
        // a slider moved: the settings only
        h.apply(History.calibrate(new TeenCalibration(0.3, 12), true, false));
        writer.changed(w.state(), null);
        var closing = writer.close();
        later.runAll();
        closing.get();
        assertThrows(IllegalStateException.class, () -> writer.changed(w.state(), "late"), "a closed project takes no changes");

        try (OpenProject again = OpenProject.open(project)) {
            Workspace r = again.workspace();
            assertArrayEquals(labels, r.labels());
            assertTrue(r.classNames().contains("Satchel"));
            assertEquals(new TeenCalibration(0.3, 12), r.calibration());
        }
    }

    @Test
    void aFailedWriteIsReportedAndItsEditsAreLoggedWithTheNextOne() throws IOException {
        Path project = dir.resolve("fashion");
        OpenProject.copy(TestResources.samples().resolve("fashion-fewshot"), project);
        List<String> problems = new ArrayList<>();
        try (OpenProject open = OpenProject.open(project)) {
            Workspace w = open.workspace();
            History h = new History(w);
            ProjectWriter writer = new ProjectWriter(open, Runnable::run, problems::add);
            int bag = w.classNames().indexOf("Bag");
            int[] picked = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(2).mapToInt(Integer::intValue).toArray();
            h.apply(History.newClass("Tote", picked));
            // the catalog is closed under the writer: the write fails
            open.catalog().close();
            writer.changed(w.state(), h.nextUndo().description());
            assertTrue(problems.getLast().startsWith("Not saved: "), problems.toString());
        }
    }
}
