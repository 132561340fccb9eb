package org.protolens.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.TeenCalibration;

/** Two backbones measured on the same images, labels and shots, on equal terms. */
class BackboneComparisonTest {

    @Test
    void aBackboneFiguresAreTheFscilEnginesOnTheSameSplit() throws Exception {
        Workspace ws = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        ws.setCalibration(new TeenCalibration(0.6, 20));
        WorkspaceState w = ws.state();
        BackboneComparison.Figures f = BackboneComparison.measure("own", w, w.embeddings());

        // the same split built here: each base class's 1st, 3rd, ... labelled image makes its prototype, the rest are measured
        int classes = w.classCount();
        int base = (int) IntStream.range(0, classes).filter(w::isBase).count();
        List<Integer> protoRows = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        Map<Integer, int[]> split = new HashMap<>();
        Map<Integer, List<Integer>> shots = new HashMap<>();
        int[] seen = new int[classes];
        for (int i = 0; i < w.imageCount(); i++) {
            int k = w.label(i);
            if (k < 0) {
                continue;
            }
            if (w.isBase(k)) {
                (seen[k]++ % 2 == 0 ? protoRows : test).add(i);
            } else if (w.isShot(i)) {
                shots.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
            } else {
                test.add(i);
            }
        }
        shots.forEach((k, rows) -> split.put(k, rows.stream().mapToInt(Integer::intValue).toArray()));
        int[] testRows = test.stream().mapToInt(Integer::intValue).toArray();
        FscilEvaluation.Report report = FscilEvaluation.run(w.embeddings(), w.labels(), w.embeddings().selectRows(testRows),
                Arrays.stream(testRows).map(w::label).toArray(), new FscilProtocol(base, classes - base, 5, 2),
                w.calibration(), split, protoRows.stream().mapToInt(Integer::intValue).toArray());
        assertResult(report.baseline().getLast(), f.ncm(), "NCM");
        assertResult(report.calibrated().getLast(), f.teen(), "TEEN");

        // per session: the sample's new classes come two at a time (Shirt and Sneaker, then Bag and Ankle boot),
        // as the engine's protocol of 2 ways per session numbers them
        FscilEvaluation.Report bySession = FscilEvaluation.run(w.embeddings(), w.labels(), w.embeddings().selectRows(testRows),
                Arrays.stream(testRows).map(w::label).toArray(), new FscilProtocol(base, 2, 5, 3),
                w.calibration(), split, protoRows.stream().mapToInt(Integer::intValue).toArray());
        assertEquals(List.of(0, 1, 2), f.sessions().stream().map(BackboneComparison.SessionRow::session).toList());
        for (int s = 0; s < 3; s++) {
            assertArrayEquals(bySession.baseline().get(s).confusion(), f.sessions().get(s).ncm().confusion(), "NCM, session " + s);
            assertArrayEquals(bySession.calibrated().get(s).confusion(), f.sessions().get(s).teen().confusion(), "TEEN, session " + s);
            assertEquals(bySession.calibrated().get(s).acc(), f.sessions().get(s).teen().acc(), 1e-12, "session " + s);
        }
        // per new class: the shares taken by base classes average to the whole's (equal numbers measured per class)
        assertEquals(classes - base, f.novelClasses().size());
        assertEquals(List.of("Shirt", "Sneaker", "Bag", "Ankle boot"),
                f.novelClasses().stream().map(BackboneComparison.NovelClass::name).toList());
        double separation = f.novelClasses().stream().mapToDouble(BackboneComparison.NovelClass::separation).average().orElseThrow();
        assertEquals(f.novelSeparation(), separation, 1e-12, "the kNN figure is the mean of the classes'");
        for (BackboneComparison.NovelClass c : f.novelClasses()) {
            int k = w.classNames().indexOf(c.name());
            long measured = IntStream.of(testRows).filter(i -> w.label(i) == k).count();
            int id = base + f.novelClasses().indexOf(c);
            long toBase = IntStream.range(0, base).mapToLong(b -> f.teen().confusion()[id][b]).sum();
            assertEquals((double) toBase / measured, c.toBaseTeen(), 1e-12, c.name());
        }
        assertEquals(protoRows.size(), f.prototypeImages());
        assertEquals(testRows.length, f.measuredImages());
        assertTrue(f.teen().classMeanHm() > 0.5, "the sample's own backbone separates its classes: " + f.teen().classMeanHm());
        assertTrue(f.teen().novelToBase() < f.ncm().novelToBase(), "TEEN moves new-class images out of the base classes");
        assertNotNull(f.novelSeparation());
        assertTrue(f.novelSeparation() > 0.5 && f.novelSeparation() <= 1, "new classes' 5-NN accuracy " + f.novelSeparation());
    }

