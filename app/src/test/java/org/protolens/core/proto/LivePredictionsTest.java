package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protolens.core.FloatMatrix;

/**
 * Every incremental update must give what a full recomputation gives: TEEN-calibrate the novel
 * classes from scratch, then classify every embedding by cosine.
 */
class LivePredictionsTest {
    private static final int D = 24;

    private final List<float[]> protos = new ArrayList<>();
    private final List<Boolean> novel = new ArrayList<>();
    /** the refined prototypes the predictions should be using now (null: none) */
    private float[][] refined;

    @ParameterizedTest(name = "{0} embeddings")
    @ValueSource(ints = {3_000, 20_000}) // the second goes through the parallel path
    void incrementalUpdatesEqualFullRecomputation(int n) {
        Random rnd = new Random(42);
        float[][] centers = centres(rnd, 10);
        float[] x = around(rnd, centers, n);
        // the last rows arrive later, as imported images do
        int later = n / 3;
        FloatMatrix emb = new FloatMatrix(n, D, x);
        FloatMatrix first = new FloatMatrix(n - later, D, Arrays.copyOf(x, (n - later) * D));
        LivePredictions live = new LivePredictions(first, TeenCalibration.defaults());

        for (int b = 0; b < 6; b++) {
            addBase(live, centers[b]);
        }
        check(live, first);
        for (int k = 6; k < 10; k++) {
            addNovel(live, noisy(rnd, centers[k]));
            check(live, first);
        }
        // imported in uneven batches, with calibration on: same as having had them from the start
        int at = n - later;
        for (int size : new int[] {1, 7, later / 2, later}) {
            int to = Math.min(n, at + size);
            live.append(new FloatMatrix(to - at, D, Arrays.copyOfRange(x, at * D, to * D)));
            at = to;
            check(live, new FloatMatrix(at, D, Arrays.copyOf(x, at * D)));
        }
        assertEquals(n, live.size());
        assertEquals(n, live.predictions().length);
        setPrototype(live, 7, noisy(rnd, centers[7]));   // new shots for a novel class
        check(live, emb);
        setPrototype(live, 8, centers[2]);               // a novel class that looks like base class 2
        check(live, emb);
        live.setCalibration(new TeenCalibration(0.9, 16));  // alpha only
        check(live, emb);
        live.setCalibration(new TeenCalibration(0.9, 3));   // tau
        check(live, emb);
        live.setCalibrationEnabled(false);
        check(live, emb);
        live.setCalibrationEnabled(true);
        check(live, emb);
        setPrototype(live, 1, noisy(rnd, centers[1]));   // a base prototype moves: all weights change
        check(live, emb);
        remove(live, 6);                                  // a novel class removed
        check(live, emb);
        remove(live, 0);                                  // a base class removed
        check(live, emb);
        insert(live, 5, true, noisy(rnd, centers[6]));   // a removed novel class put back where it was
        check(live, emb);
        insert(live, 0, false, centers[0]);               // and a base class
        check(live, emb);
        // the same kinds of change made as one batch (how a project is opened): the same predictions
        live.batch(() -> {
            remove(live, 7);
            addNovel(live, noisy(rnd, centers[9]));
            setPrototype(live, 2, noisy(rnd, centers[2]));
            addBase(live, centers[3]);
            insert(live, 1, true, noisy(rnd, centers[4]));
            live.setCalibration(new TeenCalibration(0.3, 8));
            live.setCalibrationEnabled(false);
            live.setCalibrationEnabled(true);
        });
        check(live, emb);
    }

