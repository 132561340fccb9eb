package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.LivePredictions;
import org.protolens.core.proto.TeenCalibration;

/**
 * The state the app shows: a project's images with their embeddings, labels and shots, its
 * classes, and the live predictions over them. Base prototypes come from the project; a novel
 * class's prototype is the mean of its shots, calibrated by TEEN. Base classes come first, then
 * novel ones; a class's index is its column in the live predictions.
 */
public final class Workspace {
    private final Path dir;
    private final ProjectManifest manifest;
    /** base classes first, then novel ones; a class's index is its column in {@link #predictions} */
    private final List<String> classNames = new ArrayList<>();
    private final List<Boolean> base = new ArrayList<>();
    private final FloatMatrix embeddings;
    private final int[] labels;
    private final boolean[] shots;
    private final LivePredictions predictions;

    private Workspace(Path dir, ProjectManifest manifest, FloatMatrix embeddings, FloatMatrix basePrototypes) {
        this.dir = dir;
        this.manifest = manifest;
        this.embeddings = embeddings;
        for (ProjectManifest.ClassEntry c : manifest.baseClasses()) {
            classNames.add(c.name());
            base.add(true);
        }
        for (ProjectManifest.ClassEntry c : manifest.classes()) {
            if (!c.isBase()) {
                classNames.add(c.name());
                base.add(false);
            }
        }
        int n = manifest.images().size();
        labels = new int[n];
        shots = new boolean[n];
        for (int i = 0; i < n; i++) {
            ProjectManifest.ImageEntry img = manifest.images().get(i);
            labels[i] = img.label() == null ? -1 : classNames.indexOf(img.label());
            shots[i] = img.shot();
        }
        var cal = manifest.calibration() == null ? TeenCalibration.defaults()
                : new TeenCalibration(manifest.calibration().alpha(), manifest.calibration().tau());
        predictions = new LivePredictions(embeddings, cal);
        for (int k = 0; k < classNames.size(); k++) {
            if (base.get(k)) {
                predictions.addBaseClass(basePrototypes.row(k));
            } else {
                predictions.addNovelClass(shotMean(k));
            }
        }
    }

