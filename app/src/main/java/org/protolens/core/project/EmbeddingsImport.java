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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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

    private EmbeddingsImport() {
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
     * @param npy         the file the rows came from, for messages
     * @param files       one per row: absolute, normalised paths
     * @param labels      a label for some files (absolute, normalised paths)
     * @param fingerprint the fingerprint of the backbone that made the rows
     */
    public record Source(Path npy, FloatMatrix rows, List<Path> files, Map<Path, String> labels, String fingerprint) {
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
        if (rows.cols() != state.dim()) {
            throw new IOException(source.npy() + ": rows of " + rows.cols() + " dimensions; this project's backbone makes " + state.dim());
        }
        String own = BackboneLoader.fingerprintOf(state.backboneDir());
        if (!own.equals(source.fingerprint())) {
            throw new IOException(source.npy() + ": made by another backbone (fingerprint " + abbreviated(source.fingerprint())
                    + ", this project's is " + abbreviated(own) + "); embeddings of two backbones cannot be compared: make a project"
                    + " for these");
        }
        Set<String> present = new HashSet<>(state.imagePaths());
        List<ImportPlan.Item> items = new ArrayList<>();
        List<byte[]> sha = new ArrayList<>();
        List<Integer> taken = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            Path file = files.get(i);
            if (!present.add(Workspace.storedPath(state.dir(), file))) {
                skipped.add(file + ": in the project already");
            } else {
                byte[] key = EmbeddingPipeline.sha256Of(file);
                if (key == null) {
                    skipped.add(file + ": cannot be read; the project keeps an image only with its file (to embed it again if need be)");
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
