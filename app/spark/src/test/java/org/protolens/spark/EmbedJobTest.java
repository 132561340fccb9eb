package org.protolens.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.cli.ProtoLensCommand;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.ParquetEmbeddings;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;

/**
 * The job in Spark's local mode on a few hundred of the Fashion sample's images: its embeddings are
 * `protolens embed`'s, its class means are the app's base prototypes, a broken file is a failure row
 * and not a failed job, and a re-run over a grown folder embeds only the new images.
 */
class EmbedJobTest {
    private static final int PER_CLASS = 30;
    private static SparkSession spark;

    @TempDir
    static Path dir;

    private static Path images;
    private static Path backbone;

    @BeforeAll
    static void start() throws IOException {
        Path sample = samples().resolve("fashion-fewshot");
        backbone = sample.resolve("backbone");
        images = dir.resolve("collection");
        try (Stream<Path> classes = Files.list(sample.resolve("images"))) {
            for (Path cls : classes.sorted().toList()) {
                List<Path> files;
                try (Stream<Path> s = Files.list(cls)) {
                    files = s.sorted().limit(PER_CLASS).toList();
                }
                Path target = Files.createDirectories(images.resolve(cls.getFileName().toString()));
                for (Path f : files) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
        }
        // a name with a space, a file that is not an image, and one that claims to be but is not
        try (Stream<Path> s = Files.list(images.resolve("Bag"))) {
            Files.move(s.sorted().findFirst().orElseThrow(), images.resolve("Bag").resolve("a bag with a space.png"));
        }
        Files.writeString(images.resolve("README.txt"), "not an image");
        Files.write(images.resolve("Coat").resolve("broken.jpg"), new byte[] {1, 2, 3, 4, 5});
        spark = SparkSession.builder().master("local[2]").appName("EmbedJobTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void embeddingsAndClassMeansEqualTheAppsAndABrokenFileIsAFailureRow() throws IOException {
        Path out = dir.resolve("run1");
        EmbedJob.Summary s = EmbedJob.run(spark, settings(out, null));
        int images = 10 * PER_CLASS + 1;
        assertEquals(images, s.images(), "every image file is listed, the README is not");
        assertEquals(1, s.failed());
        assertEquals(images - 1, s.embedded());

        Map<String, float[]> cli = embedWithTheCommandLine(dir.resolve("cli"));
        Map<String, float[]> job = embeddings(out);
        assertEquals(cli.keySet(), job.keySet(), "the same images, by path");
        for (Map.Entry<String, float[]> e : cli.entrySet()) {
            float[] a = e.getValue();
            float[] b = job.get(e.getKey());
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-4f * Math.max(1f, Math.abs(a[j])), e.getKey() + " value " + j);
            }
        }

        List<Row> failures = spark.read().parquet(out.resolve(EmbedJob.FAILURES).toString()).collectAsList();
        assertEquals(1, failures.size());
        assertTrue(failures.getFirst().getAs("path").toString().endsWith("Coat/broken.jpg"));
        String problem = failures.getFirst().getAs("problem");
        assertTrue(problem.contains("is not an image ProtoLens can read") || problem.contains("cannot be decoded"), problem);

        // the app's base prototypes from the same embeddings, classes in name order
        List<String> names = new ArrayList<>(new TreeMap<>(byLabel(cli)).keySet());
        List<String> paths = new ArrayList<>(cli.keySet());
        int dim = cli.values().iterator().next().length;
        float[] x = new float[paths.size() * dim];
        int[] y = new int[paths.size()];
        for (int i = 0; i < paths.size(); i++) {
            System.arraycopy(cli.get(paths.get(i)), 0, x, i * dim, dim);
            y[i] = names.indexOf(labelOf(paths.get(i)));
        }
        FloatMatrix app = FscilEvaluation.basePrototypes(new FloatMatrix(paths.size(), dim, x), y, names.size());
        FloatMatrix means = NpyFile.readMatrix(out.resolve(EmbedJob.PROTOTYPES));
        assertEquals(names.size(), means.rows());
        for (int i = 0; i < app.data().length; i++) {
            assertEquals(app.data()[i], means.data()[i], 1e-4f * Math.max(1f, Math.abs(app.data()[i])), "prototype value " + i);
        }
        List<String> classes = Files.readAllLines(out.resolve(EmbedJob.CLASSES), StandardCharsets.UTF_8);
        assertEquals("name,count", classes.getFirst());
        assertEquals(names.size() + 1, classes.size());
        assertEquals("Bag," + PER_CLASS, classes.get(names.indexOf("Bag") + 1));
        assertEquals("Coat," + PER_CLASS, classes.get(names.indexOf("Coat") + 1), "the broken file counts for no class");

        JsonNode summary = new ObjectMapper().readTree(out.resolve(EmbedJob.SUMMARY).toFile());
        assertEquals(s.fingerprint(), summary.get("fingerprint").asText());
        assertEquals(images - 1, summary.get("embedded").asLong());

        IOException again = assertThrows(IOException.class, () -> EmbedJob.run(spark, settings(out, null)));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());

