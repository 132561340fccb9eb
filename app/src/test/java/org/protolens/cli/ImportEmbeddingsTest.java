package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
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
}
