package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.io.AtomicFiles;

/**
 * A person's labels outlive the embedding cache: it is derived data, and losing it (deleted,
 * truncated, left out of a backup) never loses a catalog row, a label, a shot or a class.
 */
class LostEmbeddingsTest {
    @TempDir
    Path dir;

    /** What the person sees of a project: every imported image's label and shot flag, the classes, the predictions. */
    private record Seen(List<String> classes, List<String> importedLabels, List<Boolean> importedShots, List<String> projectLabels,
                        List<Integer> predictions) {
        static Seen of(Workspace w) {
            List<String> labels = new ArrayList<>();
            List<Boolean> shots = new ArrayList<>();
            for (int i = w.projectImageCount(); i < w.imageCount(); i++) {
                labels.add(w.label(i) < 0 ? null : w.classNames().get(w.label(i)));
                shots.add(w.isShot(i));
            }
            List<String> project = new ArrayList<>();
            for (int i = 0; i < w.projectImageCount(); i++) {
                project.add(w.label(i) < 0 ? null : w.classNames().get(w.label(i)));
            }
            return new Seen(List.copyOf(w.classNames()), labels, shots, project, Arrays.stream(w.predictions()).boxed().toList());
        }
    }

    /** Imports {@code files} as a new class "Satchel" (the first three its shots), embedded by the project's backbone. */
    private static void importSatchels(OpenProject s, List<Path> files) throws IOException {
        Workspace w = s.workspace();
        List<byte[]> keys = new ArrayList<>();
        FloatMatrix rows;
        try (Backbone b = BackboneLoader.folder(w.dir().resolve(w.manifest().backbone()), null)) {
            rows = Embedded.rows(new EmbeddingPipeline(b, s.cache(), 8, 1), files, keys);
        }
        List<ImportPlan.Item> items = new ArrayList<>();
        for (int j = 0; j < files.size(); j++) {
            items.add(new ImportPlan.Item(files.get(j), "Satchel", Workspace.Kind.NOVEL, j < 3));
        }
        w.addImported(items, keys, rows);
    }

