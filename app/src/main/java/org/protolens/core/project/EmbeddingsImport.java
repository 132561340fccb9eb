package org.protolens.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.io.JsonFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.ParquetEmbeddings;
import org.protolens.core.io.PathLines;

/**
 * Embeddings made elsewhere ({@code protolens embed}, a script, the Spark job's rows exported as
 * .npy) joining a project as imported images, as if the window had embedded them: refused when
 * another backbone made them, each row kept in the project's embedding cache under its file's
 * SHA-256 (so that the project opens with it, and can embed the file again if the cache is lost),
 * and applied as one import (one step to undo in the window), stored in the catalog with its name in
 * the edit log. Labels of classes the project does not have make base classes of their images.
 * <p>The files: {@code X.npy} (one row per image), {@code X.paths.txt} (its images, in row order),
 * {@code X.json} (the backbone that made them) and, where any image is labelled, {@code X.labels.csv}
 * ({@code path,label}), as {@code protolens embed}, the Spark job's {@code --npy} and the window's
 * File > Export > Embeddings write them.
 */
public final class EmbeddingsImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_FILE = "job.json";

    private EmbeddingsImport() {
    }

    /**
     * Rows that another backbone made than the project's: they can only go into a project of that
     * backbone (which the person may create for them).
     */
    public static final class OtherBackboneException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String fingerprint;

        OtherBackboneException(String message, String fingerprint) {
            super(message);
            this.fingerprint = fingerprint;
        }

        /** The fingerprint of the backbone that made the rows. */
        public String fingerprint() {
            return fingerprint;
        }
    }

    /** What an import did: how many images joined, and each row left out with why. */
    public record Result(int added, List<String> skipped, String edit) {
    }

    /**
     * The text of {@code X.json} beside {@code X.npy}: which backbone made the rows, so that they are
     * never mixed with another backbone's ({@link #fingerprintBeside} reads it).
     */
    public static String describe(String backbone, String fingerprint, int dim, int rows) {
        return JSON.createObjectNode()
                .put("format", "protolens-embeddings")
                .put("version", 1)
                .put("backbone", backbone)
                .put("fingerprint", fingerprint)
                .put("dim", dim)
                .put("rows", rows)
                .toPrettyString() + "\n";
    }

    /**
     * The text of {@code X.labels.csv}: a {@code path,label} row for each labelled image (a null label:
     * none), in the order given; a header alone when none is labelled.
     */
    public static String labelsText(List<String> paths, List<String> labels) {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setHeader("path", "label").get())) {
            for (int i = 0; i < paths.size(); i++) {
                if (labels.get(i) != null) {
                    csv.printRecord(paths.get(i), labels.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** {@code X.json} for {@code X.npy}. */
    public static Path besides(Path npy) {
        return npy.resolveSibling(stem(npy) + ".json");
    }

    /**
     * The backbone fingerprint written beside {@code X.npy} in {@code X.json} (as {@code protolens
     * embed} writes it), or null when there is no such file.
     *
     * @throws IOException naming the file when it is there but unreadable
     */
    public static String fingerprintBeside(Path npy) throws IOException {
        Path about = besides(npy);
        if (!Files.isRegularFile(about)) {
            return null;
        }
        JsonNode n = JsonFiles.readTree(about);
        String fp = n == null ? null : n.path("fingerprint").asText(null);
        if (fp == null || fp.isBlank()) {
            throw new IOException(about + ": names no \"fingerprint\" of the backbone that made " + npy.getFileName());
        }
        return fp;
    }

    /** {@code X.paths.txt} for {@code X.npy}: the images, one per row. */
    public static Path pathsBeside(Path npy) {
        return npy.resolveSibling(stem(npy) + ".paths.txt");
    }

    /** {@code X.labels.csv} for {@code X.npy}: {@code path,label} rows for the labelled images, where there are any. */
    public static Path labelsBeside(Path npy) {
        return npy.resolveSibling(stem(npy) + ".labels.csv");
    }

    private static String stem(Path npy) {
        String name = npy.getFileName().toString();
        return name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    }

    /**
     * Rows to import as read from their files.
     *
     * @param origin      the file or folder the rows came from, for messages
     * @param files       one per row: absolute, normalised paths
     * @param labels      a label for some files (absolute, normalised paths)
     * @param fingerprint the fingerprint of the backbone that made the rows
     * @param sha256      per row, the SHA-256 (hex) of the bytes its embedding was made from (a null entry: not known), or null
     *                    when the source does not say; a file whose bytes differ now is left out
     * @param leftOut     rows of the source that are not among {@code rows}, each with why (an image not on this computer)
     */
    public record Source(Path origin, FloatMatrix rows, List<Path> files, Map<Path, String> labels, String fingerprint,
                         List<String> sha256, List<String> leftOut) {
        /** Rows without known hashes, all of whose images are named by local paths. */
        public Source(Path origin, FloatMatrix rows, List<Path> files, Map<Path, String> labels, String fingerprint) {
            this(origin, rows, files, labels, fingerprint, null, List.of());
        }
    }

    /**
     * Reads {@code X.npy} with its paths, labels and backbone fingerprint, each from the file beside
     * it unless given: {@code X.paths.txt}, {@code X.labels.csv} (if there is one) and {@code X.json}.
     *
     * @param paths       the paths file, or null for {@code X.paths.txt}
     * @param labels      a labels CSV, or null for {@code X.labels.csv} where it exists
     * @param fingerprint the backbone's fingerprint, or null for the one {@code X.json} names
     * @throws IOException naming the file and the problem: a file missing or unreadable, rows and paths that do not pair up
     */
    public static Source read(Path npy, Path paths, Path labels, String fingerprint) throws IOException {
        String made = fingerprint != null ? fingerprint : fingerprintBeside(npy);
        if (made == null) {
            throw new IOException(npy + ": which backbone made these rows is not known (" + besides(npy).getFileName()
                    + " is missing); give the backbone's fingerprint, so that another backbone's embeddings are never mixed into"
                    + " a project");
        }
        Path pathsFile = paths != null ? paths : pathsBeside(npy);
        if (!Files.isRegularFile(pathsFile)) {
            throw new IOException(npy + ": the images of its rows are not listed (" + pathsFile.getFileName() + " is missing)");
        }
        FloatMatrix rows = NpyFile.readMatrix(npy);
        List<Path> files = new ArrayList<>();
        for (String line : PathLines.read(pathsFile)) {
            try {
                files.add(Path.of(line).toAbsolutePath().normalize());
            } catch (InvalidPathException e) {
                throw new IOException(pathsFile + ": not a path on this system: " + line);
            }
        }
        if (rows.rows() != files.size()) {
            throw new IOException(npy + ": " + rows.rows() + " rows for " + files.size() + " image paths in " + pathsFile.getFileName());
        }
        Path labelsFile = labels != null ? labels : labelsBeside(npy);
        Map<Path, String> byFile = labels != null || Files.isRegularFile(labelsFile) ? readLabels(labelsFile) : Map.of();
        return new Source(npy, rows, List.copyOf(files), byFile, made);
    }

    /** {@code path,label} rows (the app's labels export); paths relative to the CSV's folder or absolute; blank labels left out. */
    public static Map<Path, String> readLabels(Path csv) throws IOException {
        Map<Path, String> out = new HashMap<>();
        List<String> columns = null;
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            if (!parser.getHeaderMap().containsKey("path") || !parser.getHeaderMap().containsKey("label")) {
                columns = parser.getHeaderNames();
            } else {
                Path folder = csv.toAbsolutePath().getParent();
                for (CSVRecord r : parser) {
                    String label = r.get("label");
                    if (label != null && !label.isBlank()) {
                        out.put(folder.resolve(r.get("path")).normalize(), label.strip());
                    }
                }
            }
        } catch (CharacterCodingException e) {
            throw new IOException(csv + ": not UTF-8 text (" + e + ")");
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // a malformed row or header, or a path this system cannot name
            throw new IOException(csv + ": not a CSV ProtoLens can read (" + e.getMessage() + ")");
        }
        if (columns != null) {
            throw new IOException(csv + ": needs the columns path and label (it has " + columns + ")");
        }
        return out;
    }

    /**
     * Whether the project in {@code projectDir} has the backbone that made rows of {@code fingerprint}
     * (so that a project made from it takes them); false when its backbone cannot be read.
     */
    public static boolean hasBackbone(Path projectDir, String fingerprint) {
        try {
            return fingerprint.equals(BackboneLoader.fingerprintOf(projectDir.resolve(ProjectManifest.read(projectDir).backbone())));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** How the rows chosen are named to the person: a Spark job's output by its folder, not by its job.json; else the file's name. */
    public static String nameOf(Path chosen) {
        Path named = chosen.getFileName() != null && chosen.getFileName().toString().equalsIgnoreCase(JOB_FILE)
                && chosen.getParent() != null ? chosen.getParent() : chosen;
        return String.valueOf(named.getFileName());
    }

    /** Whether {@code chosen} names Parquet rows (a .parquet file, a Spark job's output folder or its job.json) rather than X.npy. */
    public static boolean isParquet(Path chosen) {
        String name = String.valueOf(chosen.getFileName()).toLowerCase(Locale.ROOT);
        return !name.endsWith(".npy");
    }

    /**
     * Reads what the person chose: {@code X.npy} with the files beside it, or Parquet rows
     * ({@link #readParquet}).
     *
     * @param imagesRoot where the images of Parquet rows are on this computer (below it, each row's
     *                   {@code relative_path}), or null to take each row's path as written
     */
    public static Source read(Path chosen, Path imagesRoot) throws IOException {
        return isParquet(chosen) ? readParquet(chosen, imagesRoot, null, null) : read(chosen, null, null, null);
    }

    /**
     * The Parquet files of {@code chosen}: a Spark job's output folder (its {@code embeddings/}), its
     * {@code job.json}, a folder of {@code .parquet} parts, or one {@code .parquet} file (with the
     * other parts of its folder when Spark wrote it: a {@code _SUCCESS} marker beside it).
     *
     * @throws IOException naming {@code chosen} when it holds no Parquet file
     */
    public static List<Path> parquetParts(Path chosen) throws IOException {
        Path folder = chosen;
        if (Files.isRegularFile(chosen)) {
            if (chosen.getFileName().toString().equalsIgnoreCase(JOB_FILE)) {
                folder = chosen.resolveSibling("embeddings");
            } else if (!Files.exists(chosen.resolveSibling("_SUCCESS"))) {
                return List.of(chosen);
            } else {
                folder = chosen.getParent();
            }
        } else if (Files.isDirectory(chosen.resolve("embeddings"))) {
            folder = chosen.resolve("embeddings");
        }
        List<Path> parts = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (var list = Files.list(folder)) {
                list.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")
                        && !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)).sorted().forEach(parts::add);
            }
        }
        if (parts.isEmpty()) {
            throw new IOException(chosen + ": no Parquet file there (a Spark job's output has them in embeddings/)");
        }
        return parts;
    }

    /**
     * The collection's root as the Spark job that wrote {@code chosen} saw it ({@code images_root}
     * in its {@code job.json}) when that is not a folder on this computer, so that the person can say
     * where the images are here; null when the rows' paths can be taken as written.
     */
    public static String remoteImagesRoot(Path chosen) throws IOException {
        Path job = jobFileOf(chosen);
        if (job == null) {
            return null;
        }
        JsonNode n = JsonFiles.readTree(job);
        String root = n == null ? null : n.path("images_root").asText(null);
        if (root == null || root.isBlank()) {
            return null;
        }
        Path local = localPath(root);
        return local != null && Files.isDirectory(local) ? null : root;
    }

    private static Path jobFileOf(Path chosen) {
        Path folder = Files.isDirectory(chosen) ? chosen : chosen.toAbsolutePath().getParent();
        Path here = folder.resolve(JOB_FILE);
        if (Files.isRegularFile(here)) {
            return here;
        }
        Path above = folder.getParent() == null ? null : folder.getParent().resolve(JOB_FILE);
        return above != null && Files.isRegularFile(above) ? above : null;
    }

    /**
     * Reads Parquet rows ({@link ParquetEmbeddings}): the Spark job's output, or any table with a path
     * and an embedding column. The backbone's fingerprint comes from the rows' {@code backbone} column
     * or the job's {@code job.json}; labels from the {@code label} column unless a CSV is given. Rows
     * whose image is not on this computer (a cluster's path, and no {@code imagesRoot}) are left out
     * with why; each row's {@code sha256}, where written, is checked against the file when it is read.
     *
     * @param imagesRoot  where the images are here: each row's {@code relative_path} below it; null: the paths as written
     * @param labels      a labels CSV instead of the rows' label column, or null
     * @param fingerprint the backbone's fingerprint where the rows do not say it, or null
     * @throws IOException naming the file and the problem
     */
    public static Source readParquet(Path chosen, Path imagesRoot, Path labels, String fingerprint) throws IOException {
        ParquetEmbeddings.Table t = ParquetEmbeddings.read(parquetParts(chosen));
        String made = fingerprint != null ? fingerprint : fingerprintOf(chosen, t);
        if (imagesRoot != null && t.relativePaths() == null) {
            throw new IOException(chosen + ": its rows have no relative_path column, so they cannot be found below " + imagesRoot);
        }
        Path root = imagesRoot == null ? null : imagesRoot.toAbsolutePath().normalize();
        List<Integer> kept = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<String> sha = t.sha256() == null ? null : new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        Map<Path, String> byFile = new HashMap<>();
        for (int i = 0; i < t.paths().size(); i++) {
            String written = t.paths().get(i);
            Path file = root != null ? below(root, t.relativePaths().get(i)) : localPath(written);
            if (file == null) {
                leftOut.add(written + (root != null ? ": its relative path (" + t.relativePaths().get(i) + ") leads outside " + root
                        : ": not a file on this computer; say where the job's images are here"));
                continue;
            }
            kept.add(i);
            files.add(file);
            if (sha != null) {
                sha.add(t.sha256().get(i));
            }
            String label = t.labels() == null ? null : t.labels().get(i);
            if (label != null && !label.isBlank()) {
                byFile.put(file, label.strip());
            }
        }
        FloatMatrix rows = kept.size() == t.paths().size() ? t.embeddings()
                : t.embeddings().selectRows(kept.stream().mapToInt(Integer::intValue).toArray());
        return new Source(chosen, rows, List.copyOf(files), labels != null ? readLabels(labels) : byFile, made,
                sha == null ? null : Collections.unmodifiableList(sha), List.copyOf(leftOut));
    }

    private static String fingerprintOf(Path chosen, ParquetEmbeddings.Table t) throws IOException {
        if (t.backbones() != null) {
            Set<String> seen = new HashSet<>(t.backbones());
            seen.remove(null);
            if (seen.size() > 1) {
                throw new IOException(chosen + ": rows made by " + seen.size() + " backbones (fingerprints "
                        + seen.stream().map(EmbeddingsImport::abbreviated).sorted().toList() + "); a project takes one backbone's rows");
            }
            if (seen.size() == 1) {
                return seen.iterator().next();
            }
        }
        Path job = jobFileOf(chosen);
        JsonNode n = job == null ? null : JsonFiles.readTree(job);
        String fp = n == null ? null : n.path("fingerprint").asText(null);
        if (fp == null || fp.isBlank()) {
            throw new IOException(chosen + ": which backbone made these rows is not known (no backbone column, no job.json naming"
                    + " its fingerprint); give the backbone's fingerprint, so that another backbone's embeddings are never mixed into"
                    + " a project");
        }
        return fp;
    }

    /**
     * A path as the Spark job (Hadoop) or a script wrote it, on this computer: {@code file:/x}, {@code file:///x} or a plain
     * path; null for another file system's ({@code hdfs://}, {@code s3a://}, ...) or what this system cannot name.
     */
    static Path localPath(String written) {
        String p = written;
        if (p.regionMatches(true, 0, "file:", 0, 5)) {
            p = p.substring(5);
            if (p.startsWith("//")) {
                int slash = p.indexOf('/', 2);
                if (slash < 0) {
                    return null;
                }
                String host = p.substring(2, slash);
                if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                    return null;
                }
                p = p.substring(slash);
            }
            if (p.matches("/[A-Za-z]:[/\\\\].*")) {
                p = p.substring(1); // file:/C:/x on Windows
            }
        } else if (p.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            return null;
        }
        try {
            Path path = Path.of(p);
            return path.isAbsolute() ? path.normalize() : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Path below(Path root, String relative) {
        if (relative == null || relative.isBlank()) {
            return null;
        }
        try {
            Path p = root.resolve(relative).normalize();
            return p.startsWith(root) && !p.equals(root) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * What joins the project: the images not in it yet whose files can be read, each with its row
     * (now kept in the project's cache), label and SHA-256; the rows left out, each with why.
     */
    public record Prepared(List<ImportPlan.Item> items, List<byte[]> sha256, FloatMatrix rows, List<String> skipped) {
        /**
         * Without the images that joined {@code now} since this was prepared (another import
         * finished in the meantime): they are left out as in the project already.
         */
        public Prepared notIn(WorkspaceState now) {
            Set<String> present = new HashSet<>(now.imagePaths());
            List<Integer> keep = new ArrayList<>();
            List<String> left = new ArrayList<>(skipped);
            for (int i = 0; i < items.size(); i++) {
                if (present.contains(Workspace.storedPath(now.dir(), items.get(i).file()))) {
                    left.add(items.get(i).file() + ": in the project already");
                } else {
                    keep.add(i);
                }
            }
            if (keep.size() == items.size()) {
                return this;
            }
            return new Prepared(keep.stream().map(items::get).toList(), keep.stream().map(sha256::get).toList(),
                    rows.selectRows(keep.stream().mapToInt(Integer::intValue).toArray()), List.copyOf(left));
        }
    }

    /**
     * Checks {@code source} against the project as it is ({@code state}) and hashes each file (in
     * the calling thread; the background in the window), keeping its row in the project's cache.
     *
     * @param progress  told after each file (done, total)
     * @param cancelled asked between files; when it says so, {@link CancellationException}
     * @throws IOException naming the source when the rows do not fit the project or another backbone made them
     */
    public static Prepared prepare(OpenProject p, WorkspaceState state, Source source, BiConsumer<Integer, Integer> progress,
                                   BooleanSupplier cancelled) throws IOException {
        FloatMatrix rows = source.rows();
        List<Path> files = source.files();
        // another backbone first: rows of another size are another backbone's too, and go into a project of it
        String own = BackboneLoader.fingerprintOf(state.backboneDir());
        if (!own.equals(source.fingerprint())) {
            throw new OtherBackboneException(source.origin() + ": made by another backbone (fingerprint "
                    + abbreviated(source.fingerprint()) + ", this project's is " + abbreviated(own)
                    + "); embeddings of two backbones cannot be compared: make a project of that backbone for these",
                    source.fingerprint());
        }
        if (rows.cols() != state.dim()) {
            throw new IOException(source.origin() + ": rows of " + rows.cols() + " dimensions; this project's backbone makes "
                    + state.dim());
        }
        Set<String> present = new HashSet<>(state.imagePaths());
        List<ImportPlan.Item> items = new ArrayList<>();
        List<byte[]> sha = new ArrayList<>();
        List<Integer> taken = new ArrayList<>();
        List<String> skipped = new ArrayList<>(source.leftOut());
        for (int i = 0; i < files.size(); i++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            Path file = files.get(i);
            if (!present.add(Workspace.storedPath(state.dir(), file))) {
                skipped.add(file + ": in the project already");
            } else {
                byte[] key = EmbeddingPipeline.sha256Of(file);
                String expected = source.sha256() == null ? null : source.sha256().get(i);
                if (key == null) {
                    skipped.add(file + ": cannot be read; the project keeps an image only with its file (to embed it again if need be)");
                } else if (expected != null && !expected.equalsIgnoreCase(HexFormat.of().formatHex(key))) {
                    skipped.add(file + ": changed since it was embedded (its bytes are not the ones its row was made from)");
                } else {
                    p.cache().put(key, rows.row(i));
                    String label = source.labels().get(file);
                    Workspace.Kind kind = label == null ? null : state.classNames().contains(label)
                            ? state.kind(state.classNames().indexOf(label)) : Workspace.Kind.BASE;
                    items.add(new ImportPlan.Item(file, label, kind, false));
                    sha.add(key);
                    taken.add(i);
                }
            }
            progress.accept(i + 1, files.size());
        }
        return new Prepared(List.copyOf(items), List.copyOf(sha), rows.selectRows(taken.stream().mapToInt(Integer::intValue).toArray()),
                List.copyOf(skipped));
    }

    /**
     * Adds the rows of {@code source} to the open project {@code p} (no window showing it) and stores it.
     *
     * @throws IOException naming the source when the rows do not fit the project or another backbone made them
     */
    public static Result apply(OpenProject p, Source source) throws IOException {
        Workspace w = p.workspace();
        Prepared prepared = prepare(p, w.state(), source, (done, total) -> { }, () -> false);
        if (prepared.items().isEmpty()) {
            return new Result(0, prepared.skipped(), null);
        }
        History h = new History(w);
        h.apply(History.importBatch(new Object(), prepared.items(), prepared.sha256(), prepared.rows()));
        String edit = h.nextUndo().description();
        p.save(edit);
        return new Result(prepared.items().size(), prepared.skipped(), edit);
    }

    private static String abbreviated(String fingerprint) {
        return fingerprint == null ? "none" : fingerprint.length() > 12 ? fingerprint.substring(0, 12) + "…" : fingerprint;
    }
}
