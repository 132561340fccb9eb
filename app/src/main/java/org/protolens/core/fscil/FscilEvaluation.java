package org.protolens.core.fscil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.SoftKMeans;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.core.proto.Tim;

/**
 * Runs the FSCIL protocol on precomputed embeddings: base prototypes are the means over all base
 * training rows; each novel class's prototype is the mean of its shots, calibrated against the base
 * prototypes; after each session the test rows of every seen class are classified by cosine.
 */
public final class FscilEvaluation {

    /** The same protocol run with the given calibration and with the alpha = 0 baseline. */
    public record Report(List<SessionResult> calibrated, List<SessionResult> baseline, TeenCalibration calibration) {
        /** Pooled accuracy of the first session minus that of the last (the performance drop). */
        public static Double drop(List<SessionResult> sessions) {
            return drop(sessions, SessionResult::acc);
        }

        /** {@code measure} of the first session minus that of the last (the performance drop, PD). */
        public static Double drop(List<SessionResult> sessions, Function<SessionResult, Double> measure) {
            Double first = measure.apply(sessions.getFirst());
            Double last = measure.apply(sessions.getLast());
            return first == null || last == null ? null : first - last;
        }

        /** The mean of {@code measure} over the sessions (AVG, what leaderboards rank by); null when a session has none. */
        public static Double average(List<SessionResult> sessions, Function<SessionResult, Double> measure) {
            double sum = 0;
            for (SessionResult s : sessions) {
                Double v = measure.apply(s);
                if (v == null) {
                    return null;
                }
                sum += v;
            }
            return sessions.isEmpty() ? null : sum / sessions.size();
        }
    }

    private FscilEvaluation() {
    }

    /**
     * @param split for each novel class id, the training row indices of its shots; classes absent
     *              from it (or a null split) take their first K training rows in file order
     */
    public static Report run(FloatMatrix trainX, int[] trainY, FloatMatrix testX, int[] testY, FscilProtocol protocol,
                             TeenCalibration calibration, Map<Integer, int[]> split) {
        return run(trainX, trainY, testX, testY, protocol, calibration, split, null);
    }

    /**
     * As {@link #run(FloatMatrix, int[], FloatMatrix, int[], FscilProtocol, TeenCalibration, Map)},
     * the base prototypes made of {@code baseRows} only (a fixed split's base session); null: every
     * base training row.
     */
    public static Report run(FloatMatrix trainX, int[] trainY, FloatMatrix testX, int[] testY, FscilProtocol protocol,
                             TeenCalibration calibration, Map<Integer, int[]> split, int[] baseRows) {
        checkShapes(trainX, trainY, testX, testY);
        FloatMatrix base = basePrototypes(trainX, trainY, protocol.baseClasses(), baseRows);
        FloatMatrix novelMeans = novelMeans(trainX, trainY, protocol, split == null ? Map.of() : split);
        FloatMatrix calibrated = calibration.calibrateAll(base, novelMeans);
        List<SessionResult> teen = sessions(base, calibrated, testX, testY, protocol);
        List<SessionResult> baseline = sessions(base, TeenCalibration.none().calibrateAll(base, novelMeans), testX, testY, protocol);
        return new Report(teen, baseline, calibration);
    }

    /** The prototype heads {@link #heads} compares, in the order the tables list them. */
    public enum Head {
        NCM("NCM (α = 0)"), TEEN("TEEN"), SOFT_KMEANS_NCM("soft k-means from NCM"), SOFT_KMEANS_TEEN("soft k-means from TEEN"),
        TIM_TEEN("TIM from TEEN");

        private final String label;

        Head(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }

        /**
         * The new classes' prototypes under this head.
         *
         * @param base       the base prototypes the transductive heads hold fixed beside the new classes (any rows)
         * @param ncm        the new classes' shot means
         * @param teen       the same calibrated by TEEN
         * @param unlabelled the images the transductive heads read, labels unread
         */
        public FloatMatrix prototypes(FloatMatrix base, FloatMatrix ncm, FloatMatrix teen, List<FloatMatrix> shots,
                                      FloatMatrix unlabelled) {
            return switch (this) {
                case NCM -> ncm;
                case TEEN -> teen;
                case SOFT_KMEANS_NCM -> SoftKMeans.refine(base, ncm, shots, unlabelled, SoftKMeans.DEFAULT_BETA,
                        SoftKMeans.DEFAULT_ITERATIONS);
                case SOFT_KMEANS_TEEN -> SoftKMeans.refine(base, teen, shots, unlabelled, SoftKMeans.DEFAULT_BETA,
                        SoftKMeans.DEFAULT_ITERATIONS);
                case TIM_TEEN -> Tim.refine(base, teen, shots, unlabelled, Tim.Settings.DEFAULT, Tim.DEFAULT_ITERATIONS);
            };
        }
    }

