package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingCache;

/**
 * An open project: its workspace, restored from and saved to its catalog, and the embedding cache
 * that holds the embeddings of imported images ({@code embedding-cache/} in the project folder).
 */
public final class ProjectSession implements AutoCloseable {
    public static final String CACHE_FOLDER = "embedding-cache";
    /**
     * The file in every project folder that desktops associate with ProtoLens: double-clicking it
     * opens its folder. It holds no project data (that is project.json and the catalog).
     */
    public static final String PROJECT_FILE = "project.protolens";
    public static final String PROJECT_FILE_EXTENSION = ".protolens";

    private final Workspace workspace;
    private final ProjectCatalog catalog;
    private final EmbeddingCache cache;
    private final List<String> problems;

    private ProjectSession(Workspace workspace, ProjectCatalog catalog, EmbeddingCache cache, List<String> problems) {
        this.workspace = workspace;
        this.catalog = catalog;
        this.cache = cache;
        this.problems = problems;
    }

    /**
     * Opens the project folder {@code dir}: the images and base prototypes from project.json, the
     * classes, labels, shots, imported images and settings from catalog.db (created on first open),
     * the imported images' embeddings from the embedding cache.
     *
     * @throws IOException naming the file and the problem; an imported image whose embedding is
     *                     not in the cache is reported with its path
     */
    public static ProjectSession open(Path dir) throws IOException {
        Workspace w = Workspace.open(dir);
        List<String> problems = new ArrayList<>();
        EmbeddingCache cache = EmbeddingCache.open(dir.resolve(CACHE_FOLDER),
                BackboneLoader.fingerprintOf(dir.resolve(w.manifest().backbone())), w.dim());
        ProjectCatalog c;
        try {
            c = ProjectCatalog.open(dir);
        } catch (IOException e) {
            cache.close();
            throw e;
        }
        try {
            ProjectCatalog.Snapshot s = c.read(w.imageCount());
            if (s == null) {
                c.write(w.snapshot(null));
            } else {
                // an imported image whose embedding the cache lost is left out (and said so); the rest opens
                int project = s.labels().length - s.imported().size();
                List<Integer> keep = new ArrayList<>();
                List<float[]> rows = new ArrayList<>();
                for (int i = 0; i < s.labels().length; i++) {
                    if (i < project) {
                        keep.add(i);
                        continue;
                    }
                    Workspace.ImportedImage im = s.imported().get(i - project);
                    float[] e = cache.get(im.sha256());
                    if (e == null) {
                        problems.add(im.path() + ": its embedding is missing from " + cache.folder() + "; import it again");
                    } else {
                        keep.add(i);
                        rows.add(e);
                    }
                }
                if (keep.size() < s.labels().length) {
                    s = keepOnly(s, keep, project);
                }
                w.restore(s, rows.isEmpty() ? new FloatMatrix(0, w.dim(), new float[0]) : FloatMatrix.ofRows(rows.toArray(float[][]::new)),
                        dir.resolve(ProjectCatalog.FILE_NAME), problems);
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            cache.close();
            throw e;
        }
        writeProjectFile(dir);
        return new ProjectSession(w, c, cache, problems);
    }

    /** Puts the file that opens the project on a double click into {@code dir}, where it is missing and can be written. */
    static void writeProjectFile(Path dir) {
        Path f = dir.resolve(PROJECT_FILE);
        if (Files.notExists(f) && Files.isWritable(dir)) {
            try {
                AtomicFiles.writeString(f, "{\"format\": \"protolens-project-file\", \"version\": 1, \"project\": \""
                        + ProjectManifest.FILE_NAME + "\"}\n");
            } catch (IOException e) {
                // the project opens from its folder all the same
            }
        }
    }

    private static ProjectCatalog.Snapshot keepOnly(ProjectCatalog.Snapshot s, List<Integer> keep, int project) {
        String[] labels = new String[keep.size()];
        boolean[] shots = new boolean[keep.size()];
        String[] rejected = new String[keep.size()];
        List<Workspace.ImportedImage> imported = new ArrayList<>();
        for (int j = 0; j < keep.size(); j++) {
            int i = keep.get(j);
            labels[j] = s.labels()[i];
            shots[j] = s.shots()[i];
            rejected[j] = s.rejected()[i];
            if (i >= project) {
                imported.add(s.imported().get(i - project));
            }
        }
        return new ProjectCatalog.Snapshot(s.classes(), labels, shots, rejected, imported, s.alpha(), s.tau(), s.calibrationOn(), null);
    }

    /** What could not be restored when the project opened (each names the file); empty when all was. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Where imported images' embeddings are kept, keyed by the files' SHA-256. */
    public EmbeddingCache cache() {
        return cache;
    }

    /** Stores only the calibration settings. */
    public void saveSettings(double alpha, double tau, boolean calibrationOn) throws IOException {
        catalog.writeSettings(alpha, tau, calibrationOn);
    }

    public Workspace workspace() {
        return workspace;
    }

    /** Stores the workspace's current state; {@code lastEdit} names the edit that led to it (null: none). */
    public void save(String lastEdit) throws IOException {
        catalog.write(workspace.snapshot(lastEdit));
    }

    /** Stores a snapshot taken earlier (for writing off the thread that edits). */
    public void save(ProjectCatalog.Snapshot snapshot) throws IOException {
        catalog.write(snapshot);
    }

    /** Stores a snapshot taken earlier, logging the edits that led to it. */
    public void save(ProjectCatalog.Snapshot snapshot, List<String> edits) throws IOException {
        catalog.write(snapshot, edits);
    }

    public ProjectCatalog catalog() {
        return catalog;
    }

    @Override
    public void close() throws IOException {
        try {
            catalog.close();
        } finally {
            cache.close();
        }
    }

    /**
     * Copies a project folder (project.json and the files it names, but not a catalog) to
     * {@code target}, which must not exist yet: how a read-only sample becomes the user's project.
     */
    public static void copy(Path from, Path target) throws IOException {
        copyFolder(from, target, false);
    }

    /**
     * Copies a closed project folder as a whole, its catalog (classes, labels, history) and embedding
     * cache included, to {@code target}, which must not exist yet or be an empty folder: Save As.
     */
    public static void copyWhole(Path from, Path target) throws IOException {
        Path src = from.toAbsolutePath().normalize();
        Path dst = target.toAbsolutePath().normalize();
        if (dst.startsWith(src)) {
            throw new IOException(target + ": is inside the project " + from + "; choose a folder outside it");
        }
        if (isEmptyFolder(target)) {
            Files.delete(target);
        }
        copyFolder(from, target, true);
    }

    /** Copies the folder {@code from} into {@code to}, the files whose relative path {@code keep} accepts. */
    private static void copyTree(Path from, Path to, java.util.function.Predicate<String> keep) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                String rel = from.relativize(p).toString();
                if (!keep.test(rel)) {
                    continue;
                }
                Path q = to.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Whether {@code dir} is a folder with nothing in it (a fine place for a new or copied project). */
    public static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void copyFolder(Path from, Path target, boolean withCatalog) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + ": exists already");
        }
        Path tmp = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".copying");
        Files.createDirectories(tmp.getParent());
        AtomicFiles.deleteTree(tmp);
        try {
            copyTree(from, tmp, rel -> withCatalog || !rel.startsWith(ProjectCatalog.FILE_NAME));
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Makes a new, empty project in {@code target} (which must not exist yet or be an empty folder)
     * that embeds with the backbone of the project in {@code source}: no images yet, and the
     * source's base classes with their prototypes when {@code keepBaseClasses}, else no classes
     * (they come with the first import). Returns the new project's folder.
     */
    public static Path create(Path target, String name, Path source, boolean keepBaseClasses) throws IOException {
        if (name == null || name.isBlank()) {
            throw new IOException("A new project needs a name");
        }
        ProjectManifest from = ProjectManifest.read(source);
        if (isEmptyFolder(target)) {
            Files.delete(target);
        }
        if (Files.exists(target)) {
            throw new IOException(target + ": exists already; choose a new folder");
        }
        FloatMatrix protos = from.baseClasses().isEmpty() ? null : from.basePrototypes(source);
        // the embeddings' size: from the base prototypes, else (no base classes) from the stored embeddings
        FloatMatrix stored = protos != null ? null : from.embeddings(source);
        int dim = protos != null ? protos.cols() : stored != null ? stored.cols() : -1;
        if (dim <= 0) {
            throw new IOException(source.resolve(ProjectManifest.FILE_NAME) + ": neither base prototypes nor embeddings tell "
                    + "the size of its backbone's embeddings");
        }
        Path tmp = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".creating");
        Files.createDirectories(tmp.getParent());
        AtomicFiles.deleteTree(tmp);
        try {
            Files.createDirectories(tmp);
            copyTree(source.resolve(from.backbone()), tmp.resolve("backbone"), rel -> true);
            List<ProjectManifest.ClassEntry> classes = new ArrayList<>();
            String protoFile = null;
            if (keepBaseClasses && protos != null) {
                for (ProjectManifest.ClassEntry c : from.baseClasses()) {
                    classes.add(new ProjectManifest.ClassEntry(c.name(), ProjectManifest.BASE, 0, c.trainingImages()));
                }
                protoFile = "base-prototypes.npy";
                NpyFile.writeMatrix(tmp.resolve(protoFile), protos);
            }
            NpyFile.writeMatrix(tmp.resolve("embeddings.npy"), new FloatMatrix(0, dim, new float[0]));
            var provenance = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("createdFrom", from.name())
                    .put("created", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            new ProjectManifest(ProjectManifest.FORMAT, 1, name.strip(), null, "backbone", from.calibration(), classes,
                    protoFile, "embeddings.npy", List.of(), provenance).write(tmp);
            writeProjectFile(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
        return target;
    }
}