    /**
     * What {@link LivePredictions#current()} returned stays as it was while the predictions go on
     * changing (the views read it on another thread); an undone import (truncate) followed by
     * another import predicts as if the first had never happened.
     */
    @ParameterizedTest(name = "{0} embeddings")
    @ValueSource(ints = {3_000, 20_000})
    void publishedPredictionsNeverChangeAndTruncatedRowsCanBeReplaced(int n) {
        Random rnd = new Random(7);
        float[][] centers = centres(rnd, 8);
        float[] x = around(rnd, centers, n);
        int start = n / 2;
        LivePredictions live = new LivePredictions(new FloatMatrix(start, D, Arrays.copyOf(x, start * D)),
                TeenCalibration.defaults());
        for (int b = 0; b < 5; b++) {
            addBase(live, centers[b]);
        }
        addNovel(live, noisy(rnd, centers[5]));
        addNovel(live, noisy(rnd, centers[6]));
        List<Predictions> published = new ArrayList<>();
        List<int[]> predicted = new ArrayList<>();
        List<float[]> firstRow = new ArrayList<>();
        Consumer<LivePredictions> publish = l -> {
            Predictions p = l.current();
            published.add(p);
            predicted.add(p.predictions());
            firstRow.add(p.similarities(0));
        };
        publish.accept(live);
        live.setCalibration(new TeenCalibration(0.9, 16));
        publish.accept(live);
        live.setCalibration(new TeenCalibration(0.9, 4));
        publish.accept(live);
        setPrototype(live, 6, noisy(rnd, centers[2]));
        publish.accept(live);
        int imported = n / 4;
        live.append(new FloatMatrix(imported, D, Arrays.copyOfRange(x, start * D, (start + imported) * D)));
        publish.accept(live);
        // the import is undone, and other images are imported in its place
        live.truncate(start);
        publish.accept(live);
        live.append(new FloatMatrix(n - start - imported, D, Arrays.copyOfRange(x, (start + imported) * D, n * D)));
        publish.accept(live);
        live.setCalibrationEnabled(false);
        live.removeClass(5);
        protos.remove(5);
        novel.remove(5);
        for (int j = 0; j < published.size(); j++) {
            assertArrayEquals(predicted.get(j), published.get(j).predictions(), "predictions published at step " + j);
            assertArrayEquals(firstRow.get(j), published.get(j).similarities(0), "similarities published at step " + j);
        }
        assertEquals(start + imported, published.get(4).size());
        assertEquals(start, published.get(5).size());
        float[] kept = new float[start * D + (n - start - imported) * D];
        System.arraycopy(x, 0, kept, 0, start * D);
        System.arraycopy(x, (start + imported) * D, kept, start * D, (n - start - imported) * D);
        check(live, new FloatMatrix(kept.length / D, D, kept));
    }

    /**
     * A transductive head's refined prototypes classify the novel classes until the next change of
     * any kind, which takes them back to their own (calibrated) prototypes; a refinement made
     * before a change is refused.
     */
    @ParameterizedTest(name = "{0} embeddings")
    @ValueSource(ints = {3_000, 20_000})
    void refinedPrototypesHoldUntilTheNextChange(int n) {
        Random rnd = new Random(11);
        float[][] centers = centres(rnd, 8);
        float[] x = around(rnd, centers, n);
        FloatMatrix emb = new FloatMatrix(n, D, x);
        LivePredictions live = new LivePredictions(emb, TeenCalibration.defaults());
        for (int b = 0; b < 5; b++) {
            addBase(live, centers[b]);
        }
        for (int k = 5; k < 8; k++) {
            addNovel(live, noisy(rnd, noisy(rnd, centers[k])));
        }
        Predictions before = live.current();
        long revision = live.revision();
        float[][] better = new float[8][];
        for (int k = 5; k < 8; k++) {
            better[k] = centers[k].clone();
        }
        better[6] = null; // a class left as it is
        assertTrue(live.refine(revision, better));
        refined = better;
        check(live, emb);
        Predictions now = live.current();
        assertTrue(now.refined() && now.isRefined(5) && !now.isRefined(6) && !now.isRefined(0));
        assertEquals(revision, now.revision(), "a refinement is no change of the images, classes or calibration");
        assertTrue(!before.refined(), "what was published before stays as it was");
        assertArrayEquals(centers[5], now.prototype(5), 0f);

        live.setCalibration(new TeenCalibration(0.2, 16));
        refined = null;
        check(live, emb);
        assertTrue(!live.current().refined());
        assertTrue(now.refined(), "what was published refined stays refined");
        assertTrue(!live.refine(revision, better), "made before the change: refused");
        check(live, emb);

        // refined again, then any other change: a class's shots, an import, a class removed
        assertTrue(live.refine(live.revision(), better));
        refined = better;
        check(live, emb);
        setPrototype(live, 7, noisy(rnd, centers[7]));
        refined = null;
        check(live, emb);
        assertTrue(live.refine(live.revision(), better));
        live.append(new FloatMatrix(1, D, Arrays.copyOf(x, D)));
        assertTrue(!live.current().refined());
        assertTrue(live.refine(live.revision(), new float[8][]));
        assertTrue(!live.current().refined(), "no prototypes given: none refined");
    }

