package org.protolens.core.shortcut;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.TeenCalibration;

/**
 * Does a backbone, and the prototypes built on it, follow the shortcut? On a shortcut dataset's
 * embeddings: base classes get the mean of half their images (drawn with a seed) as prototype,
 * new classes the mean of K shots, calibrated by TEEN or not (alpha = 0); every other image is
 * predicted by the nearest prototype, and {@link ShortcutBias} says how the predictions of the
 * conflict images split between shape and shortcut, for all of them and for the new classes' alone
 * (where TEEN borrows from the base prototypes, and may carry their shortcut into the new class).
 *
 * <p>The predictivities that set the optimal classifier's reliance are measured on the dataset
 * (the share of images whose shape, and whose shortcut, is their label's).
 */
public final class ShortcutReport {
    private ShortcutReport() {
    }

    /**
     * @param raw        alpha = 0: every prototype the mean of its images or shots
     * @param calibrated the new classes' prototypes calibrated with {@code calibration}
     * @param rawNovel   {@code raw} over the new classes' images only (null without new classes)
     */
    public record Result(List<String> classes, List<String> novelClasses, int shots, long seed, TeenCalibration calibration,
                         double coreP, double shortcutQ, int evaluated, ShortcutBias.Report raw, ShortcutBias.Report calibrated,
                         ShortcutBias.Report rawNovel, ShortcutBias.Report calibratedNovel) {
    }

