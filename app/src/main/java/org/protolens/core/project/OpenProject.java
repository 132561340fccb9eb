package org.protolens.core.project;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneException;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.embed.EmbeddingCache;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.embed.Preprocessing;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.map.MapLayout;
import org.protolens.core.proto.L2;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.TeenCalibration;

/**
 * An open project: its workspace, restored from and saved to its catalog, and the embedding cache
 * that holds the embeddings of imported images ({@code embedding-cache/} in the project folder).
 */
public final class OpenProject implements AutoCloseable {
    public static final String CACHE_FOLDER = "embedding-cache";
    /**
     * The file in every project folder that desktops associate with ProtoLens: double-clicking it
     * opens its folder. It holds no project data (that is project.json and the catalog).
     */
    public static final String PROJECT_FILE = "project.protolens";
    public static final String PROJECT_FILE_EXTENSION = ".protolens";

    /**
     * Embedding values from which a project's first pass over them is worth compiling the vector
     * kernels for beforehand (a few tenths of a second of a core, which a small project's start
     * would wait for instead: the CIFAR sample's window was ready after 1.99 s with it, 1.74 s without).
     */
    private static final long WARM_UP_VALUES = 4_000_000;

    private final Workspace workspace;
    private final ProjectCatalog catalog;
    private final EmbeddingCache cache;
    private final List<String> problems;
    /** how many of the problems' first lines say which image files are missing */
    private final int missingFileLines;
    /** the project's backbone, loaded on first use */
    private Backbone backbone;
    /** when the catalog was last copied (System.nanoTime) */
    private long lastBackup;
    private String backupProblem;

    private OpenProject(Workspace workspace, ProjectCatalog catalog, EmbeddingCache cache, List<String> problems, int missingFileLines) {
        this.workspace = workspace;
        this.catalog = catalog;
        this.cache = cache;
        this.problems = problems;
        this.missingFileLines = missingFileLines;
    }

    /**
     * Embeds again, into the project's cache, imported images whose embeddings the cache lost.
     * Files it cannot embed are left out of the cache (and then set aside with their labels).
     */
    public interface Recovery {
        /**
         * @param backbone the project's backbone folder
         * @param problems receives one line per file that could not be embedded
         */
        void embed(Path backbone, EmbeddingCache cache, List<Path> files, List<String> problems) throws IOException;

        /** No re-embedding: images whose embeddings are missing are set aside. */
        Recovery NONE = (backbone, cache, files, problems) -> { };

        /**
         * The project's backbone embeds the files in this thread.
         *
         * @param progress told (done, total) as files are embedded; may be null
         * @param cancelled stops the embedding between batches (what is not embedded yet is set aside)
         */
        static Recovery withBackbone(BiConsumer<Integer, Integer> progress, BooleanSupplier cancelled) {
            return (backbone, cache, files, problems) -> {
                try (Backbone b = BackboneLoader.folder(backbone, null)) {
                    EmbeddingPipeline.Result r = new EmbeddingPipeline(b, cache, 32, EmbeddingPipeline.defaultDecodeThreads())
                            .embed(files, new EmbeddingPipeline.Listener() {
                                @Override
                                public void progress(int done, int total) {
                                    if (progress != null) {
                                        progress.accept(done, total);
                                    }
                                }
                            }, cancelled);
                    r.failures().forEach(f -> problems.add(f.file() + ": " + f.problem()));
                } catch (CancellationException e) {
                    problems.add("embedding the images again was cancelled: " + e.getMessage());
                }
            };
        }
    }

    /**
     * Opens the project folder {@code dir}, embedding again from their files the imported images
     * whose embeddings the cache lost (see {@link #open(Path, Recovery)}).
     */
    public static OpenProject open(Path dir) throws IOException {
        return open(dir, Recovery.withBackbone(null, null));
    }