    /**
     * The raw predictions (every image's nearest raw prototype: the Novel -> base chart's "before
     * calibration") are the same for every alpha and tau, and follow a prototype's change; each
     * published set keeps the ones of its moment, whoever asks first.
     */
    @ParameterizedTest(name = "{0} embeddings")
    @ValueSource(ints = {3_000, 20_000})
    void rawPredictionsStayForAlphaAndFollowPrototypes(int n) {
        Random rnd = new Random(9);
        float[][] centers = centres(rnd, 8);
        FloatMatrix emb = new FloatMatrix(n, D, around(rnd, centers, n));
        LivePredictions live = new LivePredictions(emb, TeenCalibration.defaults());
        for (int b = 0; b < 5; b++) {
            addBase(live, centers[b]);
        }
        for (int k = 5; k < 8; k++) {
            addNovel(live, noisy(rnd, centers[k]));
        }
        Predictions before = live.current();
        int[] raw = before.rawPredictions();
        assertNearestRaw(emb, raw);
        for (double alpha : new double[] {0.1, 0.9}) {
            live.setCalibration(new TeenCalibration(alpha, 4));
            assertArrayEquals(raw, live.current().rawPredictions(), "alpha " + alpha);
        }
        setPrototype(live, 6, centers[1]);
        int[] moved = live.current().rawPredictions();
        assertNearestRaw(emb, moved);
        assertTrue(!Arrays.equals(raw, moved), "the moved prototype takes images");
        assertArrayEquals(raw, before.rawPredictions(), "published before the change: as they were");
    }

    @Test
    void theNearestAmongSomeClassesIsTheBestOfEachRowsSimilaritiesAmongThem() {
        // what the session table asks: among the classes seen by a session, for thousands of images
        Random rnd = new Random(12);
        int n = 9000;
        float[][] centers = centres(rnd, 8);
        FloatMatrix emb = new FloatMatrix(n, D, around(rnd, centers, n));
        LivePredictions live = new LivePredictions(emb, new TeenCalibration(0.7, 8));
        for (int b = 0; b < 5; b++) {
            addBase(live, centers[b]);
        }
        for (int k = 5; k < 8; k++) {
            addNovel(live, noisy(rnd, centers[k]));
        }
        Predictions p = live.current();
        int[] rows = IntStream.range(0, n).filter(i -> i % 3 != 1).toArray();
        for (int[] among : new int[][] {{0, 1, 2, 3, 4}, {0, 1, 2, 3, 4, 6}, {7, 2, 5}, {3}}) {
            for (boolean raw : new boolean[] {true, false}) {
                int[] nearest = p.nearestAmong(rows, among, raw);
                for (int j = 0; j < rows.length; j++) {
                    float[] sim = raw ? p.rawSimilarities(rows[j]) : p.similarities(rows[j]);
                    int best = 0;
                    for (int t = 1; t < among.length; t++) {
                        if (sim[among[t]] > sim[among[best]]) {
                            best = t;
                        }
                    }
                    assertEquals(best, nearest[j], Arrays.toString(among) + (raw ? " raw" : " calibrated") + ", image " + rows[j]);
                }
            }
        }
        int[] mixed = p.nearestAmong(rows, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, false);
        for (int j = 0; j < rows.length; j++) {
            assertEquals(p.predicted(rows[j]), mixed[j], "among every class: the prediction, image " + rows[j]);
        }
    }

