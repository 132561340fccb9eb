package org.protolens.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;
import smile.math.blas.UPLO;
import smile.math.matrix.Matrix;

class PcaMapTest {
    @Test
    void pointsSpreadAlongOneDirectionLieAlongTheFirstAxisInAFixedOrientation() {
        // 200 points in 6-d: large spread along u = (1, 3, 0, 0, 0, -2)/sqrt(14), small along e5, tiny noise
        Random rnd = new Random(3);
        float n = (float) Math.sqrt(14);
        float[] u = {1 / n, 3 / n, 0, 0, 0, -2 / n};
        float[] data = new float[200 * 6];
        float[] t = new float[200];
        for (int r = 0; r < 200; r++) {
            t[r] = (float) (5 * rnd.nextGaussian());
            float s = (float) rnd.nextGaussian();
            for (int j = 0; j < 6; j++) {
                data[r * 6 + j] = 10 + t[r] * u[j] + (j == 4 ? s : 0) + (float) (0.01 * rnd.nextGaussian());
            }
        }
        FloatMatrix x = new FloatMatrix(200, 6, data);
        float[] xy = PcaMap.fit(x).project(x);
        assertEquals(400, xy.length, "every embedding gets a point");
        // the first coordinate is t up to the sign fixed by the largest loading (3/sqrt(14) on dimension 1: positive)
        double st = 0, sx = 0, stt = 0, sxx = 0, stx = 0;
        for (int r = 0; r < 200; r++) {
            st += t[r];
            sx += xy[2 * r];
            stt += t[r] * t[r];
            sxx += xy[2 * r] * xy[2 * r];
            stx += t[r] * xy[2 * r];
        }
        double corr = (stx - st * sx / 200) / Math.sqrt((stt - st * st / 200) * (sxx - sx * sx / 200));
        assertTrue(corr > 0.998, "first axis follows t with a positive sign, correlation " + corr);
        assertEquals(0, sx / 200, 1e-3, "centred");
        double varY = 0;
        for (int r = 0; r < 200; r++) {
            varY += xy[2 * r + 1] * xy[2 * r + 1] / 200;
        }
        assertTrue(varY > 0.5 && varY < 1.6, "second axis carries the unit spread, variance " + varY);
        assertArrayEquals(xy, PcaMap.fit(x).project(x), "the same embeddings give the same map");
    }

