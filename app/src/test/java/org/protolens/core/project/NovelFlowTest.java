package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.proto.TeenCalibration;

/** The app's novel -> base flow is the fscil engine's confusion, counted on the project's images. */
class NovelFlowTest {

    @Test
    void theFlowOfEveryNovelClassEqualsTheFscilReportOnTheSameImages() throws IOException {
        Workspace w = Workspace.open(SampleProjectsTest.samples().resolve("fashion-fewshot"));
        w.setCalibration(new TeenCalibration(0.7, 12));
        int baseCount = (int) java.util.stream.IntStream.range(0, w.classNames().size()).filter(w::isBase).count();
        int classes = w.classNames().size();
        for (int k = 0; k < classes; k++) {
            assertEquals(k < baseCount, w.isBase(k), "the sample lists its base classes first");
        }
        // the fscil engine's inputs: one "training row" per base class (its prototype: the mean of
        // one row is itself), each novel class's shots; the test rows are the labelled non-shots
        FloatMatrix protos = w.manifest().basePrototypes(w.dir());
        List<float[]> train = new ArrayList<>();
        List<Integer> trainY = new ArrayList<>();
        for (int k = 0; k < baseCount; k++) {
            train.add(protos.row(k));
            trainY.add(k);
        }
        Map<Integer, int[]> split = new HashMap<>();
        List<Integer> test = new ArrayList<>();
        int shots = 0;
        for (int k = baseCount; k < classes; k++) {
            List<Integer> rows = new ArrayList<>();
            for (int i : w.imagesOf(k)) {
                if (w.isShot(i)) {
                    rows.add(train.size());
                    train.add(w.embedding(i));
                    trainY.add(k);
                }
            }
            split.put(k, rows.stream().mapToInt(Integer::intValue).toArray());
            shots = rows.size();
        }
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.label(i) >= 0 && !w.isShot(i)) {
                test.add(i);
            }
        }
        int[] rows = test.stream().mapToInt(Integer::intValue).toArray();
        int[] testY = java.util.Arrays.stream(rows).map(w::label).toArray();
        FscilEvaluation.Report report = FscilEvaluation.run(FloatMatrix.ofRows(train.toArray(float[][]::new)),
                trainY.stream().mapToInt(Integer::intValue).toArray(), w.embeddings().selectRows(rows), testY,
                new FscilProtocol(baseCount, classes - baseCount, shots, 2), w.calibration(), split);
        SessionResult teen = report.calibrated().getLast();
        SessionResult baseline = report.baseline().getLast();

        NovelFlow flow = NovelFlow.of(w);
        assertEquals(List.of(6, 7, 8, 9), flow.novelClasses());
        for (int k : flow.novelClasses()) {
            assertArrayEquals(baseline.confusion()[k], flow.counts(k, false), "class " + k + " before calibration");
            assertArrayEquals(teen.confusion()[k], flow.counts(k, true), "class " + k + " at alpha 0.7, tau 12");
        }
        assertEquals(baseline.novelToBase(), flow.toBase(false), 1e-12);
        assertEquals(teen.novelToBase(), flow.toBase(true), 1e-12);
        assertTrue(flow.toBase(true) < flow.toBase(false), "calibration moves novel images out of the base classes: "
                + flow.toBase(false) + " -> " + flow.toBase(true));

        // the images behind a segment are the ones counted in it
        int k = flow.novelClasses().getFirst();
        int[] counts = flow.counts(k, false);
        for (int as = 0; as < classes; as++) {
            int[] images = flow.images(k, as, false);
            assertEquals(counts[as], images.length);
            for (int i : images) {
                assertEquals(k, w.label(i));
                assertEquals(as, w.rawPredictions()[i]);
            }
        }
    }
}
