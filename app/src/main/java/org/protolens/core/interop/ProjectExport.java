package org.protolens.core.interop;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.protolens.core.FloatMatrix;
import org.protolens.core.analysis.SessionTable;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.FolderFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.TeenCalibration;

/**
 * What a project gives to the next tool: labels as CSV, embeddings as .npy with their paths,
 * prototypes raw and calibrated as .npy and CSV; and labels read back from CSV, checked as a whole.
 */
public final class ProjectExport {
    private ProjectExport() {
    }

    /** {@code path,label,predicted,score}: every image, its absolute path, label (empty: none), prediction and cosine. */
    public static void writeLabels(WorkspaceState w, Path file) throws IOException {
        List<String> names = w.classNames();
        int[] predicted = w.predictedClasses();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("path", "label", "predicted", "score").get())) {
            for (int i = 0; i < w.imageCount(); i++) {
                int p = predicted[i];
                csv.printRecord(w.imageFile(i).toAbsolutePath().normalize(), w.label(i) < 0 ? "" : names.get(w.label(i)),
                        p < 0 ? "" : names.get(p), p < 0 ? "" : String.format(Locale.ROOT, "%.6f", w.score(i)));
            }
        }
    }

    /**
     * The session table as CSV: one row per session with the classes it adds, acc, acc_base,
     * acc_novel and the harmonic mean in percent (pooled over images) before calibration (_raw)
     * and now, the share of new-class images predicted as base, the calibration it was measured
     * at, then the same accuracies as class means (class_mean_*, TEEN's measure).
     */
    public static void writeSessions(SessionTable.Result r, TeenCalibration calibration, boolean calibrationOn, Path file)
            throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("session", "classes", "added",
                        "acc_raw", "acc_base_raw", "acc_novel_raw", "hm_raw", "novel_to_base_raw",
                        "acc", "acc_base", "acc_novel", "hm", "novel_to_base", "alpha", "tau", "calibration",
                        "class_mean_acc_raw", "class_mean_acc_base_raw", "class_mean_acc_novel_raw", "class_mean_hm_raw",
                        "class_mean_acc", "class_mean_acc_base", "class_mean_acc_novel", "class_mean_hm").get())) {
            for (int s = 0; s < r.raw().size(); s++) {
                var a = r.raw().get(s);
                var c = r.now().get(s);
                csv.printRecord(a.session(), a.classes(), String.join(";", r.classesBySession().get(s)),
                        pct(a.acc()), pct(a.accBase()), pct(a.accNovel()), pct(a.hm()), pct(a.novelToBase()),
                        pct(c.acc()), pct(c.accBase()), pct(c.accNovel()), pct(c.hm()), pct(c.novelToBase()),
                        calibration.alpha(), calibration.tau(), calibrationOn ? "on" : "off",
                        pct(a.classMeanAcc()), pct(a.classMeanAccBase()), pct(a.classMeanAccNovel()), pct(a.classMeanHm()),
                        pct(c.classMeanAcc()), pct(c.classMeanAccBase()), pct(c.classMeanAccNovel()), pct(c.classMeanHm()));
            }
        }
    }

    /**
     * Which file goes where in a folder per class: class name -> image files, in image order; for
     * images imported from outside the project folder, the SHA-256 their bytes had when imported
     * (a catalog can name any path: only the file the person imported is copied).
     */
    public record FolderPlan(Map<String, List<Path>> byClass, Map<Path, byte[]> importedSha256) {
    }

    /** The labelled images of every class (shots included), read at once. */
    public static FolderPlan labelFolders(WorkspaceState w) {
        Map<String, List<Path>> byClass = new LinkedHashMap<>();
        Map<Path, byte[]> sha = new HashMap<>();
        for (String name : w.classNames()) {
            byClass.put(name, new ArrayList<>());
        }
        Path project = w.dir().toAbsolutePath().normalize();
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.label(i) >= 0) {
                Path file = w.imageFile(i).toAbsolutePath().normalize();
                byClass.get(w.classNames().get(w.label(i))).add(file);
                if (i >= w.projectImageCount() && !file.startsWith(project)) {
                    byte[] h = w.imported().get(i - w.projectImageCount()).sha256();
                    if (h != null) {
                        sha.put(file, h);
                    }
                }
            }
        }
        byClass.values().removeIf(List::isEmpty);
        return new FolderPlan(byClass, sha);
    }

    /**
     * Writes an ImageNet-style tree into {@code dir} (new or empty): {@code dir/CLASS/FILE}, the
     * class name made safe as a folder name, a file name met twice in one class numbered. Copies
     * the images, or links to them ({@code links}).
     *
     * <p>An image imported from outside the project whose bytes are no longer those imported
     * (moved, edited, or a catalog that names another file) is left out, as is an image whose file
     * is missing; the rest is written, then an IOException names each file left out.
     *
     * @return how many images were written
     * @throws IOException naming the folder when it is not empty, the file that failed, or the files left out
     */
    public static int writeLabelFolders(FolderPlan plan, Path dir, boolean links) throws IOException {
        if (Files.exists(dir) && !OpenProject.isEmptyFolder(dir)) {
            throw new IOException(dir + " is not empty: choose a new or empty folder");
        }
        Files.createDirectories(dir);
        int written = 0;
        List<String> leftOut = new ArrayList<>();
        Set<String> folders = new HashSet<>();
        for (var e : plan.byClass().entrySet()) {
            String folder = FolderFiles.folderName(e.getKey());
            for (int n = 2; !folders.add(folder.toLowerCase(Locale.ROOT)); n++) {
                folder = FolderFiles.folderName(e.getKey()) + "-" + n;
            }
            Path classDir = Files.createDirectories(dir.resolve(folder));
            Set<String> names = new HashSet<>();
            for (Path image : e.getValue()) {
                byte[] expected = plan.importedSha256().get(image);
                if (expected != null && !Arrays.equals(expected, EmbeddingPipeline.sha256Of(image))) {
                    leftOut.add(image + ": is not the image imported into the project (its SHA-256 differs, or it is gone); "
                            + "left out");
                    continue;
                }
                if (expected == null && !Files.exists(image)) {
                    leftOut.add(image + ": the file is missing; left out");
                    continue;
                }
                String name = image.getFileName().toString();
                String unique = name;
                for (int n = 2; !names.add(unique); n++) {
                    int dot = name.lastIndexOf('.');
                    unique = dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
                }
                Path to = classDir.resolve(unique);
                try {
                    if (links) {
                        Files.createSymbolicLink(to, image);
                    } else {
                        Files.copy(image, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                } catch (IOException | UnsupportedOperationException ex) {
                    throw new IOException(image + ": cannot " + (links ? "link" : "copy") + " it to " + to + " (" + ex + ")", ex);
                }
                written++;
            }
        }
        if (!leftOut.isEmpty()) {
            throw new IOException(written + " images written to " + dir + "; " + leftOut.size() + " left out: "
                    + String.join("; ", leftOut));
        }
        return written;
    }

    private static String pct(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    /**
     * {@code OUT.npy} (images x d, float32, in image order), {@code OUT.paths.txt} (one absolute
     * path per row, see {@link PathLines}), {@code OUT.json} (the backbone that made them) and
     * {@code OUT.labels.csv} ({@code path,label} for the labelled images, a header alone when none is): what File > Import
     * Embeddings and {@code protolens import-embeddings} take into another project of the same backbone.
     */
    public static void writeEmbeddings(WorkspaceState w, Path npy) throws IOException {
        NpyFile.writeMatrix(npy, w.embeddings());
        List<String> paths = new ArrayList<>(w.imageCount());
        for (int i = 0; i < w.imageCount(); i++) {
            paths.add(w.imageFile(i).toAbsolutePath().normalize().toString());
        }
        PathLines.write(EmbeddingsImport.pathsBeside(npy), paths);
        AtomicFiles.writeString(EmbeddingsImport.besides(npy), EmbeddingsImport.describe(w.backboneDir().toString(),
                BackboneLoader.fingerprintOf(w.backboneDir()), w.dim(), w.imageCount()));
        List<String> labels = new ArrayList<>(w.imageCount());
        for (int i = 0; i < w.imageCount(); i++) {
            labels.add(w.label(i) < 0 ? null : w.classNames().get(w.label(i)));
        }
        AtomicFiles.writeString(EmbeddingsImport.labelsBeside(npy), EmbeddingsImport.labelsText(paths, labels));
    }

    /**
     * {@code PREFIX-raw.npy} and {@code PREFIX-calibrated.npy} (classes x d, class order), and
     * {@code PREFIX.csv}: {@code class,kind,prototype,d0,...} with a raw and a calibrated row per class.
     */
    public static void writePrototypes(WorkspaceState w, Path prefix) throws IOException {
        int c = w.classNames().size();
        int d = w.dim();
        float[] raw = new float[c * d];
        float[] calibrated = new float[c * d];
        for (int k = 0; k < c; k++) {
            System.arraycopy(w.rawPrototype(k), 0, raw, k * d, d);
            System.arraycopy(w.prototype(k), 0, calibrated, k * d, d);
        }
        NpyFile.writeMatrix(prefix.resolveSibling(prefix.getFileName() + "-raw.npy"), new FloatMatrix(c, d, raw));
        NpyFile.writeMatrix(prefix.resolveSibling(prefix.getFileName() + "-calibrated.npy"), new FloatMatrix(c, d, calibrated));
        List<String> header = new ArrayList<>(List.of("class", "kind", "prototype"));
        for (int j = 0; j < d; j++) {
            header.add("d" + j);
        }
        try (Writer out = Files.newBufferedWriter(prefix.resolveSibling(prefix.getFileName() + ".csv"), StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (int k = 0; k < c; k++) {
                for (boolean cal : new boolean[] {false, true}) {
                    List<Object> row = new ArrayList<>(List.of(w.classNames().get(k), w.isBase(k) ? "base" : "novel",
                            cal ? "calibrated" : "raw"));
                    float[] v = cal ? w.prototype(k) : w.rawPrototype(k);
                    for (float x : v) {
                        row.add(x);
                    }
                    csv.printRecord(row);
                }
            }
        }
    }

    /** Labels read from a CSV file: image indices and their class indices (-1: unlabelled). */
    public record Labels(int[] images, int[] labels) {
    }

    /** A labels file that cannot be applied: every problem, each naming the file and line. */
    public static final class LabelsException extends IOException {
        private final List<String> problems;

        LabelsException(List<String> problems) {
            super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ": " + problems.getFirst());
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /**
     * Reads {@code path,label} rows (a header row is optional; more columns, as written by
     * {@link #writeLabels}, are ignored). A path is matched absolute, or relative to the project.
     * An empty label makes the image unlabelled. Unknown paths, unknown classes, shots and
     * malformed rows are all reported at once, and then nothing is applied.
     */
    public static Labels readLabels(WorkspaceState w, Path file) throws IOException {
        Map<Path, Integer> byPath = new HashMap<>();
        for (int i = 0; i < w.imageCount(); i++) {
            byPath.put(w.imageFile(i).toAbsolutePath().normalize(), i);
        }
        List<String> problems = new ArrayList<>();
        Map<Integer, Integer> assigned = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser csv = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get())) {
            for (CSVRecord r : csv) {
                String where = file + ":" + r.getRecordNumber();
                if (r.getRecordNumber() == 1 && r.size() >= 2 && r.get(0).equalsIgnoreCase("path") && r.get(1).equalsIgnoreCase("label")) {
                    continue;
                }
                if (r.size() < 2 || r.get(0).isEmpty()) {
                    problems.add(where + ": expected path,label, found " + r.size() + (r.size() == 1 ? " column" : " columns"));
                    continue;
                }
                Integer image;
                try {
                    Path p = Path.of(r.get(0));
                    image = byPath.get((p.isAbsolute() ? p : w.dir().resolve(p)).toAbsolutePath().normalize());
                } catch (InvalidPathException e) {
                    image = null;
                }
                if (image == null) {
                    problems.add(where + ": " + r.get(0) + " is no image of the project");
                    continue;
                }
                String label = r.get(1);
                int k = label.isEmpty() ? -1 : w.classNames().indexOf(label);
                if (!label.isEmpty() && k < 0) {
                    problems.add(where + ": the project has no class \"" + label + "\"");
                    continue;
                }
                if (w.isShot(image)) {
                    if (k != w.label(image)) {
                        problems.add(where + ": " + r.get(0) + " is a shot of \"" + w.classNames().get(w.label(image))
                                + "\"; take it out of the shots before labelling it otherwise");
                    }
                    continue;
                }
                Integer earlier = assigned.put(image, k);
                if (earlier != null && earlier != k) {
                    problems.add(where + ": " + r.get(0) + " is listed again with another label");
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            problems.add(file + ": not readable as CSV (" + e.getMessage() + ")");
        } catch (CharacterCodingException e) {
            problems.add(file + ": not UTF-8 text (" + e + ")");
        }
        if (!problems.isEmpty()) {
            throw new LabelsException(problems);
        }
        return new Labels(assigned.keySet().stream().mapToInt(Integer::intValue).toArray(),
                assigned.values().stream().mapToInt(Integer::intValue).toArray());
    }
}
