package org.protolens.core.proto;

import java.util.List;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;

/**
 * Transductive information maximisation (TIM, Boudiaf et al., "Information Maximization for
 * Few-Shot Learning", NeurIPS 2020) for the new classes' prototypes, solved by the paper's
 * alternating direction method (TIM-ADM) with the base prototypes held fixed. TIM asks for
 * confident predictions on the unlabelled images (low conditional entropy) that are spread over
 * the classes (high marginal entropy), while the shots keep their labels (cross-entropy). Every
 * vector is made unit length first; then each round
 * <pre>
 *   p_ik = softmax_k(-T/2 |x_i - w_k|^2)                 over every class, for shots S and unlabelled Q
 *   q_ik = p_ik^(1+a) / (sum_{i in Q} p_ik^(1+a))^b     then normalised over k
 *   w_k  = [l (sum_S y_ik x_i + sum_S p_ik (w_k - x_i)) + |S|/|Q| (sum_Q q_ik x_i + sum_Q p_ik (w_k - x_i))]
 *          / [l |S_k| + |S|/|Q| sum_Q q_ik]              for each new class k
 * </pre>
 * with a = the conditional-entropy weight, b = marginal / (marginal + 1) and l = cross-entropy /
 * (1 + conditional), the paper's defaults T = 15, weights 0.1 / 1 / 0.1 and 150 rounds (fewer
 * once the weights stand still, see {@link #CONVERGED}). The
 * refined weights are prototypes like any other: the classifier compares them by cosine.
 * Arithmetic is in double precision, over the images in parallel, in fixed chunks summed in
 * order (the same result on any number of cores).
 */
public final class Tim {
    /** Rounds used unless told otherwise (the paper's TIM-ADM setting), at most. */
    public static final int DEFAULT_ITERATIONS = 150;
    /**
     * The rounds stop early once no weight moves by more than this, relative to its length: the
     * method converges geometrically (on the samples within 50 to 75 rounds), and the weights
     * are then within about 1e-6 of where the remaining rounds would take them.
     */
    public static final double CONVERGED = 1e-7;

    /** The temperature T and the weights of the three terms. */
    public record Settings(double temperature, double crossEntropy, double marginal, double conditional) {
        /** The paper's: T = 15, cross-entropy 0.1, marginal entropy 1, conditional entropy 0.1. */
        public static final Settings DEFAULT = new Settings(15, 0.1, 1, 0.1);
    }

    /** rows per piece of parallel work */
    private static final int CHUNK = 512;

    private Tim() {
    }

