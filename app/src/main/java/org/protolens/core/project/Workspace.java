package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.LivePredictions;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.TeenCalibration;

/**
 * The state the app shows: a project's images with their embeddings, labels and shots, its
 * classes, and the live predictions over them. Base prototypes come from the project; a novel
 * class's prototype is the mean of its shots, calibrated by TEEN. Base classes come first, then
 * novel ones; a class's index is its column in the live predictions.
 */
public final class Workspace {
    /** Where a class's prototype comes from. */
    public enum Kind {
        /** a base class of the project: its prototype was computed over a training set and stays fixed */
        BASE,
        /** a base class imported into the project: its prototype is the mean of its labelled images */
        BASE_FROM_IMAGES,
        /** a new class: its prototype is the mean of its shots, calibrated by TEEN */
        NOVEL;

        /** Whether TEEN calibrates new classes towards this one (every kind but {@link #NOVEL}). */
        public boolean isBase() {
            return this != NOVEL;
        }
    }

    /** An image added to the project after it was made; {@code path} is relative to the project or absolute. */
    public record ImportedImage(String path, byte[] sha256) {
    }

    private final Path dir;
    private final ProjectManifest manifest;
    /** a class's index is its column in {@link #predictions}; the project's base classes come first */
    private final List<String> classNames = new ArrayList<>();
    private final List<Kind> kinds = new ArrayList<>();
    private final int projectImages;
    private final List<ImportedImage> imported = new ArrayList<>();
    private final int dim;
    private int n;
    private float[] vectors;
    private int[] labels;
    private boolean[] shots;
    /** per image, the classes (by name) the user said it does not belong to; images without any are absent */
    private final Map<Integer, Set<String>> rejected = new HashMap<>();
    private final LivePredictions predictions;
    /** the project's images whose files were not there when it opened */
    private final List<String> missingFiles;
    private PrototypeHead head = PrototypeHead.CALIBRATED;
    /** increases with every change but the calibration's: see {@link WorkspaceState#labellingRevision()} */
    private long labelling;
    /** what {@link #state()} returned, until the next change */
    private WorkspaceState state;
    /** the last state made: a change of the calibration alone shares its images, classes and labels */
    private WorkspaceState last;

    private Workspace(Path dir, ProjectManifest manifest, FloatMatrix embeddings, FloatMatrix basePrototypes, List<String> missingFiles) {
        this.dir = dir;
        this.missingFiles = missingFiles;
        this.manifest = manifest;
        this.dim = embeddings.cols();
        this.n = embeddings.rows();
        this.projectImages = n;
        this.vectors = embeddings.data();
        for (ProjectManifest.ClassEntry c : manifest.baseClasses()) {
            classNames.add(c.name());
            kinds.add(Kind.BASE);
        }
        for (ProjectManifest.ClassEntry c : manifest.classes()) {
            if (!c.isBase()) {
                classNames.add(c.name());
                kinds.add(Kind.NOVEL);
            }
        }
        labels = new int[n];
        shots = new boolean[n];
        Map<String, Integer> index = classIndex();
        for (int i = 0; i < n; i++) {
            ProjectManifest.ImageEntry img = manifest.images().get(i);
            labels[i] = img.label() == null ? -1 : index.getOrDefault(img.label(), -1);
            shots[i] = img.shot();
        }
        var cal = manifest.calibration() == null ? TeenCalibration.defaults()
                : new TeenCalibration(manifest.calibration().alpha(), manifest.calibration().tau());
        predictions = new LivePredictions(embeddings, cal);
        predictions.batch(() -> {
            for (int k = 0; k < classNames.size(); k++) {
                if (kinds.get(k) == Kind.BASE) {
                    predictions.addBaseClass(basePrototypes.row(k));
                } else {
                    predictions.addNovelClass(mean(k, true));
                }
            }
        });
    }

    /** The state to store in the catalog; {@code lastEdit} is logged with it (null: none). */
    public ProjectCatalog.Snapshot snapshot(String lastEdit) {
        return state().catalogSnapshot(lastEdit);
    }

    /**
     * The workspace as it is now, immutable: readable on any thread while this goes on changing.
     * The same object is returned until the next change.
     */
    public WorkspaceState state() {
        WorkspaceState st = state;
        if (st == null) {
            st = last != null && last.labellingRevision() == labelling ? last.withPredictions(predictions.current(), head)
                    : new WorkspaceState(dir, manifest, classNames, kinds, n, dim, projectImages, imported, vectors, labels, shots,
                    rejected, predictions.current(), head, labelling);
            state = st;
            last = st;
        }
        return st;
    }

