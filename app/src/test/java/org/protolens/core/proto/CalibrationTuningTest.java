package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/**
 * The alpha and tau suggestion: every grid score is the leave-one-shot-out measure worked out
 * again here the plain way (calibrate all, classify with the cosine classifier), and the
 * suggestion is the best of the grid.
 */
class CalibrationTuningTest {
    @Test
    void eachScoreIsTheLeaveOneShotOutMeasureAndTheSuggestionTheBest() throws IOException {
        Workspace w = Workspace.open(TestResources.samples().resolve("fashion-fewshot"));
        WorkspaceState s = w.state();
        FloatMatrix base = w.manifest().basePrototypes(w.dir());
        List<Integer> novelClasses = new ArrayList<>();
        List<FloatMatrix> shots = new ArrayList<>();
        for (int k = 0; k < s.classCount(); k++) {
            if (!s.isBase(k)) {
                int[] rows = Arrays.stream(s.imagesOf(k)).filter(s::isShot).toArray();
                shots.add(FloatMatrix.ofRows(Arrays.stream(rows).mapToObj(s::embedding).toArray(float[][]::new)));
                novelClasses.add(k);
            }
        }
        List<float[]> baseRows = new ArrayList<>();
        List<Integer> baseLabels = new ArrayList<>();
        for (int i = 0; i < s.imageCount(); i++) {
            if (s.isEvaluated(i) && s.isBase(s.label(i))) {
                baseRows.add(s.embedding(i));
                baseLabels.add(s.label(i));
            }
        }
        FloatMatrix baseImages = FloatMatrix.ofRows(baseRows.toArray(float[][]::new));
        int[] labels = baseLabels.stream().mapToInt(Integer::intValue).toArray();
        double[] alphas = {0, 0.5, 0.9};
        double[] taus = {4, 16};
        var grid = CalibrationTuning.tune(base, shots, baseImages, labels, alphas, taus, () -> false);
        assertEquals(20, grid.shotsLeftOut(), "four new classes of five shots");

        for (int i = 0; i < alphas.length; i++) {
            for (int j = 0; j < taus.length; j++) {
                TeenCalibration at = new TeenCalibration(alphas[i], taus[j]);
                double[] expected = plainWay(base, shots, baseImages, labels, at);
                assertEquals(expected[0], grid.novel()[i][j], 1e-9, "left-out shots at " + at);
                assertEquals(expected[1], grid.base()[i][j], 1e-9, "base images at " + at);
                double hm = 2 * expected[0] * expected[1] / (expected[0] + expected[1]);
                assertEquals(hm, grid.score()[i][j], 1e-9);
                assertTrue(grid.score()[grid.bestI()][grid.bestJ()] >= grid.score()[i][j], "the suggestion is the best");
            }
        }

        List<FloatMatrix> single = List.of(FloatMatrix.ofRows(new float[][] {shots.getFirst().row(0)}));
        assertThrows(IllegalArgumentException.class, () -> CalibrationTuning.tune(base, single, baseImages, labels, alphas, taus,
                () -> false), "one shot: nothing to leave out");
    }

    /** [left-out shots' class mean, base images' class mean], calibrating and classifying the plain way. */
    private static double[] plainWay(FloatMatrix base, List<FloatMatrix> shots, FloatMatrix baseImages, int[] labels, TeenCalibration at) {
        int b = base.rows();
        int n = shots.size();
        float[][] means = new float[n][];
        for (int c = 0; c < n; c++) {
            means[c] = meanWithout(shots.get(c), -1);
        }
        double novelSum = 0;
        for (int c = 0; c < n; c++) {
            int right = 0;
            for (int s = 0; s < shots.get(c).rows(); s++) {
                float[][] m = means.clone();
                m[c] = meanWithout(shots.get(c), s);
                FloatMatrix protos = stack(base, at.calibrateAll(base, FloatMatrix.ofRows(m)));
                right += new CosineClassifier(protos).predict(FloatMatrix.ofRows(new float[][] {shots.get(c).row(s)}))[0] == b + c ? 1 : 0;
            }
            novelSum += (double) right / shots.get(c).rows();
        }
        FloatMatrix protos = stack(base, at.calibrateAll(base, FloatMatrix.ofRows(means)));
        int[] predicted = new CosineClassifier(protos).predict(baseImages);
        double[] right = new double[b];
        double[] total = new double[b];
        for (int r = 0; r < labels.length; r++) {
            total[labels[r]]++;
            right[labels[r]] += predicted[r] == labels[r] ? 1 : 0;
        }
        double baseSum = 0;
        int classes = 0;
        for (int k = 0; k < b; k++) {
            if (total[k] > 0) {
                baseSum += right[k] / total[k];
                classes++;
            }
        }
        return new double[] {novelSum / n, baseSum / classes};
    }

    private static float[] meanWithout(FloatMatrix rows, int skip) {
        float[] out = new float[rows.cols()];
        int count = 0;
        for (int r = 0; r < rows.rows(); r++) {
            if (r != skip) {
                for (int j = 0; j < out.length; j++) {
                    out[j] += rows.row(r)[j];
                }
                count++;
            }
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= count;
        }
        return out;
    }

    private static FloatMatrix stack(FloatMatrix a, FloatMatrix b) {
        float[][] rows = new float[a.rows() + b.rows()][];
        for (int r = 0; r < a.rows(); r++) {
            rows[r] = a.row(r);
        }
        for (int r = 0; r < b.rows(); r++) {
            rows[a.rows() + r] = b.row(r);
        }
        return FloatMatrix.ofRows(rows);
    }
}
