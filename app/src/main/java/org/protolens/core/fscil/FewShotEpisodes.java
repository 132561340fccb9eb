package org.protolens.core.fscil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.TeenCalibration;

/**
 * Few-shot episodes, TEEN's second setting and the few-shot papers' benchmark: each episode
 * draws N classes (ways) at random among those with at least K + Q labelled rows, then K shots and
 * Q queries of each, and classifies the N x Q queries among the N classes by cosine to each
 * head's prototypes. Heads: NCM (the shot means), TEEN (the shot means calibrated towards the
 * base prototypes, when there are base prototypes), and the transductive soft k-means and TIM,
 * whose unlabelled images are the episode's queries (their labels unread) and which compete
 * among the episode's classes only. An episode's accuracy is the share of its queries predicted
 * right; a head's figure is the mean over the episodes with a 95% confidence interval of
 * 1.96 std / sqrt(episodes) (std with n - 1), as the papers report it. Seeded: the same seed
 * draws the same episodes on every machine.
 */
public final class FewShotEpisodes {
    private FewShotEpisodes() {
    }

    /** The episodes asked for. */
    public record Setting(int ways, int shots, int queries, int episodes, long seed) {
        public Setting {
            if (ways < 2) {
                throw new IllegalArgumentException("ways must be at least 2 (got " + ways + ")");
            }
            if (shots < 1) {
                throw new IllegalArgumentException("shots must be at least 1 (got " + shots + ")");
            }
            if (queries < 1) {
                throw new IllegalArgumentException("queries must be at least 1 (got " + queries + ")");
            }
            if (episodes < 1) {
                throw new IllegalArgumentException("episodes must be at least 1 (got " + episodes + ")");
            }
        }
    }

    /** One head over every episode: each episode's accuracy, their mean, std and 95% interval. */
    public record HeadResult(FscilEvaluation.Head head, double[] accuracies, double mean, double std, double ci95) {
        static HeadResult of(FscilEvaluation.Head head, double[] accuracies) {
            List<Double> values = new ArrayList<>(accuracies.length);
            for (double a : accuracies) {
                values.add(a);
            }
            FscilDraws.Stat s = FscilDraws.Stat.of(values);
            return new HeadResult(head, accuracies, s.mean(), s.std(), 1.96 * s.std() / Math.sqrt(accuracies.length));
        }
    }

    /** What the episodes measured; {@code classes} are the labels that could be drawn. */
    public record Report(Setting setting, int[] classes, List<HeadResult> heads) {
    }

    /** The heads measured: those that need base prototypes only when there are some. */
    public static List<FscilEvaluation.Head> heads(boolean withBase) {
        return withBase ? List.of(FscilEvaluation.Head.values())
                : List.of(FscilEvaluation.Head.NCM, FscilEvaluation.Head.SOFT_KMEANS_NCM);
    }

    /**
     * @param x       labelled embeddings, one row per image
     * @param y       their labels
     * @param among   the labels episodes may draw (null: every label in {@code y})
     * @param base    base prototypes for TEEN (null: no TEEN, and no head started from it)
     */
    public static Report run(FloatMatrix x, int[] y, int[] among, FloatMatrix base, TeenCalibration calibration, Setting setting) {
        return run(x, y, among, base, null, calibration, setting, () -> false);
    }