    /** The state to store in the catalog; {@code lastEdit} is logged with it (null: none). */
    public ProjectCatalog.Snapshot snapshot(String lastEdit) {
        List<String> novel = new ArrayList<>();
        for (int k = 0; k < classNames.size(); k++) {
            if (!base.get(k)) {
                novel.add(classNames.get(k));
            }
        }
        String[] names = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            names[i] = labels[i] < 0 ? null : classNames.get(labels[i]);
        }
        return new ProjectCatalog.Snapshot(novel, names, shots.clone(), calibration().alpha(), calibration().tau(),
                calibrationEnabled(), lastEdit);
    }

    /**
     * Takes the novel classes, labels, shots and calibration of a stored snapshot.
     *
     * @throws IOException naming the catalog when the snapshot does not fit this project
     */
    public void restore(ProjectCatalog.Snapshot s, Path catalog) throws IOException {
        if (s.labels().length != labels.length) {
            throw new IOException(catalog + ": has " + s.labels().length + " images, the project " + labels.length);
        }
        for (int k = classNames.size() - 1; k >= 0; k--) {
            if (!base.get(k)) {
                removeClass(k);
            }
        }
        for (String name : s.novelClasses()) {
            int[] shotImages = java.util.stream.IntStream.range(0, labels.length)
                    .filter(i -> s.shots()[i] && name.equals(s.labels()[i])).toArray();
            if (shotImages.length == 0) {
                throw new IOException(catalog + ": class \"" + name + "\" has no shots");
            }
            addNovelClass(name, shotImages);
        }
        int[] all = java.util.stream.IntStream.range(0, labels.length).toArray();
        int[] newLabels = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            newLabels[i] = s.labels()[i] == null ? -1 : classNames.indexOf(s.labels()[i]);
            if (s.labels()[i] != null && newLabels[i] < 0) {
                throw new IOException(catalog + ": image " + i + " is labelled \"" + s.labels()[i] + "\", which is no class");
            }
        }
        setLabels(all, newLabels, s.shots());
        setCalibration(new TeenCalibration(s.alpha(), s.tau()));
        setCalibrationEnabled(s.calibrationOn());
    }

    /** Opens a project folder whose {@code project.json} stores its images' embeddings. */
    public static Workspace open(Path dir) throws IOException {
        ProjectManifest m = ProjectManifest.read(dir);
        FloatMatrix e = m.embeddings(dir);
        if (e == null) {
            throw new IOException(dir.resolve(ProjectManifest.FILE_NAME) + ": stores no embeddings of its images");
        }
        FloatMatrix protos = m.baseClasses().isEmpty() ? new FloatMatrix(0, e.cols(), new float[0]) : m.basePrototypes(dir);
        if (protos.cols() != e.cols()) {
            throw new IOException(dir.resolve(m.basePrototypes()) + ": base prototypes have " + protos.cols()
                    + " dimensions, the embeddings " + e.cols());
        }
        for (ProjectManifest.ClassEntry c : m.classes()) {
            if (!c.isBase() && m.images().stream().noneMatch(i -> i.shot() && c.name().equals(i.label()))) {
                throw new IOException(dir.resolve(ProjectManifest.FILE_NAME) + ": novel class \"" + c.name() + "\" has no shots");
            }
        }
        return new Workspace(dir, m, e, protos);
    }

    private float[] shotMean(int k) {
        float[] mean = new float[embeddings.cols()];
        int count = 0;
        for (int i = 0; i < labels.length; i++) {
            if (shots[i] && labels[i] == k) {
                float[] row = embeddings.row(i);
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += row[j];
                }
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= count;
        }
        return mean;
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

    /** Class names, base classes first; a class's index is its position here. */
    public List<String> classNames() {
        return java.util.Collections.unmodifiableList(classNames);
    }

    public boolean isBase(int k) {
        return base.get(k);
    }

    /**
     * Adds a novel class whose shots are {@code images} (they take its label); returns its index.
     *
     * @throws IllegalArgumentException for an empty or taken name, or no images
     */
    public int addNovelClass(String name, int[] images) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("a class needs a name");
        }
        if (classNames.contains(n)) {
            throw new IllegalArgumentException("there is a class named \"" + n + "\" already");
        }
        if (images.length == 0) {
            throw new IllegalArgumentException("a new class needs at least one shot");
        }
        // novel classes whose shots are taken keep at least one, and are re-averaged
        java.util.Map<Integer, Integer> taken = new java.util.HashMap<>();
        for (int i : images) {
            if (shots[i] && labels[i] >= 0) {
                taken.merge(labels[i], 1, Integer::sum);
            }
        }
        for (var e : taken.entrySet()) {
            if (stats(e.getKey()).shots() == e.getValue()) {
                throw new IllegalArgumentException("the selection holds every shot of \"" + classNames.get(e.getKey())
                        + "\"; a class needs at least one");
            }
        }
        classNames.add(n);
        base.add(false);
        int k = classNames.size() - 1;
        for (int i : images) {
            labels[i] = k;
            shots[i] = true;
        }
        predictions.addNovelClass(shotMean(k));
        for (int old : taken.keySet()) {
            predictions.setPrototype(old, shotMean(old));
        }
        return k;
    }

    /** Removes a novel class; its images become unlabelled and later classes' indices shift down by one. */
    public void removeClass(int k) {
        if (isBase(k)) {
            throw new IllegalArgumentException("base class \"" + classNames.get(k) + "\" has a fixed prototype");
        }
        classNames.remove(k);
        base.remove(k);
        for (int i = 0; i < labels.length; i++) {
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
     * Sets the label and shot flag of each listed image, and re-averages the prototypes of the
     * novel classes whose shots changed.
     */
    public void setLabels(int[] images, int[] newLabels, boolean[] newShots) {
        java.util.Set<Integer> touched = new java.util.HashSet<>();
        for (int j = 0; j < images.length; j++) {
            int i = images[j];
            if (shots[i] && labels[i] >= 0) {
                touched.add(labels[i]);
            }
            if (newShots[j] && newLabels[j] >= 0 && isBase(newLabels[j])) {
                throw new IllegalArgumentException("shots belong to novel classes");
            }
            labels[i] = newLabels[j];
            shots[i] = newShots[j];
            if (newShots[j]) {
                touched.add(newLabels[j]);
            }
        }
        for (int k : touched) {
            if (!isBase(k)) {
                float[] mean = shotMean(k);
                if (mean != null) {
                    predictions.setPrototype(k, mean);
                }
            }
        }
    }

    public int imageCount() {
        return labels.length;
    }

    public FloatMatrix embeddings() {
        return embeddings;
    }

    public Path imageFile(int i) {
        return dir.resolve(manifest.images().get(i).path());
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

    public TeenCalibration calibration() {
        return predictions.calibration();
    }

    public boolean calibrationEnabled() {
        return predictions.calibrationEnabled();
    }

    public void setCalibration(TeenCalibration calibration) {
        predictions.setCalibration(calibration);
    }

    public void setCalibrationEnabled(boolean enabled) {
        predictions.setCalibrationEnabled(enabled);
    }

    /**
     * @param images   labelled images of the class
     * @param shots    of them, shots
     * @param accuracy share of its labelled images that are no shots predicted as the class (NaN: none)
     */
    public record ClassStats(int images, int shots, int predicted, double accuracy) {
    }

    /** {@link #stats} of every class, in one pass over the images. */
    public List<ClassStats> classStats() {
        int c = classNames.size();
        int[] images = new int[c], shotCount = new int[c], evaluated = new int[c], correct = new int[c], predictedAs = new int[c];
        int[] predicted = predictions.predictions();
        for (int i = 0; i < labels.length; i++) {
            int p = predicted[i];
            predictedAs[p]++;
            int k = labels[i];
            if (k < 0) {
                continue;
            }
            images[k]++;
            if (shots[i]) {
                shotCount[k]++;
            } else {
                evaluated[k]++;
                correct[k] += p == k ? 1 : 0;
            }
        }
        List<ClassStats> out = new ArrayList<>(c);
        for (int k = 0; k < c; k++) {
            out.add(new ClassStats(images[k], shotCount[k], predictedAs[k],
                    evaluated[k] == 0 ? Double.NaN : (double) correct[k] / evaluated[k]));
        }
        return out;
    }

    public ClassStats stats(int k) {
        int images = 0, shotCount = 0, evaluated = 0, correct = 0, predictedAs = 0;
        for (int i = 0; i < labels.length; i++) {
            int p = predicted(i);
            predictedAs += p == k ? 1 : 0;
            if (labels[i] != k) {
                continue;
            }
            images++;
            if (shots[i]) {
                shotCount++;
            } else {
                evaluated++;
                correct += p == k ? 1 : 0;
            }
        }
        return new ClassStats(images, shotCount, predictedAs, evaluated == 0 ? Double.NaN : (double) correct / evaluated);
    }

    /** Share of labelled novel-class images (shots excluded) predicted as a base class; NaN when there are none. */
    public double novelToBase() {
        int novel = 0, toBase = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0 && !shots[i] && !isBase(labels[i])) {
                novel++;
                toBase += isBase(predicted(i)) ? 1 : 0;
            }
        }
        return novel == 0 ? Double.NaN : (double) toBase / novel;
    }

    /** Accuracy over every labelled image that is no shot; NaN when there are none. */
    public double accuracy() {
        int n = 0, ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= 0 && !shots[i]) {
                n++;
                ok += predicted(i) == labels[i] ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) ok / n;
    }

    /** Indices of the images whose label is {@code k}. */
    public List<Integer> imagesOf(int k) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == k) {
                out.add(i);
            }
        }
        return out;
    }
}
