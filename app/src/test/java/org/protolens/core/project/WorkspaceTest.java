package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.proto.TeenCalibration;

class WorkspaceTest {
    /**
     * The app's numbers come from the same engine as the fscil command: on the Fashion sample, the
     * workspace's accuracy, per-class accuracy and novel->base share equal FscilEvaluation's last
     * session run on the same prototypes, shots and images, with and without calibration.
     */
    @Test
    void sampleWorkspaceAgreesWithTheFscilEvaluation() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        assertEquals(10, w.classNames().size());
        FloatMatrix protos = w.manifest().basePrototypes(w.dir());
        int d = protos.cols();
        // training rows: each base prototype once (its mean is itself), then the shots; test rows: the rest
        List<float[]> train = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        for (int b = 0; b < protos.rows(); b++) {
            train.add(protos.row(b));
            trainY.add(b);
        }
        Map<Integer, List<Integer>> shotRows = new HashMap<>();
        List<float[]> test = new ArrayList<>();
        List<Integer> testY = new ArrayList<>();
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.isShot(i)) {
                shotRows.computeIfAbsent(w.label(i), k -> new ArrayList<>()).add(train.size());
                train.add(w.embeddings().row(i));
                trainY.add(w.label(i));
            } else {
                test.add(w.embeddings().row(i));
                testY.add(w.label(i));
            }
        }
        Map<Integer, int[]> split = new HashMap<>();
        shotRows.forEach((k, rows) -> split.put(k, rows.stream().mapToInt(Integer::intValue).toArray()));
        var report = FscilEvaluation.run(FloatMatrix.ofRows(train.toArray(float[][]::new)),
                trainY.stream().mapToInt(Integer::intValue).toArray(), FloatMatrix.ofRows(test.toArray(float[][]::new)),
                testY.stream().mapToInt(Integer::intValue).toArray(), new FscilProtocol(6, 2, 5, 3), TeenCalibration.defaults(), split);

        check(w, report.calibrated().getLast());
        w.setCalibrationEnabled(false);
        check(w, report.baseline().getLast());
        assertTrue(report.baseline().getLast().novelToBase() > report.calibrated().getLast().novelToBase(),
                "on this sample calibration pulls novel images out of base classes");
        assertEquals(d, w.embeddings().cols());
    }

    private static void check(Workspace w, SessionResult s) {
        assertEquals(s.acc(), w.accuracy(), 1e-12);
        assertEquals(s.classMeanAcc(), w.state().classMeanAccuracy(), 1e-12, "the class mean, as the fscil command's");
        assertEquals(s.novelToBase(), w.novelToBase(), 1e-12);
        for (int k = 0; k < 10; k++) {
            int[] row = s.confusion()[k];
            int total = Arrays.stream(row).sum();
            assertEquals((double) row[k] / total, w.stats(k).accuracy(), 1e-12, w.classNames().get(k));
            assertEquals(w.isBase(k) ? 0 : 5, w.stats(k).shots());
        }
    }

    /**
     * With classes of unequal size the class mean and the pooled accuracy part: 90 of the 100
     * Trouser images made unlabelled, the pooled accuracy counts the remaining 10 once each, the
     * class mean counts Trouser as one class of ten.
     */
    @Test
    void theClassMeanWeighsEveryClassAlike() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int trouser = w.classNames().indexOf("Trouser");
        int[] most = w.imagesOf(trouser).stream().filter(i -> !w.isShot(i)).limit(90).mapToInt(Integer::intValue).toArray();
        new History(w).apply(History.relabel("unlabel", most, null, false));
        WorkspaceState s = w.state();
        double[] right = new double[s.classCount()];
        double[] all = new double[s.classCount()];
        double pooledRight = 0;
        double pooledAll = 0;
        for (int i = 0; i < s.imageCount(); i++) {
            if (s.label(i) >= 0 && !s.isShot(i)) {
                all[s.label(i)]++;
                pooledAll++;
                if (s.predicted(i) == s.label(i)) {
                    right[s.label(i)]++;
                    pooledRight++;
                }
            }
        }
        double mean = 0;
        for (int k = 0; k < s.classCount(); k++) {
            mean += right[k] / all[k] / s.classCount();
        }
        assertEquals(10, all[trouser]);
        assertEquals(mean, s.classMeanAccuracy(), 1e-12);
        assertEquals(pooledRight / pooledAll, s.accuracy(), 1e-12);
        assertTrue(Math.abs(s.classMeanAccuracy() - s.accuracy()) > 1e-3, "they differ: " + s.classMeanAccuracy() + " " + s.accuracy());
    }

    /**
     * Imported images join the one copy of the project's embeddings: the workspace, each state it
     * publishes and the predictions read one array (at 100,000 x 512 a second copy was 200 MB per
     * published state). A state published before an import was undone still reads its rows when
     * a later import puts others in their place.
     */
    @Test
    void importedImagesShareOneCopyOfTheEmbeddingsAndUndoneOnesStayForStatesThatShowThem() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int n = w.imageCount();
        int d = w.dim();
        FloatMatrix first = rowsOf(3, d, 1f);
        w.addImages(images("a", 3), first);
        WorkspaceState withFirst = w.state();
        assertSame(w.embeddings().data(), withFirst.embeddings().data(), "the state reads the workspace's array");
        assertEquals(n + 3, withFirst.embeddings().rows());
        assertArrayEquals(first.row(2), withFirst.embeddings().row(n + 2));
        w.addImages(images("b", 1), rowsOf(1, d, 5f));
        w.setLabels(new int[] {n}, new int[] {0}, new boolean[] {false});
        WorkspaceState labelled = w.state();
        assertSame(withFirst.embeddings().data(), labelled.embeddings().data(), "an image added into the array's room: no copy");
        assertEquals(n + 4, labelled.embeddings().rows());
        assertEquals(n + 3, withFirst.embeddings().rows(), "the earlier state keeps its own rows");

        w.truncate(n);
        w.addImages(images("c", 3), rowsOf(3, d, -7f));
        assertArrayEquals(first.row(0), withFirst.embeddings().row(n), "an undone import's rows, as the state published then shows them");
        assertArrayEquals(rowsOf(1, d, -7f).row(0), w.embeddings().row(n));
        assertEquals(new FloatMatrix(n, d, withFirst.embeddings().data()), w.embeddings(0, n), "the project's own rows unchanged");
    }

    private static List<Workspace.ImportedImage> images(String prefix, int count) {
        List<Workspace.ImportedImage> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Workspace.ImportedImage("imported/" + prefix + i + ".png", new byte[32]));
        }
        return out;
    }

    private static FloatMatrix rowsOf(int rows, int d, float start) {
        float[] v = new float[rows * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i % 17;
        }
        return new FloatMatrix(rows, d, v);
    }

    /**
     * The figures every view shows (per class: images, shots, images predicted as it, accuracy;
     * pooled and class-mean accuracy, the new-to-base share) count every image of a large project,
     * whose images are counted in blocks side by side: 140,000 imported images, every third
     * labelled, against a count made image by image here.
     */
    @Test
    void aLargeProjectsFiguresCountEveryImage() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        int n0 = w.imageCount();
        int d = w.dim();
        int more = 140_000;
        Random rnd = new Random(3);
        float[] rows = new float[more * d];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) rnd.nextGaussian();
        }
        w.addImages(images("big", more), new FloatMatrix(more, d, rows));
        int classes = w.classNames().size();
        int[] chosen = IntStream.range(0, more / 3).map(j -> n0 + 3 * j).toArray();
        w.setLabels(chosen, IntStream.range(0, chosen.length).map(j -> j % classes).toArray(), new boolean[chosen.length]);
        WorkspaceState s = w.state();
        int[] images = new int[classes];
        int[] shots = new int[classes];
        int[] predicted = new int[classes];
        int[] evaluated = new int[classes];
        int[] correct = new int[classes];
        int novel = 0;
        int toBase = 0;
        for (int i = 0; i < s.imageCount(); i++) {
            int p = s.predicted(i);
            predicted[p]++;
            int k = s.label(i);
            if (k < 0) {
                continue;
            }
            images[k]++;
            if (s.isShot(i)) {
                shots[k]++;
                continue;
            }
            evaluated[k]++;
            correct[k] += p == k ? 1 : 0;
            if (!s.isBase(k)) {
                novel++;
                toBase += s.isBase(p) ? 1 : 0;
            }
        }
        double recalls = 0;
        int ok = 0;
        int all = 0;
        for (int k = 0; k < classes; k++) {
            Workspace.ClassStats c = s.stats(k);
            assertEquals(images[k], c.images(), w.classNames().get(k));
            assertEquals(shots[k], c.shots());
            assertEquals(predicted[k], c.predicted());
            assertEquals((double) correct[k] / evaluated[k], c.accuracy(), 1e-12);
            recalls += (double) correct[k] / evaluated[k];
            ok += correct[k];
            all += evaluated[k];
        }
        assertTrue(all > more / 3, "the imported images count: " + all);
        assertEquals((double) ok / all, s.accuracy(), 1e-12);
        assertEquals(recalls / classes, s.classMeanAccuracy(), 1e-12);
        assertEquals((double) toBase / novel, s.novelToBase(), 1e-12);
    }
}