    /** Images, classes, labels, shots or marks are about to change. */
    private void touched() {
        state = null;
        labelling++;
    }

    /**
     * Takes the classes, imported images, labels, shots and calibration of a stored snapshot.
     *
     * @param importedEmbeddings the embeddings of the snapshot's imported images, in its order
     * @param problems           receives what could not be restored (a class left without images)
     * @throws IOException naming the catalog when the snapshot does not fit this project
     */
    public void restore(ProjectCatalog.Snapshot s, FloatMatrix importedEmbeddings, Path catalog, List<String> problems)
            throws IOException {
        if (s.labels().length != projectImages + s.imported().size() || importedEmbeddings.rows() != s.imported().size()) {
            throw new IOException(catalog + ": has " + s.labels().length + " images, the project " + projectImages
                    + " and " + s.imported().size() + " imported");
        }
        if (n != projectImages) {
            throw new IllegalStateException("restore needs a freshly opened workspace");
        }
        IOException[] refused = new IOException[1];
        predictions.batch(() -> {
            try {
                restoreClasses(s, importedEmbeddings, catalog, problems);
            } catch (IOException e) {
                refused[0] = e;
            }
        });
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    private void restoreClasses(ProjectCatalog.Snapshot s, FloatMatrix importedEmbeddings, Path catalog, List<String> problems)
            throws IOException {
        touched();
        for (int k = classNames.size() - 1; k >= 0; k--) {
            if (kinds.get(k) != Kind.BASE) {
                removeClass(k);
            }
        }
        appendRows(s.imported(), importedEmbeddings);
        Map<String, int[]> labelled = imagesByLabel(s.labels());
        for (ProjectCatalog.ClassRecord c : s.classes()) {
            boolean novel = c.kind() == Kind.NOVEL;
            int[] members = Arrays.stream(labelled.getOrDefault(c.name(), new int[0])).filter(i -> !novel || s.shots()[i]).toArray();
            if (members.length == 0) {
                problems.add(catalog + ": class \"" + c.name() + "\" has no " + (novel ? "shots" : "images")
                        + " left; its images are unlabelled");
                continue;
            }
            if (novel) {
                addNovelClass(c.name(), members);
            } else {
                addClassFromImages(c.name(), members);
            }
        }
        int[] all = IntStream.range(0, n).toArray();
        int[] newLabels = new int[n];
        Map<String, Integer> index = classIndex();
        for (int i = 0; i < n; i++) {
            newLabels[i] = s.labels()[i] == null ? -1 : index.getOrDefault(s.labels()[i], -1);
            String label = s.labels()[i];
            if (label != null && newLabels[i] < 0 && s.classes().stream().noneMatch(c -> c.name().equals(label))) {
                throw new IOException(catalog + ": image " + i + " is labelled \"" + s.labels()[i] + "\", which is no class");
            }
        }
        boolean[] newShots = new boolean[n];
        for (int i = 0; i < n; i++) {
            newShots[i] = s.shots()[i] && newLabels[i] >= 0;
        }
        setLabels(all, newLabels, newShots);
        rejected.clear();
        for (int i = 0; i < n; i++) {
            String notThese = s.rejected()[i];
            if (notThese != null && !notThese.isEmpty()) {
                rejected.put(i, new HashSet<>(List.of(notThese.split("\n"))));
            }
        }
        touched();
        setCalibration(new TeenCalibration(s.alpha(), s.tau()));
        setCalibrationEnabled(s.calibrationOn());
        setHead(s.head());
    }

    /** The images of each label, in image order (one pass over the images instead of one per class). */
    private static Map<String, int[]> imagesByLabel(String[] labels) {
        Map<String, IntStream.Builder> images = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != null) {
                images.computeIfAbsent(labels[i], l -> IntStream.builder()).add(i);
            }
        }
        Map<String, int[]> out = new HashMap<>();
        images.forEach((label, b) -> out.put(label, b.build().toArray()));
        return out;
    }

    /** Each class name's index (one look-up per image instead of a search through the names). */
    private Map<String, Integer> classIndex() {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classNames.size(); k++) {
            index.put(classNames.get(k), k);
        }
        return index;
    }

    /**
     * The paths (as project.json lists them) of the project's images whose files were not there
     * when it opened: they keep their embeddings, labels and shots; only their pictures are missing.
     */
    public List<String> missingFiles() {
        return missingFiles;
    }

    /** Opens a project folder whose {@code project.json} stores its images' embeddings. */
    public static Workspace open(Path dir) throws IOException {
        ProjectManifest.Checked checked = ProjectManifest.readChecked(dir);
        ProjectManifest m = checked.manifest();
        FloatMatrix e = m.embeddings(dir);
        if (e == null) {
            throw new IOException(dir.resolve(ProjectManifest.FILE_NAME) + ": stores no embeddings of its images");
        }
        FloatMatrix protos = m.baseClasses().isEmpty() ? new FloatMatrix(0, e.cols(), new float[0]) : m.basePrototypes(dir);
        if (protos.cols() != e.cols()) {
            throw new IOException(dir.resolve(m.basePrototypes()) + ": base prototypes have " + protos.cols()
                    + " dimensions, the embeddings " + e.cols());
        }
        // one pass over the images, not one per class
        Set<String> withShots = new HashSet<>();
        for (ProjectManifest.ImageEntry i : m.images()) {
            if (i.shot()) {
                withShots.add(i.label());
            }
        }
        for (ProjectManifest.ClassEntry c : m.classes()) {
            if (!c.isBase() && !withShots.contains(c.name())) {
                throw new IOException(dir.resolve(ProjectManifest.FILE_NAME) + ": novel class \"" + c.name() + "\" has no shots");
            }
        }
        return new Workspace(dir, m, e, protos, checked.missingImages());
    }

    /** Mean embedding of class k's shots ({@code shotsOnly}) or of all its labelled images; null for none. */
    private float[] mean(int k, boolean shotsOnly) {
        float[] mean = new float[dim];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == k && (shots[i] || !shotsOnly)) {
                int off = i * dim;
                for (int j = 0; j < dim; j++) {
                    mean[j] += vectors[off + j];
                }
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= count;
        }
        return mean;
    }

    /** Re-averages a class whose prototype follows its images; a class left without images keeps its last one. */
    private void refreshPrototype(int k) {
        touched();
        if (k < 0 || kinds.get(k) == Kind.BASE) {
            return;
        }
        float[] m = mean(k, kinds.get(k) == Kind.NOVEL);
        if (m != null) {
            predictions.setPrototype(k, m);
        }
    }

    /**
     * Adds images after the existing ones, unlabelled, with their embeddings (an import); returns the
     * index of the first. Label them with {@link #setLabels}, or make classes of them.
     */
    public int addImages(List<ImportedImage> images, FloatMatrix embeddings) {
        if (embeddings.cols() != dim || embeddings.rows() != images.size()) {
            throw new IllegalArgumentException(embeddings + " does not fit " + images.size() + " images of " + dim + " dimensions");
        }
        int first = n;
        appendRows(images, embeddings);
        return first;
    }

    /**
     * Adds embedded import items and labels them as planned, creating the classes they name that do
     * not exist yet (a novel class from its shots; when none of its shots could be embedded, its
     * first image becomes its shot). Returns the index of the first added image.
     *
     * @param sha256 each file's SHA-256, the key of its embedding in the project's cache
     */
    public int addImported(List<ImportPlan.Item> items, List<byte[]> sha256, FloatMatrix rows) {
        List<ImportedImage> images = new ArrayList<>(items.size());
        for (int j = 0; j < items.size(); j++) {
            images.add(new ImportedImage(storedPath(dir, items.get(j).file()), sha256.get(j)));
        }
        int first = addImages(images, rows);
        Map<String, List<Integer>> byClass = new LinkedHashMap<>();
        for (int j = 0; j < items.size(); j++) {
            if (items.get(j).label() != null) {
                byClass.computeIfAbsent(items.get(j).label(), k -> new ArrayList<>()).add(j);
            }
        }
        for (var e : byClass.entrySet()) {
            String name = e.getKey();
            List<Integer> js = e.getValue();
            int k = classNames.indexOf(name);
            if (k < 0) {
                boolean novel = items.get(js.getFirst()).kind() == Kind.NOVEL;
                int[] members = js.stream().filter(j -> !novel || items.get(j).shot()).mapToInt(j -> first + j).toArray();
                if (members.length == 0) {
                    members = new int[] {first + js.getFirst()};
                }
                if (novel) {
                    addNovelClass(name, members);
                } else {
                    addClassFromImages(name, members);
                }
                k = classNames.indexOf(name);
            }
            int[] idx = js.stream().mapToInt(j -> first + j).toArray();
            int[] lab = new int[idx.length];
            boolean[] sh = new boolean[idx.length];
            for (int t = 0; t < idx.length; t++) {
                lab[t] = k;
                sh[t] = kinds.get(k) == Kind.NOVEL && (items.get(js.get(t)).shot() || shots[idx[t]]);
            }
            setLabels(idx, lab, sh);
        }
        return first;
    }

    /** An imported file's path as the catalog stores it: relative inside the project folder {@code dir}, absolute outside. */
    static String storedPath(Path dir, Path file) {
        Path base = dir.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(base) ? base.relativize(f).toString().replace('\\', '/') : f.toString();
    }

    private void appendRows(List<ImportedImage> images, FloatMatrix embeddings) {
        touched();
        int m = images.size();
        if (m == 0) {
            return;
        }
        int to = Math.addExact(n, m);
        if (to > labels.length || tailShared) {
            // rows past the end that published states read (an undone import) are not written over
            tailShared = false;
            int capacity = Math.max(to, labels.length + labels.length / 2 + 16);
            labels = Arrays.copyOf(labels, capacity);
            shots = Arrays.copyOf(shots, capacity);
        }
        Arrays.fill(labels, n, to, -1);
        Arrays.fill(shots, n, to, false);
        imported.addAll(images);
        n = to;
        // the predictions hold the embeddings' one copy, and say where the rows are now
        predictions.append(embeddings);
        vectors = predictions.rows();
    }

    /**
     * Takes out the images from {@code size} on, the last ones imported: how an import is undone.
     * Their labels and marks go with them; the classes that had some of them are re-averaged over
     * the images they keep.
     *
     * @throws IllegalArgumentException when that would take out images the project was made with
     */
    public void truncate(int size) {
        if (size < projectImages || size > n) {
            throw new IllegalArgumentException("cannot keep " + size + " of " + n + " images; the project was made with "
                    + projectImages);
        }
        if (size == n) {
            return;
        }
        touched();
        Set<Integer> classes = new HashSet<>();
        for (int i = size; i < n; i++) {
            classes.add(labels[i]);
            rejected.remove(i);
        }
        imported.subList(size - projectImages, imported.size()).clear();
        n = size;
        tailShared = true;
        predictions.truncate(size);
        classes.forEach(this::refreshPrototype);
    }

    /**
     * Refuses when {@code images} hold every shot of a class: a new class keeps at least one (the
     * check of every edit that takes shots away from their class).
     *
     * @throws IllegalArgumentException naming the class
     */
    public void requireShotsLeftWithout(int[] images) {
        Map<Integer, Integer> taken = new HashMap<>();
        for (int i : IntStream.of(images).distinct().toArray()) {
            if (shots[i] && labels[i] >= 0) {
                taken.merge(labels[i], 1, Integer::sum);
            }
        }
        for (var e : taken.entrySet()) {
            if (shotCount(e.getKey()) == e.getValue()) {
                throw new IllegalArgumentException("these images hold every shot of \"" + classNames.get(e.getKey())
                        + "\", which would have no shots left; a class needs at least one");
            }
        }
    }

    /**
     * Images taken out by {@link #removeImages}, with what undo needs to put them back: only the
     * removed images are kept, not the images after them.
     *
     * @param positions where each was, in order
     * @param rejected  the "not this class" marks, by position in this list
     */
    public record Removed(int[] positions, List<ImportedImage> images, FloatMatrix rows, int[] labels, boolean[] shots,
                          Map<Integer, Set<String>> rejected) {
    }

    /** The images from one on as they are now (what {@link #replaceTail} puts in their place). */
    private record Tail(List<ImportedImage> images, FloatMatrix rows, int[] labels, boolean[] shots,
                        Map<Integer, Set<String>> rejected) {
        int size() {
            return images.size();
        }

        /** The images at {@code js}, in that order. */
        Tail pick(int[] js) {
            Map<Integer, Set<String>> marks = new HashMap<>();
            int[] lab = new int[js.length];
            boolean[] sh = new boolean[js.length];
            for (int t = 0; t < js.length; t++) {
                lab[t] = labels[js[t]];
                sh[t] = shots[js[t]];
                Set<String> m = rejected.get(js[t]);
                if (m != null) {
                    marks.put(t, m);
                }
            }
            return new Tail(Arrays.stream(js).mapToObj(images::get).toList(), rows.selectRows(js), lab, sh, marks);
        }
    }

    /**
     * Takes imported images out of the project (the person removes them): their labels and marks
     * go with them, the images after them move up, the classes they were in are re-averaged over
     * the images they keep. Returns what {@link #restoreRemoved} needs.
     *
     * @throws IllegalArgumentException for an image the project was made with (project.json's),
     *                                  or when a new class would lose every shot, or a base class
     *                                  from images every image
     */
    public Removed removeImages(int[] images) {
        int[] gone = Arrays.stream(images).distinct().sorted().toArray();
        if (gone.length == 0) {
            throw new IllegalArgumentException("no images to remove");
        }
        for (int i : gone) {
            Objects.checkIndex(i, n);
            if (i < projectImages) {
                throw new IllegalArgumentException("image " + imagePaths().get(i) + " is one the project was made with"
                        + " (listed in project.json); only imported images can be removed");
            }
        }
        requireShotsLeftWithout(gone);
        Map<Integer, Integer> imagesGone = new HashMap<>();
        for (int i : gone) {
            if (labels[i] >= 0) {
                imagesGone.merge(labels[i], 1, Integer::sum);
            }
        }
        for (var e : imagesGone.entrySet()) {
            if (kinds.get(e.getKey()) == Kind.BASE_FROM_IMAGES && imagesOf(e.getKey()).size() == e.getValue()) {
                throw new IllegalArgumentException("“" + classNames.get(e.getKey()) + "” would have no images left; its prototype"
                        + " is their mean (remove the class, or keep one of its images)");
            }
        }
        int first = gone[0];
        Tail now = tail(first);
        int[] kept = IntStream.range(0, now.size()).filter(j -> Arrays.binarySearch(gone, first + j) < 0).toArray();
        int[] taken = IntStream.range(0, now.size()).filter(j -> Arrays.binarySearch(gone, first + j) >= 0).toArray();
        Tail out = now.pick(taken);
        replaceTail(first, now.pick(kept));
        return new Removed(gone, out.images(), out.rows(), out.labels(), out.shots(), out.rejected());
    }

    /** Puts back images that {@link #removeImages} took out, where they were; the others move down again. */
    public void restoreRemoved(Removed r) {
        int first = r.positions()[0];
        Tail now = tail(first);
        int total = now.size() + r.images().size();
        int[] from = new int[total];
        int kept = 0;
        int back = 0;
        for (int j = 0; j < total; j++) {
            // >= 0: the j-th image after first is a kept one (its place in now); < 0: removed one -(k + 1)
            from[j] = back < r.positions().length && r.positions()[back] == first + j ? -(++back) : kept++;
        }
        List<ImportedImage> images = new ArrayList<>(total);
        float[] rows = new float[total * dim];
        int[] lab = new int[total];
        boolean[] sh = new boolean[total];
        Map<Integer, Set<String>> marks = new HashMap<>();
        for (int j = 0; j < total; j++) {
            boolean removed = from[j] < 0;
            int k = removed ? -from[j] - 1 : from[j];
            FloatMatrix src = removed ? r.rows() : now.rows();
            images.add(removed ? r.images().get(k) : now.images().get(k));
            System.arraycopy(src.data(), src.offset(k), rows, j * dim, dim);
            lab[j] = removed ? r.labels()[k] : now.labels()[k];
            sh[j] = removed ? r.shots()[k] : now.shots()[k];
            Set<String> m = (removed ? r.rejected() : now.rejected()).get(k);
            if (m != null) {
                marks.put(j, m);
            }
        }
        replaceTail(first, new Tail(images, new FloatMatrix(total, dim, rows), lab, sh, marks));
    }

    private Tail tail(int first) {
        Map<Integer, Set<String>> marks = new HashMap<>();
        for (int i = first; i < n; i++) {
            if (rejected.containsKey(i)) {
                marks.put(i - first, Set.copyOf(rejected.get(i)));
            }
        }
        return new Tail(List.copyOf(imported.subList(first - projectImages, imported.size())), embeddings(first, n),
                Arrays.copyOfRange(labels, first, n), Arrays.copyOfRange(shots, first, n), marks);
    }

    /** The images from {@code first} on become those of {@code t}, with their labels, shots and marks. */
    private void replaceTail(int first, Tail t) {
        predictions.batch(() -> {
            truncate(first);
            int m = t.size();
            if (m == 0) {
                return;
            }
            appendRows(t.images(), t.rows());
            int[] idx = IntStream.range(first, first + m).toArray();
            t.rejected().forEach((j, marks) -> rejected.put(first + j, new HashSet<>(marks)));
            setLabels(idx, t.labels(), t.shots());
        });
    }

    /** whether rows from {@link #n} on were read by published states (after {@link #truncate}) */
    private boolean tailShared;

    public Path dir() {
        return dir;
    }

    public String name() {
        return manifest.name();
    }

    public ProjectManifest manifest() {
        return manifest;
    }

    /** Class names, base classes first; a class's index is its position here. */
    public List<String> classNames() {
        return Collections.unmodifiableList(classNames);
    }

    /** Whether class k is a base class (TEEN calibrates new classes towards base classes). */
    public boolean isBase(int k) {
        return kinds.get(k) != Kind.NOVEL;
    }

    public Kind kind(int k) {
        return kinds.get(k);
    }

    /** Images the project was made with; imported images come after them. */
    public int projectImageCount() {
        return projectImages;
    }

    /**
     * Adds a base class whose prototype is the mean of {@code images} (they take its label);
     * returns its index.
     *
     * @throws IllegalArgumentException for an empty or taken name, or no images
     */
    public int addClassFromImages(String name, int[] images) {
        return addClassFromImages(name, images, classNames.size());
    }

    /** As {@link #addClassFromImages(String, int[])}, the class taking index {@code at} (later ones move up). */
    public int addClassFromImages(String name, int[] images, int at) {
        return addClass(name, images, at, Kind.BASE_FROM_IMAGES);
    }

    /** Puts a class name at index {@code at}; images labelled with later classes follow them up. */
    private int insertName(int at, String name, Kind kind) {
        touched();
        if (at < 0 || at > classNames.size()) {
            throw new IndexOutOfBoundsException("class index " + at + " of " + classNames.size());
        }
        if (at < classNames.size()) {
            for (int i = 0; i < n; i++) {
                if (labels[i] >= at) {
                    labels[i]++;
                }
            }
        }
        classNames.add(at, name);
        kinds.add(at, kind);
        return at;
    }

    private static Set<Integer> shifted(Set<Integer> classes, int at) {
        Set<Integer> out = new HashSet<>();
        for (int k : classes) {
            out.add(k >= at ? k + 1 : k);
        }
        return out;
    }

    private String checkedName(String name) {
        String nm = name == null ? "" : name.strip();
        if (nm.isEmpty()) {
            throw new IllegalArgumentException("a class needs a name");
        }
        if (classNames.contains(nm)) {
            throw new IllegalArgumentException("there is a class named \"" + nm + "\" already");
        }
        return nm;
    }

    /** Renames a class. @throws IllegalArgumentException for an empty or taken name */
    public void renameClass(int k, String name) {
        touched();
        String nm = name == null ? "" : name.strip();
        if (nm.equals(classNames.get(k))) {
            return;
        }
        String was = classNames.get(k);
        classNames.set(k, checkedName(nm));
        for (Set<String> classes : rejected.values()) {
            if (classes.remove(was)) {
                classes.add(nm);
            }
        }
    }

    /** Whether the user said image {@code i} is not of class {@code k} ("not this class"). */
    public boolean isRejected(int i, int k) {
        Set<String> classes = rejected.get(i);
        return classes != null && classes.contains(classNames.get(k));
    }

    /** The classes the user said image {@code i} is not of, by name (empty for none). */
    public Set<String> rejectedClasses(int i) {
        Objects.checkIndex(i, n);
        Set<String> classes = rejected.get(i);
        return classes == null ? Set.of() : Set.copyOf(classes);
    }

    /** Marks images as not of the named class ({@code rejected}) or takes that mark back. */
    public void setRejected(int[] images, String className, boolean rejected) {
        touched();
        for (int i : images) {
            Objects.checkIndex(i, n);
            if (rejected) {
                this.rejected.computeIfAbsent(i, x -> new HashSet<>()).add(className);
            } else {
                Set<String> classes = this.rejected.get(i);
                if (classes != null && classes.remove(className) && classes.isEmpty()) {
                    this.rejected.remove(i);
                }
            }
        }
    }

    /**
     * Adds a novel class whose shots are {@code images} (they take its label); returns its index.
     *
     * @throws IllegalArgumentException for an empty or taken name, or no images
     */
    public int addNovelClass(String name, int[] images) {
        return addNovelClass(name, images, classNames.size());
    }

    /** As {@link #addNovelClass(String, int[])}, the class taking index {@code at} (later ones move up). */
    public int addNovelClass(String name, int[] images, int at) {
        return addClass(name, images, at, Kind.NOVEL);
    }

    /**
     * A new class at index {@code at} whose members are {@code images}: its shots (novel) or its
     * images (base from images). Classes that lose members are re-averaged; a novel class keeps at
     * least one shot.
     */
    private int addClass(String name, int[] images, int at, Kind kind) {
        touched();
        String nm = checkedName(name);
        if (images.length == 0) {
            throw new IllegalArgumentException(kind == Kind.NOVEL ? "a new class needs at least one shot"
                    : "a class needs at least one image");
        }
        // novel classes whose shots are taken keep at least one, and are re-averaged
        requireShotsLeftWithout(images);
        Set<Integer> touched = new HashSet<>();
        for (int i : images) {
            touched.add(labels[i]);
        }
        int k = insertName(at, nm, kind);
        boolean novel = kind == Kind.NOVEL;
        for (int i : images) {
            labels[i] = k;
            shots[i] = novel;
        }
        predictions.insertClass(k, novel, mean(k, novel));
        shifted(touched, k).forEach(this::refreshPrototype);
        return k;
    }

    /**
     * Removes a class the user made or imported; its images become unlabelled and later classes'
     * indices shift down by one. The project's own base classes stay.
     */
    public void removeClass(int k) {
        if (kinds.get(k) == Kind.BASE) {
            throw new IllegalArgumentException("base class \"" + classNames.get(k) + "\" belongs to the project's backbone");
        }
        touched();
        classNames.remove(k);
        kinds.remove(k);
        for (int i = 0; i < n; i++) {
            if (labels[i] == k) {
                labels[i] = -1;
                shots[i] = false;
            } else if (labels[i] > k) {
                labels[i]--;
            }
        }
        predictions.removeClass(k);
    }

    /**
     * Sets the label and shot flag of each listed image, and re-averages the prototypes that
     * follow them: a novel class's shots, an imported base class's images.
     */
    public void setLabels(int[] images, int[] newLabels, boolean[] newShots) {
        touched();
        for (int j = 0; j < images.length; j++) {
            if (newShots[j] && (newLabels[j] < 0 || isBase(newLabels[j]))) {
                throw new IllegalArgumentException("shots belong to novel classes");
            }
        }
        Set<Integer> touched = new HashSet<>();
        for (int j = 0; j < images.length; j++) {
            int i = images[j];
            if (labels[i] != newLabels[j] || shots[i] != newShots[j]) {
                touched.add(labels[i]);
                touched.add(newLabels[j]);
            }
            labels[i] = newLabels[j];
            shots[i] = newShots[j];
        }
        touched.forEach(this::refreshPrototype);
    }

    public int imageCount() {
        return n;
    }

    public int dim() {
        return dim;
    }

    /**
     * The embeddings of all images, one row each: the first rows of the one array the predictions
     * also read (not a copy; images added later go past its end or into a new array).
     */
    public FloatMatrix embeddings() {
        return new FloatMatrix(n, dim, vectors);
    }

    /** The embeddings of images {@code from} (inclusive) to {@code to} (exclusive), copied; the rest is not touched. */
    public FloatMatrix embeddings(int from, int to) {
        Objects.checkFromToIndex(from, to, n);
        return new FloatMatrix(to - from, dim, Arrays.copyOfRange(vectors, from * dim, to * dim));
    }

    /** Embedding of image i (a copy). */
    public float[] embedding(int i) {
        Objects.checkIndex(i, n);
        return Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim);
    }

    /** The file of image i. */
    public Path imageFile(int i) {
        Objects.checkIndex(i, n);
        String path = i < projectImages ? manifest.images().get(i).path() : imported.get(i - projectImages).path();
        return dir.resolve(path);
    }

    /** Every image's path as stored (relative to the project folder, or absolute), in image order: a copy. */
    public List<String> imagePaths() {
        List<String> out = new ArrayList<>(n);
        for (ProjectManifest.ImageEntry e : manifest.images()) {
            out.add(e.path());
        }
        for (ImportedImage im : imported) {
            out.add(im.path());
        }
        return out;
    }

    /** The image's class index, or -1 when unlabelled. */
    public int label(int i) {
        return labels[i];
    }

    public boolean isShot(int i) {
        return shots[i];
    }

    /** The predicted class index of every image. */
    public int[] predictions() {
        return predictions.predictions();
    }

    /** The predicted class index of image {@code i}. */
    public int predicted(int i) {
        return predictions.predicted(i);
    }

    /** Cosine similarity of image i to its predicted class's prototype. */
    public float score(int i) {
        return predictions.score(i);
    }

    /** Cosine similarity of image {@code i} to class {@code k}'s prototype (calibrated where on). */
    public float similarity(int i, int k) {
        return predictions.similarity(i, k);
    }

    /** The second-best class of image {@code i}, or -1 with fewer than two classes. */
    public int runnerUp(int i) {
        return predictions.runnerUp(i);
    }

    /** How much nearer image {@code i} is to its predicted class than to the runner-up (infinite with one class). */
    public float margin(int i) {
        return predictions.margin(i);
    }

    /** Cosine similarity of image {@code i} to each class's prototype (calibrated where on), by class index. */
    public float[] similarities(int i) {
        return predictions.similarities(i);
    }

    /** As {@link #similarities} with the novel prototypes uncalibrated. */
    public float[] rawSimilarities(int i) {
        return predictions.rawSimilarities(i);
    }

    /** The prototype class {@code k} is predicted with: calibrated for a novel class when calibration is on. */
    public float[] prototype(int k) {
        return predictions.prototype(k);
    }

    /** The class's prototype before calibration: a base class's mean, a novel class's mean of shots. */
    public float[] rawPrototype(int k) {
        return predictions.rawPrototype(k);
    }

    /**
     * TEEN's softmax weights at the current tau over the base classes (in class order) for new
     * class {@code k}: how much its calibrated prototype borrows from each; null for a base class
     * or while there are no base classes.
     */
    public double[] calibrationWeights(int k) {
        return predictions.calibrationWeights(k);
    }

    public TeenCalibration calibration() {
        return predictions.calibration();
    }

    public boolean calibrationEnabled() {
        return predictions.calibrationEnabled();
    }

    public void setCalibration(TeenCalibration calibration) {
        state = null;
        predictions.setCalibration(calibration);
    }

    public void setCalibrationEnabled(boolean enabled) {
        state = null;
        predictions.setCalibrationEnabled(enabled);
    }

    /** How the new classes' prototypes are made. */
    public PrototypeHead head() {
        return head;
    }

    /** Another head: the prototypes are as calibrated until its refinement is {@link #applyRefinement applied}. */
    public void setHead(PrototypeHead next) {
        if (next == head) {
            return;
        }
        state = null;
        head = next;
        predictions.unrefine();
    }

    /**
     * The head's refined prototypes, made from the state whose predictions had {@code revision}.
     * Refused (false, nothing changes) when the head or anything the refinement read changed since.
     *
     * @param prototypes per class, its refined prototype (null for base classes)
     */
    public boolean applyRefinement(PrototypeHead madeBy, long revision, float[][] prototypes) {
        if (madeBy != head || !head.refines() || !predictions.refine(revision, prototypes)) {
            return false;
        }
        state = null;
        return true;
    }

    /**
     * @param images   labelled images of the class
     * @param shots    of them, shots
     * @param accuracy share of its labelled images that are no shots predicted as the class (NaN: none)
     */
    public record ClassStats(int images, int shots, int predicted, double accuracy) {
    }

    /** Per class, its images, shots and accuracy (see {@link WorkspaceState#classStats()}). */
    public List<ClassStats> classStats() {
        return state().classStats();
    }

    public ClassStats stats(int k) {
        return state().stats(k);
    }

    /** Share of evaluated new-class images predicted as a base class; NaN when there are none. */
    public double novelToBase() {
        return state().novelToBase();
    }

    /** Accuracy over every evaluated image (labelled, no shot); NaN when there are none. */
    public double accuracy() {
        return state().accuracy();
    }

    /** Whether image {@code i} counts in accuracies: labelled and no shot. */
    public boolean isEvaluated(int i) {
        return labels[i] >= 0 && !shots[i];
    }

    /** How many shots class {@code k} has. */
    public int shotCount(int k) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += labels[i] == k && shots[i] ? 1 : 0;
        }
        return count;
    }

    /** Every image's class by its raw prototype (novel classes uncalibrated), in image order. */
    public int[] rawPredictions() {
        return predictions.rawPredictions();
    }

    /** Every image's label (-1: unlabelled), in image order: a copy. */
    public int[] labels() {
        return Arrays.copyOf(labels, n);
    }

    /** Indices of the images whose label is {@code k}. */
    public List<Integer> imagesOf(int k) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (labels[i] == k) {
                out.add(i);
            }
        }
        return out;
    }
}