    /**
     * Every session under each prototype head: NCM (the shot means), TEEN, soft k-means
     * refinement ({@link SoftKMeans}, beta 16, 5 rounds) started from either, and TIM ({@link Tim},
     * the paper's settings) started from TEEN; the last two are transductive: their unlabelled
     * images are the session's test images, their labels unread.
     */
    public static Map<Head, List<SessionResult>> heads(FloatMatrix trainX, int[] trainY, FloatMatrix testX, int[] testY,
                                                       FscilProtocol protocol, TeenCalibration calibration,
                                                       Map<Integer, int[]> split, int[] baseRows) {
        checkShapes(trainX, trainY, testX, testY);
        Map<Integer, int[]> shotsOf = split == null ? Map.of() : split;
        FloatMatrix base = basePrototypes(trainX, trainY, protocol.baseClasses(), baseRows);
        FloatMatrix means = novelMeans(trainX, trainY, protocol, shotsOf);
        FloatMatrix teen = calibration.calibrateAll(base, means);
        List<FloatMatrix> shots = new ArrayList<>();
        for (int i = 0; i < means.rows(); i++) {
            int cls = protocol.baseClasses() + i;
            shots.add(trainX.selectRows(shotsOf.containsKey(cls) ? shotsOf.get(cls) : firstRows(trainY, cls, protocol.shots())));
        }
        Map<Head, List<SessionResult>> out = new EnumMap<>(Head.class);
        for (Head h : Head.values()) {
            out.put(h, new ArrayList<>());
        }
        int d = base.cols();
        for (int s = 0; s < protocol.sessions(); s++) {
            int seen = protocol.classesSeen(s);
            int novel = seen - protocol.baseClasses();
            int[] rows = IntStream.range(0, testY.length).filter(r -> testY[r] < seen).toArray();
            FloatMatrix test = testX.selectRows(rows);
            FloatMatrix ncm = firstRowsOf(means, novel);
            FloatMatrix cal = firstRowsOf(teen, novel);
            List<FloatMatrix> seenShots = shots.subList(0, novel);
            for (Head h : Head.values()) {
                // the base session has no new class to refine
                FloatMatrix novelProtos = novel == 0 ? ncm : h.prototypes(base, ncm, cal, seenShots, test);
                float[] all = new float[seen * d];
                System.arraycopy(base.data(), 0, all, 0, base.size());
                System.arraycopy(novelProtos.data(), 0, all, base.size(), novel * d);
                int[] predicted = new CosineClassifier(new FloatMatrix(seen, d, all)).predict(test);
                out.get(h).add(measure(s, seen, protocol.baseClasses(), rows, testY, predicted));
            }
        }
        return out;
    }

    private static FloatMatrix firstRowsOf(FloatMatrix m, int rows) {
        return new FloatMatrix(rows, m.cols(), Arrays.copyOf(m.data(), rows * m.cols()));
    }

    private static void checkShapes(FloatMatrix trainX, int[] trainY, FloatMatrix testX, int[] testY) {
        if (trainX.rows() != trainY.length) {
            throw new IllegalArgumentException("train-x has " + trainX.rows() + " rows but train-y has " + trainY.length + " labels");
        }
        if (testX.rows() != testY.length) {
            throw new IllegalArgumentException("test-x has " + testX.rows() + " rows but test-y has " + testY.length + " labels");
        }
        if (trainX.cols() != testX.cols()) {
            throw new IllegalArgumentException("train-x has " + trainX.cols() + " dimensions but test-x has " + testX.cols());
        }
    }

    /** Mean embedding of every base class over all its training rows. */
    public static FloatMatrix basePrototypes(FloatMatrix x, int[] y, int baseClasses) {
        return basePrototypes(x, y, baseClasses, null);
    }

    /** Mean embedding of every base class over its training rows among {@code rows} (null: all). */
    public static FloatMatrix basePrototypes(FloatMatrix x, int[] y, int baseClasses, int[] rows) {
        int d = x.cols();
        double[][] sum = new double[baseClasses][d];
        int[] count = new int[baseClasses];
        int[] taken = rows != null ? rows : IntStream.range(0, y.length).toArray();
        for (int r : taken) {
            if (r >= 0 && r < y.length && y[r] < baseClasses) {
                count[y[r]]++;
                int off = x.offset(r);
                for (int j = 0; j < d; j++) {
                    sum[y[r]][j] += x.data()[off + j];
                }
            }
        }
        float[] out = new float[baseClasses * d];
        for (int c = 0; c < baseClasses; c++) {
            if (count[c] == 0) {
                throw new IllegalArgumentException("base class " + c + " has no training rows");
            }
            for (int j = 0; j < d; j++) {
                out[c * d + j] = (float) (sum[c][j] / count[c]);
            }
        }
        return new FloatMatrix(baseClasses, d, out);
    }