    /**
     * @param base       the base prototypes (any length; they are normalised), held fixed
     * @param start      the new classes' starting prototypes, one row per class
     * @param shots      per new class, its shots (rows)
     * @param unlabelled the unlabelled images (rows)
     * @return the refined new-class prototypes, one row per class
     */
    public static FloatMatrix refine(FloatMatrix base, FloatMatrix start, List<FloatMatrix> shots, FloatMatrix unlabelled,
                                     Settings settings, int iterations) {
        int b = base.rows();
        int n = start.rows();
        int d = start.cols();
        if (shots.size() != n) {
            throw new IllegalArgumentException(n + " starting prototypes but shots of " + shots.size() + " classes");
        }
        int classes = b + n;
        double[][] w = new double[classes][];
        for (int k = 0; k < b; k++) {
            w[k] = L2.normalized(base.data(), base.offset(k), d);
        }
        for (int c = 0; c < n; c++) {
            w[b + c] = L2.normalized(start.data(), start.offset(c), d);
        }
        int shotCount = shots.stream().mapToInt(FloatMatrix::rows).sum();
        double[][] s = new double[shotCount][];
        int[] shotClass = new int[shotCount];
        double[][] shotSum = new double[n][d];
        int[] perClass = new int[n];
        for (int c = 0, r = 0; c < n; c++) {
            FloatMatrix m = shots.get(c);
            perClass[c] = m.rows();
            for (int j = 0; j < m.rows(); j++, r++) {
                s[r] = L2.normalized(m.data(), m.offset(j), d);
                shotClass[r] = c;
                add(shotSum[c], 1, s[r]);
            }
        }
        double[][] x = new double[unlabelled.rows()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = L2.normalized(unlabelled.data(), unlabelled.offset(i), d);
        }
        double a = settings.conditional();
        double power = settings.marginal() / (settings.marginal() + 1);
        double l = settings.crossEntropy() / (1 + settings.conditional());
        double queryWeight = x.length == 0 ? 0 : (double) shotCount / x.length;
        double[][] ps = new double[s.length][classes];
        double[][] pq = new double[x.length][classes];
        double[][] sharpened = new double[x.length][classes];
        double[] halfNorm = new double[classes];
        for (int k = 0; k < b; k++) {
            halfNorm[k] = 0.5 * L2.dot(w[k], w[k]);
        }
        // the base classes' logits never change: computed once
        double[][] baseS = baseLogits(s, w, b, halfNorm, settings.temperature());
        double[][] baseQ = baseLogits(x, w, b, halfNorm, settings.temperature());
        for (int t = 0, moved = 1; t < iterations && moved > 0; t++) {
            moved = 0;
            for (int k = b; k < classes; k++) {
                halfNorm[k] = 0.5 * L2.dot(w[k], w[k]);
            }
            softmax(s, baseS, w, halfNorm, settings.temperature(), ps);
            softmax(x, baseQ, w, halfNorm, settings.temperature(), pq);
            // p^(1+a) of every unlabelled image and class, once per round (in parallel); summed in image order
            IntStream.range(0, x.length).parallel().forEach(i -> {
                for (int k = 0; k < classes; k++) {
                    sharpened[i][k] = Math.pow(pq[i][k], 1 + a);
                }
            });
            double[] marginal = new double[classes];
            for (double[] p : sharpened) {
                for (int k = 0; k < classes; k++) {
                    marginal[k] += p[k];
                }
            }
            for (int k = 0; k < classes; k++) {
                marginal[k] = Math.pow(marginal[k], power);
            }
            double[][] top = new double[n][];
            double[] bottom = new double[n];
            for (int c = 0; c < n; c++) {
                top[c] = new double[d];
                add(top[c], l, shotSum[c]);
                bottom[c] = l * perClass[c];
            }
            double[] support = new double[n];
            for (int r = 0; r < s.length; r++) {
                for (int c = 0; c < n; c++) {
                    double p = ps[r][b + c];
                    support[c] += p;
                    add(top[c], -l * p, s[r]);
                }
            }
            // the unlabelled images' part, in fixed chunks added in order: the same sums on any number of threads
            double[] query = new double[n];
            double[][][] parts = IntStream.range(0, (x.length + CHUNK - 1) / CHUNK).parallel().mapToObj(ch -> {
                double[][] part = new double[n + 2][];
                for (int c = 0; c < n; c++) {
                    part[c] = new double[d];
                }
                part[n] = new double[n];
                part[n + 1] = new double[n];
                // four images at a time: each class's sum is read and written once for the four,
                // the images still added one after another (the same sums as one at a time)
                double[][] scale = new double[4][n];
                double[] q = new double[classes];
                for (int i0 = ch * CHUNK, end = Math.min(x.length, i0 + CHUNK); i0 < end; i0 += 4) {
                    int m = Math.min(4, end - i0);
                    for (int g = 0; g < m; g++) {
                        int i = i0 + g;
                        double[] p = pq[i];
                        double sum = 0;
                        for (int k = 0; k < classes; k++) {
                            q[k] = sharpened[i][k] / marginal[k];
                            sum += q[k];
                        }
                        for (int c = 0; c < n; c++) {
                            double qc = q[b + c] / sum;
                            part[n][c] += p[b + c];
                            part[n + 1][c] += qc;
                            scale[g][c] = queryWeight * (qc - p[b + c]);
                        }
                    }
                    for (int c = 0; c < n; c++) {
                        if (m == 4) {
                            add4(part[c], scale[0][c], x[i0], scale[1][c], x[i0 + 1], scale[2][c], x[i0 + 2], scale[3][c], x[i0 + 3]);
                        } else {
                            for (int g = 0; g < m; g++) {
                                add(part[c], scale[g][c], x[i0 + g]);
                            }
                        }
                    }
                }
                return part;
            }).toArray(double[][][]::new);
            for (double[][] part : parts) {
                for (int c = 0; c < n; c++) {
                    add(top[c], 1, part[c]);
                    query[c] += part[n][c];
                    bottom[c] += queryWeight * part[n + 1][c];
                }
            }
            for (int c = 0; c < n; c++) {
                add(top[c], l * support[c] + queryWeight * query[c], w[b + c]);
                if (bottom[c] > 0) {
                    for (int j = 0; j < d; j++) {
                        top[c][j] /= bottom[c];
                    }
                    double step = 0;
                    for (int j = 0; j < d; j++) {
                        step += (top[c][j] - w[b + c][j]) * (top[c][j] - w[b + c][j]);
                    }
                    if (Math.sqrt(step) > CONVERGED * Math.sqrt(L2.dot(top[c], top[c]))) {
                        moved++;
                    }
                    w[b + c] = top[c];
                }
            }
        }
        float[] out = new float[n * d];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < d; j++) {
                out[c * d + j] = (float) w[b + c][j];
            }
        }
        return new FloatMatrix(n, d, out);
    }

    /** logits[i][k] = temperature (z_i . w_k - |w_k|^2 / 2) for the first {@code b} classes. */
    private static double[][] baseLogits(double[][] z, double[][] w, int b, double[] halfNorm, double temperature) {
        double[][] out = new double[z.length][b];
        IntStream.range(0, z.length).parallel().forEach(i -> {
            for (int k = 0; k < b; k++) {
                out[i][k] = temperature * (L2.dot16(z[i], w[k]) - halfNorm[k]);
            }
        });
        return out;
    }

    /**
     * out[i] = softmax_k(temperature (z_i . w_k - |w_k|^2 / 2)), the distance softmax (|z_i|^2
     * cancels), the base classes' logits given.
     */
    private static void softmax(double[][] z, double[][] baseLogits, double[][] w, double[] halfNorm, double temperature,
                                double[][] out) {
        int b = baseLogits.length == 0 ? 0 : baseLogits[0].length;
        IntStream.range(0, z.length).parallel().forEach(i -> {
            double[] o = out[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < w.length; k++) {
                o[k] = k < b ? baseLogits[i][k] : temperature * (L2.dot16(z[i], w[k]) - halfNorm[k]);
                max = Math.max(max, o[k]);
            }
            double sum = 0;
            for (int k = 0; k < w.length; k++) {
                o[k] = Math.exp(o[k] - max);
                sum += o[k];
            }
            for (int k = 0; k < w.length; k++) {
                o[k] /= sum;
            }
        });
    }

    /** {@code add} of four vectors one after another, in one pass over {@code into}. */
    private static void add4(double[] into, double s0, double[] v0, double s1, double[] v1, double s2, double[] v2, double s3,
                             double[] v3) {
        for (int j = 0; j < into.length; j++) {
            into[j] = (((into[j] + s0 * v0[j]) + s1 * v1[j]) + s2 * v2[j]) + s3 * v3[j];
        }
    }

    private static void add(double[] into, double scale, double[] v) {
        for (int j = 0; j < into.length; j++) {
            into[j] += scale * v[j];
        }
    }
}
