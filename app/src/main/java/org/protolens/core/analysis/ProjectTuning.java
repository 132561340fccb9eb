package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.CalibrationTuning;
import org.protolens.core.proto.TeenCalibration;

/**
 * The alpha and tau a project's own labels suggest (see {@link CalibrationTuning}): the new
 * classes' shots left out one at a time, and the labelled images of base classes (at most
 * {@link #BASE_IMAGES}, a seeded sample, so that a large project is scored in a moment).
 */
public final class ProjectTuning {
    /** At most this many base-class images are predicted per grid point. */
    public static final int BASE_IMAGES = 5000;

    /**
     * The grid and its suggestion, with the base classes numbered as the project's.
     *
     * @param score    [i][j]: harmonic mean of the two class means at alphas[i], taus[j]
     * @param novel    [i][j]: class-mean accuracy on the left-out shots
     * @param base     [i][j]: class-mean accuracy on the base images
     * @param best     the suggested calibration
     * @param current  the score at the grid point nearest to the project's calibration
     */
    public record Result(double[] alphas, double[] taus, double[][] score, double[][] novel, double[][] base, TeenCalibration best,
                         double bestScore, double current, int shotsLeftOut, int baseImages) {
    }

    private ProjectTuning() {
    }

    /**
     * Scores TEEN's grid on {@code s}.
     *
     * @throws IllegalArgumentException when the project has no base class or no new class with two shots
     */
    public static Result of(WorkspaceState s, BooleanSupplier cancelled) {
        List<Integer> baseClasses = new ArrayList<>();
        List<FloatMatrix> shots = new ArrayList<>();
        for (int k = 0; k < s.classCount(); k++) {
            if (s.isBase(k)) {
                baseClasses.add(k);
            } else {
                int[] rows = Arrays.stream(s.imagesOf(k)).filter(s::isShot).toArray();
                if (rows.length > 0) {
                    shots.add(FloatMatrix.ofRows(Arrays.stream(rows).mapToObj(s::embedding).toArray(float[][]::new)));
                }
            }
        }
        if (baseClasses.isEmpty()) {
            throw new IllegalArgumentException("the project has no base class: calibration has nothing to move towards");
        }
        if (shots.isEmpty()) {
            throw new IllegalArgumentException("the project has no new class yet");
        }
        float[][] base = new float[baseClasses.size()][];
        int[] baseIndex = new int[s.classCount()];
        Arrays.fill(baseIndex, -1);
        for (int j = 0; j < base.length; j++) {
            base[j] = s.rawPrototype(baseClasses.get(j));
            baseIndex[baseClasses.get(j)] = j;
        }
        List<Integer> images = new ArrayList<>();
        for (int i = 0; i < s.imageCount(); i++) {
            if (s.isEvaluated(i) && s.isBase(s.label(i))) {
                images.add(i);
            }
        }
        if (images.size() > BASE_IMAGES) {
            Collections.shuffle(images, new Random(1));
            images = images.subList(0, BASE_IMAGES);
        }
        float[][] rows = new float[images.size()][];
        int[] labels = new int[images.size()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = s.embedding(images.get(r));
            labels[r] = baseIndex[s.label(images.get(r))];
        }
        FloatMatrix baseImages = rows.length == 0 ? new FloatMatrix(0, s.dim(), new float[0]) : FloatMatrix.ofRows(rows);
        CalibrationTuning.Grid g = CalibrationTuning.tune(FloatMatrix.ofRows(base), shots, baseImages, labels, CalibrationTuning.ALPHAS,
                CalibrationTuning.TAUS, cancelled);
        TeenCalibration now = s.calibrationEnabled() ? s.calibration() : TeenCalibration.none();
        return new Result(g.alphas(), g.taus(), g.score(), g.novel(), g.base(), g.best(), g.score()[g.bestI()][g.bestJ()],
                g.scoreNear(now), g.shotsLeftOut(), g.baseImages());
    }
}
