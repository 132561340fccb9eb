package org.protolens.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.ImageFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.project.EmbeddingsImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * Embeds an image collection on Apache Spark with the app's own code and summarises it: every
 * image's embedding as Parquet, the images that could not be read as a second Parquet output with
 * their reasons, and each label's mean embedding (base prototypes) with its count.
 *
 * <pre>
 * OUT/embeddings/   Parquet: path, relative_path, label, sha256, backbone (fingerprint), embedding (float array)
 * OUT/failures/     Parquet: path, relative_path, label, problem
 * OUT/prototypes.npy  float32, one row per label, in classes.csv's order
 * OUT/classes.csv     name,count
 * OUT/job.json        the backbone, its fingerprint and dimension, and the counts
 * </pre>
 *
 * <p>Labels come from the folder below the images' root ({@code ROOT/CLASS/.../image.jpg}) or from a
 * CSV with {@code path} and {@code label} columns (paths below the root, or full paths). With
 * {@code --previous}, images whose bytes (SHA-256) were embedded by an earlier run with the same
 * backbone fingerprint keep that embedding, as the desktop cache does.
 */
@Command(name = "protolens-spark-embed", mixinStandardHelpOptions = true,
        description = {"Embeds the images under a folder of a cluster's storage with a ProtoLens backbone, on Apache Spark.",
            "Writes OUT/embeddings (Parquet), OUT/failures (Parquet), OUT/prototypes.npy, OUT/classes.csv and OUT/job.json."})
public final class EmbedJob implements Callable<Integer> {
    static final String EMBEDDINGS = "embeddings";
    static final String FAILURES = "failures";
    static final String PROTOTYPES = "prototypes.npy";
    static final String CLASSES = "classes.csv";
    static final String SUMMARY = "job.json";
    static final String NPY = "embeddings.npy";
    static final String NPY_PATHS = "embeddings.paths.txt";
    static final String NPY_ABOUT = "embeddings.json";
    static final String NPY_LABELS = "embeddings.labels.csv";

    @Option(names = "--backbone", required = true, paramLabel = "MODEL",
            description = "a backbone folder with backbone.json, MODEL.pt (TorchScript, preprocessing in MODEL.json) or a model URL; "
                    + "read on the driver and shipped to the executors")
    String backbone;

    @Option(names = "--images", required = true, paramLabel = "ROOT",
            description = "the images' root folder (any storage Spark reads: hdfs://, s3a://, file:/...), searched recursively")
    String images;

