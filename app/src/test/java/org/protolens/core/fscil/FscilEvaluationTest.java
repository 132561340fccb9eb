package org.protolens.core.fscil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.TeenCalibration;

class FscilEvaluationTest {
    // base classes 0 (along x) and 1 (along y); novel class 2 lies between them, close to class 0
    private static final FloatMatrix TRAIN_X = FloatMatrix.ofRows(
            new float[] {1, 0}, new float[] {3, 0},       // class 0: mean (2, 0)
            new float[] {0, 1}, new float[] {0, 1},       // class 1: mean (0, 1)
            new float[] {1, 0.2f}, new float[] {0, 5});   // class 2: first row (1, 0.2); second row is no shot
    private static final int[] TRAIN_Y = {0, 0, 1, 1, 2, 2};
    private static final FloatMatrix TEST_X = FloatMatrix.ofRows(
            new float[] {1, 0.05f},   // class 0, nearest (1, 0)
            new float[] {0.1f, 1},    // class 1
            new float[] {1, 0.18f},   // class 2, nearest its shot
            new float[] {1, 0.02f});  // class 2, but nearer base class 0
    private static final int[] TEST_Y = {0, 1, 2, 2};

    @Test
    void baselineSessionsMatchHandCounts() {
        var report = FscilEvaluation.run(TRAIN_X, TRAIN_Y, TEST_X, TEST_Y, new FscilProtocol(2, 1, 1, 2),
                TeenCalibration.none(), null);
        SessionResult base = report.baseline().get(0);
        assertEquals(0, base.session());
        assertEquals(2, base.classes());
        assertEquals(1.0, base.acc());
        assertEquals(1.0, base.accBase());
        assertNull(base.accNovel());
        assertNull(base.hm());
        assertNull(base.novelToBase());

        SessionResult s1 = report.baseline().get(1);
        assertEquals(3, s1.classes());
        // test rows: 0 -> 0 ok, 1 -> 1 ok, 2 -> 2 ok, 3 -> 0 wrong (novel predicted as base)
        assertEquals(0.75, s1.acc());
        assertEquals(1.0, s1.accBase());
        assertEquals(0.5, s1.accNovel());
        assertEquals(2 * 1.0 * 0.5 / 1.5, s1.hm(), 1e-12);
        assertEquals(0.5, s1.novelToBase());
        assertArrayEquals(new int[] {1, 0, 0}, s1.confusion()[0]);
        assertArrayEquals(new int[] {0, 1, 0}, s1.confusion()[1]);
        assertArrayEquals(new int[] {1, 0, 1}, s1.confusion()[2]);
        assertEquals(0.25, FscilEvaluation.Report.drop(report.baseline()), 1e-12);
    }

    @Test
    void calibrationPullsTheNovelPrototypeTowardsBaseClasses() {
        // with alpha = 1 the novel prototype becomes delta, a mix of base prototypes 0 and 1 (tau = 1 keeps it broad):
        // the novel test image near base class 0 stays with class 0, and the one nearer the shot moves away from it
        var report = FscilEvaluation.run(TRAIN_X, TRAIN_Y, TEST_X, TEST_Y, new FscilProtocol(2, 1, 1, 2),
                new TeenCalibration(1, 1), null);
        SessionResult teen = report.calibrated().get(1);
        SessionResult baseline = report.baseline().get(1);
        assertEquals(0.75, baseline.acc());
        assertTrue(teen.acc() != null && teen.acc() <= 1);
        int[][] c = teen.confusion();
        assertEquals(2, c[2][0] + c[2][1] + c[2][2]);
    }

    @Test
    void splitChoosesTheShots() {
        // shot (0, 5) instead of (1, 0.2): class 2 now lies along y
        var report = FscilEvaluation.run(TRAIN_X, TRAIN_Y, TEST_X, TEST_Y, new FscilProtocol(2, 1, 1, 2),
                TeenCalibration.none(), Map.of(2, new int[] {5}));
        // (0.1, 1): cosine with (0, 5) equals that with (0, 1); the tie goes to class 1, the lower id
        assertEquals(0.5, report.baseline().get(1).acc());
        var e = assertThrows(IllegalArgumentException.class, () -> FscilEvaluation.run(TRAIN_X, TRAIN_Y, TEST_X, TEST_Y,
                new FscilProtocol(2, 1, 1, 2), TeenCalibration.none(), Map.of(2, new int[] {0})));
        assertTrue(e.getMessage().contains("row 0") && e.getMessage().contains("labelled 0"), e.getMessage());
    }

    @Test
    void refusesTooFewShotsAndMismatchedShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> FscilEvaluation.run(TRAIN_X, TRAIN_Y, TEST_X, TEST_Y,
                new FscilProtocol(2, 1, 3, 2), TeenCalibration.none(), null));
        assertTrue(e.getMessage().contains("novel class 2 has 2 training rows, 3 shots"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FscilEvaluation.run(TRAIN_X, new int[] {0, 1}, TEST_X, TEST_Y,
                new FscilProtocol(2, 1, 1, 2), TeenCalibration.none(), null));
        assertThrows(IllegalArgumentException.class, () -> new FscilProtocol(0, 1, 1, 1));
    }
}
