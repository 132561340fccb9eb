package org.protolens.core.proto;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The live predictions as they were at one moment: immutable, so that any thread may read them
 * while {@link LivePredictions} goes on changing (the views read one of these while the next
 * re-prediction runs). Made by {@link LivePredictions#current()}; it shares the arrays of that
 * moment, which {@link LivePredictions} never writes again (it writes new ones instead).
 */
public final class Predictions {
    /** Rows scanned per task, class by class: a block of every column stays in the cache */
    private static final int ROW_BLOCK = 4096;

    /**
     * One class at that moment: cos(x, p) = a x.c + b x.delta (b = 0 for base classes and when
     * calibration is off), or the refined column x.r where a transductive head refined it.
     */
    record Column(boolean novel, float[] rawPrototype, float[] dot, float[] dotDelta, float a, float b,
                  TeenCalibration.Result result, float[] refined, float[] refinedDot) {
    }

    private static final int PARALLEL_ROWS = 16_384;

    private final int n;
    private final int d;
    /** the rows as given (x_i * inv[i] is unit length); rows below n are never written again */
    private final float[] x;
    private final float[] inv;
    private final Column[] classes;
    private final int[] best;
    private final int[] second;
    private final float[] bestScore;
    private final float[] secondScore;
    private final TeenCalibration calibration;
    private final boolean calibrationEnabled;
    private final long revision;
    private final Raw raw;

    Predictions(int n, int d, float[] x, float[] inv, Column[] classes, int[] best, int[] second, float[] bestScore, float[] secondScore,
                TeenCalibration calibration, boolean calibrationEnabled, Raw raw, long revision) {
        this.n = n;
        this.d = d;
        this.x = x;
        this.inv = inv;
        this.classes = classes;
        this.best = best;
        this.second = second;
        this.bestScore = bestScore;
        this.secondScore = secondScore;
        this.calibration = calibration;
        this.calibrationEnabled = calibrationEnabled;
        this.raw = raw;
        this.revision = revision;
    }

    /** The count of changes these were made after ({@link LivePredictions#revision}); refinements do not count. */
    public long revision() {
        return revision;
    }

    /** Whether some novel class is classified with a refined prototype (a transductive head's). */
    public boolean refined() {
        for (Column c : classes) {
            if (c.refined() != null) {
                return true;
            }
        }
        return false;
    }

    /** Whether class k is classified with a refined prototype. */
    public boolean isRefined(int k) {
        return classes[k].refined() != null;
    }

    /** How many embeddings were predicted. */
    public int size() {
        return n;
    }

    public int dim() {
        return d;
    }

    public int classCount() {
        return classes.length;
    }

    public boolean isNovel(int k) {
        return classes[k].novel();
    }

    public TeenCalibration calibration() {
        return calibration;
    }

    public boolean calibrationEnabled() {
        return calibrationEnabled;
    }

    /** Predicted class of embedding i, or -1 while there are no classes. */
    public int predicted(int i) {
        Objects.checkIndex(i, n);
        return best[i];
    }

    /** Cosine similarity of embedding i to its predicted class's prototype. */
    public float score(int i) {
        Objects.checkIndex(i, n);
        return bestScore[i];
    }

    /** Second-best class of embedding i, or -1 with fewer than two classes. */
    public int runnerUp(int i) {
        Objects.checkIndex(i, n);
        return second[i];
    }

    /** Difference between the best and second-best similarity (infinite with one class). */
    public float margin(int i) {
        Objects.checkIndex(i, n);
        return bestScore[i] - secondScore[i];
    }

    /** Every embedding's predicted class, a copy. */
    public int[] predictions() {
        return Arrays.copyOf(best, n);
    }

    /**
     * The class every embedding is nearest to by its raw prototype (a novel class's mean of shots,
     * uncalibrated: TEEN at alpha = 0), a copy; -1 while there are no classes. Computed on first
     * use and kept.
     */
    public int[] rawPredictions() {
        int[] known = raw.value;
        if (known == null) {
            known = computeRawPredictions();
            raw.value = known;
        }
        return known.clone();
    }

    /**
     * Raw predictions shared by the predictions made while the classes' raw prototypes and the
     * images stay the same (alpha and tau do not change them): computed by the first to need them.
     * Two readers may compute them at once; both get the same.
     */
    static final class Raw {
        volatile int[] value;
    }

    private int[] computeRawPredictions() {
        int[] out = new int[n];
        // class by class through each chunk of rows, so that every column is read front to back;
        // a later class takes a row only with a higher score, as a row-by-row scan would decide
        IntStream.range(0, (n + ROW_BLOCK - 1) / ROW_BLOCK).parallel().forEach(ch -> {
            int from = ch * ROW_BLOCK;
            int to = Math.min(n, from + ROW_BLOCK);
            float[] topScore = new float[to - from];
            Arrays.fill(topScore, Float.NEGATIVE_INFINITY);
            Arrays.fill(out, from, to, -1);
            for (int k = 0; k < classes.length; k++) {
                float[] dot = classes[k].dot();
                for (int i = from; i < to; i++) {
                    float v = dot[i];
                    if (v > topScore[i - from]) {
                        topScore[i - from] = v;
                        out[i] = k;
                    }
                }
            }
        });
        return out;
    }

    /**
     * For each of the embeddings {@code rows}, the position in {@code among} of the class it is
     * most similar to among those classes alone (ties: the earlier position), by the similarities
     * as calibrated then or, with {@code raw}, before calibration. The same answer as comparing
     * {@link #similarities} (or {@link #rawSimilarities}) row by row, read class by class through
     * blocks of rows instead of one small array per row.
     */
    public int[] nearestAmong(int[] rows, int[] among, boolean raw) {
        int[] out = new int[rows.length];
        if (among.length == 0) {
            Arrays.fill(out, -1);
            return out;
        }
        for (int i : rows) {
            Objects.checkIndex(i, n);
        }
        IntStream.range(0, (rows.length + ROW_BLOCK - 1) / ROW_BLOCK).parallel().forEach(ch -> {
            int from = ch * ROW_BLOCK;
            int to = Math.min(rows.length, from + ROW_BLOCK);
            float[] top = new float[to - from];
            for (int t = 0; t < among.length; t++) {
                Column c = classes[among[t]];
                for (int j = from; j < to; j++) {
                    float v = raw ? c.dot()[rows[j]] : score(c, rows[j]);
                    if (t == 0 || v > top[j - from]) {
                        top[j - from] = v;
                        out[j] = t;
                    }
                }
            }
        });
        return out;
    }

    /** Cosine similarity of embedding i to class k's prototype, as calibrated then. */
    public float similarity(int i, int k) {
        Objects.checkIndex(i, n);
        return score(classes[k], i);
    }

    /** Cosine similarity of embedding i to every prototype, as calibrated then. */
    public float[] similarities(int i) {
        Objects.checkIndex(i, n);
        float[] s = new float[classes.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = score(classes[k], i);
        }
        return s;
    }

    /** Raw (uncalibrated) cosine similarity of embedding i to every class's raw prototype. */
    public float[] rawSimilarities(int i) {
        Objects.checkIndex(i, n);
        float[] s = new float[classes.length];
        for (int k = 0; k < s.length; k++) {
            s[k] = classes[k].dot()[i];
        }
        return s;
    }

    /** Cosine similarity of every embedding to class k's prototype, as calibrated then, in embedding order. */
    public float[] similaritiesTo(int k) {
        Column c = classes[k];
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = score(c, i);
        }
        return out;
    }

    /** The prototype a class is classified with: refined, or calibrated for novel classes when enabled. */
    public float[] prototype(int k) {
        Column c = classes[k];
        return c.refined() != null ? c.refined().clone() : calibratedPrototype(k);
    }

    /** The prototype a class has before any refinement: calibrated for novel classes when enabled. */
    public float[] calibratedPrototype(int k) {
        Column c = classes[k];
        if (c.novel() && calibrationEnabled && c.result() != null) {
            return c.result().calibrated().clone();
        }
        return c.rawPrototype().clone();
    }

    /** The raw prototype of class k: a base class's mean, a novel class's mean of shots. */
    public float[] rawPrototype(int k) {
        return classes[k].rawPrototype().clone();
    }

    /** TEEN's softmax weights over the base classes for novel class k (null for a base class). */
    public double[] calibrationWeights(int k) {
        Column c = classes[k];
        return c.result() == null ? null : c.result().weights().clone();
    }

    /**
     * Cosine similarity of embedding i to every embedding, in embedding order (one pass over the
     * embeddings).
     */
    public float[] cosines(int i) {
        Objects.checkIndex(i, n);
        float[] out = new float[n];
        float[][] unit = {new float[d]};
        for (int j = 0; j < d; j++) {
            unit[0][j] = x[i * d + j] * inv[i];
        }
        float[][] cols = {out};
        if (n < PARALLEL_ROWS) {
            L2.columns(x, d, inv, 0, n, unit, cols);
        } else {
            IntStream.range(0, (n + ROW_BLOCK - 1) / ROW_BLOCK).parallel()
                    .forEach(ch -> L2.columns(x, d, inv, ch * ROW_BLOCK, Math.min(n, ch * ROW_BLOCK + ROW_BLOCK), unit, cols));
        }
        return out;
    }

    private static float score(Column c, int i) {
        if (c.refinedDot() != null) {
            return c.refinedDot()[i];
        }
        if (c.b() == 0) {
            return c.a() * c.dot()[i];
        }
        return c.a() * c.dot()[i] + c.b() * c.dotDelta()[i];
    }
}