    private static FloatMatrix novelMeans(FloatMatrix x, int[] y, FscilProtocol p, Map<Integer, int[]> split) {
        int novel = p.totalClasses() - p.baseClasses();
        int d = x.cols();
        float[] out = new float[novel * d];
        for (int i = 0; i < novel; i++) {
            int cls = p.baseClasses() + i;
            int[] rows = split.containsKey(cls) ? split.get(cls) : firstRows(y, cls, p.shots());
            if (rows.length == 0) {
                throw new IllegalArgumentException("novel class " + cls + " has no shots");
            }
            for (int r : rows) {
                if (r < 0 || r >= y.length) {
                    throw new IllegalArgumentException("split lists row " + r + " for class " + cls
                            + ", but the training set has rows 0.." + (y.length - 1));
                }
                if (y[r] != cls) {
                    throw new IllegalArgumentException("split lists row " + r + " for class " + cls + ", but that row is labelled " + y[r]);
                }
                int off = x.offset(r);
                for (int j = 0; j < d; j++) {
                    out[i * d + j] += x.data()[off + j] / rows.length;
                }
            }
        }
        return new FloatMatrix(novel, d, out);
    }

    private static int[] firstRows(int[] y, int cls, int k) {
        int[] rows = new int[k];
        int found = 0;
        for (int r = 0; r < y.length && found < k; r++) {
            if (y[r] == cls) {
                rows[found++] = r;
            }
        }
        if (found < k) {
            throw new IllegalArgumentException("novel class " + cls + " has " + found + " training rows, " + k + " shots are needed");
        }
        return rows;
    }

    private static List<SessionResult> sessions(FloatMatrix base, FloatMatrix novel, FloatMatrix testX, int[] testY,
                                                FscilProtocol p) {
        int d = base.cols();
        float[] all = new float[(base.rows() + novel.rows()) * d];
        System.arraycopy(base.data(), 0, all, 0, base.size());
        System.arraycopy(novel.data(), 0, all, base.size(), novel.size());
        List<SessionResult> out = new ArrayList<>();
        for (int s = 0; s < p.sessions(); s++) {
            int seen = p.classesSeen(s);
            FloatMatrix protos = new FloatMatrix(seen, d, Arrays.copyOf(all, seen * d));
            int[] rows = IntStream.range(0, testY.length).filter(r -> testY[r] < seen).toArray();
            int[] predicted = new CosineClassifier(protos).predict(testX.selectRows(rows));
            out.add(measure(s, seen, p.baseClasses(), rows, testY, predicted));
        }
        return out;
    }

    /**
     * The measures of one session from its predictions.
     *
     * @param seen        classes seen so far: ids 0..seen-1, the base classes first
     * @param rows        the test rows of seen classes
     * @param y           every test row's class id
     * @param predicted   the predicted id of each of {@code rows}
     */
    public static SessionResult measure(int session, int seen, int baseClasses, int[] rows, int[] y, int[] predicted) {
        int[][] confusion = new int[seen][seen];
        int correct = 0, baseTotal = 0, baseCorrect = 0, novelTotal = 0, novelCorrect = 0, novelToBase = 0;
        for (int i = 0; i < rows.length; i++) {
            int truth = y[rows[i]];
            int pred = predicted[i];
            confusion[truth][pred]++;
            boolean ok = truth == pred;
            correct += ok ? 1 : 0;
            if (truth < baseClasses) {
                baseTotal++;
                baseCorrect += ok ? 1 : 0;
            } else {
                novelTotal++;
                novelCorrect += ok ? 1 : 0;
                novelToBase += pred < baseClasses ? 1 : 0;
            }
        }
        Double acc = rows.length == 0 ? null : (double) correct / rows.length;
        Double accBase = baseTotal == 0 ? null : (double) baseCorrect / baseTotal;
        Double accNovel = novelTotal == 0 ? null : (double) novelCorrect / novelTotal;
        Double hm = SessionResult.harmonic(accBase, accNovel);
        Double n2b = novelTotal == 0 ? null : (double) novelToBase / novelTotal;
        return new SessionResult(session, seen, baseClasses, acc, accBase, accNovel, hm, n2b, confusion);
    }
}