        // the app reads the job's Parquet itself (no Spark, no Hadoop): the rows Spark reads
        ParquetEmbeddings.Table read = ParquetEmbeddings.read(EmbeddingsImport.parquetParts(out));
        assertEquals(job.size(), read.paths().size());
        for (int i = 0; i < read.paths().size(); i++) {
            String path = localPath(read.paths().get(i));
            assertArrayEquals(job.get(path), read.embeddings().row(i), path);
            assertEquals(labelOf(path), read.labels().get(i), path);
            assertEquals(s.fingerprint(), read.backbones().get(i));
        }

        // the desktop takes the job's rows into a project of the same backbone without embedding them again
        Path project = dir.resolve("project");
        OpenProject.copy(samples().resolve("fashion-fewshot"), project);
        StringWriter err = new StringWriter();
        String[] importArgs = {"import-embeddings", "--project", project.toString(), "--embeddings", out.resolve(EmbedJob.NPY).toString()};
        int code = ProtoLensCommand.execute(importArgs, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains((images - 1) + " of " + (images - 1) + " images added"), err.toString());
        try (OpenProject opened = OpenProject.open(project)) {
            WorkspaceState state = opened.workspace().state();
            assertEquals(List.of(), opened.problems());
            for (Map.Entry<String, float[]> e : cli.entrySet()) {
                int at = state.imagePaths().indexOf(e.getKey());
                assertTrue(at >= 0, e.getKey() + " joined the project");
                assertArrayEquals(job.get(e.getKey()), state.embeddings().row(at), e.getKey());
                assertTrue(state.label(at) >= 0, e.getKey() + " is labelled from the job's embeddings.labels.csv");
                assertEquals(labelOf(e.getKey()), state.classNames().get(state.label(at)), e.getKey());
            }
        }
    }

    @Test
    void aRerunOverAGrownCollectionEmbedsOnlyTheNewImages() throws IOException {
        Path grown = dir.resolve("grown");
        copyTree(images, grown);
        Path first = dir.resolve("before");
        EmbedJob.Summary before = EmbedJob.run(spark, new EmbedJob.Settings(backbone.toString(), grown.toString(), null,
                first.toString(), null, 16, null, false));
        Path extra = samples().resolve("fashion-fewshot").resolve("images").resolve("Sandal");
        List<Path> added;
        try (Stream<Path> s = Files.list(extra)) {
            added = s.sorted().skip(PER_CLASS).limit(5).toList();
        }
        for (Path f : added) {
            Files.copy(f, grown.resolve("Sandal").resolve(f.getFileName()));
        }
        Path second = dir.resolve("after");
        EmbedJob.Summary after = EmbedJob.run(spark, new EmbedJob.Settings(backbone.toString(), grown.toString(), null,
                second.toString(), first.toString(), 16, null, false));
        assertEquals(before.images() + 5, after.images());
        assertEquals(5, after.embedded(), "only the new images are embedded");
        assertEquals(before.embedded(), after.reused());
        assertEquals(1, after.failed());
        Map<String, float[]> a = embeddings(first);
        Map<String, float[]> b = embeddings(second);
        assertEquals(a.size() + 5, b.size());
        for (String p : a.keySet()) {
            assertEquals(List.of(box(a.get(p))), List.of(box(b.get(p))), p);
        }
        List<String> classes = Files.readAllLines(second.resolve(EmbedJob.CLASSES), StandardCharsets.UTF_8);
        assertTrue(classes.contains("Sandal," + (PER_CLASS + 5)), classes.toString());
    }

    @Test
    void labelsFromACsvReplaceTheFolders() throws IOException {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "path,label\nBag/a bag with a space.png,handbag\n" + images.resolve("Coat") + "/"
                + firstName(images.resolve("Coat")) + ",outerwear\n");
        Path out = dir.resolve("csv-run");
        EmbedJob.Summary s = EmbedJob.run(spark, new EmbedJob.Settings(backbone.toString(), images.toString(), csv.toString(),
                out.toString(), null, 32, 3, false));
        assertEquals(2, s.classes(), "only the images the CSV names are labelled");
        List<String> classes = Files.readAllLines(out.resolve(EmbedJob.CLASSES), StandardCharsets.UTF_8);
        assertEquals(List.of("name,count", "handbag,1", "outerwear,1"), classes);
    }

    /**
     * Parquet as Spark writes it with other settings than the job's: every compression Spark offers,
     * data pages of format 2 (strings delta-encoded), the legacy list layout, double-precision
     * embeddings of a few values (kept in a dictionary), many row groups and pages, labels missing on
     * some rows: the app reads back exactly the rows written. (Compared with what was written, not with Spark's own reading: Spark 4.2's
     * vectorised reader returns damaged strings from the format-2 files it writes itself.)
     */
    @Test
    void theAppReadsParquetAsSparkWritesItWithEveryCompressionAndLayout() throws IOException {
        Random random = new Random(7);
        List<Row> floats = new ArrayList<>();
        List<Row> doubles = new ArrayList<>();
        Map<String, float[]> written = new HashMap<>();
        Map<String, float[]> writtenDoubles = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            List<Float> f = new ArrayList<>();
            List<Double> d = new ArrayList<>();
            float[] v = new float[16];
            for (int j = 0; j < v.length; j++) {
                // halves from -2 to 2 for the doubles (a writer keeps such values in a dictionary), any value for the floats
                v[j] = (float) random.nextGaussian();
                float q = Math.round(Math.max(-2, Math.min(2, v[j])) * 2) / 2f;
                f.add(v[j]);
                d.add((double) q);
            }
            String path = "file:/collection/" + i + ".png";
            String label = i % 5 == 0 ? null : "class " + (i % 3);
            floats.add(RowFactory.create(path, label, f));
            doubles.add(RowFactory.create(path, label, d));
            written.put(path, v);
            writtenDoubles.put(path, toFloats(d));
            labels.put(path, label);
        }
        StructType base = new StructType().add("path", DataTypes.StringType, false).add("label", DataTypes.StringType, true);
        Dataset<Row> asFloat = spark.createDataFrame(floats, base.add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false)));
        Dataset<Row> asDouble = spark.createDataFrame(doubles, base.add("embedding", DataTypes.createArrayType(DataTypes.DoubleType)));
        int variant = 0;
        for (String codec : List.of("none", "snappy", "gzip", "zstd", "lz4_raw")) {
            for (String pages : List.of("v1", "v2")) {
                for (boolean legacy : List.of(false, true)) {
                    boolean isFloat = variant % 2 == 0;
                    Dataset<Row> data = isFloat ? asFloat : asDouble;
                    Map<String, float[]> expected = isFloat ? written : writtenDoubles;
                    Path out = dir.resolve("variant-" + variant++);
                    spark.conf().set("spark.sql.parquet.writeLegacyFormat", String.valueOf(legacy));
                    try {
                        data.repartition(2).write().option("compression", codec).option("parquet.writer.version", pages)
                                .option("parquet.block.size", "4096").option("parquet.page.size", "512")
                                .option("parquet.page.size.row.check.min", "8").parquet(out.toString());
                    } finally {
                        spark.conf().unset("spark.sql.parquet.writeLegacyFormat");
                    }
                    String what = codec + ", pages " + pages + (legacy ? ", legacy lists" : "") + ": ";
                    ParquetEmbeddings.Table read = ParquetEmbeddings.read(EmbeddingsImport.parquetParts(out));
                    assertEquals(written.keySet(), new HashSet<>(read.paths()), what + "every row, once");
                    assertEquals(written.size(), read.paths().size(), what + "every row, once");
                    for (int i = 0; i < read.paths().size(); i++) {
                        String p = read.paths().get(i);
                        assertArrayEquals(expected.get(p), read.embeddings().row(i), what + p);
                        assertEquals(labels.get(p), read.labels().get(i), what + p + "'s label");
                    }
                }
            }
        }
    }

    private static float[] toFloats(List<Double> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i).floatValue();
        }
        return f;
    }

    private static EmbedJob.Settings settings(Path out, String previous) {
        return new EmbedJob.Settings(backbone.toString(), images.toString(), null, out.toString(), previous, 32, null, true);
    }

    private static Map<String, float[]> embedWithTheCommandLine(Path prefix) throws IOException {
        StringWriter err = new StringWriter();
        String[] args = {"embed", "--backbone", backbone.toString(), "--images", images.toString(), "--out", prefix.toString(),
            "--no-cache"};
        int code = ProtoLensCommand.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        FloatMatrix m = NpyFile.readMatrix(Path.of(prefix + ".npy"));
        List<String> paths = Files.readAllLines(Path.of(prefix + ".paths.txt"), StandardCharsets.UTF_8);
        Map<String, float[]> rows = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            rows.put(Path.of(paths.get(i)).toAbsolutePath().toString(), m.row(i));
        }
        return rows;
    }

    /** The job's embeddings by local path. */
    private static Map<String, float[]> embeddings(Path out) {
        Map<String, float[]> rows = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve(EmbedJob.EMBEDDINGS).toString()).collectAsList()) {
            List<Float> v = r.getList(r.fieldIndex("embedding"));
            float[] f = new float[v.size()];
            for (int j = 0; j < f.length; j++) {
                f[j] = v.get(j);
            }
            rows.put(localPath(r.getAs("path")), f);
        }
        return rows;
    }

    /** A local file's path as Spark writes it ({@code file:/dir/name}), as a plain path. */
    private static String localPath(String sparkPath) {
        String p = sparkPath.startsWith("file:") ? sparkPath.substring("file:".length()) : sparkPath;
        return p.startsWith("///") ? p.substring(2) : p;
    }

    private static Map<String, Integer> byLabel(Map<String, float[]> rows) {
        Map<String, Integer> counts = new HashMap<>();
        rows.keySet().forEach(p -> counts.merge(labelOf(p), 1, Integer::sum));
        return counts;
    }

    private static String labelOf(String path) {
        return images.relativize(Path.of(path)).getName(0).toString();
    }

    private static Float[] box(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }

    private static String firstName(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("broken.jpg")).sorted().findFirst().orElseThrow();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** sample-projects/ of this checkout. */
    private static Path samples() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-projects"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no sample-projects folder above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("sample-projects");
    }
}