    /** Every row with a clear winner is predicted as its nearest raw prototype. */
    private void assertNearestRaw(FloatMatrix emb, int[] raw) {
        CosineClassifier reference = new CosineClassifier(FloatMatrix.ofRows(protos.toArray(float[][]::new)));
        int compared = 0;
        for (int i = 0; i < emb.rows(); i++) {
            float[] sim = reference.similarities(emb.row(i));
            float[] sorted = sim.clone();
            Arrays.sort(sorted);
            if (sorted[sorted.length - 1] - sorted[sorted.length - 2] > 1e-4f) {
                assertEquals(sorted[sorted.length - 1], sim[raw[i]], "raw prediction of row " + i);
                compared++;
            }
        }
        assertTrue(compared > emb.rows() * 0.8, "most rows have a clear winner: " + compared);
    }

    private void addBase(LivePredictions live, float[] p) {
        assertEquals(protos.size(), live.addBaseClass(p));
        protos.add(p);
        novel.add(false);
    }

    private void addNovel(LivePredictions live, float[] p) {
        assertEquals(protos.size(), live.addNovelClass(p));
        protos.add(p);
        novel.add(true);
    }

    private void insert(LivePredictions live, int at, boolean isNovel, float[] p) {
        assertEquals(at, live.insertClass(at, isNovel, p));
        protos.add(at, p);
        novel.add(at, isNovel);
    }

    private void setPrototype(LivePredictions live, int k, float[] p) {
        live.setPrototype(k, p);
        protos.set(k, p);
    }

    private void remove(LivePredictions live, int k) {
        live.removeClass(k);
        protos.remove(k);
        novel.remove(k);
    }

    private void check(LivePredictions live, FloatMatrix emb) {
        List<float[]> base = new ArrayList<>();
        for (int k = 0; k < protos.size(); k++) {
            if (!novel.get(k)) {
                base.add(protos.get(k));
            }
        }
        TeenCalibration cal = live.calibration();
        var basis = new TeenCalibration.Basis(FloatMatrix.ofRows(base.toArray(float[][]::new)));
        float[][] used = new float[protos.size()][];
        for (int k = 0; k < used.length; k++) {
            used[k] = refined != null && refined[k] != null ? refined[k]
                    : novel.get(k) && live.calibrationEnabled() ? cal.calibrate(basis, protos.get(k)).calibrated() : protos.get(k);
            assertArrayEquals(used[k], live.prototype(k), 1e-6f);
        }
        CosineClassifier reference = new CosineClassifier(FloatMatrix.ofRows(used));
        int[] expected = reference.predict(emb);
        int compared = 0;
        for (int i = 0; i < emb.rows(); i++) {
            float[] s = reference.similarities(emb.row(i));
            assertArrayEquals(s, live.similarities(i), 2e-5f, "similarities of row " + i);
            float[] sorted = s.clone();
            Arrays.sort(sorted);
            if (sorted[sorted.length - 1] - sorted[sorted.length - 2] > 1e-4f) {
                assertEquals(expected[i], live.predicted(i), "prediction of row " + i);
                assertEquals(sorted[sorted.length - 1], live.score(i), 2e-5f);
                assertEquals(sorted[sorted.length - 1] - sorted[sorted.length - 2], live.margin(i), 4e-5f);
                compared++;
            }
        }
        assertTrue(compared > emb.rows() * 0.8, "most rows have a clear winner: " + compared);
    }

    private static float[][] centres(Random rnd, int k) {
        float[][] centers = new float[k][];
        for (int c = 0; c < k; c++) {
            centers[c] = gaussian(rnd, D, 1);
        }
        return centers;
    }

    /** n rows of D values, each around a centre chosen at random. */
    private static float[] around(Random rnd, float[][] centers, int n) {
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            float[] c = centers[rnd.nextInt(centers.length)];
            for (int j = 0; j < D; j++) {
                x[i * D + j] = c[j] + 0.8f * (float) rnd.nextGaussian();
            }
        }
        return x;
    }

    private static float[] gaussian(Random rnd, int d, double scale) {
        float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            v[j] = (float) (scale * rnd.nextGaussian());
        }
        return v;
    }

    private static float[] noisy(Random rnd, float[] center) {
        float[] v = center.clone();
        for (int j = 0; j < v.length; j++) {
            v[j] += 0.4f * (float) rnd.nextGaussian();
        }
        return v;
    }
}
