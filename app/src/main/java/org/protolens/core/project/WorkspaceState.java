package org.protolens.core.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.Predictions;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.TeenCalibration;

/**
 * The workspace as it was after one change: its images, classes, labels, shots and marks, and what
 * was predicted then. Immutable, so that the views and the analyses read it on any thread while
 * the workspace goes on changing on its own; made by {@link Workspace#state()}.
 */
public final class WorkspaceState {
    private final Path dir;
    private final ProjectManifest manifest;
    private final List<String> classNames;
    private final List<Workspace.Kind> kinds;
    private final int n;
    private final int dim;
    private final int projectImages;
    private final List<Workspace.ImportedImage> imported;
    /** rows below n are never written again */
    private final float[] vectors;
    private final int[] labels;
    private final boolean[] shots;
    private final Map<Integer, Set<String>> rejected;
    private final Predictions predictions;
    private final PrototypeHead head;
    private final long labelling;
    private volatile List<Workspace.ClassStats> stats;
    /** accuracy and novel-to-base share, made on first use */
    private volatile double[] shares;

    WorkspaceState(Path dir, ProjectManifest manifest, List<String> classNames, List<Workspace.Kind> kinds, int n, int dim,
                   int projectImages, List<Workspace.ImportedImage> imported, float[] vectors, int[] labels, boolean[] shots,
                   Map<Integer, Set<String>> rejected, Predictions predictions, PrototypeHead head, long labelling) {
        this.dir = dir;
        this.manifest = manifest;
        this.classNames = List.copyOf(classNames);
        this.kinds = List.copyOf(kinds);
        this.n = n;
        this.dim = dim;
        this.projectImages = projectImages;
        this.imported = List.copyOf(imported);
        this.vectors = vectors;
        this.labels = Arrays.copyOf(labels, n);
        this.shots = Arrays.copyOf(shots, n);
        Map<Integer, Set<String>> marks = new HashMap<>();
        rejected.forEach((i, classes) -> marks.put(i, Set.copyOf(classes)));
        this.rejected = Map.copyOf(marks);
        this.predictions = predictions;
        this.head = head;
        this.labelling = labelling;
    }

    /** The same images, classes and labels with other predictions (the calibration changed): nothing is copied. */
    private WorkspaceState(WorkspaceState same, Predictions predictions, PrototypeHead head) {
        this.dir = same.dir;
        this.manifest = same.manifest;
        this.classNames = same.classNames;
        this.kinds = same.kinds;
        this.n = same.n;
        this.dim = same.dim;
        this.projectImages = same.projectImages;
        this.imported = same.imported;
        this.vectors = same.vectors;
        this.labels = same.labels;
        this.shots = same.shots;
        this.rejected = same.rejected;
        this.predictions = predictions;
        this.head = head;
        this.labelling = same.labelling;
    }

    /** This state's images, classes and labels with {@code predictions} (of the same images and classes). */
    WorkspaceState withPredictions(Predictions predictions, PrototypeHead head) {
        return new WorkspaceState(this, predictions, head);
    }

    public Path dir() {
        return dir;
    }

    public String name() {
        return manifest.name();
    }

    public ProjectManifest manifest() {
        return manifest;
    }

    /** The project's backbone folder. */
    public Path backboneDir() {
        return dir.resolve(manifest.backbone());
    }

    /** Class names, base classes first; a class's index is its position here. */
    public List<String> classNames() {
        return classNames;
    }

    public int classCount() {
        return classNames.size();
    }

    /** Whether class k is a base class (TEEN calibrates new classes towards base classes). */
    public boolean isBase(int k) {
        return kinds.get(k) != Workspace.Kind.NOVEL;
    }

    public Workspace.Kind kind(int k) {
        return kinds.get(k);
    }

    public int imageCount() {
        return n;
    }

    public int dim() {
        return dim;
    }

