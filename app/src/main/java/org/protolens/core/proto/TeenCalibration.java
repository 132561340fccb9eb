package org.protolens.core.proto;

import org.protolens.core.FloatMatrix;

/**
 * Training-free prototype calibration (TEEN, Wang et al., NeurIPS 2023), exactly as the
 * official {@code soft_calibration}:
 * <pre>
 *   b = l2normalize(base prototypes); c = l2normalize(novel mean)
 *   w = softmax(tau * c . b^T) over base classes; delta = l2normalize(w . b)
 *   calibrated = (1 - alpha) * c + alpha * delta
 * </pre>
 * Only base prototypes enter the weighting. {@code alpha = 0} is the nearest-class-mean baseline.
 * Arithmetic is in double precision; the calibrated prototype is returned as float32.
 *
 * @param alpha weight of the base-class shift, in [0, 1]
 * @param tau   softmax temperature over cosine similarities, finite and non-negative
 */
public record TeenCalibration(double alpha, double tau) {
    public static final double DEFAULT_ALPHA = 0.5;
    public static final double DEFAULT_TAU = 16;

    public TeenCalibration {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must lie in [0, 1], got " + alpha);
        }
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("tau must be finite and non-negative, got " + tau);
        }
    }

    public static TeenCalibration defaults() {
        return new TeenCalibration(DEFAULT_ALPHA, DEFAULT_TAU);
    }

    /** The nearest-class-mean baseline: no shift towards base classes. */
    public static TeenCalibration none() {
        return new TeenCalibration(0, DEFAULT_TAU);
    }

    /**
     * One novel class calibrated against the base prototypes.
     *
     * @param normalizedMean c, the unit-length mean of the shots
     * @param weights        w, the softmax weight of each base class (sums to 1)
     * @param delta          the unit-length weighted sum of base prototypes (zero if the weighted
     *                       sum cancels out exactly)
     * @param calibrated     (1 - alpha) c + alpha delta, as float32
     */
    public record Result(double[] normalizedMean, double[] weights, double[] delta, float[] calibrated) {
    }

    /**
     * Unit-length base prototypes, prepared once and reused for every novel class.
     */
    public static final class Basis {
        private final double[][] base;
        private final int dim;

        public Basis(FloatMatrix basePrototypes) {
            if (basePrototypes.rows() == 0) {
                throw new IllegalArgumentException("calibration needs at least one base prototype");
            }
            dim = basePrototypes.cols();
            base = new double[basePrototypes.rows()][];
            for (int i = 0; i < base.length; i++) {
                base[i] = L2.normalized(basePrototypes.data(), basePrototypes.offset(i), dim);
            }
        }

        public int size() {
            return base.length;
        }

        public int dim() {
            return dim;
        }

        /** Softmax over base classes of tau times the cosine similarity to a unit vector c. */
        public double[] weights(double[] c, double tau) {
            double[] w = new double[base.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < base.length; i++) {
                w[i] = tau * L2.dot(c, base[i]);
                max = Math.max(max, w[i]);
            }
            double sum = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.exp(w[i] - max);
                sum += w[i];
            }
            for (int i = 0; i < w.length; i++) {
                w[i] /= sum;
            }
            return w;
        }

        /** The weighted sum of unit base prototypes, before normalisation. */
        public double[] weightedSum(double[] w) {
            double[] s = new double[dim];
            for (int i = 0; i < base.length; i++) {
                double wi = w[i];
                double[] b = base[i];
                for (int j = 0; j < dim; j++) {
                    s[j] += wi * b[j];
                }
            }
            return s;
        }
    }

    public Result calibrate(Basis basis, float[] novelMean) {
        if (novelMean.length != basis.dim()) {
            throw new IllegalArgumentException("novel prototype has " + novelMean.length
                    + " dimensions, base prototypes have " + basis.dim());
        }
        double[] c = L2.normalized(novelMean, 0, novelMean.length);
        double[] w = basis.weights(c, tau);
        double[] delta = L2.normalize(basis.weightedSum(w));
        return withAlpha(new Result(c, w, delta, null));
    }

    /** The same calibration with this alpha: weights and delta depend on tau only. */
    public Result withAlpha(Result r) {
        double[] c = r.normalizedMean();
        double[] delta = r.delta();
        float[] out = new float[c.length];
        for (int j = 0; j < c.length; j++) {
            out[j] = (float) ((1 - alpha) * c[j] + alpha * delta[j]);
        }
        return new Result(c, r.weights(), delta, out);
    }

    /** Calibrates every row of {@code novelMeans} against {@code basePrototypes}. */
    public FloatMatrix calibrateAll(FloatMatrix basePrototypes, FloatMatrix novelMeans) {
        Basis basis = new Basis(basePrototypes);
        if (novelMeans.cols() != basis.dim()) {
            throw new IllegalArgumentException("novel prototypes have " + novelMeans.cols()
                    + " dimensions, base prototypes have " + basis.dim());
        }
        float[] out = new float[novelMeans.size()];
        for (int r = 0; r < novelMeans.rows(); r++) {
            float[] calibrated = calibrate(basis, novelMeans.row(r)).calibrated();
            System.arraycopy(calibrated, 0, out, novelMeans.offset(r), calibrated.length);
        }
        return new FloatMatrix(novelMeans.rows(), novelMeans.cols(), out);
    }
}
