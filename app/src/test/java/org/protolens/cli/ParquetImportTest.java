package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.ParquetEmbeddings;
import org.protolens.core.io.PathLines;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;

/**
 * The Spark job's Parquet output joins a project without Spark or Hadoop: the rows read are the
 * job's own (its --npy copy beside them), images found below the folder where the person has the
 * collection, labels from the rows, each file's bytes checked against the hash the job recorded;
 * damaged or unsuitable files are refused naming the file.
 * <p>The job output under {@code spark-job/} was made by the Spark job in local mode on twelve of
 * the Fashion sample's images (the last four of Bag, Coat and Dress), with {@code --partitions 2
 * --npy}; its job.json's images_root then set to a cluster path.
 */
class ParquetImportTest {
    @TempDir
    Path dir;

    private Path job;
    private Path collection;

    @BeforeEach
    void collection() throws IOException {
        job = dir.resolve("job");
        copyTree(TestResources.path("spark-job"), job);
        // the collection as mounted on this computer: the sample's files at the rows' relative paths
        collection = dir.resolve("mounted");
        Path images = TestResources.samples().resolve("fashion-fewshot").resolve("images");
        for (String line : PathLines.read(job.resolve("embeddings.paths.txt"))) {
            Path p = Path.of(line);
            Path relative = p.getParent().getFileName().resolve(p.getFileName());
            Files.createDirectories(collection.resolve(relative).getParent());
            Files.copy(images.resolve(relative), collection.resolve(relative));
        }
    }

    @Test
    void theJobsRowsAreReadAsTheJobWroteThem() throws IOException {
        List<Path> parts = EmbeddingsImport.parquetParts(job);
        assertEquals(2, parts.size(), "both part files of embeddings/: " + parts);
        assertEquals(parts, EmbeddingsImport.parquetParts(job.resolve("job.json")));
        assertEquals(parts, EmbeddingsImport.parquetParts(parts.get(1)), "one part chosen: the whole of Spark's output");

        ParquetEmbeddings.Table t = ParquetEmbeddings.read(parts);
        FloatMatrix npy = NpyFile.readMatrix(job.resolve("embeddings.npy"));
        List<String> npyPaths = PathLines.read(job.resolve("embeddings.paths.txt"));
        assertEquals(12, t.paths().size());
        assertEquals(64, t.embeddings().cols());
        for (int i = 0; i < t.paths().size(); i++) {
            String local = t.paths().get(i).replaceFirst("^file:", "");
            int at = npyPaths.indexOf(local);
            assertTrue(at >= 0, t.paths().get(i) + " is one of the job's images");
            assertArrayEquals(npy.row(at), t.embeddings().row(i), "bit for bit the job's row for " + local);
            String folder = Path.of(local).getParent().getFileName().toString();
            assertEquals(folder, t.labels().get(i), "labelled by its folder");
            assertEquals(folder + "/" + Path.of(local).getFileName(), t.relativePaths().get(i));
            assertEquals(64, t.sha256().get(i).length());
            assertEquals("3ae5807cddc14d6e40e356f5fe4ed82b5490a114a1251edb36ddf9f2ed556bde", t.backbones().get(i));
        }
        assertEquals("hdfs:///data/fashion", EmbeddingsImport.remoteImagesRoot(job), "the job ran on a cluster's storage");
    }