    /** Images the project was made with; imported images come after them. */
    public int projectImageCount() {
        return projectImages;
    }

    /**
     * Increases with every change of images, classes, labels, shots or marks, and stays when only
     * the calibration changed: what must be stored again.
     */
    public long labellingRevision() {
        return labelling;
    }

    /** The image's class index, or -1 when unlabelled. */
    public int label(int i) {
        Objects.checkIndex(i, n);
        return labels[i];
    }

    /** Every image's label (-1: unlabelled), in image order: a copy. */
    public int[] labels() {
        return labels.clone();
    }

    public boolean isShot(int i) {
        Objects.checkIndex(i, n);
        return shots[i];
    }

    /**
     * Whether image {@code i} counts in accuracies: labelled and no shot (a shot is what its
     * prototype is made of, so predicting it says nothing).
     */
    public boolean isEvaluated(int i) {
        return label(i) >= 0 && !shots[i];
    }

    /** The file of image i. */
    public Path imageFile(int i) {
        return dir.resolve(imagePath(i));
    }

    /** Image i's path as stored: relative to the project folder, or absolute for images imported from elsewhere. */
    public String imagePath(int i) {
        Objects.checkIndex(i, n);
        return i < projectImages ? manifest.images().get(i).path() : imported.get(i - projectImages).path();
    }