    @Option(names = "--labels", paramLabel = "CSV", description = "labels from a CSV with path and label columns, instead of the folders")
    String labels;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "a new folder for the results")
    String out;

    @Option(names = "--previous", paramLabel = "DIR", description = "an earlier run's OUT: images embedded there with the same backbone "
            + "are not embedded again")
    String previous;

    @Option(names = "--batch-size", defaultValue = "32", description = "images per forward pass (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--partitions", description = "tasks to split the images into (default: about 2,000 images each, at least "
            + "two per core)")
    Integer partitions;

    @Option(names = "--npy", description = "also write OUT/embeddings.npy, .paths.txt, .labels.csv and .json, which File > Import "
            + "Embeddings and `protolens import-embeddings` take into a project (collected on the driver: give it the memory of the rows)")
    boolean npy;

    /** What a run did. */
    record Summary(long images, long embedded, long reused, long failed, int classes, String fingerprint, int dim, double seconds) {
    }

    /** What a run is asked to do. */
    record Settings(String backbone, String images, String labels, String out, String previous, int batchSize, Integer partitions,
                    boolean npy) {
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new EmbedJob());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            commandLine.getErr().println("protolens-spark-embed: " + why);
            commandLine.getErr().flush();
            return 1;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--batch-size must be at least 1");
        }
        SparkSession spark = SparkSession.builder().appName("ProtoLens embed").getOrCreate();
        try {
            Summary s = run(spark, new Settings(backbone, images, labels, out, previous, batchSize, partitions, npy));
            System.err.printf(Locale.ROOT, "%d images: %d embedded, %d reused from %s, %d could not be read; %d classes; %.1f s%n",
                    s.images(), s.embedded(), s.reused(), previous == null ? "no earlier run" : previous, s.failed(), s.classes(),
                    s.seconds());
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** Runs the job in a session (a cluster's, or a local one in tests). */
    static Summary run(SparkSession spark, Settings settings) throws IOException {
        long start = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path outDir = new Path(settings.out());
        FileSystem outFs = outDir.getFileSystem(conf);
        if (outFs.exists(outDir)) {
            throw new IOException(settings.out() + " already exists: give a new folder (an earlier run's output goes to --previous)");
        }
        Path root = new Path(settings.images());
        FileSystem rootFs = root.getFileSystem(conf);
        if (!rootFs.getFileStatus(root).isDirectory()) {
            throw new IOException(settings.images() + ": not a folder (give the images' root folder)");
        }
        ShippedBackbone shipped = ShippedBackbone.ship(spark.sparkContext(), settings.backbone());

        List<Row> files = list(rootFs, rootFs.makeQualified(root), settings.labels() == null);
        long count = files.size();
        if (count == 0) {
            throw new IOException(settings.images() + ": no image files found (JPEG, PNG, GIF, BMP, TIFF, WebP)");
        }
        int tasks = settings.partitions() != null ? settings.partitions()
                : (int) Math.max(2L * spark.sparkContext().defaultParallelism(), (count + 1999) / 2000);
        Dataset<Row> listed = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(files, tasks),
                PartitionEmbedder.LISTED);
        if (settings.labels() != null) {
            listed = withCsvLabels(spark, listed, rootFs.makeQualified(root).toString(), settings.labels()).repartition(tasks);
        }
        Map<String, String> hadoop = new HashMap<>();
        conf.forEach(e -> hadoop.put(e.getKey(), e.getValue()));
        PartitionEmbedder embedder = new PartitionEmbedder(shipped, settings.batchSize(), hadoop);

        Dataset<Row> reused = null;
        Dataset<Row> hashed = null;
        Dataset<Row> toEmbed = listed;
        if (settings.previous() != null) {
            // the bytes are hashed first: an image whose bytes an earlier run embedded with this backbone keeps that embedding
            hashed = spark.createDataFrame(listed.javaRDD()
                    .mapPartitions(new PartitionHasher(hadoop)), PartitionHasher.HASHED).persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> known = spark.read().parquet(new Path(settings.previous(), EMBEDDINGS).toString())
                    .where(col("backbone").equalTo(shipped.fingerprint()))
                    .select(col("sha256"), col("embedding"))
                    .dropDuplicates("sha256");
            Dataset<Row> joined = hashed.join(known, hashed.col("sha256").equalTo(known.col("sha256")), "left")
                    .select(hashed.col("path"), hashed.col("relative_path"), hashed.col("label"), hashed.col("sha256"),
                            known.col("embedding"), hashed.col("problem"));
            reused = joined.where(col("embedding").isNotNull())
                    .select(col("path"), col("relative_path"), col("label"), col("sha256"),
                            lit(shipped.fingerprint()).as("backbone"), col("embedding"), col("problem"));
            Dataset<Row> unreadable = joined.where(col("problem").isNotNull())
                    .select(col("path"), col("relative_path"), col("label"), col("sha256"),
                            lit(shipped.fingerprint()).as("backbone"), col("embedding"), col("problem"));
            reused = reused.unionByName(unreadable);
            toEmbed = joined.where(col("embedding").isNull().and(col("problem").isNull()))
                    .select(col("path"), col("relative_path"), col("label"));
        }
        JavaRDD<Row> embeddedRows = (reused == null ? toEmbed : toEmbed.repartition(tasks)).javaRDD().mapPartitions(embedder);
        Dataset<Row> embedded = spark.createDataFrame(embeddedRows, PartitionEmbedder.EMBEDDED);
        Dataset<Row> all = (reused == null ? embedded : embedded.unionByName(reused)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            all.where(col("problem").isNull()).drop("problem").write().parquet(new Path(outDir, EMBEDDINGS).toString());
            all.where(col("problem").isNotNull()).select(col("path"), col("relative_path"), col("label"), col("problem"))
                    .write().parquet(new Path(outDir, FAILURES).toString());
            long failed = all.where(col("problem").isNotNull()).count();
            long reusedCount = reused == null ? 0 : reused.where(col("problem").isNull()).count();
            long embeddedCount = count - failed - reusedCount;

            List<Tuple2<String, ClassMeans.Sum>> sums = ClassMeans.of(all.where(col("problem").isNull().and(col("label").isNotNull())));
            writeClasses(outFs, outDir, sums, shipped.dim());
            double seconds = (System.nanoTime() - start) / 1e9;
            Summary s = new Summary(count, embeddedCount, reusedCount, failed, sums.size(), shipped.fingerprint(), shipped.dim(), seconds);
            writeSummary(outFs, outDir, shipped, s, settings);
            if (settings.npy()) {
                writeNpy(all.where(col("problem").isNull()), outFs, outDir, shipped);
            }
            return s;
        } finally {
            all.unpersist();
            if (hashed != null) {
                hashed.unpersist();
            }
        }
    }

    /**
     * The image files under the root, in path order, with their paths below it and, when labels come
     * from the folders, the folder below the root. Listed on the driver (as Spark's own file sources
     * do), so that the files are not opened twice.
     */
    private static List<Row> list(FileSystem fs, Path root, boolean folderLabels) throws IOException {
        String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
        List<Row> rows = new ArrayList<>();
        // folder by folder with plain statuses: a located status asks a local file system for each
        // file's owner and permissions (a process per file without Hadoop's native library)
        ArrayDeque<Path> folders = new ArrayDeque<>(List.of(root));
        while (!folders.isEmpty()) {
            for (FileStatus f : fs.listStatus(folders.pop())) {
                if (f.isDirectory()) {
                    folders.push(f.getPath());
                    continue;
                }
                String path = f.getPath().toString();
                String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : f.getPath().getName();
                if (f.isFile() && ImageFiles.isImageName(f.getPath().getName())) {
                    int slash = relative.indexOf('/');
                    rows.add(RowFactory.create(path, relative, folderLabels && slash > 0 ? relative.substring(0, slash) : null));
                }
            }
        }
        rows.sort(Comparator.comparing(r -> r.getString(0)));
        return rows;
    }

    /** The listed images with their labels from a CSV of path,label (paths below the root, or full). */
    private static Dataset<Row> withCsvLabels(SparkSession spark, Dataset<Row> listed, String root, String labelsCsv) {
        String prefix = root.endsWith("/") ? root : root + "/";
        String localPrefix = new Path(prefix).toUri().getPath() + "/";
        Dataset<Row> csv = spark.read().option("header", "true").csv(labelsCsv).select(col("path"), col("label"));
        JavaRDD<Row> keyed = csv.javaRDD().map(r -> {
            String p = r.getString(0) == null ? "" : r.getString(0);
            String key = p.startsWith(prefix) ? p.substring(prefix.length())
                    : p.startsWith(localPrefix) ? p.substring(localPrefix.length()) : p;
            return RowFactory.create(key, r.getString(1));
        });
        Dataset<Row> labelled = spark.createDataFrame(keyed, new StructType()
                .add("key", DataTypes.StringType)
                .add("csv_label", DataTypes.StringType)).dropDuplicates("key");
        return listed.join(labelled, listed.col("relative_path").equalTo(labelled.col("key")), "left")
                .select(listed.col("path"), listed.col("relative_path"), labelled.col("csv_label").as("label"));
    }

    private static void writeClasses(FileSystem fs, Path outDir, List<Tuple2<String, ClassMeans.Sum>> sums, int dim) throws IOException {
        float[] means = new float[sums.size() * dim];
        for (int c = 0; c < sums.size(); c++) {
            ClassMeans.Sum s = sums.get(c)._2();
            for (int j = 0; j < dim; j++) {
                means[c * dim + j] = (float) (s.sum()[j] / s.count());
            }
        }
        try (OutputStream o = fs.create(new Path(outDir, PROTOTYPES), false)) {
            NpyFile.writeMatrix(o, new FloatMatrix(sums.size(), dim, means));
        }
        try (Writer w = new OutputStreamWriter(fs.create(new Path(outDir, CLASSES), false), StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("name", "count").get())) {
            for (Tuple2<String, ClassMeans.Sum> t : sums) {
                csv.printRecord(t._1(), t._2().count());
            }
        }
    }

    /**
     * The embedded rows as the desktop reads them: a matrix, its images' paths (a local file as a
     * plain path), and the backbone that made them, in path order.
     */
    private static void writeNpy(Dataset<Row> rows, FileSystem fs, Path outDir, ShippedBackbone b) throws IOException {
        List<Row> kept = rows.select(col("path"), col("embedding"), col("label")).orderBy(col("path")).collectAsList();
        float[] data = new float[Math.multiplyExact(kept.size(), b.dim())];
        List<String> paths = new ArrayList<>(kept.size());
        List<String> labels = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            Path p = new Path(kept.get(i).getString(0));
            paths.add("file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString());
            List<Float> v = kept.get(i).getList(1);
            for (int j = 0; j < b.dim(); j++) {
                data[i * b.dim() + j] = v.get(j);
            }
            labels.add(kept.get(i).isNullAt(2) ? null : kept.get(i).getString(2));
        }
        try (OutputStream o = fs.create(new Path(outDir, NPY), false)) {
            NpyFile.writeMatrix(o, new FloatMatrix(kept.size(), b.dim(), data));
        }
        try (OutputStream o = fs.create(new Path(outDir, NPY_PATHS), false)) {
            o.write(PathLines.text(paths).getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream o = fs.create(new Path(outDir, NPY_LABELS), false)) {
            o.write(EmbeddingsImport.labelsText(paths, labels).getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream o = fs.create(new Path(outDir, NPY_ABOUT), false)) {
            o.write(EmbeddingsImport.describe(b.name(), b.fingerprint(), b.dim(), kept.size()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void writeSummary(FileSystem fs, Path outDir, ShippedBackbone b, Summary s, Settings settings) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode n = json.createObjectNode();
        n.put("format", "protolens-spark-embeddings");
        n.put("version", 1);
        n.put("images_root", settings.images());
        n.put("backbone", b.name());
        n.put("fingerprint", b.fingerprint());
        n.put("dim", b.dim());
        n.put("images", s.images());
        n.put("embedded", s.embedded());
        n.put("reused", s.reused());
        n.put("failed", s.failed());
        n.put("classes", s.classes());
        n.put("seconds", Math.round(s.seconds() * 10) / 10.0);
        List<String> outputs = new ArrayList<>(List.of(EMBEDDINGS, FAILURES, PROTOTYPES, CLASSES));
        n.putPOJO("outputs", outputs);
        try (OutputStream o = fs.create(new Path(outDir, SUMMARY), false)) {
            o.write((json.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
