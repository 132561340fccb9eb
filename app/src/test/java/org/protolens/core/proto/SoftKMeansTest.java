package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

/** Soft k-means refinement against the numpy reference of heads/make_heads_reference.py (beta 16, 5 rounds). */
class SoftKMeansTest {
    @Test
    void refinementMatchesTheNumpyReference() throws IOException {
        FloatMatrix base = NpyFile.readMatrix(TestResources.path("heads/base.npy"));
        FloatMatrix start = NpyFile.readMatrix(TestResources.path("heads/start.npy"));
        FloatMatrix allShots = NpyFile.readMatrix(TestResources.path("heads/shots.npy"));
        FloatMatrix unlabelled = NpyFile.readMatrix(TestResources.path("heads/unlabelled.npy"));
        FloatMatrix expected = NpyFile.readMatrix(TestResources.path("heads/refined.npy"));
        int k = allShots.rows() / start.rows();
        List<FloatMatrix> shots = new ArrayList<>();
        for (int c = 0; c < start.rows(); c++) {
            int[] rows = new int[k];
            for (int j = 0; j < k; j++) {
                rows[j] = c * k + j;
            }
            shots.add(allShots.selectRows(rows));
        }
        FloatMatrix refined = SoftKMeans.refine(base, start, shots, unlabelled, 16, 5);
        assertEquals(expected.rows(), refined.rows());
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], refined.data()[i], 1e-5, "value " + i);
        }
        FloatMatrix none = SoftKMeans.refine(base, start, shots, unlabelled, 16, 0);
        for (int c = 0; c < start.rows(); c++) {
            double[] u = L2.normalized(start.data(), start.offset(c), start.cols());
            for (int j = 0; j < start.cols(); j++) {
                assertEquals(u[j], none.row(c)[j], 1e-6, "no round: the start, unit length");
            }
        }
    }
}
