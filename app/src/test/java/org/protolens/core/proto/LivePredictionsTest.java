package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

    @ParameterizedTest(name = "{0} embeddings")
    @ValueSource(ints = {3_000, 20_000}) // the second goes through the parallel path
    void incrementalUpdatesEqualFullRecomputation(int n) {
        Random rnd = new Random(42);
        float[][] centers = new float[10][];
        for (int c = 0; c < centers.length; c++) {
            centers[c] = gaussian(rnd, D, 1);
        }
        float[] x = new float[n * D];
        for (int i = 0; i < n; i++) {
            float[] c = centers[rnd.nextInt(centers.length)];
            for (int j = 0; j < D; j++) {
                x[i * D + j] = c[j] + 0.8f * (float) rnd.nextGaussian();
            }
        }
        // the last rows arrive later, as imported images do
        int later = n / 3;
        FloatMatrix emb = new FloatMatrix(n, D, x);
        FloatMatrix first = new FloatMatrix(n - later, D, java.util.Arrays.copyOf(x, (n - later) * D));
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
            live.append(new FloatMatrix(to - at, D, java.util.Arrays.copyOfRange(x, at * D, to * D)));
            at = to;
            check(live, new FloatMatrix(at, D, java.util.Arrays.copyOf(x, at * D)));
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
            used[k] = novel.get(k) && live.calibrationEnabled() ? cal.calibrate(basis, protos.get(k)).calibrated() : protos.get(k);
            assertArrayEquals(used[k], live.prototype(k), 1e-6f);
        }
        CosineClassifier reference = new CosineClassifier(FloatMatrix.ofRows(used));
        int[] expected = reference.predict(emb);
        int compared = 0;
        for (int i = 0; i < emb.rows(); i++) {
            float[] s = reference.similarities(emb.row(i));
            assertArrayEquals(s, live.similarities(i), 2e-5f, "similarities of row " + i);
            float[] sorted = s.clone();
            java.util.Arrays.sort(sorted);
            if (sorted[sorted.length - 1] - sorted[sorted.length - 2] > 1e-4f) {
                assertEquals(expected[i], live.predicted(i), "prediction of row " + i);
                assertEquals(sorted[sorted.length - 1], live.score(i), 2e-5f);
                assertEquals(sorted[sorted.length - 1] - sorted[sorted.length - 2], live.margin(i), 4e-5f);
                compared++;
            }
        }
        assertTrue(compared > emb.rows() * 0.8, "most rows have a clear winner: " + compared);
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
