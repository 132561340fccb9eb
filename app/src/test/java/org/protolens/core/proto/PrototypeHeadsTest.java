package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

/** The transductive prototype heads against the numpy reference of heads/make_heads_reference.py. */
class PrototypeHeadsTest {
    private static FloatMatrix base;
    private static FloatMatrix start;
    private static FloatMatrix unlabelled;
    private static List<FloatMatrix> shots;

    @BeforeAll
    static void load() throws IOException {
        base = NpyFile.readMatrix(TestResources.path("heads/base.npy"));
        start = NpyFile.readMatrix(TestResources.path("heads/start.npy"));
        unlabelled = NpyFile.readMatrix(TestResources.path("heads/unlabelled.npy"));
        FloatMatrix allShots = NpyFile.readMatrix(TestResources.path("heads/shots.npy"));
        int k = allShots.rows() / start.rows();
        shots = new ArrayList<>();
        for (int c = 0; c < start.rows(); c++) {
            int[] rows = new int[k];
            for (int j = 0; j < k; j++) {
                rows[j] = c * k + j;
            }
            shots.add(allShots.selectRows(rows));
        }
    }

    @Test
    void softKMeansMatchesTheNumpyReference() throws IOException {
        assertClose(NpyFile.readMatrix(TestResources.path("heads/refined.npy")), SoftKMeans.refine(base, start, shots, unlabelled, 16, 5));
        assertStartsUnit(SoftKMeans.refine(base, start, shots, unlabelled, 16, 0));
    }

    @Test
    void timMatchesTheNumpyReference() throws IOException {
        FloatMatrix refined = Tim.refine(base, start, shots, unlabelled, Tim.Settings.DEFAULT, Tim.DEFAULT_ITERATIONS);
        assertClose(NpyFile.readMatrix(TestResources.path("heads/tim.npy")), refined);
        assertStartsUnit(Tim.refine(base, start, shots, unlabelled, Tim.Settings.DEFAULT, 0));
        double moved = 0;
        for (int c = 0; c < start.rows(); c++) {
            moved = Math.max(moved, 1 - L2.cosine(refined.row(c), start.row(c)));
        }
        assertTrue(moved > 1e-3, "the unlabelled images move the prototypes (largest 1 - cos " + moved + ")");
    }

    private static void assertClose(FloatMatrix expected, FloatMatrix actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-5, "value " + i);
        }
    }

    /** No round: the starting prototypes, unit length. */
    private static void assertStartsUnit(FloatMatrix none) {
        for (int c = 0; c < start.rows(); c++) {
            double[] u = L2.normalized(start.data(), start.offset(c), start.cols());
            for (int j = 0; j < start.cols(); j++) {
                assertEquals(u[j], none.row(c)[j], 1e-6, "no round: the start, unit length");
            }
        }
    }
}
