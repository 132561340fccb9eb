package org.protolens.bench;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.L2;
import org.protolens.core.proto.LivePredictions;
import org.protolens.core.proto.TeenCalibration;

/**
 * Re-predicting N = 100,000 embeddings of d = 512 against 100 classes (60 base, 40 novel) after
 * one change, incrementally, beside recomputing everything (calibrate all, classify N x K x d)
 * and beside the floor: one streaming pass over the embeddings (x . v for every row, 2 threads as
 * the updates use). JMH's sample mode prints the median (p0.50) of each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx4g", "-XX:G1HeapRegionSize=16m", "--add-modules=jdk.incubator.vector"})
public class LivePredictionsBenchmark {
    @Param("100000")
    int n;

    @Param("512")
    int d;

    @Param("60")
    int baseClasses;

    @Param("40")
    int novelClasses;

    private LivePredictions live;
    private FloatMatrix embeddings;
    private float[][] prototypes;
    private float[] otherShotMean;
    private boolean flip;
    private float[] column;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(7);
        int k = baseClasses + novelClasses;
        float[][] centers = new float[k][d];
        for (float[] c : centers) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] c = centers[rnd.nextInt(k)];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c[j] + 1.5f * (float) rnd.nextGaussian();
            }
        }
        embeddings = new FloatMatrix(n, d, x);
        live = new LivePredictions(embeddings, TeenCalibration.defaults());
        prototypes = new float[k][];
        for (int c = 0; c < k; c++) {
            prototypes[c] = centers[c].clone();
            if (c < baseClasses) {
                live.addBaseClass(prototypes[c]);
            } else {
                live.addNovelClass(prototypes[c]);
            }
        }
        column = new float[n];
        System.out.println("float kernels: " + L2.kernels());
        otherShotMean = centers[k - 1].clone();
        for (int j = 0; j < d; j++) {
            otherShotMean[j] += 0.5f * (float) rnd.nextGaussian();
        }
    }

    /**
     * The floor of every update that reads the embeddings: one pass computing x . v for every row,
     * in chunks of 4,096 rows on the common pool, as the updates run.
     */
    @Benchmark
    public float streamingPass() {
        float[] x = embeddings.data();
        float[][] v = {prototypes[0]};
        float[][] out = {column};
        IntStream.range(0, (n + 4095) / 4096).parallel()
                .forEach(ch -> L2.columns(x, d, null, ch * 4096, Math.min(n, ch * 4096 + 4096), v, out));
        return column[0];
    }

    /** A person adds or removes a shot of one novel class: its prototype moves. */
    @Benchmark
    public int shotsOfOneClassChanged() {
        flip = !flip;
        int k = baseClasses + novelClasses - 1;
        live.setPrototype(k, flip ? otherShotMean : prototypes[k]);
        return live.predicted(0);
    }

    /** A person drags the alpha slider. */
    @Benchmark
    public int alphaChanged() {
        flip = !flip;
        live.setCalibration(new TeenCalibration(flip ? 0.4 : 0.6, 16));
        return live.predicted(0);
    }

    /** A person drags the tau slider. */
    @Benchmark
    public int tauChanged() {
        flip = !flip;
        live.setCalibration(new TeenCalibration(0.6, flip ? 8 : 16));
        return live.predicted(0);
    }

    /** The same answer from scratch: calibrate every novel class, then classify every embedding. */
    @Benchmark
    public int fullRecomputation() {
        FloatMatrix base = FloatMatrix.ofRows(Arrays.copyOf(prototypes, baseClasses));
        FloatMatrix novel = FloatMatrix.ofRows(Arrays.copyOfRange(prototypes, baseClasses, prototypes.length));
        FloatMatrix calibrated = TeenCalibration.defaults().calibrateAll(base, novel);
        float[] all = new float[prototypes.length * d];
        System.arraycopy(base.data(), 0, all, 0, base.data().length);
        System.arraycopy(calibrated.data(), 0, all, base.data().length, calibrated.data().length);
        return new CosineClassifier(new FloatMatrix(prototypes.length, d, all)).predict(embeddings)[0];
    }
}