    private Path sampleCopy() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        return project;
    }

    /** {@code count} bag images copied into {@code drop}, a folder outside the project, as a person drops them. */
    private static List<Path> bagsIn(Path drop, int count) throws IOException {
        Files.createDirectories(drop);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> bags = Files.list(TestResources.samples().resolve("fashion-fewshot/images/Bag"))) {
            for (Path p : bags.sorted().limit(count).toList()) {
                files.add(Files.copy(p, drop.resolve(p.getFileName())));
            }
        }
        return files;
    }

    /**
     * Images imported from a folder that moved (a drive mounted elsewhere) are set aside when the
     * cache lost them too; locating the folder finds each by the end of its path and its bytes, and
     * the next open restores them with their labels. A file of the same name but other bytes is not taken.
     */
    @Test
    void imagesWhoseFolderMovedAreFoundThereByTheirBytesAndComeBack() throws IOException {
        Path project = sampleCopy();
        Path drop = dir.resolve("drive/photos/bags");
        List<Path> files = bagsIn(drop, 6);
        Seen made = importedAndSaved(project, files);
        // the drive comes back at another mount point, one of its files replaced by another image
        Path mounted = dir.resolve("media/drive2");
        Files.createDirectories(mounted);
        Files.move(dir.resolve("drive/photos"), mounted.resolve("photos"));
        Path replaced = mounted.resolve("photos/bags").resolve(files.get(5).getFileName());
        Files.copy(TestResources.samples().resolve("fashion-fewshot/images/Trouser").resolve(firstFile("Trouser")), replaced,
                StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.deleteTree(project.resolve(OpenProject.CACHE_FOLDER));
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(s.workspace().projectImageCount(), s.workspace().imageCount(), "set aside while their files are missing");
        }
        assertEquals(6, ImportedFiles.missing(project).size());

        ImportedFiles.Located r = ImportedFiles.locate(project, mounted);
        assertEquals(6, r.missing());
        assertEquals(5, r.found(), "found by the end of their old paths: photos/bags/NAME under the new folder");
        assertEquals(List.of(files.get(5).toString()), r.notFound());
        assertEquals(List.of(replaced.toString()), r.differ(), "the file of the name with other bytes is named, not taken");
        assertEquals(1, ImportedFiles.missing(project).size());

        // the replaced file's original comes back too: locating again finds the last one
        Files.copy(TestResources.samples().resolve("fashion-fewshot/images/Bag").resolve(files.get(5).getFileName()), replaced,
                StandardCopyOption.REPLACE_EXISTING);
        assertEquals(1, ImportedFiles.locate(project, mounted.resolve("photos")).found(), "a folder nearer the files works as well");
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(made, Seen.of(s.workspace()), "every image back with its label and shot flag");
            assertTrue(s.workspace().imagePaths().stream().skip(s.workspace().projectImageCount())
                    .allMatch(p -> p.startsWith(mounted.toString())), "stored at their new place");
        }
        assertTrue(ImportedFiles.missing(project).isEmpty());
    }

    /**
     * A project whose imported images lie outside its folder copies them in (Save As does so for
     * its copy): the catalog then names files inside, and the project opens with every image once
     * the outside folder is gone. A file changed since its import is not copied.
     */
    @Test
    void imagesFromOutsideAreCopiedInSoTheProjectHoldsThemAll() throws IOException {
        Path project = sampleCopy();
        Path drop = dir.resolve("outside/bags");
        List<Path> files = bagsIn(drop, 5);
        Seen made = importedAndSaved(project, files);
        assertEquals(5, ImportedFiles.outside(project));
        Files.write(files.get(4), new byte[] {1, 2, 3});
        ImportedFiles.CopiedIn c = ImportedFiles.copyIn(project);
        assertEquals(5, c.outside());
        assertEquals(4, c.copied());
        assertEquals(1, c.problems().size());
        assertTrue(c.problems().getFirst().contains("changed since it was imported"), c.problems().toString());
        assertEquals(1, ImportedFiles.outside(project), "the changed one stays outside");
        Path copies = project.resolve(ImportPlan.COPIES_FOLDER).resolve("Satchel");
        assertTrue(Files.isRegularFile(copies.resolve(files.getFirst().getFileName())));
        AtomicFiles.deleteTree(dir.resolve("outside"));
        try (OpenProject s = OpenProject.open(project)) {
            Seen now = Seen.of(s.workspace());
            assertEquals(made.importedLabels().subList(0, 4), now.importedLabels().subList(0, 4), "the images copied in are there");
            assertTrue(s.workspace().imagePaths().stream().skip(s.workspace().projectImageCount()).limit(4)
                    .allMatch(p -> p.startsWith(ImportPlan.COPIES_FOLDER + "/Satchel/")), s.workspace().imagePaths().toString());
        }
    }

    /** Imports {@code files} as satchels into {@code project}, stores it and says what the person then sees. */
    private static Seen importedAndSaved(Path project, List<Path> files) throws IOException {
        try (OpenProject s = OpenProject.open(project)) {
            importSatchels(s, files);
            s.save("Imported " + files.size() + " satchels");
            return Seen.of(s.workspace());
        }
    }

    private static Path firstFile(String cls) throws IOException {
        try (Stream<Path> s = Files.list(TestResources.samples().resolve("fashion-fewshot/images").resolve(cls))) {
            return s.sorted().findFirst().orElseThrow().getFileName();
        }
    }

    @Test
    void aDeletedCacheIsEmbeddedAgainAndMissingFilesAreSetAsideUntilTheyComeBack() throws IOException {
        Path project = sampleCopy();
        Path drop = dir.resolve("drop");
        List<Path> files = bagsIn(drop, 8);
        Seen made;
        int labelledProjectImage;
        try (OpenProject s = OpenProject.open(project)) {
            importSatchels(s, files);
            Workspace w = s.workspace();
            int satchel = w.classNames().indexOf("Satchel");
            // a project image labelled with the imported class, and a "not Satchel" mark
            labelledProjectImage = w.imagesOf(w.classNames().indexOf("Bag")).stream().filter(i -> !w.isShot(i)).findFirst().orElseThrow();
            w.setLabels(new int[] {labelledProjectImage}, new int[] {satchel}, new boolean[] {false});
            w.setRejected(new int[] {w.projectImageCount() + 7}, "Bag", true);
            s.save("Imported 8 satchels");
            made = Seen.of(w);
            assertEquals(8, w.stats(satchel).images() - 1);
        }
        Path cache = project.resolve(OpenProject.CACHE_FOLDER);
        assertTrue(Files.readString(cache.resolve("CACHEDIR.TAG")).startsWith("Signature: 8a477f597d28d172789f06886806bc55"),
                "backup tools know the cache for derived data");

        // 1. the cache is deleted: its images are embedded again from their files, nothing changes
        AtomicFiles.deleteTree(cache);
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(made, Seen.of(s.workspace()), "labels, shots, classes and predictions as they were");
            assertTrue(s.problems().stream().anyMatch(p -> p.startsWith("8 imported images embedded again")), s.problems().toString());
            assertTrue(s.workspace().isRejected(s.workspace().projectImageCount() + 7, s.workspace().classNames().indexOf("Bag")));
        }

        // 2. the cache is deleted and the files are gone (a backup restored without them): set aside, not dropped
        AtomicFiles.deleteTree(cache);
        Path away = dir.resolve("away");
        Files.move(drop, away);
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            assertEquals(w.projectImageCount(), w.imageCount(), "the imported images are not shown");
            assertFalse(w.classNames().contains("Satchel"), "a class without any shot to show waits with its images");
            assertEquals(-1, w.label(labelledProjectImage), "the project image's label waits with its class");
            String said = String.join("\n", s.problems());
            assertTrue(said.contains("8 images are set aside with their labels") && said.contains("“Satchel”"), said);
            assertTrue(said.contains("bag") || said.contains("drop"), "the missing files are named: " + said);
            assertFalse(s.onlyImageFilesMissing(), "labels are set aside: more than pictures are missing");
            // the person goes on working: edits are saved, what is set aside stays in the catalog
            History h = new History(w);
            h.apply(History.newClass("Tote", new int[] {w.imagesOf(w.classNames().indexOf("Bag")).getLast()}));
            s.save(h.nextUndo().description());
        }
        try (OpenProject s = OpenProject.open(project)) {
            assertTrue(s.workspace().classNames().contains("Tote"));
            assertFalse(s.workspace().classNames().contains("Satchel"));
        }

        // 3. the files come back: every label, shot, mark and class returns
        float[] restored;
        Files.move(away, drop);
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            assertEquals(made.importedLabels(), Seen.of(w).importedLabels());
            assertEquals(made.importedShots(), Seen.of(w).importedShots());
            assertEquals("Satchel", w.classNames().get(w.label(labelledProjectImage)));
            assertTrue(w.classNames().containsAll(List.of("Satchel", "Tote")));
            assertTrue(w.isRejected(w.projectImageCount() + 7, w.classNames().indexOf("Bag")));
            assertTrue(s.catalog().readHeld().isEmpty(), "nothing is left aside");
            restored = s.workspace().rawPrototype(w.classNames().indexOf("Satchel"));
        }
        assertArrayEquals(restored, reopenedPrototype(project), "stored as restored");
    }

    private static float[] reopenedPrototype(Path project) throws IOException {
        try (OpenProject s = OpenProject.open(project, OpenProject.Recovery.NONE)) {
            return s.workspace().rawPrototype(s.workspace().classNames().indexOf("Satchel"));
        }
    }

    @Test
    void withoutReembeddingATruncatedCacheSetsItsImagesAside() throws IOException {
        Path project = sampleCopy();
        List<Path> files = bagsIn(dir.resolve("drop"), 5);
        Path cacheDir;
        try (OpenProject s = OpenProject.open(project)) {
            importSatchels(s, files);
            s.save("import");
            cacheDir = s.cache().folder();
        }
        // the last row of the cache is cut off (a torn copy): one non-shot image is set aside alone
        Path keys = cacheDir.resolve("keys.sha256");
        byte[] all = Files.readAllBytes(keys);
        Files.write(keys, Arrays.copyOf(all, all.length - 32));
        try (OpenProject s = OpenProject.open(project, OpenProject.Recovery.NONE)) {
            Workspace w = s.workspace();
            assertEquals(w.projectImageCount() + 4, w.imageCount());
            assertEquals(4, w.stats(w.classNames().indexOf("Satchel")).images());
            assertEquals(1, s.catalog().readHeld().images().size());
            assertEquals("Satchel", s.catalog().readHeld().images().getFirst().label());
        }
        // opened with the backbone, it is embedded again and back in its class
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(5, s.workspace().stats(s.workspace().classNames().indexOf("Satchel")).images());
            assertTrue(s.catalog().readHeld().isEmpty());
        }
    }
}