    @Test
    void reducedCoordinatesComeInOrderOfVarianceAndAreUncorrelated() {
        // 3,000 rows in 64-d, dimension j spread by 1 + j / 8 and mixed by a fixed rotation-like shear
        Random rnd = new Random(11);
        int rows = 3000;
        int d = 64;
        float[] data = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            double carry = 0;
            for (int j = 0; j < d; j++) {
                double v = (1 + j / 8.0) * rnd.nextGaussian();
                data[r * d + j] = (float) (v + 0.3 * carry);
                carry = v;
            }
        }
        FloatMatrix x = new FloatMatrix(rows, d, data);
        PcaMap reduce = PcaMap.fit(x, 50);
        assertEquals(50, reduce.components());
        float[] z = reduce.project(x);
        double[] variance = new double[50];
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < 50; a++) {
                variance[a] += z[50 * r + a] * (double) z[50 * r + a] / rows;
            }
        }
        for (int a = 1; a < 50; a++) {
            assertTrue(variance[a] <= variance[a - 1] * (1 + 1e-6), "axis " + a + " carries no more than the one before");
        }
        double c01 = 0;
        for (int r = 0; r < rows; r++) {
            c01 += z[50 * r] * (double) z[50 * r + 1] / rows;
        }
        assertEquals(0, c01 / Math.sqrt(variance[0] * variance[1]), 1e-4, "the first two coordinates are uncorrelated");
        assertEquals(d, PcaMap.fit(x, 80).components(), "no more axes than dimensions");
    }

    @Test
    void theAxesAreThoseOfLapacksFullDecomposition() {
        // the leading eigenvectors found by Lanczos iteration give the map that the covariance's
        // full decomposition (LAPACK, through Smile) gives, for narrow and wide embeddings
        Random rnd = new Random(5);
        // the last: fewer embeddings than dimensions, a covariance of rank 149 in 700-d
        for (int[] size : new int[][] {{64, 2000}, {300, 2000}, {512, 2000}, {700, 150}}) {
            int d = size[0];
            int rows = size[1];
            float[] data = new float[rows * d];
            for (int r = 0; r < rows; r++) {
                double t1 = 4 * rnd.nextGaussian();
                double t2 = 2 * rnd.nextGaussian();
                for (int j = 0; j < d; j++) {
                    data[r * d + j] = (float) (0.5 + t1 * Math.sin(j + 1.0) / 5 + t2 * Math.cos(3.0 * j) / 5 + 0.1 * rnd.nextGaussian());
                }
            }
            FloatMatrix x = new FloatMatrix(rows, d, data);
            float[] java = PcaMap.fit(x, 2).project(x);
            float[] lapack = lapackMap(x);
            float scale = 0;
            for (float v : lapack) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < java.length; i++) {
                assertEquals(lapack[i], java[i], 1e-4 * scale, d + "-d, coordinate " + i);
            }
        }
    }

    @Test
    void fewerEmbeddingsThanDimensionsAndARepeatedVarianceStillGiveTheLeadingAxes() {
        // 48 rows in 300-d (a covariance of rank 3): spread exactly equally along two directions
        // (variance 4.5 each, a repeated eigenvalue) and less along a third (8/3); the first two
        // axes carry the two equal spreads, the third the smaller one
        int rows = 48;
        int d = 300;
        float[] data = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            int p = r % 4;
            data[r * d + 1] = p == 0 ? 3 : p == 1 ? -3 : 0;
            data[r * d + 8] = p == 2 ? 3 : p == 3 ? -3 : 0;
            data[r * d + 15] = (r % 3 - 1) * 2;
        }
        FloatMatrix x = new FloatMatrix(rows, d, data);
        PcaMap three = PcaMap.fit(x, 3);
        float[] z = three.project(x);
        double[] variance = new double[3];
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < 3; a++) {
                variance[a] += z[3 * r + a] * (double) z[3 * r + a] / rows;
            }
        }
        float[] lapack = lapackProjection(x, 3);
        double[] expected = new double[3];
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < 3; a++) {
                expected[a] += lapack[3 * r + a] * (double) lapack[3 * r + a] / rows;
            }
        }
        double[] exact = {4.5, 4.5, 8 / 3.0};
        for (int a = 0; a < 3; a++) {
            assertEquals(exact[a], expected[a], 1e-5, "LAPACK's variance along axis " + a);
            assertEquals(exact[a], variance[a], 1e-5, "variance along axis " + a);
        }
    }

    /** The two-axis map from LAPACK's full decomposition of the covariance, axes signed as PcaMap signs them. */
    private static float[] lapackMap(FloatMatrix x) {
        return lapackProjection(x, 2);
    }

    private static float[] lapackProjection(FloatMatrix x, int k) {
        int n = x.rows();
        int d = x.cols();
        double[] centre = new double[d];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                centre[j] += x.data()[r * d + j] / (double) n;
            }
        }
        Matrix centred = new Matrix(n, d);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                centred.set(r, j, x.data()[r * d + j] - centre[j]);
            }
        }
        Matrix covariance = centred.ata();
        covariance.uplo(UPLO.LOWER);
        Matrix.EVD evd = covariance.eigen(false, true, true);
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(evd.wr[b], evd.wr[a]));
        float[] out = new float[k * n];
        for (int a = 0; a < k; a++) {
            double[] axis = new double[d];
            int biggest = 0;
            for (int j = 0; j < d; j++) {
                axis[j] = evd.Vr.get(j, order[a]);
                if (Math.abs(axis[j]) > Math.abs(axis[biggest])) {
                    biggest = j;
                }
            }
            double sign = axis[biggest] < 0 ? -1 : 1;
            for (int r = 0; r < n; r++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (x.data()[r * d + j] - centre[j]) * axis[j] * sign;
                }
                out[k * r + a] = (float) s;
            }
        }
        return out;
    }
}