    /**
     * Opens the project folder {@code dir}: the images and base prototypes from project.json, the
     * classes, labels, shots, imported images and settings from catalog.db (created on first open),
     * the imported images' embeddings from the embedding cache.
     *
     * <p>The catalog never loses a row because a derived file is missing. An imported image whose
     * embedding the cache lost is embedded again from its file by {@code recovery}; when that
     * cannot be done (the file is missing, unreadable or changed since it was imported) the image
     * is set aside with its label, shot flag and marks, in the catalog, and said so in
     * {@link #problems()}. A class whose shots (or, for a base class from images, whose images)
     * are all set aside is set aside with every image labelled with it. What is set aside comes
     * back at a later open once its embeddings can be had again; only the person removes an image.
     *
     * @throws IOException naming the file and the problem; nothing stays open or locked then
     */
    public static OpenProject open(Path dir, Recovery recovery) throws IOException {
        Workspace w = Workspace.open(dir);
        if ((long) w.imageCount() * w.dim() >= WARM_UP_VALUES) {
            // the JIT compiles the similarity kernels on another core while the catalog is read
            Thread.ofPlatform().daemon().name("kernel warm-up").start(L2::warmUp);
        }
        List<String> problems = new ArrayList<>();
        int missingFileLines = missingFiles(dir, w.missingFiles(), problems);
        EmbeddingCache cache = EmbeddingCache.open(dir.resolve(CACHE_FOLDER),
                BackboneLoader.fingerprintOf(dir.resolve(w.manifest().backbone())), w.dim());
        ProjectCatalog c = null;
        try {
            c = ProjectCatalog.open(dir);
            ProjectCatalog.Snapshot s = c.read(w.imageCount());
            if (s == null) {
                c.write(w.snapshot(null));
            } else {
                ProjectCatalog.Held held = c.readHeld();
                Restored r = restore(dir, w, s, held, cache, recovery, problems);
                w.restore(r.snapshot(), r.embeddings(), dir.resolve(ProjectCatalog.FILE_NAME), problems);
                // stored again only when something is or was set aside, or images moved between the two
                if (!held.isEmpty() || !r.held().isEmpty() || r.changed()) {
                    c.write(w.snapshot(null), r.log(), r.held());
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                if (c != null) {
                    c.close();
                }
            } finally {
                cache.close();
            }
            throw e;
        }
        writeProjectFile(dir);
        OpenProject opened = new OpenProject(w, c, cache, problems, missingFileLines);
        if (!opened.backup() && opened.backupProblem() != null) {
            problems.add(dir.resolve(CatalogBackups.FOLDER) + ": " + opened.backupProblem());
        }
        return opened;
    }

    /** Says which of the project's image files are missing, and what that means (the first 20 named); returns the lines added. */
    private static int missingFiles(Path dir, List<String> missing, List<String> problems) {
        if (missing.isEmpty()) {
            return 0;
        }
        int before = problems.size();
        problems.add((missing.size() == 1 ? "1 of the project's image files is" : missing.size() + " of the project's image files are")
                + " missing. Their labels, shots and embeddings are kept: they stay on the map and in the predictions, but their"
                + " pictures cannot be shown or embedded again until the files are back where project.json names them.");
        missing.stream().limit(20).forEach(p -> problems.add(dir.resolve(p) + ": the file is missing"));
        if (missing.size() > 20) {
            problems.add("\u2026 and " + (missing.size() - 20) + " more");
        }
        return problems.size() - before;
    }

    /**
     * Whether the only problems of this opening are image files of the project that are missing:
     * nothing of the person's work (labels, classes, imported images) is set aside.
     */
    public boolean onlyImageFilesMissing() {
        return missingFileLines > 0 && problems.size() == missingFileLines;
    }

    /**
     * Copies the catalog into the project's backups/ folder if it changed since the newest copy
     * (see {@link CatalogBackups}). A copy that cannot be made is said in {@link #problems()} at
     * open and otherwise left for the next try: it never stops the work.
     *
     * @return whether a copy was made
     */
    public synchronized boolean backup() {
        try {
            boolean made = CatalogBackups.takeIfChanged(catalog, workspace.dir()) != null;
            lastBackup = System.nanoTime();
            return made;
        } catch (IOException | RuntimeException e) {
            backupProblem = "no backup of the catalog could be made: " + e.getMessage();
            return false;
        }
    }

    /** {@link #backup()} when the last copy is {@link CatalogBackups#EVERY} minutes old or more. */
    public synchronized boolean backupIfDue() {
        return System.nanoTime() - lastBackup >= CatalogBackups.EVERY * 60_000_000_000L && backup();
    }

    /** Why the last backup failed, or null when it did not. */
    public synchronized String backupProblem() {
        return backupProblem;
    }

    /** One imported image, from the catalog's images or from those set aside. */
    private record Candidate(Workspace.ImportedImage image, String label, boolean shot, String rejected) {
    }

    /**
     * What a stored snapshot and the images set aside become for this opening.
     *
     * @param changed whether images moved between the project and what is set aside
     * @param log     lines for the catalog's history
     */
    private record Restored(ProjectCatalog.Snapshot snapshot, FloatMatrix embeddings, ProjectCatalog.Held held,
                            boolean changed, List<String> log) {
    }

    private static Restored restore(Path dir, Workspace w, ProjectCatalog.Snapshot s, ProjectCatalog.Held held,
                                    EmbeddingCache cache, Recovery recovery, List<String> problems) throws IOException {
        int project = w.imageCount();
        String[] labels = Arrays.copyOf(s.labels(), project);
        boolean[] shots = Arrays.copyOf(s.shots(), project);
        String[] rejected = Arrays.copyOf(s.rejected(), project);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = project; i < s.labels().length; i++) {
            candidates.add(new Candidate(s.imported().get(i - project), s.labels()[i], s.shots()[i], s.rejected()[i]));
        }
        int storedImported = candidates.size();
        List<ProjectCatalog.HeldImage> labelHolds = new ArrayList<>();
        for (ProjectCatalog.HeldImage h : held.images()) {
            if (h.image() != null) {
                candidates.add(new Candidate(h.image(), h.label(), h.shot(), h.rejected()));
            } else if (h.position() < project) {
                labelHolds.add(h);
            }
        }
        LinkedHashMap<String, ProjectCatalog.ClassRecord> classes = new LinkedHashMap<>();
        s.classes().forEach(k -> classes.put(k.name(), k));
        held.classes().forEach(k -> classes.putIfAbsent(k.name(), k));

        // embeddings: from the cache, else embedded again from the image files that are still there
        float[][] rows = new float[candidates.size()][];
        List<Path> files = new ArrayList<>();
        for (int j = 0; j < rows.length; j++) {
            rows[j] = cache.get(candidates.get(j).image().sha256());
            Path f = dir.resolve(candidates.get(j).image().path());
            if (rows[j] == null && Files.isRegularFile(f)) {
                files.add(f);
            }
        }
        List<String> embedProblems = new ArrayList<>();
        if (!files.isEmpty()) {
            recovery.embed(dir.resolve(w.manifest().backbone()), cache, files, embedProblems);
        }
        int recovered = 0;
        List<String> lost = new ArrayList<>();
        for (int j = 0; j < rows.length; j++) {
            if (rows[j] == null) {
                rows[j] = cache.get(candidates.get(j).image().sha256());
                if (rows[j] != null) {
                    recovered++;
                } else {
                    Path f = dir.resolve(candidates.get(j).image().path());
                    lost.add(candidates.get(j).image().path() + (Files.isRegularFile(f) ? "" : " (the file is missing)"));
                }
            }
        }

        // a project image's held label comes back where the person has not labelled it since
        Map<Integer, ProjectCatalog.HeldImage> pendingLabels = new HashMap<>();
        for (ProjectCatalog.HeldImage h : labelHolds) {
            if (labels[h.position()] == null && classes.containsKey(h.label())) {
                pendingLabels.put(h.position(), h);
            }
        }
        // a class is set aside when none of its shots (novel) or images (base from images) can be shown
        Set<String> available = new HashSet<>();
        for (int i = 0; i < project; i++) {
            ProjectCatalog.HeldImage h = pendingLabels.get(i);
            String label = h != null ? h.label() : labels[i];
            boolean shot = h != null ? h.shot() : shots[i];
            if (label != null && classes.containsKey(label) && (shot || !isNovel(classes.get(label)))) {
                available.add(label);
            }
        }
        for (int j = 0; j < rows.length; j++) {
            Candidate cand = candidates.get(j);
            if (rows[j] != null && cand.label() != null && classes.containsKey(cand.label())
                    && (cand.shot() || !isNovel(classes.get(cand.label())))) {
                available.add(cand.label());
            }
        }
        List<ProjectCatalog.ClassRecord> shown = new ArrayList<>();
        List<ProjectCatalog.ClassRecord> heldClasses = new ArrayList<>();
        for (ProjectCatalog.ClassRecord k : classes.values()) {
            (available.contains(k.name()) ? shown : heldClasses).add(k);
        }
        Set<String> heldNames = new HashSet<>();
        heldClasses.forEach(k -> heldNames.add(k.name()));

        List<ProjectCatalog.HeldImage> newHeld = new ArrayList<>();
        for (int i = 0; i < project; i++) {
            ProjectCatalog.HeldImage h = pendingLabels.get(i);
            if (h != null && !heldNames.contains(h.label())) {
                labels[i] = h.label();
                shots[i] = h.shot();
                rejected[i] = h.rejected() != null ? h.rejected() : rejected[i];
            } else if (h != null) {
                newHeld.add(h);
            } else if (labels[i] != null && heldNames.contains(labels[i])) {
                newHeld.add(new ProjectCatalog.HeldImage(i, null, labels[i], shots[i], null));
                labels[i] = null;
                shots[i] = false;
            }
        }
        List<Workspace.ImportedImage> keptImages = new ArrayList<>();
        List<String> keptLabels = new ArrayList<>();
        List<Boolean> keptShots = new ArrayList<>();
        List<String> keptRejected = new ArrayList<>();
        List<float[]> keptRows = new ArrayList<>();
        boolean changed = false;
        for (int j = 0; j < rows.length; j++) {
            Candidate cand = candidates.get(j);
            boolean keep = rows[j] != null && (cand.label() == null || !heldNames.contains(cand.label()));
            if (keep) {
                keptImages.add(cand.image());
                keptLabels.add(cand.label());
                keptShots.add(cand.shot());
                keptRejected.add(cand.rejected());
                keptRows.add(rows[j]);
            } else {
                newHeld.add(new ProjectCatalog.HeldImage(null, cand.image(), cand.label(), cand.shot(), cand.rejected()));
            }
            changed |= keep != j < storedImported;
        }
        int n = project + keptImages.size();
        String[] allLabels = Arrays.copyOf(labels, n);
        boolean[] allShots = Arrays.copyOf(shots, n);
        String[] allRejected = Arrays.copyOf(rejected, n);
        for (int j = 0; j < keptImages.size(); j++) {
            allLabels[project + j] = keptLabels.get(j);
            allShots[project + j] = keptShots.get(j);
            allRejected[project + j] = keptRejected.get(j);
        }
        ProjectCatalog.Snapshot restored = new ProjectCatalog.Snapshot(shown, allLabels, allShots, allRejected, keptImages,
                s.alpha(), s.tau(), s.calibrationOn(), s.head(), null);

        List<String> log = new ArrayList<>();
        if (recovered > 0) {
            String line = recovered + " imported image" + (recovered == 1 ? "" : "s") + " embedded again from "
                    + (recovered == 1 ? "its file" : "their files") + " (the embedding cache had lost them)";
            problems.add(line);
            log.add(line);
        }
        long heldImages = newHeld.stream().filter(h -> h.image() != null).count();
        if (!newHeld.isEmpty()) {
            StringBuilder line = new StringBuilder();
            line.append(heldImages).append(heldImages == 1 ? " image is" : " images are")
                    .append(" set aside with their labels until their embeddings can be had again");
            if (!heldClasses.isEmpty()) {
                line.append(heldNames.size() == 1 ? ", with the class " : ", with the classes ")
                        .append(String.join(", ", heldNames.stream().sorted().map(k -> "\u201c" + k + "\u201d").toList()))
                        .append(heldNames.size() == 1 ? " that waits for them" : " that wait for them");
            }
            line.append(". Put the missing image files back where they were and open the project again, or, if their folder"
                    + " moved, show where it is now with File > Locate Missing Images.");
            problems.add(line.toString());
            lost.stream().limit(20).forEach(p -> problems.add(p + ": its embedding is missing from " + cache.folder()
                    + " and cannot be computed again"));
            if (lost.size() > 20) {
                problems.add("\u2026 and " + (lost.size() - 20) + " more");
            }
            embedProblems.stream().limit(20).forEach(problems::add);
        }
        if (changed) {
            log.add("Opened with " + heldImages + " images set aside (their embeddings are missing) and " + (n - project)
                    + " imported images shown");
        }
        return new Restored(restored, keptRows.isEmpty() ? new FloatMatrix(0, w.dim(), new float[0])
                : FloatMatrix.ofRows(keptRows.toArray(float[][]::new)), new ProjectCatalog.Held(List.copyOf(heldClasses),
                List.copyOf(newHeld)), changed, log);
    }

