package org.protolens.core.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.io.FolderFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.project.History;
import org.protolens.core.project.ImportPlan;
import org.protolens.core.project.Workspace;

class ProjectExportTest {
    @TempDir
    Path dir;

    private Workspace fashion() throws IOException {
        return Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
    }

    @Test
    void exportedLabelsImportBackToTheSameLabelsAndUndoTakesThemBack() throws IOException {
        Workspace w = fashion();
        int[] original = w.labels();
        Path csv = dir.resolve("labels.csv");
        ProjectExport.writeLabels(w.state(), csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("path,label,predicted,score", lines.getFirst());
        assertEquals(w.imageCount() + 1, lines.size());

        // forget the labels of 300 images that are no shots, then read the file back
        int[] forgotten = IntStream.range(0, w.imageCount()).filter(i -> !w.isShot(i)).limit(300).toArray();
        History h = new History(w);
        h.apply(History.assign("forget", forgotten, IntStream.range(0, forgotten.length).map(i -> -1).toArray()));
        assertFalse(Arrays.equals(original, w.labels()));
        ProjectExport.Labels read = ProjectExport.readLabels(w.state(), csv);
        h.apply(History.assign("Labels from labels.csv", read.images(), read.labels()));
        assertArrayEquals(original, w.labels(), "the exported labels come back as they were");
        h.undo();
        assertTrue(Arrays.stream(forgotten).allMatch(i -> w.label(i) < 0), "undo takes the imported labels back");
    }

    @Test
    void aLabelsFileWithProblemsNamesEachLineAndChangesNothing() throws IOException {
        Workspace w = fashion();
        int[] before = w.labels();
        int plain = IntStream.range(0, w.imageCount()).filter(i -> !w.isShot(i)).findFirst().orElseThrow();
        int shot = IntStream.range(0, w.imageCount()).filter(w::isShot).findFirst().orElseThrow();
        String base = w.classNames().get(0);
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, String.join("\n",
                "path,label",
                w.imageFile(plain) + "," + base,
                dir.resolve("elsewhere.png") + "," + base,
                w.imageFile(plain) + ",Unicorn",
                "just-one-column",
                w.imageFile(shot) + "," + base,
                w.dir().relativize(w.imageFile(plain)) + "," + base) + "\n");
        ProjectExport.LabelsException e = assertThrows(ProjectExport.LabelsException.class, () -> ProjectExport.readLabels(w.state(), csv));
        List<String> problems = e.problems();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(csv + ":3: ") && problems.get(0).contains("elsewhere.png is no image"), problems.get(0));
        assertTrue(problems.get(1).startsWith(csv + ":4: ") && problems.get(1).contains("no class \"Unicorn\""), problems.get(1));
        assertTrue(problems.get(2).startsWith(csv + ":5: ") && problems.get(2).contains("expected path,label"), problems.get(2));
        assertTrue(problems.get(3).startsWith(csv + ":6: ") && problems.get(3).contains("is a shot"), problems.get(3));
        assertArrayEquals(before, w.labels(), "nothing is applied");
    }

    @Test
    void embeddingsAndPrototypesAreWrittenForPython() throws IOException {
        Workspace w = fashion();
        Path npy = dir.resolve("fashion.npy");
        ProjectExport.writeEmbeddings(w.state(), npy);
        assertArrayEquals(w.embeddings().values(), NpyFile.readMatrix(npy).data());
        List<String> paths = Files.readAllLines(dir.resolve("fashion.paths.txt"));
        assertEquals(w.imageCount(), paths.size());
        assertEquals(w.imageFile(7).toAbsolutePath().normalize().toString(), paths.get(7));

        ProjectExport.writePrototypes(w.state(), dir.resolve("prototypes"));
        FloatMatrix raw = NpyFile.readMatrix(dir.resolve("prototypes-raw.npy"));
        FloatMatrix calibrated = NpyFile.readMatrix(dir.resolve("prototypes-calibrated.npy"));
        assertEquals(w.classNames().size(), raw.rows());
        for (int k = 0; k < raw.rows(); k++) {
            assertArrayEquals(w.rawPrototype(k), raw.row(k));
            assertArrayEquals(w.prototype(k), calibrated.row(k));
            assertEquals(w.isBase(k), Arrays.equals(raw.row(k), calibrated.row(k)), "only new classes are calibrated");
        }
        List<String> csv = Files.readAllLines(dir.resolve("prototypes.csv"));
        assertEquals(1 + 2 * w.classNames().size(), csv.size());
        assertTrue(csv.get(1).startsWith(w.classNames().getFirst() + ",base,raw,"), csv.get(1));
    }

    @Test
    void labelsAsAFolderPerClassHoldEveryLabelledImageAsACopyOrALink() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        ProjectExport.FolderPlan plan = ProjectExport.labelFolders(w.state());
        Path copies = dir.resolve("copies");
        assertEquals(w.imageCount(), ProjectExport.writeLabelFolders(plan, copies, false), "every sample image is labelled");
        for (int k = 0; k < w.classNames().size(); k++) {
            Path folder = copies.resolve(FolderFiles.folderName(w.classNames().get(k)));
            try (var files = Files.list(folder)) {
                assertEquals(w.imagesOf(k).size(), files.count(), w.classNames().get(k));
            }
        }
        assertTrue(Files.isDirectory(copies.resolve("T-shirt_top")), "a slash in a class name does not make a sub-folder");
        int i = w.imagesOf(0).getFirst();
        Path copy = copies.resolve("T-shirt_top").resolve(w.imageFile(i).getFileName());
        assertFalse(Files.isSymbolicLink(copy));
        assertArrayEquals(Files.readAllBytes(w.imageFile(i)), Files.readAllBytes(copy));

        Path links = dir.resolve("links");
        ProjectExport.writeLabelFolders(plan, links, true);
        Path link = links.resolve("T-shirt_top").resolve(w.imageFile(i).getFileName());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(w.imageFile(i).toAbsolutePath().normalize(), Files.readSymbolicLink(link));

        IOException e = assertThrows(IOException.class, () -> ProjectExport.writeLabelFolders(plan, copies, false));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    /**
     * A catalog names imported images by absolute path: exporting copies only the bytes that were
     * imported. A file replaced since (or a received catalog pointing elsewhere) is left out by
     * name; the rest is written.
     */
    @Test
    void anImportedImageWhoseBytesChangedIsLeftOutOfTheFolderExportByName() throws IOException {
        Workspace w = fashion();
        Path drop = Files.createDirectories(dir.resolve("drop"));
        List<Path> files = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        try (var bags = Files.list(TestResources.samples().resolve("fashion-fewshot/images/Bag"))) {
            for (Path p : bags.sorted().limit(3).toList()) {
                Path f = Files.copy(p, drop.resolve("imported-" + p.getFileName()));
                files.add(f);
                keys.add(EmbeddingPipeline.sha256().digest(Files.readAllBytes(f)));
            }
        }
        List<ImportPlan.Item> items = new ArrayList<>();
        for (Path f : files) {
            items.add(new ImportPlan.Item(f, "Satchel", Workspace.Kind.NOVEL, true));
        }
        w.addImported(items, keys, new FloatMatrix(3, w.dim(), new float[3 * w.dim()]));
        // the second file is replaced by another (as a catalog naming /etc/passwd would point elsewhere)
        Files.writeString(files.get(1), "root:x:0:0:root:/root:/bin/bash\n");
        ProjectExport.FolderPlan plan = ProjectExport.labelFolders(w.state());
        Path out = dir.resolve("out");
        IOException e = assertThrows(IOException.class, () -> ProjectExport.writeLabelFolders(plan, out, false));
        assertTrue(e.getMessage().contains(files.get(1).toString()) && e.getMessage().contains("SHA-256")
                && e.getMessage().contains("1 left out"), e.getMessage());
        Path satchels = out.resolve("Satchel");
        assertTrue(Files.isRegularFile(satchels.resolve(files.get(0).getFileName())), "the unchanged imports are copied");
        assertTrue(Files.isRegularFile(satchels.resolve(files.get(2).getFileName())));
        assertFalse(Files.exists(satchels.resolve(files.get(1).getFileName())), "the changed file is not copied");
        try (var all = Files.walk(out)) {
            assertEquals(w.imageCount() - 1, all.filter(Files::isRegularFile).count(), "every other labelled image is written");
        }
    }

    /** A project image whose file is gone (the project opens without it) is left out by name; the rest is written. */
    @Test
    void aProjectImageWhoseFileIsMissingIsLeftOutOfTheFolderExportByName() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("p"));
        Workspace before = Workspace.open(project);
        Path gone = before.state().imageFile(5);
        Files.delete(gone);
        Workspace w = Workspace.open(project);
        assertEquals(List.of(before.imagePaths().get(5)), w.missingFiles());
        Path out = dir.resolve("out");
        IOException e = assertThrows(IOException.class, () -> ProjectExport.writeLabelFolders(ProjectExport.labelFolders(w.state()),
                out, false));
        String said = e.getMessage();
        assertTrue(said.contains(gone.toAbsolutePath().normalize() + ": the file is missing") && said.contains("1 left out"), said);
        try (var all = Files.walk(out)) {
            assertEquals(w.imageCount() - 1, all.filter(Files::isRegularFile).count(), "every other labelled image is written");
        }
    }
}