    /** Every image's path as stored, in image order. */
    public List<String> imagePaths() {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(imagePath(i));
        }
        return out;
    }

    /** The images added after the project was made, in order. */
    /**
     * How many images, from the first, are the same ones here and in {@code other}: all of the
     * shorter when images were only added or taken from the end (an import, its undo), fewer after
     * images were removed before others (the rest moved up).
     */
    public int sameImagesAs(WorkspaceState other) {
        int own = Math.min(projectImages, other.projectImages);
        int m = Math.min(imported.size(), other.imported.size());
        for (int j = 0; j < m; j++) {
            if (!imported.get(j).path().equals(other.imported.get(j).path())) {
                return own + j;
            }
        }
        return Math.min(n, other.n);
    }

    public List<Workspace.ImportedImage> imported() {
        return imported;
    }

    /** Whether the user said image {@code i} is not of class {@code k} ("not this class"). */
    public boolean isRejected(int i, int k) {
        Set<String> classes = rejected.get(i);
        return classes != null && classes.contains(classNames.get(k));
    }

    /** The classes the user said image {@code i} is not of, by name (empty for none). */
    public Set<String> rejectedClasses(int i) {
        Objects.checkIndex(i, n);
        return rejected.getOrDefault(i, Set.of());
    }

    /** Embedding of image i (a copy). */
    public float[] embedding(int i) {
        Objects.checkIndex(i, n);
        return Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim);
    }

    /** The embeddings of images {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public FloatMatrix embeddings(int from, int to) {
        Objects.checkFromToIndex(from, to, n);
        return new FloatMatrix(to - from, dim, Arrays.copyOfRange(vectors, from * dim, to * dim));
    }

    /** The embeddings of all images, one row each: the first rows of the workspace's array, not a copy. */
    public FloatMatrix embeddings() {
        return new FloatMatrix(n, dim, vectors);
    }

    /** What was predicted, with the similarities behind it. */
    public Predictions predictions() {
        return predictions;
    }

    /** The predicted class index of image {@code i}. */
    public int predicted(int i) {
        return predictions.predicted(i);
    }

    /** The predicted class index of every image: a copy. */
    public int[] predictedClasses() {
        return predictions.predictions();
    }

    /** Every image's class by its raw prototype (novel classes uncalibrated), in image order. */
    public int[] rawPredictions() {
        return predictions.rawPredictions();
    }

    /** Cosine similarity of image i to its predicted class's prototype. */
    public float score(int i) {
        return predictions.score(i);
    }

    /** How much nearer image {@code i} is to its predicted class than to the runner-up (infinite with one class). */
    public float margin(int i) {
        return predictions.margin(i);
    }

    /** The second-best class of image {@code i}, or -1 with fewer than two classes. */
    public int runnerUp(int i) {
        return predictions.runnerUp(i);
    }

    /** Cosine similarity of image {@code i} to class {@code k}'s prototype (calibrated where on). */
    public float similarity(int i, int k) {
        return predictions.similarity(i, k);
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

    /** TEEN's softmax weights over the base classes for new class {@code k}; null for a base class. */
    public double[] calibrationWeights(int k) {
        return predictions.calibrationWeights(k);
    }

    public TeenCalibration calibration() {
        return predictions.calibration();
    }

    public boolean calibrationEnabled() {
        return predictions.calibrationEnabled();
    }

    /** The base classes' raw prototypes, one row each in class order (0 rows without base classes). */
    public FloatMatrix basePrototypes() {
        int[] base = IntStream.range(0, classCount()).filter(this::isBase).toArray();
        float[] data = new float[base.length * dim];
        for (int b = 0; b < base.length; b++) {
            System.arraycopy(rawPrototype(base[b]), 0, data, b * dim, dim);
        }
        return new FloatMatrix(base.length, dim, data);
    }

    /** How the new classes' prototypes are made: as calibrated, or refined by a transductive head. */
    public PrototypeHead head() {
        return head;
    }

    /** The count of changes the predictions were made after, refinements not counted (a refinement is made for one). */
    public long predictionsRevision() {
        return predictions.revision();
    }

    /** Whether some new class is classified with a prototype the head refined. */
    public boolean refined() {
        return predictions.refined();
    }

    /**
     * Whether the head refines the prototypes but these predictions are not refined yet (the
     * refinement of this state runs in the background; until it lands the prototypes are as calibrated).
     */
    public boolean refining() {
        return head.refines() && !predictions.refined() && IntStream.range(0, classCount()).anyMatch(k -> !isBase(k));
    }

    /** Per class, its images, shots and accuracy, in one pass over the images (made on first use and kept). */
    public List<Workspace.ClassStats> classStats() {
        List<Workspace.ClassStats> s = stats;
        if (s == null) {
            count();
            s = stats;
        }
        return s;
    }

    public Workspace.ClassStats stats(int k) {
        return classStats().get(k);
    }

    /** Share of evaluated new-class images predicted as a base class; NaN when there are none. */
    public double novelToBase() {
        return shares()[1];
    }

    /** Accuracy pooled over every evaluated image (a class with more images weighs more); NaN when there are none. */
    public double accuracy() {
        return shares()[0];
    }

    /**
     * The mean over the classes with evaluated images of each one's recall (the share of its
     * evaluated images predicted as it): every class weighs alike, however many images it has, as
     * TEEN reports accuracy. NaN when nothing is evaluated.
     */
    public double classMeanAccuracy() {
        return shares()[2];
    }

    /** Accuracy, novel-to-base share and class-mean accuracy (made with the class statistics, on first use, and kept). */
    private double[] shares() {
        double[] out = shares;
        if (out == null) {
            count();
            out = shares;
        }
        return out;
    }

    /** Rows counted together: above two blocks, blocks are counted side by side. */
    private static final int COUNT_BLOCK = 1 << 16;

    /**
     * One pass over the images for the class statistics and the shares: per class (by label) its
     * images, shots, evaluated images, those predicted right and those predicted as a base class,
     * and per class the images predicted as it. Counts are whole numbers, so blocks counted side by
     * side add up to the same figures in any order.
     */
    private synchronized void count() {
        if (stats != null && shares != null) {
            return;
        }
        int c = classNames.size();
        boolean[] base = new boolean[c];
        for (int k = 0; k < c; k++) {
            base[k] = isBase(k);
        }
        int blocks = (n + COUNT_BLOCK - 1) / COUNT_BLOCK;
        int[][] parts = new int[Math.max(1, blocks)][];
        IntStream range = IntStream.range(0, blocks);
        (blocks > 2 ? range.parallel() : range)
                .forEach(b -> parts[b] = countRows(b * COUNT_BLOCK, Math.min(n, (b + 1) * COUNT_BLOCK), c, base));
        int[] sum = parts[0] == null ? new int[6 * c] : parts[0];
        for (int b = 1; b < blocks; b++) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += parts[b][j];
            }
        }
        List<Workspace.ClassStats> out = new ArrayList<>(c);
        int evaluated = 0;
        int ok = 0;
        int novel = 0;
        int toBase = 0;
        double recalls = 0;
        int counted = 0;
        for (int k = 0; k < c; k++) {
            int images = sum[k];
            int shotCount = sum[c + k];
            int evaluatedK = sum[2 * c + k];
            int correct = sum[3 * c + k];
            double accuracy = evaluatedK == 0 ? Double.NaN : (double) correct / evaluatedK;
            out.add(new Workspace.ClassStats(images, shotCount, sum[4 * c + k], accuracy));
            evaluated += evaluatedK;
            ok += correct;
            if (!base[k]) {
                novel += evaluatedK;
                toBase += sum[5 * c + k];
            }
            if (evaluatedK > 0) {
                recalls += (double) correct / evaluatedK;
                counted++;
            }
        }
        stats = List.copyOf(out);
        shares = new double[] {evaluated == 0 ? Double.NaN : (double) ok / evaluated, novel == 0 ? Double.NaN : (double) toBase / novel,
            counted == 0 ? Double.NaN : recalls / counted};
    }

    /** Rows {@code from} to {@code to} counted: images, shots, evaluated, correct, predicted-as and to-base, c values each. */
    private int[] countRows(int from, int to, int c, boolean[] base) {
        int[] out = new int[6 * c];
        for (int i = from; i < to; i++) {
            int p = predictions.predicted(i);
            if (p >= 0) {
                out[4 * c + p]++;
            }
            int k = labels[i];
            if (k < 0) {
                continue;
            }
            out[k]++;
            if (shots[i]) {
                out[c + k]++;
            } else {
                out[2 * c + k]++;
                out[3 * c + k] += p == k ? 1 : 0;
                out[5 * c + k] += p >= 0 && base[p] ? 1 : 0;
            }
        }
        return out;
    }

    /**
     * Makes the numbers every view shows now (per-class statistics, accuracy, novel-to-base share),
     * so that the thread that made this state pays for them instead of the one that shows it.
     */
    public WorkspaceState summarised() {
        count();
        return this;
    }

    /** Indices of the images whose label is {@code k}. */
    public int[] imagesOf(int k) {
        return IntStream.range(0, n).filter(i -> labels[i] == k).toArray();
    }

    /** How many images are unlabelled. */
    public int unlabelledCount() {
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += labels[i] < 0 ? 1 : 0;
        }
        return count;
    }

    /** What the catalog keeps of this state; {@code lastEdit} is logged with it (null: none). */
    public ProjectCatalog.Snapshot catalogSnapshot(String lastEdit) {
        List<ProjectCatalog.ClassRecord> added = new ArrayList<>();
        for (int k = 0; k < classNames.size(); k++) {
            if (kinds.get(k) != Workspace.Kind.BASE) {
                added.add(new ProjectCatalog.ClassRecord(classNames.get(k), kinds.get(k)));
            }
        }
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = labels[i] < 0 ? null : classNames.get(labels[i]);
        }
        String[] notThese = new String[n];
        rejected.forEach((i, classes) -> notThese[i] = String.join("\n", new TreeSet<>(classes)));
        return new ProjectCatalog.Snapshot(added, names, shots.clone(), notThese, imported,
                calibration().alpha(), calibration().tau(), calibrationEnabled(), head, lastEdit);
    }
}
