package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;

class CosineClassifierTest {
    @Test
    void predictsTheNearestPrototypeByAngleNotLength() {
        // a long prototype along x and a short one at 45 degrees
        var clf = new CosineClassifier(FloatMatrix.ofRows(new float[] {10, 0}, new float[] {0.1f, 0.1f}));
        float[] s = clf.similarities(new float[] {1, 2});
        assertArrayEquals(new float[] {(float) (1 / Math.sqrt(5)), (float) (3 / Math.sqrt(10))}, s, 1e-6f);
        assertArrayEquals(new int[] {1, 0}, clf.predict(FloatMatrix.ofRows(new float[] {1, 2}, new float[] {3, 1})));
    }

    @Test
    void tiesGoToTheLowerClassAndZeroVectorsScoreZero() {
        var clf = new CosineClassifier(FloatMatrix.ofRows(new float[] {1, 0}, new float[] {0, 1}, new float[] {0, 0}));
        assertArrayEquals(new int[] {0}, clf.predict(FloatMatrix.ofRows(new float[] {1, 1})));
        assertArrayEquals(new float[] {0, 0, 0}, clf.similarities(new float[] {0, 0}), 0);
        assertArrayEquals(new float[] {0, 1, 0}, clf.similarities(new float[] {0, 3}), 1e-7f);
    }

    @Test
    void probabilitiesAreASoftmaxOfScaledCosines() {
        double[] p = CosineClassifier.probabilities(new float[] {1, 0}, 16);
        assertEquals(1 / (1 + Math.exp(-16)), p[0], 1e-12);
        assertEquals(1, p[0] + p[1], 1e-12);
    }
}