    private static boolean isNovel(ProjectCatalog.ClassRecord k) {
        return k.kind() == Workspace.Kind.NOVEL;
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

    /** What could not be restored when the project opened (each names the file); empty when all was. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Where imported images' embeddings are kept, keyed by the files' SHA-256. */
    public EmbeddingCache cache() {
        return cache;
    }

    /** Stores the settings alone, logging the edits that changed them. */
    public void saveSettings(double alpha, double tau, boolean calibrationOn, PrototypeHead head, List<String> edits)
            throws IOException {
        catalog.writeSettings(alpha, tau, calibrationOn, head, edits);
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

    /**
     * The project's backbone, loaded on first use (on the calling thread: the one that embeds) and
     * kept until the project closes.
     */
    public synchronized Backbone backbone() throws IOException {
        if (backbone == null) {
            backbone = BackboneLoader.folder(workspace.dir().resolve(workspace.manifest().backbone()), null);
        }
        return backbone;
    }

    /** Closes the catalog (copied into backups/ first if it changed since the last copy), the cache and the backbone. */
    @Override
    public void close() throws IOException {
        backup();
        try {
            catalog.close();
        } finally {
            try {
                cache.close();
            } finally {
                synchronized (this) {
                    if (backbone != null) {
                        backbone.close();
                        backbone = null;
                    }
                }
            }
        }
    }

    /**
     * A project opened for the person to work in.
     *
     * @param copiedFrom the read-only folder of which {@code project} is a copy, or null
     * @param map        the map it was last shown with (or a PCA map; null with fewer than two images)
     * @param notes      what could not be restored, each naming the file (empty when all was)
     */
    public record Opened(OpenProject project, Path copiedFrom, MapLayout map, List<String> notes) {
        /** Whether the notes say only that image files are missing (every label is there). */
        public boolean onlyImageFilesMissing() {
            return project.onlyImageFilesMissing() && notes.size() == project.problems().size();
        }
    }

    /**
     * Opens {@code folder} for work: a bundled sample opens as the user's own copy under
     * {@code copies} ({@link #ownCopy}), so does a folder that cannot be written (as a whole);
     * any other folder opens in place. Images whose embeddings the cache lost are embedded again
     * with the project's backbone (see {@link #open(Path, Recovery)}).
     *
     * @param bundled  whether {@code folder} is one of the samples that come with ProtoLens
     * @param progress told what is being done, for a status line
     * @throws IOException naming the file and the problem; nothing stays open then
     */
    public static Opened openForWork(Path folder, boolean bundled, Path copies, Consumer<String> progress,
                                     BooleanSupplier cancelled) throws IOException {
        Path dir = folder;
        Path copiedFrom = null;
        if (bundled || !Files.isWritable(dir)) {
            progress.accept("Copying " + dir + " to " + copies + "\u2026");
            dir = ownCopy(dir, copies, bundled);
            copiedFrom = bundled ? null : folder;
        }
        progress.accept("Opening " + dir + "\u2026");
        OpenProject p = open(dir, Recovery.withBackbone((done, total) -> progress.accept("Embedding again " + done + " of "
                + total + " images whose embeddings the cache lost\u2026"), cancelled));
        try {
            List<String> notes = new ArrayList<>(p.problems());
            MapLayout map = ProjectMap.open(p.workspace().state(), notes);
            return new Opened(p, copiedFrom, map, List.copyOf(notes));
        } catch (RuntimeException e) {
            p.close();
            throw e;
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
     * Where a project that cannot be changed in place is opened: its copy under {@code projects}.
     * A bundled sample (project.json and the files it names, no catalog) is copied as
     * {@code projects/NAME}; a read-only folder is copied as a whole, with the person's catalog,
     * cache and map, as {@code projects/NAME-HASH}, the hash taken from its absolute path, so two
     * folders of the same name never share a copy. An existing copy is reused.
     *
     * @return the copy's folder
     */
    public static Path ownCopy(Path dir, Path projects, boolean bundledSample) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "project" : abs.getFileName().toString();
        Path copy;
        if (bundledSample) {
            copy = projects.resolve(name);
        } else {
            byte[] h = EmbeddingPipeline.sha256().digest(abs.toString().getBytes(StandardCharsets.UTF_8));
            copy = projects.resolve(name + "-" + HexFormat.of().formatHex(h, 0, 4));
        }
        if (!Files.exists(copy.resolve(ProjectManifest.FILE_NAME))) {
            Files.createDirectories(projects);
            copyFolder(dir, copy, !bundledSample);
        }
        return copy;
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
    static void copyTree(Path from, Path to, Predicate<String> keep) throws IOException {
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
        FloatMatrix protos = from.baseClasses().isEmpty() ? null : from.basePrototypes(source);
        // the embeddings' size: from the base prototypes, else (no base classes) from the stored embeddings
        FloatMatrix stored = protos != null ? null : from.embeddings(source);
        int dim = protos != null ? protos.cols() : stored != null ? stored.cols() : -1;
        if (dim <= 0) {
            throw new IOException(source.resolve(ProjectManifest.FILE_NAME) + ": neither base prototypes nor embeddings tell "
                    + "the size of its backbone's embeddings");
        }
        return createFolder(target, tmp -> {
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
            var provenance = JsonNodeFactory.instance.objectNode()
                    .put("createdFrom", from.name())
                    .put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            new ProjectManifest(ProjectManifest.FORMAT, 1, name.strip(), null, "backbone", from.calibration(), classes,
                    protoFile, "embeddings.npy", List.of(), provenance).write(tmp);
        });
    }

    /** What fills a new project's folder (its project.json, backbone, arrays); the project file is added after. */
    private interface Filling {
        void fill(Path folder) throws IOException;
    }

    /**
     * Makes the project folder {@code target} (absent, or an empty folder) in a hidden sibling
     * that {@code filling} fills, then moves it into place in one step: a failure leaves nothing.
     */
    private static Path createFolder(Path target, Filling filling) throws IOException {
        if (isEmptyFolder(target)) {
            Files.delete(target);
        }
        if (Files.exists(target)) {
            throw new IOException(target + ": exists already; choose a new folder");
        }
        Path tmp = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".creating");
        Files.createDirectories(tmp.getParent());
        AtomicFiles.deleteTree(tmp);
        try {
            Files.createDirectories(tmp);
            filling.fill(tmp);
            writeProjectFile(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
        return target;
    }

    /**
     * What a backbone of one's own turned out to be when loaded: the embedding length (a dummy
     * batch of two images went through it) and the device it ran on.
     */
    public record BackboneCheck(int dim, String device, String name) {
    }

    /**
     * Loads a TorchScript file (with {@code preprocessing}) or a backbone folder (with its
     * backbone.json; {@code preprocessing} null) and runs a dummy batch through it.
     *
     * @throws IOException naming the file and what is wrong: not a model, the wrong output shape
     */
    public static BackboneCheck checkBackbone(Path model, Preprocessing preprocessing) throws IOException {
        try (Backbone b = Files.isDirectory(model) ? BackboneLoader.folder(model, null)
                : BackboneLoader.torchScript(model, requirePreprocessing(model, preprocessing))) {
            return new BackboneCheck(b.embeddingDim(), b.device(), b.name());
        } catch (BackboneException e) {
            throw new IOException(model + ": " + e.getMessage(), e);
        }
    }

    private static Preprocessing requirePreprocessing(Path model, Preprocessing p) throws IOException {
        if (p == null) {
            throw new IOException(model + ": a TorchScript file needs its input size and normalisation");
        }
        return p;
    }

    /**
     * Downloads (once: DJL keeps it cached) a TorchScript model from a model URL and runs a test
     * batch through it, as {@link #checkBackbone} does for a file.
     */
    public static BackboneCheck checkZoo(String url, Preprocessing preprocessing, BackboneLoader.DownloadListener listener)
            throws IOException {
        Path file = BackboneLoader.zooModelFile(url, preprocessing, listener);
        BackboneCheck check = checkBackbone(file, preprocessing);
        return new BackboneCheck(check.dim(), check.device(), url);
    }

    /**
     * A new, empty project whose backbone is a model from a URL (DJL's model zoo, or any
     * {@code djl://}, {@code https://} or {@code file://} archive of a TorchScript model): it is
     * downloaded once, checked, and its TorchScript file copied into the project, so that the
     * project works offline from then on.
     */
    public static Path createFromZoo(Path target, String name, String url, Preprocessing preprocessing,
                                     BackboneLoader.DownloadListener listener) throws IOException {
        return createWithBackbone(target, name, BackboneLoader.zooModelFile(url, preprocessing, listener), preprocessing);
    }

    /**
     * A new, empty project (no classes) whose backbone is the person's own: a TorchScript file,
     * copied into the project's backbone folder with a backbone.json of {@code preprocessing}, or a
     * backbone folder, copied whole. The model is loaded and a dummy batch run first, so that a
     * file that is no usable model is refused before anything is written.
     *
     * @throws IOException naming the file and the problem; nothing is left behind then
     */
    public static Path createWithBackbone(Path target, String name, Path model, Preprocessing preprocessing) throws IOException {
        if (name == null || name.isBlank()) {
            throw new IOException("A new project needs a name");
        }
        BackboneCheck check = checkBackbone(model, preprocessing);
        return createFolder(target, tmp -> {
            Path backbone = tmp.resolve("backbone");
            if (Files.isDirectory(model)) {
                copyTree(model, backbone, rel -> true);
            } else {
                Files.createDirectories(backbone);
                String weights = model.getFileName().toString();
                Files.copy(model, backbone.resolve(weights));
                var provenance = JsonNodeFactory.instance.objectNode().put("importedFrom", model.toAbsolutePath().toString())
                        .put("imported", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                new BackboneSpec(BackboneSpec.FORMAT_TORCHSCRIPT, null, weights, BackboneSpec.Input.of(preprocessing), null, provenance)
                        .write(backbone.resolve(BackboneSpec.FILE_NAME));
            }
            NpyFile.writeMatrix(tmp.resolve("embeddings.npy"), new FloatMatrix(0, check.dim(), new float[0]));
            var provenance = JsonNodeFactory.instance.objectNode()
                    .put("backboneFrom", model.toAbsolutePath().toString())
                    .put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            new ProjectManifest(ProjectManifest.FORMAT, 1, name.strip(), null, "backbone",
                    new ProjectManifest.Calibration(TeenCalibration.DEFAULT_ALPHA, TeenCalibration.DEFAULT_TAU), List.of(),
                    null, "embeddings.npy", List.of(), provenance).write(tmp);
        });
    }
}
