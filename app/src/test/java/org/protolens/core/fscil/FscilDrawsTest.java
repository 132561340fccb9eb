package org.protolens.core.fscil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.TeenCalibration;

class FscilDrawsTest {
    private static final FscilProtocol PROTOCOL = new FscilProtocol(2, 1, 3, 3);

    /** 4 classes around four directions in 3-d with noise, 20 training and 10 test rows each. */
    private static FloatMatrix points(int perClass, long seed, List<Integer> labels) {
        Random rnd = new Random(seed);
        float[][] centres = {{1, 0, 0}, {0, 1, 0}, {0.8f, 0.6f, 0}, {0, 0.6f, 0.8f}};
        float[] data = new float[4 * perClass * 3];
        int r = 0;
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < perClass; i++) {
                for (int j = 0; j < 3; j++) {
                    data[r * 3 + j] = centres[c][j] + (float) (0.35 * rnd.nextGaussian());
                }
                labels.add(c);
                r++;
            }
        }
        return new FloatMatrix(4 * perClass, 3, data);
    }

    @Test
    void drawsAreSeededDistinctShotsOfTheirOwnClass() {
        List<Integer> y = new ArrayList<>();
        points(20, 1, y);
        int[] trainY = y.stream().mapToInt(Integer::intValue).toArray();
        var a = FscilDraws.drawSplits(trainY, PROTOCOL, 10, 7);
        var b = FscilDraws.drawSplits(trainY, PROTOCOL, 10, 7);
        var c = FscilDraws.drawSplits(trainY, PROTOCOL, 10, 8);
        assertEquals(10, a.size());
        for (int d = 0; d < 10; d++) {
            assertEquals(Map.of(2, 0, 3, 0).keySet(), a.get(d).keySet(), "novel classes only");
            for (int cls : List.of(2, 3)) {
                int[] shots = a.get(d).get(cls);
                assertEquals(3, shots.length);
                assertEquals(3, new HashSet<>(Arrays.stream(shots).boxed().toList()).size(), "distinct rows");
                for (int row : shots) {
                    assertEquals(cls, trainY[row]);
                }
                assertArrayEquals(shots, b.get(d).get(cls), "same seed, same draw");
            }
        }
        assertFalse(Arrays.equals(a.get(0).get(2), a.get(1).get(2))
                && Arrays.equals(a.get(0).get(3), a.get(1).get(3)), "two draws of one seed differ");
        boolean differs = false;
        for (int d = 0; d < 10; d++) {
            differs |= !Arrays.equals(a.get(d).get(2), c.get(d).get(2));
        }
        assertTrue(differs, "another seed gives other draws");
        assertThrows(IllegalArgumentException.class, () -> FscilDraws.drawSplits(trainY, new FscilProtocol(2, 1, 21, 3), 1, 1));
    }

    @Test
    void summaryIsMeanAndSampleStdOfTheSingleDrawRuns() {
        List<Integer> ytr = new ArrayList<>();
        List<Integer> yte = new ArrayList<>();
        FloatMatrix trainX = points(20, 1, ytr);
        FloatMatrix testX = points(10, 2, yte);
        int[] trainY = ytr.stream().mapToInt(Integer::intValue).toArray();
        int[] testY = yte.stream().mapToInt(Integer::intValue).toArray();
        TeenCalibration teen = new TeenCalibration(0.5, 16);
        var summary = FscilDraws.run(trainX, trainY, testX, testY, PROTOCOL, teen, 5, 3);
        assertEquals(5, summary.draws());
        for (int s = 0; s < 3; s++) {
            double[] hm = new double[5];
            double[] acc = new double[5];
            for (int d = 0; d < 5; d++) {
                var r = FscilEvaluation.run(trainX, trainY, testX, testY, PROTOCOL, teen, summary.splits().get(d));
                acc[d] = r.baseline().get(s).acc();
                hm[d] = s == 0 ? 0 : r.calibrated().get(s).hm();
            }
            double mean = Arrays.stream(acc).average().orElseThrow();
            double var = Arrays.stream(acc).map(v -> (v - mean) * (v - mean)).sum() / 4;
            assertEquals(mean, summary.baseline().get(s).acc().mean(), 1e-12);
            assertEquals(Math.sqrt(var), summary.baseline().get(s).acc().std(), 1e-12);
            if (s == 0) {
                assertNull(summary.calibrated().get(s).hm(), "no harmonic mean before novel classes");
            } else {
                assertEquals(Arrays.stream(hm).average().orElseThrow(), summary.calibrated().get(s).hm().mean(), 1e-12);
            }
        }
        double[][] grid = FscilDraws.lastSessionHm(trainX, trainY, testX, testY, PROTOCOL, summary.splits(),
                new double[] {0, 0.5}, new double[] {16});
        assertEquals(summary.baseline().get(2).hm().mean(), grid[0][0], 1e-12, "alpha 0 in the grid is the baseline");
        assertEquals(summary.calibrated().get(2).hm().mean(), grid[1][0], 1e-12, "alpha 0.5, tau 16 is TEEN's default");
    }
}
