package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.proto.TeenCalibration;

class OpenProjectTest {
    @TempDir
    Path dir;

    @Test
    void editsAndSettingsSurviveClosingAndReopening() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("my-fashion"));
        assertTrue(Files.exists(project.resolve("images")) && Files.notExists(project.resolve(ProjectCatalog.FILE_NAME)));
        int[] edited;
        List<String> classes;
        int[] picked;
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            int bag = w.classNames().indexOf("Bag");
            picked = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(4).mapToInt(Integer::intValue).toArray();
            History h = new History(w);
            h.apply(History.newClass("Handbag", picked));
            s.save(h.nextUndo().description());
            w.setCalibration(new TeenCalibration(0.3, 8));
            w.setCalibrationEnabled(false);
            s.save((String) null);
            edited = w.predictions();
            classes = List.copyOf(w.classNames());
        }
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            assertEquals(classes, w.classNames());
            int k = w.classNames().indexOf("Handbag");
            for (int i : picked) {
                assertEquals(k, w.label(i));
                assertTrue(w.isShot(i));
            }
            assertEquals(0.3, w.calibration().alpha());
            assertEquals(8, w.calibration().tau());
            assertFalse(w.calibrationEnabled());
            assertArrayEquals(edited, w.predictions(), "the reopened project predicts as it did");
            assertEquals(List.of("New class “Handbag” from 4 images"), s.catalog().history());

            // undo, save, reopen: the class is gone again
            History h = new History(w);
            h.apply(History.newClass("Tote", new int[] {picked[0]}));
            h.undo();
            s.save("Undo");
        }
        try (OpenProject s = OpenProject.open(project)) {
            assertFalse(s.workspace().classNames().contains("Tote"));
            assertTrue(s.workspace().classNames().contains("Handbag"));
        }
    }

    @Test
    void aDamagedCatalogIsReportedWithItsFile() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("p"));
        Files.writeString(project.resolve(ProjectCatalog.FILE_NAME), "this is not a database, it is text");
        IOException e = assertThrows(IOException.class, () -> OpenProject.open(project));
        assertTrue(e.getMessage().contains(ProjectCatalog.FILE_NAME), e.getMessage());
        assertThrows(IOException.class, () -> OpenProject.copy(project, project), "copying onto an existing folder is refused");
    }

    /** Rewrites one field of a project's project.json. */
    private static void tamper(Path project, Consumer<ObjectNode> edit)
            throws IOException {
        var json = new ObjectMapper();
        var tree = (ObjectNode) json.readTree(project.resolve(ProjectManifest.FILE_NAME).toFile());
        edit.accept(tree);
        Files.writeString(project.resolve(ProjectManifest.FILE_NAME), json.writeValueAsString(tree));
    }

    @Test
    void aReceivedProjectCannotNameFilesOutsideItsFolder() throws IOException {
        Path original = TestResources.sampleCopy("fashion-fewshot", dir.resolve("original"));
        Path outside = Files.writeString(dir.resolve("secret.txt"), "not the project's");
        record Case(String what, Consumer<ObjectNode> edit, String field) {
        }
        String climb = "../".repeat(12) + "etc/passwd";
        List<Case> cases = List.of(
                new Case("an image climbing out", t -> ((ObjectNode) t.withArray("images").get(0))
                        .put("path", climb), "images[].path"),
                new Case("an absolute image path", t -> ((ObjectNode) t.withArray("images").get(0))
                        .put("path", outside.toAbsolutePath().toString()), "images[].path"),
                new Case("an image through a link", t -> ((ObjectNode) t.withArray("images").get(0))
                        .put("path", "images/link.png"), "images[].path"),
                new Case("an image path that is a number", t -> ((ObjectNode) t.withArray("images").get(1))
                        .put("path", 7), "\"path\" of an image is a number"),
                new Case("an image in a linked folder", t -> ((ObjectNode) t.withArray("images").get(3))
                        .put("path", "linked/secret.txt"), "images[].path"),
                new Case("the backbone outside", t -> t.put("backbone", "../original/backbone"), "backbone"),
                new Case("embeddings outside", t -> t.put("embeddings", "/tmp/x.npy"), "embeddings"),
                new Case("base prototypes outside", t -> t.put("basePrototypes", "../../base.npy"), "basePrototypes"),
                new Case("alpha out of range", t -> t.with("calibration").put("alpha", 7), "calibration"));
        for (Case c : cases) {
            Path p = dir.resolve("received-" + cases.indexOf(c));
            OpenProject.copy(original, p);
            Files.createSymbolicLink(p.resolve("images/link.png"), outside);
            Files.createSymbolicLink(p.resolve("linked"), dir);
            tamper(p, c.edit());
            IOException e = assertThrows(IOException.class, () -> OpenProject.open(p), c.what());
            assertTrue(e.getMessage().contains(p.resolve(ProjectManifest.FILE_NAME).toString()) && e.getMessage().contains(c.field()),
                    c.what() + ": " + e.getMessage());
        }
    }

    @Test
    void aProjectWhoseImageFilesAreGoneOpensWithItsLabelsAndSaysWhichAreMissing() throws IOException {
        Path p = TestResources.sampleCopy("fashion-fewshot", dir.resolve("moved"));
        int[] labels;
        boolean[] shots;
        int[] predictions;
        List<String> paths;
        int shot;
        try (OpenProject s = OpenProject.open(p)) {
            Workspace w = s.workspace();
            labels = IntStream.range(0, w.imageCount()).map(w::label).toArray();
            shots = new boolean[w.imageCount()];
            for (int i = 0; i < shots.length; i++) {
                shots[i] = w.isShot(i);
            }
            predictions = w.predictions();
            paths = w.imagePaths();
            shot = IntStream.range(0, shots.length).filter(i -> shots[i]).findFirst().orElseThrow();
            assertTrue(s.problems().isEmpty(), s.problems().toString());
            assertFalse(s.onlyImageFilesMissing());
        }
        // a labelled image deleted, a shot's file moved away, one left as a link to nothing
        int labelled = IntStream.range(0, labels.length).filter(i -> labels[i] >= 0 && !shots[i]).findFirst().orElseThrow();
        int dangling = labels.length - 1;
        assertEquals(3, IntStream.of(labelled, shot, dangling).distinct().count());
        Files.delete(p.resolve(paths.get(labelled)));
        Files.move(p.resolve(paths.get(shot)), dir.resolve("elsewhere.png"));
        Files.delete(p.resolve(paths.get(dangling)));
        Files.createSymbolicLink(p.resolve(paths.get(dangling)), p.resolve("images/gone.png"));

        try (OpenProject s = OpenProject.open(p)) {
            Workspace w = s.workspace();
            assertArrayEquals(labels, IntStream.range(0, w.imageCount()).map(w::label).toArray(), "every label is kept");
            assertTrue(w.isShot(shot), "a shot whose file is gone is still a shot");
            assertArrayEquals(predictions, w.predictions(), "the embeddings are the project's: predictions are unchanged");
            String said = String.join("\n", s.problems());
            assertTrue(said.startsWith("3 of the project's image files are missing"), said);
            assertTrue(s.onlyImageFilesMissing(), "nothing else of the project is missing: " + said);
            for (int i : new int[] {labelled, shot, dangling}) {
                assertTrue(said.contains(p.resolve(paths.get(i)) + ": the file is missing"), said);
            }
            assertEquals(IntStream.of(labelled, shot, dangling).sorted().mapToObj(paths::get).toList(), w.missingFiles());
        }
        Files.move(dir.resolve("elsewhere.png"), p.resolve(paths.get(shot)));
        try (OpenProject s = OpenProject.open(p)) {
            assertEquals(IntStream.of(labelled, dangling).sorted().mapToObj(paths::get).toList(), s.workspace().missingFiles(),
                    "a file put back is found");
        }
    }

    @Test
    void fieldsALaterVersionAddsToAnImageAreSkipped() throws IOException {
        Path p = TestResources.sampleCopy("fashion-fewshot", dir.resolve("later"));
        ProjectManifest before = ProjectManifest.read(p);
        tamper(p, t -> {
            ObjectNode first = (ObjectNode) t.withArray("images").get(0);
            first.putObject("source").putArray("crops").add(1).add(2);
            first.put("note", "a later field");
        });
        try (OpenProject opened = OpenProject.open(p)) {
            assertEquals(before.images(), opened.workspace().manifest().images());
        }
    }

    @Test
    void aFailedOpenLeavesNothingLockedAndAProjectIsOpenedOnceAtATime() throws Exception {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("p"));
        try (OpenProject s = OpenProject.open(project)) {
            IOException twice = assertThrows(IOException.class, () -> OpenProject.open(project));
            assertTrue(twice.getMessage().contains("in use by another ProtoLens"), twice.getMessage());
        }
        // a catalog whose settings were tampered with: refused naming the file, and nothing stays locked
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + project.resolve(ProjectCatalog.FILE_NAME));
                var st = db.createStatement()) {
            st.execute("UPDATE meta SET value = 'lots' WHERE key = 'schema'");
        }
        IOException e = assertThrows(IOException.class, () -> OpenProject.open(project));
        assertTrue(e.getMessage().contains(ProjectCatalog.FILE_NAME) && e.getMessage().contains("lots"), e.getMessage());
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + project.resolve(ProjectCatalog.FILE_NAME));
                var st = db.createStatement()) {
            st.execute("UPDATE meta SET value = '3' WHERE key = 'schema'");
            st.execute("UPDATE meta SET value = 'NaN' WHERE key = 'alpha'");
        }
        e = assertThrows(IOException.class, () -> OpenProject.open(project));
        assertTrue(e.getMessage().contains(ProjectCatalog.FILE_NAME) && e.getMessage().contains("alpha"), e.getMessage());
        try (var db = DriverManager.getConnection("jdbc:sqlite:" + project.resolve(ProjectCatalog.FILE_NAME));
                var st = db.createStatement()) {
            st.execute("UPDATE meta SET value = '0.25' WHERE key = 'alpha'");
        }
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(0.25, s.workspace().calibration().alpha(), "mended, the project opens in the same process");
        }
    }

    @Test
    void aReadOnlyProjectOpensAsItsOwnCopyWithThePersonsLabels() throws IOException {
        // two projects of the same folder name in different places, each with labels of its own
        Path a = dir.resolve("shared/a/project");
        Path b = dir.resolve("shared/b/project");
        Files.createDirectories(a.getParent());
        Files.createDirectories(b.getParent());
        OpenProject.copy(TestResources.samples().resolve("fashion-fewshot"), a);
        OpenProject.copy(TestResources.samples().resolve("cifar10-fewshot"), b);
        for (Path p : List.of(a, b)) {
            try (OpenProject s = OpenProject.open(p)) {
                Workspace w = s.workspace();
                History h = new History(w);
                h.apply(History.newClass("Mine", new int[] {w.imageCount() - 1}));
                s.save(h.nextUndo().description());
            }
        }
        Path copies = dir.resolve("copies");
        Path copyA = OpenProject.ownCopy(a, copies, false);
        Path copyB = OpenProject.ownCopy(b, copies, false);
        assertFalse(copyA.equals(copyB), "folders of one name never share a copy");
        for (Path[] pair : new Path[][] {{a, copyA}, {b, copyB}}) {
            try (OpenProject original = OpenProject.open(pair[0]); OpenProject copy = OpenProject.open(pair[1])) {
                assertEquals(original.workspace().classNames(), copy.workspace().classNames(), "the catalog came along");
                assertEquals(original.workspace().manifest().name(), copy.workspace().manifest().name());
            }
        }
        assertEquals(copyA, OpenProject.ownCopy(a, copies, false), "the copy is reused");
    }
}
