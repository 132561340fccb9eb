package org.protolens.core.map;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.protolens.core.proto.L2;

/**
 * The largest eigenvalues of a symmetric matrix and their eigenvectors, by Lanczos iteration with
 * full re-orthogonalisation: a map needs two (or a few dozen) of them, and a full decomposition of
 * a 512 x 512 covariance costs ten times what finding those does. The Krylov space grows from a
 * fixed pseudo-random start until every wanted Ritz pair's residual is below {@link #TOLERANCE}
 * times the largest eigenvalue, or until it spans the whole space (then the pairs are those of a
 * full decomposition). Where the space closes early (an invariant subspace: a low-rank or
 * degenerate matrix) it goes on from a new start orthogonal to it, until a block shows that no
 * repeat of a wanted eigenvalue is left (see {@code explored}): a covariance of 500 rows in
 * 2,048 dimensions stops after about 500 steps, not 2,048. Deterministic: the same matrix gives
 * the same vectors.
 */
final class LeadingEigen {
    /** Residual of a converged pair, relative to the largest eigenvalue. */
    static final double TOLERANCE = 1e-11;
    private static final long START_SEED = 0x5EED_1A2C_205L;

    private LeadingEigen() {
    }

    /**
     * The unit eigenvectors of the {@code k} largest eigenvalues (fewer when {@code d < k}),
     * largest first, of the symmetric {@code d x d} row-major matrix {@code a} (both halves filled).
     */
    static double[][] of(double[] a, int d, int k) {
        int wanted = Math.min(k, d);
        double[][] q = new double[d][];
        double[] alpha = new double[d];
        double[] beta = new double[d];
        SplittableRandom random = new SplittableRandom(START_SEED);
        double[] v = L2.normalize(gaussian(d, random));
        double scale = 0;
        int block = 0;
        int m = 0;
        int nextCheck = Math.min(d, wanted + 8);
        double[][] ritz = null;
        while (true) {
            q[m] = v;
            double[] w = times(a, d, v);
            alpha[m] = dot(w, v);
            scale = Math.max(scale, Math.abs(alpha[m]));
            m++;
            if (m == d) {
                break;
            }
            orthogonalise(w, q, m);
            double b = Math.sqrt(dot(w, w));
            // the Krylov block closes: the space it spans is invariant
            boolean closed = b <= 1e-12 * Math.max(scale, Double.MIN_NORMAL);
            beta[m - 1] = closed ? 0 : b;
            if (closed || m >= nextCheck) {
                ritz = tridiagonalEigen(alpha, beta, 0, m);
                if (converged(ritz, beta[m - 1], m, wanted) && explored(alpha, beta, block, m, closed, ritz, wanted)) {
                    break;
                }
                nextCheck = Math.min(d, m + Math.max(8, m / 4));
            }
            if (closed) {
                // go on from a new start orthogonal to every block so far
                block = m;
                w = gaussian(d, random);
                orthogonalise(w, q, m);
                b = Math.sqrt(dot(w, w));
            }
            for (int j = 0; j < d; j++) {
                w[j] /= b;
            }
            v = w;
        }
        if (ritz == null || ritz[0].length != m) {
            ritz = tridiagonalEigen(alpha, beta, 0, m);
        }
        int found = Math.min(wanted, m);
        double[][] vectors = new double[found][];
        for (int i = 0; i < found; i++) {
            double[] u = new double[d];
            double[] s = ritz[i + 1];
            for (int j = 0; j < m; j++) {
                double f = s[j];
                double[] qj = q[j];
                for (int t = 0; t < d; t++) {
                    u[t] += f * qj[t];
                }
            }
            vectors[i] = L2.normalize(u);
        }
        return vectors;
    }

    /**
     * Whether nothing among the wanted eigenvalues can be left outside the blocks so far. The
     * first block, while it is open, holds every eigenvalue its start touches. Once it closes, the
     * rest of the space can only hold repeats of its eigenvalues (and, for a covariance of fewer
     * rows than dimensions, zeros): a later block from a start orthogonal to it shows the largest
     * of them, so the search ends when a later block's largest Ritz value has converged below the
     * wanted ones (or is zero).
     */
    private static boolean explored(double[] alpha, double[] beta, int block, int m, boolean closed, double[][] ritz, int wanted) {
        if (block == 0) {
            return !closed;
        }
        double[][] later = tridiagonalEigen(alpha, beta, block, m);
        double largest = Math.abs(ritz[0][0]);
        double top = later[0][0];
        boolean settled = Math.abs(beta[m - 1] * later[1][m - block - 1]) <= TOLERANCE * largest;
        return settled && (top < ritz[0][wanted - 1] - TOLERANCE * largest || top <= TOLERANCE * largest);
    }

    /** Whether the {@code wanted} largest Ritz pairs of an m-step run have small residuals. */
    private static boolean converged(double[][] ritz, double nextBeta, int m, int wanted) {
        if (m < wanted) {
            return false;
        }
        double largest = Math.abs(ritz[0][0]);
        for (int i = 0; i < wanted; i++) {
            if (Math.abs(nextBeta * ritz[i + 1][m - 1]) > TOLERANCE * largest) {
                return false;
            }
        }
        return true;
    }

    /**
     * Eigenpairs of the tridiagonal matrix of rows {@code from} to {@code to} (alpha on the
     * diagonal, beta beside it), largest first: row 0 the values, row i + 1 the i-th vector.
     */
    private static double[][] tridiagonalEigen(double[] alpha, double[] beta, int from, int to) {
        int m = to - from;
        DMatrixRMaj t = new DMatrixRMaj(m, m);
        for (int i = 0; i < m; i++) {
            t.set(i, i, alpha[from + i]);
            if (i + 1 < m) {
                t.set(i, i + 1, beta[from + i]);
                t.set(i + 1, i, beta[from + i]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> evd = DecompositionFactory_DDRM.eig(m, true, true);
        if (!evd.decompose(t)) {
            throw new IllegalArgumentException("the embeddings' covariance has no eigen-decomposition (not finite numbers?)");
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(evd.getEigenvalue(y).getReal(), evd.getEigenvalue(x).getReal()));
        double[][] out = new double[m + 1][];
        out[0] = new double[m];
        for (int i = 0; i < m; i++) {
            out[0][i] = evd.getEigenvalue(order[i]).getReal();
            DMatrixRMaj s = evd.getEigenVector(order[i]);
            out[i + 1] = s == null ? new double[m] : s.getData().clone();
        }
        return out;
    }

    /** w minus its projections on q[0..m-1], twice (once is not enough in floating point). */
    private static void orthogonalise(double[] w, double[][] q, int m) {
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < m; i++) {
                double c = dot(q[i], w);
                double[] qi = q[i];
                for (int j = 0; j < w.length; j++) {
                    w[j] -= c * qi[j];
                }
            }
        }
    }

    private static double[] times(double[] a, int d, double[] v) {
        double[] w = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = L2.scalarDot16(a, i * d, v, d);
        }
        return w;
    }

    /**
     * The scalar form of the dot product (the same sums as on vector registers): a map's eigen
     * search makes a few thousand short ones, once, in a process whose vector kernels are not yet
     * compiled (a map made at the command line: 35 against 75 to 120 ms at 64 dimensions).
     */
    private static double dot(double[] x, double[] y) {
        return L2.scalarDot16(x, 0, y, x.length);
    }

    private static double[] gaussian(int d, SplittableRandom random) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = random.nextGaussian();
        }
        return v;
    }
}
