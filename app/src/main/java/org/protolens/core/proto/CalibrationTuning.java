package org.protolens.core.proto;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.protolens.core.FloatMatrix;

/**
 * Which alpha and tau suit a project, from its own labels, without its held-out images.
 *
 * <p>TEEN's defaults do not help everywhere. For each (alpha, tau) of a grid this measures, by
 * leave-one-shot-out, how well the new classes' shots are recognised: each shot in turn is left
 * out, its class's prototype made of the other shots and calibrated, and the shot predicted by
 * cosine among every prototype; and how well the base classes' images are still recognised
 * beside the calibrated new prototypes (which can draw base images away). The score is the
 * harmonic mean of the two class means (each class's recall averaged), TEEN's measure. The
 * suggestion is the grid point with the best score; ties go to the smaller alpha, then the tau
 * nearer the paper's 16. A new class with a single shot cannot leave one out: it takes part as a
 * prototype only.
 */
public final class CalibrationTuning {
    /** The alphas tried: 0 to 1 in steps of 0.1. */
    public static final double[] ALPHAS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1};
    /** The taus tried, around the paper's 16. */
    public static final double[] TAUS = {1, 2, 4, 8, 16, 32, 64};

    /**
     * The scores of the grid and the suggestion.
     *
     * @param score    [i][j]: the harmonic mean at {@code alphas[i]}, {@code taus[j]}
     * @param novel    [i][j]: the class-mean accuracy on the left-out shots
     * @param base     [i][j]: the class-mean accuracy on the base images
     * @param bestI    the suggested alpha's index
     * @param bestJ    the suggested tau's index
     * @param shotsLeftOut how many shots were left out in turn (those of classes with two or more)
     */
    public record Grid(double[] alphas, double[] taus, double[][] score, double[][] novel, double[][] base, int bestI, int bestJ,
                       int shotsLeftOut, int baseImages) {
        public TeenCalibration best() {
            return new TeenCalibration(alphas[bestI], taus[bestJ]);
        }

        /** The score at the grid point nearest to {@code c}. */
        public double scoreNear(TeenCalibration c) {
            return score[nearest(alphas, c.alpha())][nearest(taus, c.tau())];
        }

        private static int nearest(double[] values, double v) {
            int best = 0;
            for (int i = 1; i < values.length; i++) {
                if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) {
                    best = i;
                }
            }
            return best;
        }
    }

    private CalibrationTuning() {
    }

    /**
     * Scores the grid.
     *
     * @param basePrototypes the raw base prototypes, one row per base class
     * @param shots          per new class, its shots' embeddings (rows)
     * @param baseImages     labelled images of base classes (rows), predicted beside the new prototypes
     * @param baseLabels     their base class, 0..B-1
     * @throws IllegalArgumentException when no new class has two shots (nothing can be left out)
     * @throws CancellationException    when {@code cancelled} says so
     */
    public static Grid tune(FloatMatrix basePrototypes, List<FloatMatrix> shots, FloatMatrix baseImages, int[] baseLabels,
                            double[] alphas, double[] taus, BooleanSupplier cancelled) {
        int b = basePrototypes.rows();
        int novel = shots.size();
        int leftOut = shots.stream().filter(s -> s.rows() >= 2).mapToInt(FloatMatrix::rows).sum();
        if (leftOut == 0) {
            throw new IllegalArgumentException("no new class has two shots or more: there is no shot to leave out");
        }
        TeenCalibration.Basis basis = new TeenCalibration.Basis(basePrototypes);
        // every class's shot mean, and each shot's class mean without it
        float[][] means = new float[novel][];
        List<float[][]> without = new ArrayList<>();
        for (int c = 0; c < novel; c++) {
            FloatMatrix s = shots.get(c);
            means[c] = mean(s, -1);
            float[][] w = new float[s.rows() >= 2 ? s.rows() : 0][];
            for (int j = 0; j < w.length; j++) {
                w[j] = mean(s, j);
            }
            without.add(w);
        }
        float[][] unitBase = new float[b][];
        for (int k = 0; k < b; k++) {
            unitBase[k] = unit(basePrototypes.row(k));
        }
        double[][] score = new double[alphas.length][taus.length];
        double[][] novelAcc = new double[alphas.length][taus.length];
        double[][] baseAcc = new double[alphas.length][taus.length];
        for (int j = 0; j < taus.length; j++) {
            TeenCalibration atTau = new TeenCalibration(0, taus[j]);
            // weights and delta depend on tau only: calibrate once per tau, mix per alpha
            TeenCalibration.Result[] full = new TeenCalibration.Result[novel];
            List<TeenCalibration.Result[]> loo = new ArrayList<>();
            for (int c = 0; c < novel; c++) {
                full[c] = atTau.calibrate(basis, means[c]);
                TeenCalibration.Result[] r = new TeenCalibration.Result[without.get(c).length];
                for (int s = 0; s < r.length; s++) {
                    r[s] = atTau.calibrate(basis, without.get(c)[s]);
                }
                loo.add(r);
            }
            for (int i = 0; i < alphas.length; i++) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("tuning cancelled");
                }
                TeenCalibration at = new TeenCalibration(alphas[i], taus[j]);
                float[][] protos = new float[b + novel][];
                System.arraycopy(unitBase, 0, protos, 0, b);
                for (int c = 0; c < novel; c++) {
                    protos[b + c] = unit(at.withAlpha(full[c]).calibrated());
                }
                // left-out shots, class by class
                double novelSum = 0;
                int novelClasses = 0;
                for (int c = 0; c < novel; c++) {
                    TeenCalibration.Result[] r = loo.get(c);
                    if (r.length == 0) {
                        continue;
                    }
                    int right = 0;
                    float[] keep = protos[b + c];
                    for (int s = 0; s < r.length; s++) {
                        protos[b + c] = unit(at.withAlpha(r[s]).calibrated());
                        right += nearest(protos, shots.get(c).row(s)) == b + c ? 1 : 0;
                    }
                    protos[b + c] = keep;
                    novelSum += (double) right / r.length;
                    novelClasses++;
                }
                double nAcc = novelSum / novelClasses;
                int[] total = new int[b];
                int[] right = new int[b];
                for (int r = 0; r < baseImages.rows(); r++) {
                    int k = baseLabels[r];
                    total[k]++;
                    right[k] += nearest(protos, baseImages.row(r)) == k ? 1 : 0;
                }
                double baseSum = 0;
                int baseClasses = 0;
                for (int k = 0; k < b; k++) {
                    if (total[k] > 0) {
                        baseSum += (double) right[k] / total[k];
                        baseClasses++;
                    }
                }
                double bAcc = baseClasses == 0 ? Double.NaN : baseSum / baseClasses;
                novelAcc[i][j] = nAcc;
                baseAcc[i][j] = bAcc;
                score[i][j] = Double.isNaN(bAcc) ? nAcc : nAcc + bAcc == 0 ? 0 : 2 * nAcc * bAcc / (nAcc + bAcc);
            }
        }
        int bestI = 0;
        int bestJ = 0;
        for (int i = 0; i < alphas.length; i++) {
            for (int j = 0; j < taus.length; j++) {
                double s = score[i][j];
                double best = score[bestI][bestJ];
                boolean better = s > best + 1e-12 || (Math.abs(s - best) <= 1e-12 && (alphas[i] < alphas[bestI]
                        || alphas[i] == alphas[bestI] && Math.abs(Math.log(taus[j] / 16)) < Math.abs(Math.log(taus[bestJ] / 16))));
                if (better) {
                    bestI = i;
                    bestJ = j;
                }
            }
        }
        return new Grid(alphas.clone(), taus.clone(), score, novelAcc, baseAcc, bestI, bestJ, leftOut, baseImages.rows());
    }

    private static float[] mean(FloatMatrix rows, int skip) {
        float[] out = new float[rows.cols()];
        int n = 0;
        for (int r = 0; r < rows.rows(); r++) {
            if (r == skip) {
                continue;
            }
            float[] row = rows.row(r);
            for (int j = 0; j < out.length; j++) {
                out[j] += row[j];
            }
            n++;
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= n;
        }
        return out;
    }

    private static float[] unit(float[] v) {
        double norm = L2.norm(v, 0, v.length);
        float[] out = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = (float) (v[j] / Math.max(norm, L2.EPS));
        }
        return out;
    }

    private static int nearest(float[][] unitPrototypes, float[] x) {
        int best = -1;
        double bestSim = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < unitPrototypes.length; k++) {
            double s = L2.dot(unitPrototypes[k], 0, x, x.length);
            if (s > bestSim) {
                bestSim = s;
                best = k;
            }
        }
        return best;
    }
}