    /**
     * As {@link #run(FloatMatrix, int[], int[], FloatMatrix, TeenCalibration, Setting)}, where the
     * base prototypes may be those of classes episodes also draw (a project's base classes).
     *
     * @param baseLabels per base prototype, the label of the class it is the prototype of (-1: none
     *                   of {@code y}'s); an episode's TEEN leaves out those of the classes it draws
     * @param cancelled  asked between episodes; true stops with a {@link java.util.concurrent.CancellationException}
     */
    public static Report run(FloatMatrix x, int[] y, int[] among, FloatMatrix base, int[] baseLabels, TeenCalibration calibration,
                             Setting setting, BooleanSupplier cancelled) {
        if (x.rows() != y.length) {
            throw new IllegalArgumentException(x.rows() + " embeddings but " + y.length + " labels");
        }
        if (base != null && base.cols() != x.cols()) {
            throw new IllegalArgumentException("base prototypes have " + base.cols() + " dimensions but the embeddings " + x.cols());
        }
        Map<Integer, List<Integer>> rowsOf = new TreeMap<>();
        for (int i = 0; i < y.length; i++) {
            rowsOf.computeIfAbsent(y[i], k -> new ArrayList<>()).add(i);
        }
        List<Integer> eligible = new ArrayList<>();
        int needed = setting.shots() + setting.queries();
        for (int label : among == null ? rowsOf.keySet().stream().mapToInt(Integer::intValue).toArray() : among) {
            List<Integer> rows = rowsOf.get(label);
            if (rows != null && rows.size() >= needed && !eligible.contains(label)) {
                eligible.add(label);
            }
        }
        if (eligible.size() < setting.ways()) {
            throw new IllegalArgumentException(setting.ways() + "-way episodes need " + setting.ways() + " classes with at least "
                    + needed + " images (" + setting.shots() + " shots + " + setting.queries() + " queries); "
                    + eligible.size() + " have that many");
        }
        List<FscilEvaluation.Head> heads = heads(base != null);
        Map<FscilEvaluation.Head, double[]> accuracies = new EnumMap<>(FscilEvaluation.Head.class);
        for (FscilEvaluation.Head h : heads) {
            accuracies.put(h, new double[setting.episodes()]);
        }
        int d = x.cols();
        FloatMatrix noBase = new FloatMatrix(0, d, new float[0]);
        Random random = new Random(setting.seed());
        for (int e = 0; e < setting.episodes(); e++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            List<Integer> classes = new ArrayList<>(eligible);
            Collections.shuffle(classes, random);
            List<FloatMatrix> shots = new ArrayList<>();
            int[] queryRows = new int[setting.ways() * setting.queries()];
            int[] truth = new int[queryRows.length];
            for (int w = 0; w < setting.ways(); w++) {
                List<Integer> rows = new ArrayList<>(rowsOf.get(classes.get(w)));
                Collections.shuffle(rows, random);
                int[] shotRows = rows.subList(0, setting.shots()).stream().mapToInt(Integer::intValue).toArray();
                shots.add(x.selectRows(shotRows));
                for (int q = 0; q < setting.queries(); q++) {
                    queryRows[w * setting.queries() + q] = rows.get(setting.shots() + q);
                    truth[w * setting.queries() + q] = w;
                }
            }
            FloatMatrix queries = x.selectRows(queryRows);
            FloatMatrix ncm = means(shots, d);
            FloatMatrix teen = null;
            if (base != null) {
                // with no base class left to calibrate towards, TEEN leaves the shot means as they are
                FloatMatrix towards = baseWithout(base, baseLabels, classes.subList(0, setting.ways()));
                teen = towards.rows() == 0 ? ncm : calibration.calibrateAll(towards, ncm);
            }
            for (FscilEvaluation.Head h : heads) {
                // the transductive heads compete among the episode's classes only
                int[] predicted = new CosineClassifier(h.prototypes(noBase, ncm, teen, shots, queries)).predict(queries);
                int right = 0;
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == truth[i]) {
                        right++;
                    }
                }
                accuracies.get(h)[e] = (double) right / predicted.length;
            }
        }
        List<HeadResult> results = new ArrayList<>();
        for (FscilEvaluation.Head h : heads) {
            results.add(HeadResult.of(h, accuracies.get(h)));
        }
        return new Report(setting, eligible.stream().mapToInt(Integer::intValue).toArray(), results);
    }

    /** The base prototypes but those of the episode's classes. */
    private static FloatMatrix baseWithout(FloatMatrix base, int[] baseLabels, List<Integer> drawn) {
        if (baseLabels == null) {
            return base;
        }
        int[] keep = IntStream.range(0, base.rows()).filter(r -> !drawn.contains(baseLabels[r])).toArray();
        return keep.length == base.rows() ? base : base.selectRows(keep);
    }

    private static FloatMatrix means(List<FloatMatrix> shots, int d) {
        float[] out = new float[shots.size() * d];
        for (int c = 0; c < shots.size(); c++) {
            FloatMatrix s = shots.get(c);
            double[] sum = new double[d];
            for (int r = 0; r < s.rows(); r++) {
                for (int j = 0; j < d; j++) {
                    sum[j] += s.data()[s.offset(r) + j];
                }
            }
            for (int j = 0; j < d; j++) {
                out[c * d + j] = (float) (sum[j] / s.rows());
            }
        }
        return new FloatMatrix(shots.size(), d, out);
    }
}