    @Test
    void rowsJoinAProjectFromTheFolderWhereTheCollectionIsMounted() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("project"));
        int before;
        try (OpenProject p = OpenProject.open(project)) {
            before = p.workspace().imageCount();
        }
        // one file differs from the bytes the job embedded
        Path changed;
        try (Stream<Path> s = Files.list(collection.resolve("Coat"))) {
            changed = s.sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(changed);
        Files.write(changed, Arrays.copyOf(bytes, bytes.length + 1));

        CommandLineTest.Run noRoot = CommandLineTest.run("import-embeddings", "--project", project.toString(), "--embeddings",
                job.toString());
        assertEquals(0, noRoot.code(), noRoot.err());
        assertTrue(noRoot.err().contains("0 of 12 images added"), "the job's paths are not on this computer: " + noRoot.err());

        CommandLineTest.Run r = CommandLineTest.run("import-embeddings", "--project", project.toString(), "--embeddings",
                job.resolve("job.json").toString(), "--images-root", collection.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("11 of 12 images added"), r.err());
        assertTrue(r.err().contains(changed + ": changed since it was embedded"), r.err());

        ParquetEmbeddings.Table t = ParquetEmbeddings.read(EmbeddingsImport.parquetParts(job));
        try (OpenProject p = OpenProject.open(project)) {
            WorkspaceState s = p.workspace().state();
            assertEquals(List.of(), p.problems(), "every imported row comes back from the project's cache");
            assertEquals(before + 11, s.imageCount());
            Map<String, Integer> perClass = new TreeMap<>();
            for (int i = 0; i < t.paths().size(); i++) {
                Path file = collection.resolve(t.relativePaths().get(i));
                int at = s.imagePaths().indexOf(file.toAbsolutePath().normalize().toString());
                if (file.equals(changed)) {
                    assertEquals(-1, at, "a changed file is left out");
                    continue;
                }
                assertTrue(at >= before, file + " joined");
                assertArrayEquals(t.embeddings().row(i), s.embeddings().row(at), "the job's row for " + file);
                perClass.merge(s.classNames().get(s.label(at)), 1, Integer::sum);
            }
            assertEquals(Map.of("Bag", 4, "Coat", 3, "Dress", 4), perClass, "labelled as the job's rows say");
        }
    }

    /**
     * A new project for the rows, of the backbone that made them: made, then the rows join it with
     * their labels as its base classes; with another backbone nothing is made.
     */
    @Test
    void rowsMakeANewProjectOfTheirBackbone() throws IOException {
        Path other = dir.resolve("other");
        CommandLineTest.Run refused = CommandLineTest.run("import-embeddings", "--project", other.toString(), "--new-backbone",
                TestResources.samples().resolve("cifar10-fewshot/backbone").toString(), "--embeddings", job.toString(),
                "--images-root", collection.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("another backbone"), refused.err());
        assertTrue(Files.notExists(other), "nothing is made for rows of another backbone");

        Path fresh = dir.resolve("fresh");
        CommandLineTest.Run r = CommandLineTest.run("import-embeddings", "--project", fresh.toString(), "--new-backbone",
                TestResources.samples().resolve("fashion-fewshot/backbone").toString(), "--name", "From the cluster",
                "--embeddings", job.toString(), "--images-root", collection.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("12 of 12 images added"), r.err());
        try (OpenProject p = OpenProject.open(fresh)) {
            WorkspaceState s = p.workspace().state();
            assertEquals("From the cluster", s.name());
            assertEquals(List.of(), p.problems());
            assertEquals(12, s.imageCount());
            assertEquals(List.of("Bag", "Coat", "Dress"), s.classNames().stream().sorted().toList(), "the rows' labels make its classes");
            for (int c = 0; c < s.classNames().size(); c++) {
                assertTrue(s.isBase(c), s.classNames().get(c) + " is a base class");
                assertEquals(4, s.imagesOf(c).length, s.classNames().get(c));
            }
        }
    }

    @Test
    void damagedAndUnsuitableFilesAreRefusedByName() throws IOException {
        Path part = EmbeddingsImport.parquetParts(job).getFirst();
        byte[] bytes = Files.readAllBytes(part);
        Path cut = dir.resolve("cut.parquet");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> ParquetEmbeddings.read(List.of(cut)));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("not a Parquet file"), e.getMessage());

        Path footer = dir.resolve("footer.parquet");
        byte[] damaged = bytes.clone();
        for (int i = damaged.length - 200; i < damaged.length - 8; i++) {
            damaged[i] = (byte) 0xEE;
        }
        Files.write(footer, damaged);
        e = assertThrows(IOException.class, () -> ParquetEmbeddings.read(List.of(footer)));
        assertTrue(e.getMessage().startsWith(footer.toString()) && e.getMessage().contains("damaged"), e.getMessage());

        // the job's failures output: paths and problems, no embeddings
        Path failures;
        try (Stream<Path> s = Files.list(job.resolve("failures"))) {
            failures = s.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        e = assertThrows(IOException.class, () -> ParquetEmbeddings.read(List.of(failures)));
        assertTrue(e.getMessage().startsWith(failures.toString()) && e.getMessage().contains("embedding")
                && e.getMessage().contains("problem"), "names the columns it has: " + e.getMessage());

        IOException empty = assertThrows(IOException.class, () -> EmbeddingsImport.parquetParts(collection));
        assertTrue(empty.getMessage().contains("no Parquet file"), empty.getMessage());
        assertNull(EmbeddingsImport.remoteImagesRoot(cut), "a lone file has no job.json to name a root");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
