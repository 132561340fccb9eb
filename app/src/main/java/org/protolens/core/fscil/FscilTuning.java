package org.protolens.core.fscil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.CalibrationTuning;

/**
 * Alpha and tau chosen on the training data alone, for the fscil command: leave-one-shot-out over
 * every novel class's shots, with base training images (at most {@link #BASE_IMAGES}, a seeded
 * sample) predicted beside the calibrated prototypes (see {@link CalibrationTuning}). The test
 * images are not looked at.
 */
public final class FscilTuning {
    /** At most this many base training images are predicted per grid point. */
    public static final int BASE_IMAGES = 5000;

    private FscilTuning() {
    }

    /**
     * @param split    each novel class's shots (training rows); null: its first K rows
     * @param baseRows the base session's training rows (null: every base training row)
     */
    public static CalibrationTuning.Grid tune(FloatMatrix trainX, int[] trainY, FscilProtocol p, Map<Integer, int[]> split,
                                              int[] baseRows) {
        FloatMatrix base = FscilEvaluation.basePrototypes(trainX, trainY, p.baseClasses(), baseRows);
        List<FloatMatrix> shots = new ArrayList<>();
        for (int cls = p.baseClasses(); cls < p.totalClasses(); cls++) {
            final int c = cls;
            int[] rows = split != null && split.containsKey(cls) ? split.get(cls)
                    : IntStream.range(0, trainY.length).filter(r -> trainY[r] == c).limit(p.shots()).toArray();
            shots.add(trainX.selectRows(rows));
        }
        List<Integer> pool = new ArrayList<>();
        int[] from = baseRows != null ? baseRows : IntStream.range(0, trainY.length).toArray();
        for (int r : from) {
            if (trainY[r] < p.baseClasses()) {
                pool.add(r);
            }
        }
        if (pool.size() > BASE_IMAGES) {
            Collections.shuffle(pool, new Random(1));
            pool = pool.subList(0, BASE_IMAGES);
        }
        int[] rows = pool.stream().mapToInt(Integer::intValue).toArray();
        int[] labels = IntStream.of(rows).map(r -> trainY[r]).toArray();
        return CalibrationTuning.tune(base, shots, trainX.selectRows(rows), labels, CalibrationTuning.ALPHAS, CalibrationTuning.TAUS,
                () -> false);
    }
}
