package org.protolens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.protolens.Version;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.fscil.FscilDraws;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.project.ProjectManifest;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.core.shortcut.ShortcutDataset;
import org.protolens.core.train.DatasetEmbeddings;
import org.protolens.core.train.ImageDataset;
import org.protolens.core.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "make-sample", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Builds a sample project from a dataset and a backbone trained on its base classes:",
            "base prototypes over every base training image, a few held-out images per class for the map,",
            "the shots of one draw per novel class, and FSCIL results (alpha = 0 and TEEN) over draws of the shots",
            "(fscil.json; a README.md with <!-- fscil:start --> and <!-- fscil:end --> gets the tables between them)."})
final class MakeSampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backbone", required = true, paramLabel = "DIR", description = "backbone folder (train-backbone's output)")
    Path backbone;

    @Option(names = "--data", required = true, paramLabel = "DATASET",
            description = "the dataset the backbone was trained on, with its held-out part (see train-backbone)")
    Path data;

    @Option(names = "--base-classes", required = true, arity = "1..*", paramLabel = "NAME")
    List<String> baseClasses;

    @Option(names = "--novel-classes", required = true, arity = "1..*", paramLabel = "NAME",
            description = "in session order: the first W form session 1, the next W session 2, ...")
    List<String> novelClasses;

    @Option(names = "--ways", defaultValue = "2", description = "novel classes per session (default ${DEFAULT-VALUE})")
    int ways;

    @Option(names = "--shots", defaultValue = "5", description = "default ${DEFAULT-VALUE}")
    int shots;

    @Option(names = "--draws", defaultValue = "10", description = "random draws of the shots (default ${DEFAULT-VALUE})")
    int draws;

    @Option(names = "--seed", defaultValue = "1", description = "fixes the draws and the map images (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--map-images", defaultValue = "100",
            description = "held-out images per class in the sample (default ${DEFAULT-VALUE})")
    int mapImages;

    @Option(names = "--name", required = true, description = "the project's name")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "--embeddings-out", paramLabel = "DIR", description = "also write every training and held-out image's "
            + "embedding and label there (train-x.npy, train-y.npy, test-x.npy, test-y.npy; classes numbered base first, in the "
            + "order given), for fscil and episodes")
    Path embeddingsOut;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final double[] SWEEP_ALPHAS = {0, 0.1, 0.25, 0.5, 0.75, 0.9};
    static final double[] SWEEP_TAUS = {1, 4, 16, 64};

    @Override
    public Integer call() throws Exception {
        if (novelClasses.size() % Math.max(ways, 1) != 0 || ways < 1) {
            throw CliArgs.usage(spec, novelClasses.size() + " novel classes do not split into sessions of " + ways);
        }
        if (mapImages < 1 || draws < 1 || shots < 1) {
            throw CliArgs.usage(spec, "--map-images, --draws and --shots must be at least 1");
        }
        FscilProtocol protocol = new FscilProtocol(baseClasses.size(), ways, shots, 1 + novelClasses.size() / ways);
        PrintWriter err = spec.commandLine().getErr();
        List<String> all = new ArrayList<>(baseClasses);
        all.addAll(novelClasses);
        TrainingData dataset;
        try {
            dataset = TrainingData.open(data).restrictTo(all);
        } catch (IllegalArgumentException e) {
            throw new IOException(data + ": " + e.getMessage());
        }
        if (dataset.heldOut() == null) {
            throw new IOException(data + ": has no held-out part (test images) to evaluate on and to show on the map");
        }
        Files.createDirectories(out);
        Path backboneDir = out.resolve("backbone");
        if (!backbone.toAbsolutePath().normalize().equals(backboneDir.toAbsolutePath().normalize())) {
            copyFolder(backbone, backboneDir);
        }
        try (Backbone b = BackboneLoader.open(backboneDir.toString(), null, null)) {
            err.printf(Locale.ROOT, "embedding %d training and %d held-out images with %s on %s%n", dataset.train().size(),
                    dataset.heldOut().size(), b.name(), b.device());
            err.flush();
            long start = System.nanoTime();
            FloatMatrix trainX = DatasetEmbeddings.embed(b, dataset.train(), 256, null);
            FloatMatrix testX = DatasetEmbeddings.embed(b, dataset.heldOut(), 256, null);
            int[] trainY = labels(dataset.train());
            int[] testY = labels(dataset.heldOut());
            err.printf(Locale.ROOT, "embedded in %.1f s%n", (System.nanoTime() - start) / 1e9);
            if (embeddingsOut != null) {
                Files.createDirectories(embeddingsOut);
                NpyFile.writeMatrix(embeddingsOut.resolve("train-x.npy"), trainX);
                NpyFile.writeLabels(embeddingsOut.resolve("train-y.npy"), trainY);
                NpyFile.writeMatrix(embeddingsOut.resolve("test-x.npy"), testX);
                NpyFile.writeLabels(embeddingsOut.resolve("test-y.npy"), testY);
            }

            TeenCalibration teen = new TeenCalibration(TeenCalibration.DEFAULT_ALPHA, TeenCalibration.DEFAULT_TAU);
            FscilDraws.Summary summary = FscilDraws.run(trainX, trainY, testX, testY, protocol, teen, draws, seed);
            double[][] sweep = FscilDraws.lastSessionHm(trainX, trainY, testX, testY, protocol, summary.splits(),
                    SWEEP_ALPHAS, SWEEP_TAUS);
            String table = FscilTables.markdown(protocol, summary);
            String sweepTable = FscilTables.sweepMarkdown(SWEEP_ALPHAS, SWEEP_TAUS, sweep);
            ObjectNode report = FscilTables.json(protocol, summary);
            report.putPOJO("classes", all);
            // the shots of every draw by where they come from in the dataset (the splits count rows of
            // the training images of these classes, in dataset order)
            var sources = report.putArray("shot_sources");
            for (Map<Integer, int[]> split : summary.splits()) {
                ObjectNode draw = sources.addObject();
                split.keySet().stream().sorted().forEach(cls -> {
                    var list = draw.putArray(all.get(cls));
                    for (int r : split.get(cls)) {
                        list.add(relativeSource(dataset.train().source(r)));
                    }
                });
            }
            ObjectNode sw = report.putObject("last_session_hm_sweep");
            sw.putPOJO("alpha", SWEEP_ALPHAS);
            sw.putPOJO("tau", SWEEP_TAUS);
            sw.putPOJO("hm", sweep);
            AtomicFiles.writeString(out.resolve("fscil.json"), JSON.writeValueAsString(report) + "\n");
            spec.commandLine().getOut().print(table + "\nLast session's harmonic mean (%) over alpha and tau:\n\n" + sweepTable);
            spec.commandLine().getOut().flush();

            FloatMatrix prototypes = FscilEvaluation.basePrototypes(trainX, trainY, baseClasses.size());
            NpyFile.writeMatrix(out.resolve("base-prototypes.npy"), prototypes);

            List<ProjectManifest.ImageEntry> images = writeImages(dataset, trainY, testY, summary.splits().getFirst(), all);
            if (Files.isRegularFile(data.resolve("test").resolve(ShortcutDataset.MANIFEST))) {
                // a shortcut dataset: the copies' core and shortcut values go with them, for the bias report
                Path imagesDir = out.resolve("images");
                int listed = ShortcutDataset.writeCopiedManifest(data, imagesDir, images.stream()
                        .map(i -> imagesDir.relativize(out.resolve(i.path())).toString().replace('\\', '/')).toList());
                err.printf(Locale.ROOT, "wrote %s: the core and shortcut values of %d images%n",
                        imagesDir.resolve(ShortcutDataset.MANIFEST), listed);
            }
            List<Path> files = images.stream().map(i -> out.resolve(i.path())).toList();
            var embedded = new EmbeddingPipeline(b, null, 64, 1).embed(files, null, null);
            if (!embedded.failures().isEmpty()) {
                throw new IOException(embedded.failures().getFirst().file() + ": " + embedded.failures().getFirst().problem());
            }
            NpyFile.writeMatrix(out.resolve("embeddings.npy"), embedded.embeddings());

            List<ProjectManifest.ClassEntry> classes = new ArrayList<>();
            int[] trainCount = new int[all.size()];
            for (int y : trainY) {
                trainCount[y]++;
            }
            for (int c = 0; c < all.size(); c++) {
                boolean isBase = c < baseClasses.size();
                classes.add(new ProjectManifest.ClassEntry(all.get(c), isBase ? ProjectManifest.BASE : ProjectManifest.NOVEL,
                        isBase ? 0 : 1 + (c - baseClasses.size()) / ways, isBase ? trainCount[c] : null));
            }
            ObjectNode provenance = JSON.createObjectNode();
            provenance.put("madeBy", "ProtoLens " + Version.protolens() + " make-sample");
            provenance.put("data", data.getFileName().toString());
            provenance.put("layout", dataset.layout());
            provenance.put("basePrototypes", "mean embedding over every training image of each base class");
            provenance.put("mapImages", mapImages + " held-out images per class, drawn with seed " + seed);
            provenance.put("shots", shots + " training images per novel class: draw 0 of fscil.json");
            provenance.put("backboneFingerprint", b.fingerprint());
            new ProjectManifest(ProjectManifest.FORMAT, 1, name, null, "backbone",
                    new ProjectManifest.Calibration(teen.alpha(), teen.tau()), classes, "base-prototypes.npy", "embeddings.npy",
                    images, provenance).write(out);
            fillReadme(table, sweepTable);
            err.printf(Locale.ROOT, "wrote %s: %d classes, %d images, base prototypes over %d training images%n", out,
                    all.size(), images.size(), Arrays.stream(trainCount, 0, baseClasses.size()).sum());
        }
        return 0;
    }

    private List<ProjectManifest.ImageEntry> writeImages(TrainingData dataset, int[] trainY, int[] testY,
                                                         Map<Integer, int[]> shotsOf, List<String> all) throws IOException {
        Path imagesDir = out.resolve("images");
        AtomicFiles.deleteTree(imagesDir);
        List<ProjectManifest.ImageEntry> entries = new ArrayList<>();
        Random rnd = new Random(seed);
        for (int c = 0; c < all.size(); c++) {
            Path classDir = imagesDir.resolve(folderName(all.get(c)));
            Files.createDirectories(classDir);
            final int cls = c;
            int[] rows = IntStream.range(0, testY.length).filter(r -> testY[r] == cls).toArray();
            for (int i = 0; i < Math.min(mapImages, rows.length); i++) {
                int j = i + rnd.nextInt(rows.length - i);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            int[] chosen = Arrays.copyOf(rows, Math.min(mapImages, rows.length));
            Arrays.sort(chosen);
            for (int r : chosen) {
                entries.add(new ProjectManifest.ImageEntry(write(dataset.heldOut(), r, classDir, "test"), all.get(c), false));
            }
            if (shotsOf.containsKey(c)) {
                for (int r : shotsOf.get(c)) {
                    entries.add(new ProjectManifest.ImageEntry(write(dataset.train(), r, classDir, "train"), all.get(c), true));
                }
            }
        }
        return entries;
    }

    /** Copies the image's file as it is, or writes a PNG of an image held inside a dataset file. */
    private String write(ImageDataset images, int row, Path classDir, String split) throws IOException {
        Path source = images.file(row);
        Path target;
        if (source != null) {
            target = classDir.resolve(split + "-" + source.getFileName());
            Files.copy(source, target);
        } else {
            // named by the image's index in the dataset's own file, so that it can be found there
            Matcher m = Pattern.compile("#(\\d+)$").matcher(images.source(row));
            int index = m.find() ? Integer.parseInt(m.group(1)) : row;
            target = classDir.resolve(String.format(Locale.ROOT, "%s-%05d.png", split, index));
            ImageDecoder.RgbImage img = images.image(row);
            boolean grey = Arrays.stream(img.rgb()).allMatch(p -> (p >> 16 & 0xFF) == (p & 0xFF) && (p >> 8 & 0xFF) == (p & 0xFF));
            BufferedImage bi = new BufferedImage(img.width(), img.height(),
                    grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            if (grey) {
                byte[] px = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
                for (int i = 0; i < px.length; i++) {
                    px[i] = (byte) img.rgb()[i];
                }
            } else {
                bi.setRGB(0, 0, img.width(), img.height(), img.rgb(), 0, img.width());
            }
            if (!ImageIO.write(bi, "png", target.toFile())) {
                throw new IOException(target + ": no PNG writer");
            }
        }
        return out.relativize(target).toString().replace('\\', '/');
    }

    private void fillReadme(String table, String sweepTable) throws IOException {
        Path readme = out.resolve("README.md");
        if (!Files.exists(readme)) {
            return;
        }
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf("<!-- fscil:start -->");
        int end = text.indexOf("<!-- fscil:end -->");
        if (start < 0 || end < start) {
            return;
        }
        String body = "<!-- fscil:start -->\n" + table + "\nHarmonic mean of the last session (%, mean over the same draws) "
                + "for other alpha (rows) and tau (columns):\n\n" + sweepTable;
        AtomicFiles.writeString(readme, text.substring(0, start) + body + text.substring(end));
    }

    /** A source inside the dataset folder relative to it, so that the report reads the same on any machine. */
    private String relativeSource(String source) {
        Path root = data.toAbsolutePath().normalize();
        try {
            Path p = Path.of(source).toAbsolutePath().normalize();
            return p.startsWith(root) ? root.relativize(p).toString().replace('\\', '/') : source;
        } catch (InvalidPathException e) {
            return source;
        }
    }

    static String folderName(String className) {
        return className.replaceAll("[^A-Za-z0-9._-]+", "-");
    }

    private static int[] labels(ImageDataset d) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.label(i);
        }
        return y;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        AtomicFiles.deleteTree(to);
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
