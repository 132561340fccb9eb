package org.protolens.core.fscil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.TeenCalibration;

/**
 * The FSCIL protocol repeated over random draws of the shots: each draw picks K training rows of
 * every novel class at random (seeded, so a seed gives the same draws on every machine), and the
 * sessions' measures are summarised as mean and standard deviation over the draws.
 */
public final class FscilDraws {
    private FscilDraws() {
    }

    /** Mean and sample standard deviation (n - 1) over draws; std is 0 for a single draw. */
    public record Stat(double mean, double std) {
        public static Stat of(List<Double> values) {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            double mean = sum / values.size();
            double sq = 0;
            for (double v : values) {
                sq += (v - mean) * (v - mean);
            }
            return new Stat(mean, values.size() < 2 ? 0 : Math.sqrt(sq / (values.size() - 1)));
        }
    }

    /**
     * One session over all draws; a field is null where the session leaves it undefined. The
     * first accuracies are pooled over test images, the {@code classMean} ones average the
     * classes' recalls (see {@link SessionResult}).
     */
    public record SessionSummary(int session, int classes, Stat acc, Stat accBase, Stat accNovel, Stat hm, Stat novelToBase,
                                 Stat classMeanAcc, Stat classMeanAccBase, Stat classMeanAccNovel, Stat classMeanHm) {
        /** The harmonic mean of the mean base and novel accuracies over the draws (pooled). */
        public Double hmOfMeans() {
            return accBase == null || accNovel == null ? null : SessionResult.harmonic(accBase.mean(), accNovel.mean());
        }

        /** The harmonic mean of the mean base and novel class means over the draws. */
        public Double classMeanHmOfMeans() {
            return classMeanAccBase == null || classMeanAccNovel == null ? null
                    : SessionResult.harmonic(classMeanAccBase.mean(), classMeanAccNovel.mean());
        }
    }

    /**
     * @param splits  the shots of every draw: novel class id to training row indices
     * @param reports every draw's sessions, TEEN and alpha = 0, with their confusion matrices
     */
    public record Summary(List<SessionSummary> calibrated, List<SessionSummary> baseline, TeenCalibration calibration,
                          long seed, List<Map<Integer, int[]>> splits, List<FscilEvaluation.Report> reports) {
        public int draws() {
            return splits.size();
        }

        /** Over the draws, the average over sessions (AVG) of {@code measure}, with TEEN ({@code calibrated}) or alpha = 0. */
        public Stat average(boolean calibrated, Function<SessionResult, Double> measure) {
            return overDraws(calibrated, sessions -> FscilEvaluation.Report.average(sessions, measure));
        }

        /** Over the draws, the performance drop (first session minus last) of {@code measure}. */
        public Stat drop(boolean calibrated, Function<SessionResult, Double> measure) {
            return overDraws(calibrated, sessions -> FscilEvaluation.Report.drop(sessions, measure));
        }

        /** Mean and std over the draws of one figure of each draw's sessions; null when a draw has none. */
        private Stat overDraws(boolean calibrated, Function<List<SessionResult>, Double> figure) {
            List<Double> values = new ArrayList<>();
            for (FscilEvaluation.Report r : reports) {
                Double v = figure.apply(calibrated ? r.calibrated() : r.baseline());
                if (v == null) {
                    return null;
                }
                values.add(v);
            }
            return Stat.of(values);
        }
    }

