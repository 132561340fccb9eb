package org.protolens.core.proto;

import java.util.List;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;

/**
 * Transductive refinement of the new classes' prototypes from unlabelled images, soft k-means
 * as in BD-CSPN (Liu et al., ECCV 2020): starting from given prototypes (NCM's shot means or
 * TEEN's calibrated ones), each round
 * <pre>
 *   r_ic = softmax_c(beta cos(x_i, p_c))                    over every class, base prototypes fixed
 *   p_c  = l2n(sum of c's unit shots + sum_i r_ic unit(x_i))  for each new class c
 * </pre>
 * so that the unlabelled images a new class probably holds pull its prototype towards them, and
 * those that look like a base class pull it little. Arithmetic is in double precision, over the
 * images in parallel, in fixed chunks summed in order (the same result on any number of cores).
 */
public final class SoftKMeans {
    /** The softmax sharpness used unless told otherwise: the cosine classifier's scale. */
    public static final double DEFAULT_BETA = 16;
    /** Rounds used unless told otherwise. */
    public static final int DEFAULT_ITERATIONS = 5;

    /** images per piece of parallel work */
    private static final int CHUNK = 512;

    private SoftKMeans() {
    }

    /**
     * @param base       the base prototypes (any length; they are normalised), held fixed
     * @param start      the new classes' starting prototypes, one row per class
     * @param shots      per new class, its shots (rows)
     * @param unlabelled the unlabelled images (rows)
     * @return the refined new-class prototypes, unit length, one row per class
     */
    public static FloatMatrix refine(FloatMatrix base, FloatMatrix start, List<FloatMatrix> shots, FloatMatrix unlabelled, double beta,
                                     int iterations) {
        int b = base.rows();
        int n = start.rows();
        int d = start.cols();
        if (shots.size() != n) {
            throw new IllegalArgumentException(n + " starting prototypes but shots of " + shots.size() + " classes");
        }
        double[][] protos = new double[b + n][];
        for (int k = 0; k < b; k++) {
            protos[k] = L2.normalized(base.data(), base.offset(k), d);
        }
        for (int c = 0; c < n; c++) {
            protos[b + c] = L2.normalized(start.data(), start.offset(c), d);
        }
        double[][] shotSum = new double[n][d];
        for (int c = 0; c < n; c++) {
            FloatMatrix s = shots.get(c);
            for (int r = 0; r < s.rows(); r++) {
                double[] u = L2.normalized(s.data(), s.offset(r), d);
                for (int j = 0; j < d; j++) {
                    shotSum[c][j] += u[j];
                }
            }
        }
        double[][] x = new double[unlabelled.rows()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = L2.normalized(unlabelled.data(), unlabelled.offset(i), d);
        }
        // the base classes' logits never change: computed once
        double[][] baseLogits = new double[x.length][b];
        IntStream.range(0, x.length).parallel().forEach(i -> {
            for (int k = 0; k < b; k++) {
                baseLogits[i][k] = beta * L2.dot16(x[i], protos[k]);
            }
        });
        for (int t = 0; t < iterations; t++) {
            double[][] next = new double[n][];
            for (int c = 0; c < n; c++) {
                next[c] = shotSum[c].clone();
            }
            // in fixed chunks of images, added in order: the same sums on any number of threads
            double[][][] parts = IntStream.range(0, (x.length + CHUNK - 1) / CHUNK).parallel().mapToObj(ch -> {
                double[][] part = new double[n][d];
                double[] logits = new double[b + n];
                for (int i = ch * CHUNK, end = Math.min(x.length, i + CHUNK); i < end; i++) {
                    double[] xi = x[i];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < b + n; k++) {
                        logits[k] = k < b ? baseLogits[i][k] : beta * L2.dot16(xi, protos[k]);
                        max = Math.max(max, logits[k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < b + n; k++) {
                        logits[k] = Math.exp(logits[k] - max);
                        sum += logits[k];
                    }
                    for (int c = 0; c < n; c++) {
                        double r = logits[b + c] / sum;
                        double[] p = part[c];
                        for (int j = 0; j < d; j++) {
                            p[j] += r * xi[j];
                        }
                    }
                }
                return part;
            }).toArray(double[][][]::new);
            for (double[][] part : parts) {
                for (int c = 0; c < n; c++) {
                    for (int j = 0; j < d; j++) {
                        next[c][j] += part[c][j];
                    }
                }
            }
            for (int c = 0; c < n; c++) {
                protos[b + c] = L2.normalize(next[c]);
            }
        }
        float[] out = new float[n * d];
        for (int c = 0; c < n; c++) {
            for (int j = 0; j < d; j++) {
                out[c * d + j] = (float) protos[b + c][j];
            }
        }
        return new FloatMatrix(n, d, out);
    }
}
