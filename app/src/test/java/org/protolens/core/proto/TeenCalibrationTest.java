package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

class TeenCalibrationTest {
    // base prototypes (2, 0) and (0, 3): unit vectors e1, e2; novel mean (3, 4): c = (0.6, 0.8)
    private static final FloatMatrix BASE = FloatMatrix.ofRows(new float[] {2, 0}, new float[] {0, 3});
    private static final float[] NOVEL = {3, 4};

    @Test
    void matchesHandComputedNumbers() {
        // tau = 2: logits 1.2 and 1.6, w1 = 1 / (1 + e^0.4)
        var r = new TeenCalibration(0.5, 2).calibrate(new TeenCalibration.Basis(BASE), NOVEL);
        assertArrayEquals(new double[] {0.6, 0.8}, r.normalizedMean(), 1e-15);
        assertArrayEquals(new double[] {0.401312339887548, 0.598687660112452}, r.weights(), 1e-15);
        assertArrayEquals(new double[] {0.5567993524353163, 0.8306470255936709}, r.delta(), 1e-15);
        assertArrayEquals(new float[] {0.5783996762176582f, 0.8153235127968355f}, r.calibrated(), 1e-7f);
    }

    @Test
    void alphaZeroIsTheNormalizedMeanAndAlphaOneIsDelta() {
        var basis = new TeenCalibration.Basis(BASE);
        assertArrayEquals(new float[] {0.6f, 0.8f}, new TeenCalibration(0, 2).calibrate(basis, NOVEL).calibrated(), 1e-7f);
        assertArrayEquals(new float[] {0.5567993524353163f, 0.8306470255936709f},
                new TeenCalibration(1, 2).calibrate(basis, NOVEL).calibrated(), 1e-7f);
    }

    @Test
    void singleBaseClassShiftsTowardsIt() {
        var r = new TeenCalibration(0.25, 16).calibrate(new TeenCalibration.Basis(FloatMatrix.ofRows(new float[] {0, 5})), NOVEL);
        assertArrayEquals(new double[] {1}, r.weights(), 0);
        assertArrayEquals(new double[] {0, 1}, r.delta(), 1e-15);
        assertArrayEquals(new float[] {0.75f * 0.6f, 0.75f * 0.8f + 0.25f}, r.calibrated(), 1e-7f);
    }

    @Test
    void duplicateBasePrototypesShareTheirWeight() {
        var basis = new TeenCalibration.Basis(FloatMatrix.ofRows(new float[] {1, 0}, new float[] {1, 0}, new float[] {0, 1}));
        var r = new TeenCalibration(1, 2).calibrate(basis, NOVEL);
        assertArrayEquals(new double[] {0.28638321983216986, 0.28638321983216986, 0.4272335603356603}, r.weights(), 1e-15);
        assertArrayEquals(new double[] {0.8015699901423537, 0.5979009540912166}, r.delta(), 1e-15);
    }

    @Test
    void zeroVectorsNeverProduceNaN() {
        // a zero novel mean: c = 0, uniform weights, calibrated = alpha * delta
        var basis = new TeenCalibration.Basis(BASE);
        var r = new TeenCalibration(0.5, 16).calibrate(basis, new float[] {0, 0});
        assertArrayEquals(new double[] {0.5, 0.5}, r.weights(), 1e-15);
        double s = Math.sqrt(0.5);
        assertArrayEquals(new float[] {(float) (0.5 * s), (float) (0.5 * s)}, r.calibrated(), 1e-7f);
        // opposite base prototypes with equal weight cancel: delta = 0, calibrated = (1 - alpha) c
        var opposite = new TeenCalibration.Basis(FloatMatrix.ofRows(new float[] {1, 0}, new float[] {-1, 0}));
        var o = new TeenCalibration(0.5, 16).calibrate(opposite, new float[] {0, 2});
        assertArrayEquals(new double[] {0, 0}, o.delta(), 0);
        assertArrayEquals(new float[] {0, 0.5f}, o.calibrated(), 0);
        // a zero base prototype adds nothing
        var withZero = new TeenCalibration.Basis(FloatMatrix.ofRows(new float[] {0, 0}, new float[] {0, 3}));
        for (float v : new TeenCalibration(0.5, 16).calibrate(withZero, NOVEL).calibrated()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void matchesTheOfficialCodeRunInPyTorch() throws IOException {
        FloatMatrix base = NpyFile.readMatrix(TestResources.torchscript("reference/teen-base.npy"));
        FloatMatrix novel = NpyFile.readMatrix(TestResources.torchscript("reference/teen-novel.npy"));
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/teen-calibrated.npy"));
        FloatMatrix actual = new TeenCalibration(0.5, 16).calibrateAll(base, novel);
        assertEquals(expected.rows(), actual.rows());
        assertArrayEquals(expected.data(), actual.data(), 1e-6f);
    }

    @Test
    void refusesInvalidParameters() {
        assertThrows(IllegalArgumentException.class, () -> new TeenCalibration(1.5, 16));
        assertThrows(IllegalArgumentException.class, () -> new TeenCalibration(Double.NaN, 16));
        assertThrows(IllegalArgumentException.class, () -> new TeenCalibration(0.5, -1));
        assertThrows(IllegalArgumentException.class, () -> new TeenCalibration(0.5, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new TeenCalibration.Basis(FloatMatrix.zeros(0, 4)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> TeenCalibration.defaults().calibrateAll(BASE, FloatMatrix.ofRows(new float[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("3 dimensions"), e.getMessage());
    }
}
