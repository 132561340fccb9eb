package org.protolens.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.interop.ProjectExport;
import org.protolens.core.project.Workspace;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.TeenCalibration;

/** The app's novel -> base flow is the fscil engine's confusion, counted on the project's images. */
class NovelFlowTest {

    @Test
    void theFlowOfEveryNovelClassEqualsTheFscilReportOnTheSameImages() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        w.setCalibration(new TeenCalibration(0.7, 12));
        int baseCount = (int) IntStream.range(0, w.classNames().size()).filter(w::isBase).count();
        int classes = w.classNames().size();
        for (int k = 0; k < classes; k++) {
            assertEquals(k < baseCount, w.isBase(k), "the sample lists its base classes first");
        }
        FscilEvaluation.Report report = fscil(w, new FscilProtocol(baseCount, classes - baseCount, 5, 2));
        SessionResult teen = report.calibrated().getLast();
        SessionResult baseline = report.baseline().getLast();

        NovelFlow flow = NovelFlow.of(w.state());
        assertEquals(List.of(6, 7, 8, 9), flow.novelClasses());
        for (int k : flow.novelClasses()) {
            assertArrayEquals(baseline.confusion()[k], flow.counts(k, false), "class " + k + " before calibration");
            assertArrayEquals(teen.confusion()[k], flow.counts(k, true), "class " + k + " at alpha 0.7, tau 12");
        }
        assertEquals(baseline.novelToBase(), flow.toBase(false), 1e-12);
        assertEquals(teen.novelToBase(), flow.toBase(true), 1e-12);
        assertArrayEquals(baseline.confusion(), flow.confusion(false), "the confusion matrix before calibration");
        assertArrayEquals(teen.confusion(), flow.confusion(true), "and after");
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

    /**
     * The fscil engine on the project: one "training row" per base class (its prototype: the mean
     * of one row is itself), each novel class's shots; the test rows are the labelled non-shots.
     */
    static FscilEvaluation.Report fscil(Workspace w, FscilProtocol protocol) throws IOException {
        int baseCount = protocol.baseClasses();
        int classes = w.classNames().size();
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
        int[] testY = Arrays.stream(rows).map(w::label).toArray();
        FscilEvaluation.Report report = FscilEvaluation.run(FloatMatrix.ofRows(train.toArray(float[][]::new)),
                trainY.stream().mapToInt(Integer::intValue).toArray(), w.embeddings().selectRows(rows), testY,
                protocol, w.calibration(), split);
        assertEquals(protocol.shots(), shots);
        return report;
    }

    /** How many tested images' two best classes among session {@code s}'s tie within 1e-6 (cosine). */
    private static int ties(Workspace w, SessionTable.Result table, int s, boolean calibrated) {
        List<float[]> protos = new ArrayList<>();
        for (int k = 0; k < w.classNames().size(); k++) {
            String name = w.classNames().get(k);
            boolean seen = w.isBase(k) || IntStream.rangeClosed(1, s).anyMatch(t -> table.classesBySession().get(t).contains(name));
            if (seen) {
                protos.add(calibrated ? w.state().predictions().prototype(k) : w.state().predictions().rawPrototype(k));
            }
        }
        CosineClassifier classifier = new CosineClassifier(FloatMatrix.ofRows(protos.toArray(float[][]::new)));
        int ties = 0;
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.label(i) >= 0 && !w.isShot(i)) {
                float[] sims = classifier.similarities(w.embedding(i));
                Arrays.sort(sims);
                ties += sims[sims.length - 1] - sims[sims.length - 2] < 1e-6 ? 1 : 0;
            }
        }
        return ties;
    }

    private static int tested(Workspace w) {
        return (int) IntStream.range(0, w.imageCount()).filter(i -> w.label(i) >= 0 && !w.isShot(i)).count();
    }

    @Test
    void theSessionTableEqualsTheFscilReportSessionBySession() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        w.setCalibration(new TeenCalibration(0.6, 20));
        // the sample's classes: 6 base in session 0, then 2 new ones in each of sessions 1 and 2
        FscilEvaluation.Report report = fscil(w, new FscilProtocol(6, 2, 5, 3));
        SessionTable.Result table = SessionTable.of(w.state());
        assertEquals(3, table.now().size());
        assertEquals(List.of("Shirt", "Sneaker"), table.classesBySession().get(1));
        for (int s = 0; s < 3; s++) {
            for (boolean cal : new boolean[] {false, true}) {
                SessionResult app = (cal ? table.now() : table.raw()).get(s);
                SessionResult cli = (cal ? report.calibrated() : report.baseline()).get(s);
                String at = "session " + s + (cal ? " calibrated" : " raw");
                assertEquals(cli.classes(), app.classes(), at);
                // the window's columns and the command line's prototypes round differently: an image
                // whose two best classes tie within float precision may go either way, nothing else
                int ties = ties(w, table, s, cal);
                int moved = 0;
                for (int a = 0; a < cli.confusion().length; a++) {
                    for (int b = 0; b < cli.confusion()[a].length; b++) {
                        moved += Math.abs(cli.confusion()[a][b] - app.confusion()[a][b]);
                    }
                }
                assertTrue(moved <= 2 * ties, at + ": " + moved / 2 + " images predicted otherwise, " + ties + " ties");
                if (ties == 0) {
                    assertEquals(cli.acc(), app.acc(), at);
                    assertEquals(cli.accBase(), app.accBase(), at);
                    assertEquals(cli.accNovel(), app.accNovel(), at);
                    assertEquals(cli.hm(), app.hm(), at);
                } else {
                    assertEquals(cli.acc(), app.acc(), (ties + 0.5) / tested(w), at);
                }
            }
        }

        Path csv = Files.createTempFile("sessions", ".csv");
        ProjectExport.writeSessions(table, w.calibration(), w.calibrationEnabled(), csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).startsWith("session,classes,added,acc_raw,"), lines.get(0));
        assertTrue(lines.get(2).startsWith("1,8,Shirt;Sneaker,"), lines.get(2));
        Files.delete(csv);
    }
}