    /** The shots of {@code draws} draws: K distinct rows of each novel class, uniformly at random. */
    public static List<Map<Integer, int[]>> drawSplits(int[] trainY, FscilProtocol protocol, int draws, long seed) {
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be at least 1, got " + draws);
        }
        Map<Integer, int[]> rowsOf = new HashMap<>();
        for (int cls = protocol.baseClasses(); cls < protocol.totalClasses(); cls++) {
            final int c = cls;
            int[] rows = IntStream.range(0, trainY.length).filter(r -> trainY[r] == c).toArray();
            if (rows.length < protocol.shots()) {
                throw new IllegalArgumentException("novel class " + cls + " has " + rows.length + " training rows, "
                        + protocol.shots() + " shots are needed");
            }
            rowsOf.put(cls, rows);
        }
        List<Map<Integer, int[]>> out = new ArrayList<>();
        for (int d = 0; d < draws; d++) {
            Random rnd = new Random(seed * 1_000_003L + d);
            Map<Integer, int[]> split = new HashMap<>();
            for (int cls = protocol.baseClasses(); cls < protocol.totalClasses(); cls++) {
                int[] pool = rowsOf.get(cls).clone();
                for (int i = 0; i < protocol.shots(); i++) {
                    int j = i + rnd.nextInt(pool.length - i);
                    int t = pool[i];
                    pool[i] = pool[j];
                    pool[j] = t;
                }
                int[] shots = Arrays.copyOf(pool, protocol.shots());
                Arrays.sort(shots);
                split.put(cls, shots);
            }
            out.add(split);
        }
        return out;
    }

    public static Summary run(FloatMatrix trainX, int[] trainY, FloatMatrix testX, int[] testY, FscilProtocol protocol,
                              TeenCalibration calibration, int draws, long seed) {
        return run(trainX, trainY, testX, testY, protocol, calibration, draws, seed, split -> calibration);
    }

    /**
     * As {@link #run(FloatMatrix, int[], FloatMatrix, int[], FscilProtocol, TeenCalibration, int, long)},
     * each draw calibrated as {@code calibrationOf} says for its shots (a setting tuned on them);
     * {@code calibration} names the runs in the summary.
     */
    public static Summary run(FloatMatrix trainX, int[] trainY, FloatMatrix testX, int[] testY, FscilProtocol protocol,
                              TeenCalibration calibration, int draws, long seed,
                              Function<Map<Integer, int[]>, TeenCalibration> calibrationOf) {
        List<Map<Integer, int[]>> splits = drawSplits(trainY, protocol, draws, seed);
        List<FscilEvaluation.Report> reports = new ArrayList<>();
        for (Map<Integer, int[]> split : splits) {
            reports.add(FscilEvaluation.run(trainX, trainY, testX, testY, protocol, calibrationOf.apply(split), split));
        }
        return new Summary(summarise(reports, FscilEvaluation.Report::calibrated),
                summarise(reports, FscilEvaluation.Report::baseline), calibration, seed, splits, List.copyOf(reports));
    }

    /**
     * Mean harmonic mean of the last session over the draws, for every alpha and tau of a grid:
     * where calibration helps on these embeddings. {@code [i][j]} is {@code alphas[i]}, {@code taus[j]}.
     */
    public static double[][] lastSessionHm(FloatMatrix trainX, int[] trainY, FloatMatrix testX, int[] testY,
                                           FscilProtocol protocol, List<Map<Integer, int[]>> splits, double[] alphas,
                                           double[] taus) {
        double[][] out = new double[alphas.length][taus.length];
        for (int i = 0; i < alphas.length; i++) {
            for (int j = 0; j < taus.length; j++) {
                double sum = 0;
                for (Map<Integer, int[]> split : splits) {
                    var r = FscilEvaluation.run(trainX, trainY, testX, testY, protocol,
                            new TeenCalibration(alphas[i], taus[j]), split);
                    sum += r.calibrated().getLast().hm();
                }
                out[i][j] = sum / splits.size();
            }
        }
        return out;
    }

    private static List<SessionSummary> summarise(List<FscilEvaluation.Report> reports,
                                                  Function<FscilEvaluation.Report, List<SessionResult>> which) {
        List<SessionSummary> out = new ArrayList<>();
        int sessions = which.apply(reports.getFirst()).size();
        for (int s = 0; s < sessions; s++) {
            final int session = s;
            List<SessionResult> results = reports.stream().map(r -> which.apply(r).get(session)).toList();
            out.add(new SessionSummary(s, results.getFirst().classes(), stat(results, SessionResult::acc),
                    stat(results, SessionResult::accBase), stat(results, SessionResult::accNovel),
                    stat(results, SessionResult::hm), stat(results, SessionResult::novelToBase),
                    stat(results, SessionResult::classMeanAcc), stat(results, SessionResult::classMeanAccBase),
                    stat(results, SessionResult::classMeanAccNovel), stat(results, SessionResult::classMeanHm)));
        }
        return out;
    }

    /** Mean and std of {@code measure} over sessions of the draws; null when one leaves it undefined. */
    public static Stat stat(List<SessionResult> results, Function<SessionResult, Double> measure) {
        List<Double> values = results.stream().map(measure).toList();
        return values.contains(null) ? null : Stat.of(values);
    }
}
