package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.interop.ProjectExport;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;

/**
 * Embeddings made by `protolens embed` join a project without being embedded again: labelled from a
 * CSV, kept when the project opens again, and refused when another backbone made them.
 */
class ImportEmbeddingsTest {
    @TempDir
    Path dir;

    @Test
    void embeddingsFromTheCommandLineJoinTheProjectWithTheirLabels() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("project"));
        int before;
        try (OpenProject p = OpenProject.open(project)) {
            before = p.workspace().imageCount();
        }
        // ten images from elsewhere: copies of the sample's bags, under other names
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        List<Path> sources;
        try (Stream<Path> s = Files.list(project.resolve("images").resolve("Bag"))) {
            sources = s.sorted().limit(10).toList();
        }
        for (int i = 0; i < sources.size(); i++) {
            Files.copy(sources.get(i), elsewhere.resolve("bag-" + i + ".png"));
        }
        Path prefix = dir.resolve("emb");
        CommandLineTest.Run embed = CommandLineTest.run("embed", "--backbone", project.resolve("backbone").toString(), "--images",
                elsewhere.toString(), "--out", prefix.toString(), "--no-cache");
        assertEquals(0, embed.code(), embed.err());
        FloatMatrix rows = NpyFile.readMatrix(Path.of(prefix + ".npy"));
        List<String> paths = PathLines.read(Path.of(prefix + ".paths.txt"));

        // five labelled as the project's Bag class, three as a class the project does not have, two unlabelled
        StringBuilder csv = new StringBuilder("path,label\n");
        for (int i = 0; i < 8; i++) {
            csv.append("elsewhere/bag-").append(i).append(".png,").append(i < 5 ? "Bag" : "Tote").append('\n');
        }
        Files.writeString(dir.resolve("labels.csv"), csv);

        Path other = dir.resolve("other.npy");
        Files.copy(Path.of(prefix + ".npy"), other);
        Files.copy(Path.of(prefix + ".paths.txt"), dir.resolve("other.paths.txt"));
        CommandLineTest.Run unknown = CommandLineTest.run("import-embeddings", "--project", project.toString(), "--embeddings",
                other.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("--fingerprint"), "which backbone made them must be known: " + unknown.err());
        CommandLineTest.Run another = CommandLineTest.run("import-embeddings", "--project", project.toString(), "--embeddings",
                other.toString(), "--fingerprint", "0123456789abcdef");
        assertEquals(1, another.code());
        assertTrue(another.err().contains("another backbone"), another.err());

        CommandLineTest.Run r = CommandLineTest.run("import-embeddings", "--project", project.toString(), "--embeddings",
                prefix + ".npy", "--labels", dir.resolve("labels.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("10 of 10 images added"), r.err());

        try (OpenProject p = OpenProject.open(project)) {
            WorkspaceState s = p.workspace().state();
            assertEquals(List.of(), p.problems(), "every imported row comes back from the project's cache");
            assertEquals(before + 10, s.imageCount());
            assertTrue(s.classNames().contains("Tote"), "a new label makes a class: " + s.classNames());
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                int at = s.imagePaths().indexOf(paths.get(i));
                assertTrue(at >= before, paths.get(i) + " is in the project");
                assertArrayEquals(rows.row(i), s.embeddings().row(at), "the row as embedded elsewhere");
                labels.add(s.label(at) < 0 ? "" : s.classNames().get(s.label(at)));
            }
            assertEquals(5, labels.stream().filter("Bag"::equals).count());
            assertEquals(3, labels.stream().filter("Tote"::equals).count());
            assertEquals(2, labels.stream().filter(String::isEmpty).count());
        }

        CommandLineTest.Run again = CommandLineTest.run("import-embeddings", "--project", project.toString(), "--embeddings",
                prefix + ".npy");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 of 10 images added") && again.err().contains("in the project already"), again.err());
    }

    /**
     * File > Export > Embeddings of one project and File > Import Embeddings into a new project of
     * the same backbone: every image joins with its label and row, nothing embedded again; rows
     * whose paths list is short, or whose labels file is damaged, are refused naming the file.
     */
    @Test
    void embeddingsExportedFromOneProjectJoinANewProjectOfItsBackboneWithTheirLabels() throws IOException {
        Path sample = TestResources.sampleCopy("fashion-fewshot", dir.resolve("sample"));
        Path exported = dir.resolve("out").resolve("fashion.npy");
        Files.createDirectories(exported.getParent());
        WorkspaceState from;
        try (OpenProject p = OpenProject.open(sample)) {
            from = p.workspace().state();
            ProjectExport.writeEmbeddings(from, exported);
        }
        assertTrue(Files.isRegularFile(EmbeddingsImport.besides(exported)), "the backbone is written beside the rows");
        Path fresh = OpenProject.create(dir.resolve("fresh"), "Fresh", sample, true);
        EmbeddingsImport.Result r;
        try (OpenProject p = OpenProject.open(fresh)) {
            r = EmbeddingsImport.apply(p, EmbeddingsImport.read(exported, null, null, null));
        }
        assertEquals(from.imageCount(), r.added(), String.valueOf(r.skipped()));
        try (OpenProject p = OpenProject.open(fresh)) {
            WorkspaceState s = p.workspace().state();
            assertEquals(List.of(), p.problems());
            assertEquals(from.imageCount(), s.imageCount());
            for (int i = 0; i < from.imageCount(); i += 7) {
                int at = s.imagePaths().indexOf(from.imageFile(i).toAbsolutePath().normalize().toString());
                assertTrue(at >= 0, from.imagePath(i) + " joined");
                assertArrayEquals(from.embeddings().row(i), s.embeddings().row(at), from.imagePath(i));
                String label = from.label(i) < 0 ? null : from.classNames().get(from.label(i));
                assertEquals(label, s.label(at) < 0 ? null : s.classNames().get(s.label(at)), from.imagePath(i) + "'s label");
            }
        }

        List<String> paths = PathLines.read(EmbeddingsImport.pathsBeside(exported));
        PathLines.write(EmbeddingsImport.pathsBeside(exported), paths.subList(0, paths.size() - 1));
        IOException shortList = assertThrows(IOException.class, () -> EmbeddingsImport.read(exported, null, null, null));
        String said = shortList.getMessage();
        assertTrue(said.contains("fashion.npy") && said.contains("image paths"), said);
        PathLines.write(EmbeddingsImport.pathsBeside(exported), paths);
        Files.writeString(EmbeddingsImport.labelsBeside(exported), "file,class\nx.png,Bag\n");
        IOException labels = assertThrows(IOException.class, () -> EmbeddingsImport.read(exported, null, null, null));
        said = labels.getMessage();
        assertTrue(said.contains("fashion.labels.csv") && said.contains("path and label"), said);
    }
}