    /**
     * @param items       the dataset's images (its manifest), in the order of {@code embeddings}' rows
     * @param novel       the classes made from {@code shots} shots (the others are base classes)
     */
    public static Result of(List<ShortcutDataset.Item> items, FloatMatrix embeddings, Set<String> novel, int shots, long seed,
                            TeenCalibration calibration) {
        if (items.size() != embeddings.rows()) {
            throw new IllegalArgumentException(items.size() + " images but " + embeddings.rows() + " embeddings");
        }
        int classes = 0;
        for (ShortcutDataset.Item it : items) {
            classes = Math.max(classes, Math.max(it.label(), Math.max(it.core(), it.shortcut())) + 1);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(ShortcutDataset.className(c));
        }
        for (String n : novel) {
            if (!names.contains(n)) {
                throw new IllegalArgumentException("\"" + n + "\" is not a class of the dataset: " + names);
            }
        }
        if (novel.size() >= classes) {
            throw new IllegalArgumentException("at least one class must stay a base class (TEEN calibrates towards them)");
        }
        if (shots < 1) {
            throw new IllegalArgumentException("a new class needs at least 1 shot, not " + shots);
        }
        int d = embeddings.cols();
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] evaluated = new boolean[items.size()];
        float[] protos = new float[classes * d];
        List<Integer> novelIndex = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).label() == c) {
                    members.add(i);
                }
            }
            // Fisher-Yates with the seed: which images build the prototype
            for (int j = members.size() - 1; j > 0; j--) {
                int k = random.nextInt(j + 1);
                members.set(j, members.set(k, members.get(j)));
            }
            boolean isNovel = novel.contains(names.get(c));
            int take = isNovel ? shots : members.size() / 2;
            if (members.size() <= take || take == 0) {
                throw new IllegalArgumentException("class \"" + names.get(c) + "\" has " + members.size() + " images: too few for "
                        + (isNovel ? shots + " shots" : "a prototype from half of them") + " and images left to predict");
            }
            for (int j = 0; j < members.size(); j++) {
                int i = members.get(j);
                if (j < take) {
                    for (int t = 0; t < d; t++) {
                        protos[c * d + t] += embeddings.data()[embeddings.offset(i) + t] / take;
                    }
                } else {
                    evaluated[i] = true;
                }
            }
            if (isNovel) {
                novelIndex.add(c);
            }
        }
        FloatMatrix raw = new FloatMatrix(classes, d, protos);
        FloatMatrix calibratedProtos = raw;
        if (!novelIndex.isEmpty()) {
            int[] baseRows = IntStream.range(0, classes).filter(c -> !novelIndex.contains(c)).toArray();
            int[] novelRows = novelIndex.stream().mapToInt(Integer::intValue).toArray();
            FloatMatrix cal = calibration.calibrateAll(raw.selectRows(baseRows), raw.selectRows(novelRows));
            float[] all = protos.clone();
            for (int j = 0; j < novelRows.length; j++) {
                System.arraycopy(cal.data(), cal.offset(j), all, novelRows[j] * d, d);
            }
            calibratedProtos = new FloatMatrix(classes, d, all);
        }
        int[] rawPred = new CosineClassifier(raw).predict(embeddings);
        int[] calPred = new CosineClassifier(calibratedProtos).predict(embeddings);
        double p = items.stream().filter(i -> i.core() == i.label()).count() / (double) items.size();
        double q = items.stream().filter(i -> i.shortcut() == i.label()).count() / (double) items.size();
        int count = 0;
        for (boolean e : evaluated) {
            count += e ? 1 : 0;
        }
        int n = classes;
        return new Result(names, novelIndex.stream().map(names::get).toList(), shots, seed, calibration, p, q, count,
                report(items, evaluated, rawPred, p, q, n, -1, novelIndex), report(items, evaluated, calPred, p, q, n, -1, novelIndex),
                novelIndex.isEmpty() ? null : report(items, evaluated, rawPred, p, q, n, 1, novelIndex),
                novelIndex.isEmpty() ? null : report(items, evaluated, calPred, p, q, n, 1, novelIndex));
    }

    /** The report over the evaluated images (onlyNovel 1: of new classes only; -1: all). */
    private static ShortcutBias.Report report(List<ShortcutDataset.Item> items, boolean[] evaluated, int[] predicted, double p, double q,
                                              int classes, int onlyNovel, List<Integer> novel) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (evaluated[i] && (onlyNovel < 0 || novel.contains(items.get(i).label()))) {
                rows.add(i);
            }
        }
        int[] label = new int[rows.size()];
        int[] core = new int[rows.size()];
        int[] shortcut = new int[rows.size()];
        int[] pred = new int[rows.size()];
        for (int j = 0; j < rows.size(); j++) {
            ShortcutDataset.Item it = items.get(rows.get(j));
            label[j] = it.label();
            core[j] = it.core();
            shortcut[j] = it.shortcut();
            pred[j] = predicted[rows.get(j)];
        }
        return ShortcutBias.of(label, core, shortcut, pred, p, q, classes);
    }

    /**
     * The report as JSON (what {@code protolens shortcut-report} writes, less the dataset and
     * backbone it names): classes, shots, seed, alpha, tau, the measured predictivities and each
     * reading's figures (null where a share has no images).
     */
    public static ObjectNode json(Result r) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode classes = json.putArray("classes");
        r.classes().forEach(classes::add);
        ArrayNode novel = json.putArray("novel_classes");
        r.novelClasses().forEach(novel::add);
        json.put("shots", r.shots());
        json.put("seed", r.seed());
        json.put("alpha", r.calibration().alpha());
        json.put("tau", r.calibration().tau());
        json.put("core_predictivity", r.coreP());
        json.put("shortcut_predictivity", r.shortcutQ());
        json.put("evaluated_images", r.evaluated());
        json.set("alpha0", json(r.raw()));
        json.set("teen", json(r.calibrated()));
        if (r.rawNovel() != null) {
            json.set("novel_alpha0", json(r.rawNovel()));
            json.set("novel_teen", json(r.calibratedNovel()));
        }
        return json;
    }

    /** One reading's figures as JSON. */
    public static ObjectNode json(ShortcutBias.Report r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("aligned", r.aligned());
        n.put("conflicts", r.conflicts());
        put(n, "aligned_accuracy", r.alignedAccuracy());
        put(n, "conflict_accuracy", r.conflictAccuracy());
        put(n, "shortcut_share", r.shortcutShare());
        put(n, "core_share", r.coreShare());
        put(n, "reliance", r.reliance());
        put(n, "optimal_reliance", r.optimalReliance());
        put(n, "bias", r.bias());
        return n;
    }

    private static void put(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }
}
