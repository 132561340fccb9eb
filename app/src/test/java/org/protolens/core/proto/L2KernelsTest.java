package org.protolens.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class L2KernelsTest {
    @Test
    void theTestsRunTheVectorKernelsTheLaunchersEnable() {
        // the build and the launchers start the JVM with --add-modules jdk.incubator.vector
        assertNotEquals("scalar", L2.kernels());
    }

    @Test
    void everyLengthGivesTheDotProductOfTheScalarLoop() {
        Random rnd = new Random(3);
        for (int len = 0; len <= 140; len++) {
            float[] a = gaussian(rnd, len + 5);
            float[] b = gaussian(rnd, len + 2);
            double exact = 0;
            for (int j = 0; j < len; j++) {
                exact += (double) a[5 + j] * b[2 + j];
            }
            float tolerance = 1e-5f * (float) Math.sqrt(len + 1);
            assertEquals(exact, L2.dot(a, 5, b, 2, len), tolerance, "length " + len);
            assertEquals(exact, L2.scalarDot(a, 5, b, 2, len), tolerance, "length " + len);
        }
    }

    @Test
    void theSameVectorsGiveTheSameNumberBeforeAndAfterTheJitCompilesTheKernel() {
        // a map or a prediction must not change because the run has gone on long enough for the
        // JIT to compile the loop (Vector API lane sums differ between interpreter and compiled code)
        Random rnd = new Random(9);
        float[] a = gaussian(rnd, 512);
        float[] b = gaussian(rnd, 512);
        float first = L2.dot(a, 0, b, 512);
        float[][] out = {new float[1]};
        for (int r = 0; r < 60_000; r++) {
            assertEquals(first, L2.dot(a, 0, b, 512), "call " + r);
            L2.columns(a, 512, null, 0, 1, new float[][] {b}, out);
            assertEquals(first, out[0][0], "call " + r);
        }
    }

    @Test
    void theHeadsDoubleDotProductIsTheSameOnVectorRegistersAndWithout() {
        // a refined prototype must not depend on the launcher's flags or the CPU's vector width
        Random rnd = new Random(4);
        for (int len = 0; len <= 140; len++) {
            double[] a = new double[len];
            double[] b = new double[len];
            double exact = 0;
            for (int j = 0; j < len; j++) {
                a[j] = rnd.nextGaussian();
                b[j] = rnd.nextGaussian();
                exact += a[j] * b[j];
            }
            assertEquals(L2.scalarDot16(a, 0, b, len), L2.dot16(a, b), "length " + len);
            assertEquals(L2.scalarDot16(a, 0, b, len), VectorKernels.dot16(a, 0, b, len), "length " + len);
            assertEquals(exact, L2.dot16(a, b), 1e-12 * (len + 1), "length " + len);
        }
    }

    @Test
    void aCovarianceSummedOnVectorRegistersEqualsTheScalarSumsBitForBit() {
        // a map must not depend on whether the launcher enabled vector registers
        Random rnd = new Random(7);
        for (int d : new int[] {5, 64, 128, 131, 300, 512}) {
            for (int rows : new int[] {1, 3, 64}) {
                double[] panel = new double[rows * d];
                for (int i = 0; i < panel.length; i++) {
                    panel[i] = rnd.nextGaussian();
                }
                double[] start = new double[d * d];
                for (int i = 0; i < start.length; i++) {
                    start[i] = rnd.nextGaussian();
                }
                double[] vector = start.clone();
                double[] scalar = start.clone();
                // in two ranges of rows, as two tasks would add them
                int half = d / 8 * 4;
                VectorKernels.addScatter(panel, rows, d, vector, 0, half);
                L2.addScatter(panel, rows, d, vector, half, d);
                L2.scalarAddScatter(panel, rows, d, scalar, 0, d);
                for (int j = 0; j < d; j++) {
                    for (int k = 0; k <= j; k++) {
                        double expected = start[j * d + k];
                        for (int i = 0; i < rows; i++) {
                            expected += panel[i * d + j] * panel[i * d + k];
                        }
                        String where = d + "-d, " + rows + " rows, element " + j + "," + k;
                        assertEquals(scalar[j * d + k], vector[j * d + k], where);
                        assertEquals(expected, scalar[j * d + k], 1e-9 * (rows + 1), where);
                    }
                }
            }
        }
    }

    @Test
    void aColumnBuiltWithOtherClassesEqualsTheOneBuiltAlone() {
        // a class's similarities made at open (all classes in one pass) and after its shots changed
        // (alone) must be the same numbers, or predictions would move with nothing changed
        Random rnd = new Random(5);
        for (int d : new int[] {3, 8, 64, 100, 512}) {
            int rows = 37;
            float[] x = gaussian(rnd, rows * d);
            float[] scale = new float[rows];
            for (int i = 0; i < rows; i++) {
                scale[i] = 0.5f + rnd.nextFloat();
            }
            for (int classes = 1; classes <= 9; classes++) {
                float[][] v = new float[classes][];
                float[][] out = new float[classes][rows];
                for (int k = 0; k < classes; k++) {
                    v[k] = gaussian(rnd, d);
                }
                L2.columns(x, d, scale, 2, rows, v, out);
                for (int k = 0; k < classes; k++) {
                    float[][] alone = {new float[rows]};
                    L2.columns(x, d, scale, 2, rows, new float[][] {v[k]}, alone);
                    assertEquals(0, out[k][0] + out[k][1], "rows before the range are not written");
                    for (int i = 2; i < rows; i++) {
                        assertEquals(L2.dot(x, i * d, v[k], d) * scale[i], out[k][i], "d " + d + ", class " + k + ", row " + i);
                        assertEquals(alone[0][i], out[k][i]);
                    }
                }
            }
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
