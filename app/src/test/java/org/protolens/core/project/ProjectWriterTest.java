package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
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
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        Later later = new Later();
        List<String> problems = new ArrayList<>();
        int[] labels;
        OpenProject open = OpenProject.open(project);
        Workspace w = open.workspace();
        History h = new History(w);
        ProjectWriter writer = new ProjectWriter(open, later, problems::add);
        h.apply(History.newClass("Tote", bags(w, 4)));
        writer.changed(w.state(), h.nextUndo().description());
        h.apply(History.rename("Tote", "Satchel"));
        writer.changed(w.state(), h.nextUndo().description());
        h.apply(History.calibrate(new TeenCalibration(0.8, 12), true, false));
        writer.changed(w.state(), h.nextUndo().description());
        assertEquals(1, later.queued.size(), "three quick changes, one write");
        assertTrue(!writer.allStored(), "while the write waits, the window says Saving");
        later.runAll();
        assertTrue(writer.allStored(), "written, it says Saved");
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
    void aCalibrationStepStoresTheSettingsAndItsLogLineWithoutRewritingTheImages() throws Exception {
        // a slider dragged over a project of a million images must not store a million rows per step
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        List<String> problems = new ArrayList<>();
        try (OpenProject open = OpenProject.open(project)) {
            Workspace w = open.workspace();
            History h = new History(w);
            ProjectWriter writer = new ProjectWriter(open, Runnable::run, problems::add);
            Connection db = connection(open.catalog());
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TEMP TABLE rewritten(n INTEGER)");
                st.execute("CREATE TEMP TRIGGER images_rewritten AFTER INSERT ON main.images BEGIN INSERT INTO rewritten VALUES (1); END");
            }
            h.apply(History.calibrate(new TeenCalibration(0.6, 12), true, false));
            writer.changed(w.state(), h.nextUndo().description());
            h.apply(History.calibrate(new TeenCalibration(0.7, 12), true, false));
            writer.changed(w.state(), h.nextUndo().description());
            assertEquals(0, rewritten(db), "no image row written for a calibration step");
            List<String> history = open.catalog().history();
            assertEquals("α 0.60 → 0.70", history.getLast(), "the step is logged");
            assertNull(problems.getLast(), "saved");

            h.apply(History.newClass("Tote", bags(w, 2)));
            writer.changed(w.state(), h.nextUndo().description());
            assertEquals(w.imageCount(), rewritten(db), "a labelling change stores every image");
        }
        try (OpenProject again = OpenProject.open(project)) {
            assertEquals(new TeenCalibration(0.7, 12), again.workspace().calibration());
            assertTrue(again.workspace().classNames().contains("Tote"));
        }
    }

    /** The first {@code count} of the Fashion sample's Bag images that are not shots. */
    private static int[] bags(Workspace w, int count) {
        int bag = w.classNames().indexOf("Bag");
        return w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(count).mapToInt(Integer::intValue).toArray();
    }

    /** The catalog's own SQLite connection, for what a test does under the writer. */
    private static Connection connection(ProjectCatalog catalog) throws ReflectiveOperationException {
        Field field = ProjectCatalog.class.getDeclaredField("db");
        field.setAccessible(true);
        return (Connection) field.get(catalog);
    }

    private static int rewritten(Connection db) throws Exception {
        try (Statement st = db.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM rewritten")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aFailedWriteIsReportedAndItsEditsAreLoggedWithTheNextOne() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        List<String> problems = new ArrayList<>();
        try (OpenProject open = OpenProject.open(project)) {
            Workspace w = open.workspace();
            History h = new History(w);
            ProjectWriter writer = new ProjectWriter(open, Runnable::run, problems::add);
            h.apply(History.newClass("Tote", bags(w, 2)));
            // the catalog is closed under the writer: the write fails
            open.catalog().close();
            writer.changed(w.state(), h.nextUndo().description());
            assertTrue(problems.getLast().startsWith("Not saved: "), problems.toString());
        }
    }

    /**
     * The disk fills up: SQLite refuses to grow the catalog (its page limit is set to the pages it
     * has, as a full disk would leave it). The person goes on working; each write says it failed,
     * nothing stored is damaged, and once there is room the next change stores all of it.
     */
    @Test
    void onAFullDiskEditsAreKeptAndStoredWhenThereIsRoomAgain() throws Exception {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        List<String> problems = new ArrayList<>();
        int[] labels;
        List<String> classes;
        String tote = ("Tote" + " with a long name that every image labelled with it stores".repeat(4)).strip();
        try (OpenProject open = OpenProject.open(project)) {
            Workspace w = open.workspace();
            History h = new History(w);
            ProjectWriter writer = new ProjectWriter(open, Runnable::run, problems::add);
            Connection db = connection(open.catalog());
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA max_page_count = 1"); // no growth: SQLite keeps the pages it has
            }
            // a class with a long name, then ever more images labelled with it: the catalog must grow
            List<Integer> free = new ArrayList<>();
            for (int i = 0; i < w.imageCount(); i++) {
                if (!w.isShot(i)) {
                    free.add(i);
                }
            }
            h.apply(History.newClass(tote, new int[] {free.getFirst()}));
            writer.changed(w.state(), h.nextUndo().description());
            int made = 0;
            for (int from = 1; from + 50 <= free.size() && problems.stream().noneMatch(ProjectWriterTest::notSaved); from += 50) {
                int[] batch = free.subList(from, from + 50).stream().mapToInt(Integer::intValue).toArray();
                h.apply(History.relabel("Label 50 images", batch, tote, false));
                writer.changed(w.state(), h.nextUndo().description());
                made++;
            }
            String full = problems.getLast();
            assertTrue(full != null && full.startsWith("Not saved: ") && full.contains("full"), problems.toString());
            // more work while the disk is full: kept in the window, said not saved
            int[] more = free.subList(free.size() - 50, free.size()).stream().mapToInt(Integer::intValue).toArray();
            h.apply(History.relabel("Label 50 more while the disk is full", more, tote, false));
            writer.changed(w.state(), h.nextUndo().description());
            assertTrue(notSaved(problems.getLast()), problems.getLast());
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA max_page_count = 1073741823"); // room again
            }
            h.apply(History.rename(tote, "Satchel"));
            writer.changed(w.state(), h.nextUndo().description());
            assertNull(problems.getLast(), "stored once there is room");
            assertTrue(made > 0);
            labels = w.labels();
            classes = List.copyOf(w.classNames());
            writer.close().get();
        }
        try (OpenProject again = OpenProject.open(project)) {
            assertArrayEquals(labels, again.workspace().labels(), "every edit made while the disk was full is there");
            assertEquals(classes, again.workspace().classNames());
            List<String> log = again.catalog().history();
            assertTrue(log.contains("Label 50 more while the disk is full") && log.getLast().startsWith("Rename"),
                    "the edits of the failed writes are logged with the next one: " + log.subList(Math.max(0, log.size() - 3), log.size()));
        }
    }

    private static boolean notSaved(String problem) {
        return problem != null && problem.startsWith("Not saved");
    }
}
