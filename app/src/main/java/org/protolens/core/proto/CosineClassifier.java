package org.protolens.core.proto;

import org.protolens.core.FloatMatrix;

/**
 * Nearest prototype by cosine similarity. Zero prototypes and zero embeddings have similarity 0
 * to everything (never NaN). Ties go to the lower class index.
 */
public final class CosineClassifier {
    /** Default scale s of the displayed class probabilities softmax(s * cosine). */
    public static final double DEFAULT_SCALE = 16;

    private final FloatMatrix unitPrototypes;

    public CosineClassifier(FloatMatrix prototypes) {
        if (prototypes.rows() == 0) {
            throw new IllegalArgumentException("a classifier needs at least one prototype");
        }
        this.unitPrototypes = L2.normalizeRows(prototypes);
    }

    public int classes() {
        return unitPrototypes.rows();
    }

    /** Cosine similarity of one embedding to every prototype. */
    public float[] similarities(float[] embedding) {
        return similarities(embedding, 0);
    }

    float[] similarities(float[] data, int offset) {
        int d = unitPrototypes.cols();
        double n = Math.max(L2.norm(data, offset, d), L2.EPS);
        float[] s = new float[unitPrototypes.rows()];
        float[] p = unitPrototypes.data();
        for (int k = 0; k < s.length; k++) {
            double acc = 0;
            int po = k * d;
            for (int j = 0; j < d; j++) {
                acc += (double) data[offset + j] * p[po + j];
            }
            s[k] = (float) (acc / n);
        }
        return s;
    }

    /** The predicted class of every row of {@code embeddings}. */
    public int[] predict(FloatMatrix embeddings) {
        if (embeddings.cols() != unitPrototypes.cols()) {
            throw new IllegalArgumentException("embeddings have " + embeddings.cols()
                    + " dimensions, prototypes have " + unitPrototypes.cols());
        }
        int[] out = new int[embeddings.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = argmax(similarities(embeddings.data(), embeddings.offset(r)));
        }
        return out;
    }

    public static int argmax(float[] s) {
        int best = 0;
        for (int k = 1; k < s.length; k++) {
            if (s[k] > s[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Class probabilities for display: softmax(scale * cosine). */
    public static double[] probabilities(float[] similarities, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : similarities) {
            max = Math.max(max, scale * s);
        }
        double[] p = new double[similarities.length];
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(scale * similarities[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
