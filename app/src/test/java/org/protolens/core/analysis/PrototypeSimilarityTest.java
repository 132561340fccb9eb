package org.protolens.core.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TinyProject;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.Workspace;

/** The Prototype similarity tab's numbers, worked out by hand, and the nearest images. */
class PrototypeSimilarityTest {
    @TempDir
    Path dir;

    /**
     * Base prototypes (1, 0) and (0, 2); one new class whose shots are (3, 4) and (3, 4): its mean
     * points at (0.6, 0.8), so cos to the bases is 0.6 and 0.8, and at tau = 10 TEEN's weights are
     * softmax(6, 8) = (1 / (1 + e^2), e^2 / (1 + e^2)) = (0.1192, 0.8808).
     */
    @Test
    void cosinesAndTeenWeightsAreThoseWorkedOutByHand() throws IOException {
        FloatMatrix base = FloatMatrix.ofRows(new float[] {1, 0}, new float[] {0, 2});
        FloatMatrix images = FloatMatrix.ofRows(new float[] {3, 4}, new float[] {3, 4}, new float[] {5, 0}, new float[] {-1, 1});
        Workspace w = Workspace.open(TinyProject.write(dir.resolve("p"), List.of("a", "b"), base, List.of("c"), images,
                new String[] {"c", "c", "a", null}, new boolean[] {true, true, false, false}, 0.5, 10));
        PrototypeSimilarity s = PrototypeSimilarity.of(w.state());
        assertEquals(List.of(2), s.novel());
        assertEquals(List.of(0, 1), s.base());
        assertArrayEquals(new double[] {0.6, 0.8}, s.cosines()[0], 1e-6);
        double e2 = Math.exp(2);
        assertArrayEquals(new double[] {1 / (1 + e2), e2 / (1 + e2)}, s.weights()[0], 1e-6);
        assertEquals(1, s.strongest(0), "the new class borrows most from b");
        assertArrayEquals(new double[] {0.6, 0.8}, s.cosineRange(), 1e-6);
    }

    /**
     * Nearest images by cosine: of (3, 4), (3, 4), (5, 0), (-1, 1), the nearest to the first is its
     * twin (cos 1), then (5, 0) (cos 0.6), then (-1, 1) (cos 0.1414).
     */
    @Test
    void nearestImagesAreOrderedByCosine() throws IOException {
        FloatMatrix base = FloatMatrix.ofRows(new float[] {1, 0}, new float[] {0, 2});
        FloatMatrix images = FloatMatrix.ofRows(new float[] {3, 4}, new float[] {3, 4}, new float[] {5, 0}, new float[] {-1, 1});
        Workspace w = Workspace.open(TinyProject.write(dir.resolve("q"), List.of("a", "b"), base, List.of(), images,
                new String[] {null, null, "a", null}, new boolean[4], 0.5, 10));
        assertArrayEquals(new int[] {1, 2, 3}, NearestImages.of(w.state(), 0, 8));
        assertArrayEquals(new int[] {1, 2}, NearestImages.of(w.state(), 0, 2));
        assertArrayEquals(new int[] {0, 1}, NearestImages.of(w.state(), 3, 2), "(-1, 1) is nearer the (3, 4)s than (5, 0)");
    }
}