    private static void assertResult(SessionResult expected, SessionResult actual, String what) {
        assertEquals(expected.classes(), actual.classes(), what);
        assertArrayEquals(expected.confusion(), actual.confusion(), what + ": the same predictions");
        assertEquals(expected.classMeanHm(), actual.classMeanHm(), 1e-12, what);
        assertEquals(expected.novelToBase(), actual.novelToBase(), 1e-12, what);
    }

    @Test
    void aBackboneThatBlursTheClassesComesOutBehindAndImagesOneCannotReadAreLeftOutOfBoth() throws Exception {
        WorkspaceState w = Workspace.open(TestResources.samples().resolve("fashion-fewshot")).state();
        FloatMatrix own = w.embeddings();
        // a worse backbone: the same embeddings drowned in noise as large as they are
        SplittableRandom random = new SplittableRandom(7);
        float[] noisy = own.data().clone();
        double scale = 0;
        for (float v : own.data()) {
            scale += Math.abs(v);
        }
        scale /= own.data().length;
        for (int j = 0; j < noisy.length; j++) {
            noisy[j] += (float) (2 * scale * (random.nextDouble() * 2 - 1));
        }
        // the blurry backbone could not read two measured images
        int[] unread = IntStream.range(0, w.imageCount()).filter(i -> w.label(i) >= 0 && !w.isShot(i) && !w.isBase(w.label(i)))
                .limit(2).toArray();
        for (int i : unread) {
            Arrays.fill(noisy, i * own.cols(), (i + 1) * own.cols(), Float.NaN);
        }
        Map<String, FloatMatrix> both = new LinkedHashMap<>();
        both.put("own", own);
        both.put("blurry", new FloatMatrix(own.rows(), own.cols(), noisy));
        List<BackboneComparison.Figures> figures = BackboneComparison.compare(w, both);
        BackboneComparison.Figures a = figures.get(0), b = figures.get(1);
        assertEquals("own", a.backbone());
        assertEquals(a.measuredImages(), b.measuredImages(), "both measured on the same images");
        assertEquals(BackboneComparison.measure("own", w, own).measuredImages() - 2, a.measuredImages(), "the unread ones left out");
        assertTrue(b.teen().classMeanHm() < a.teen().classMeanHm() - 0.05,
                "blurred classes: HM " + b.teen().classMeanHm() + " against " + a.teen().classMeanHm());
        assertTrue(b.novelSeparation() < a.novelSeparation() - 0.05,
                "blurred new classes: 5-NN " + b.novelSeparation() + " against " + a.novelSeparation());
        assertThrows(IllegalArgumentException.class, () -> BackboneComparison.compare(w, Map.of("short", own.selectRows(new int[] {0}))));
    }

    @Test
    void anotherBackboneEmbedsTheProjectsImagesOnceThroughTheProjectsCache(@TempDir Path temp) throws Exception {
        Path project = TestResources.sampleCopy("fashion-fewshot", temp.resolve("fashion"));
        WorkspaceState w = Workspace.open(project).state();
        String other = TestResources.samples().resolve("omniglot-manyclass").resolve("backbone").toString();
        List<String> problems = new ArrayList<>();
        int[] last = new int[2];
        FloatMatrix e = BackboneComparison.embed(w, other, problems, (done, total) -> {
            last[0] = done;
            last[1] = total;
        }, () -> false);
        assertEquals(w.imageCount(), e.rows());
        assertEquals(List.of(), problems);
        assertEquals(w.imageCount(), last[1]);
        for (float v : e.data()) {
            assertFalse(Float.isNaN(v), "every sample image is read");
        }
        try (var folders = Files.list(project.resolve(OpenProject.CACHE_FOLDER))) {
            List<Path> backbones = folders.filter(Files::isDirectory).toList();
            assertEquals(1, backbones.size(), "one cache folder, the other backbone's");
            assertEquals(4L * e.cols() * w.imageCount(), Files.size(backbones.getFirst().resolve("vectors.f32")), "a row per image");
        }
        // a second time the rows come from the cache: the same numbers
        FloatMatrix again = BackboneComparison.embed(w, other, problems, (done, total) -> { }, () -> false);
        assertArrayEquals(e.data(), again.data());
        // the project's own backbone gives the project's embeddings
        FloatMatrix own = BackboneComparison.embed(w, w.backboneDir().toString(), problems, (done, total) -> { }, () -> false);
        assertArrayEquals(w.embeddings().values(), own.values());

        Map<String, FloatMatrix> both = new LinkedHashMap<>();
        both.put("fashion", own);
        both.put("omniglot", e);
        List<BackboneComparison.Figures> figures = BackboneComparison.compare(w, both);
        assertEquals(2, figures.size());
        for (BackboneComparison.Figures f : figures) {
            assertNotNull(f.teen().classMeanHm(), f.backbone());
        }
    }
}
