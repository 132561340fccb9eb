package org.protolens.core.fscil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.TeenCalibration;

class FewShotEpisodesTest {
    private static final TeenCalibration TEEN = new TeenCalibration(0.5, 16);

    /** n rows per class around its own random centre, spread {@code noise}. */
    private static FloatMatrix clusters(Random rnd, int classes, int n, int d, double noise) {
        float[] x = new float[classes * n * d];
        for (int c = 0; c < classes; c++) {
            double[] centre = rnd.doubles(d).map(v -> rnd.nextGaussian()).toArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[(c * n + i) * d + j] = (float) (centre[j] + noise * rnd.nextGaussian());
                }
            }
        }
        return new FloatMatrix(classes * n, d, x);
    }

    private static int[] labels(int classes, int n) {
        int[] y = new int[classes * n];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / n;
        }
        return y;
    }

    private static FewShotEpisodes.HeadResult head(FewShotEpisodes.Report r, FscilEvaluation.Head h) {
        return r.heads().stream().filter(x -> x.head() == h).findFirst().orElseThrow();
    }

    @Test
    void queriesAreNeverTheShotsSoNoiseScoresChance() {
        // labels that mean nothing: a query that were one of its class's shots would always be right
        Random rnd = new Random(5);
        FloatMatrix x = clusters(rnd, 1, 400, 16, 1);
        int[] y = new int[400];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 8;
        }
        var r = FewShotEpisodes.run(x, y, null, null, TEEN, new FewShotEpisodes.Setting(5, 1, 10, 300, 1));
        double ncm = head(r, FscilEvaluation.Head.NCM).mean();
        assertEquals(0.2, ncm, 0.03, "5-way chance");
        assertEquals(FewShotEpisodes.heads(false), r.heads().stream().map(FewShotEpisodes.HeadResult::head).toList(),
                "without base prototypes: no TEEN and no head started from it");
    }

    @Test
    void separableClassesAreAllRightAndTheIntervalIsTheMeansStandardError() {
        Random rnd = new Random(2);
        FloatMatrix x = clusters(rnd, 10, 30, 16, 0.05);
        int[] y = labels(10, 30);
        FloatMatrix base = clusters(rnd, 4, 1, 16, 0);
        var r = FewShotEpisodes.run(x, y, null, base, TEEN, new FewShotEpisodes.Setting(5, 1, 15, 50, 3));
        assertEquals(List.of(FscilEvaluation.Head.values()), r.heads().stream().map(FewShotEpisodes.HeadResult::head).toList());
        assertEquals(1.0, head(r, FscilEvaluation.Head.NCM).mean(), 1e-12);
        assertEquals(1.0, head(r, FscilEvaluation.Head.TIM_TEEN).mean(), 1e-12);

        // harder: overlapping clusters give a spread, and the interval is 1.96 std / sqrt(E)
        FloatMatrix hard = clusters(rnd, 10, 30, 16, 1.2);
        var h = FewShotEpisodes.run(hard, y, null, base, TEEN, new FewShotEpisodes.Setting(5, 1, 15, 80, 3));
        for (FewShotEpisodes.HeadResult res : h.heads()) {
            double[] a = res.accuracies();
            assertEquals(80, a.length);
            double mean = Arrays.stream(a).average().orElseThrow();
            double var = Arrays.stream(a).map(v -> (v - mean) * (v - mean)).sum() / (a.length - 1);
            assertEquals(mean, res.mean(), 1e-12);
            assertEquals(1.96 * Math.sqrt(var) / Math.sqrt(80), res.ci95(), 1e-12);
            assertTrue(res.std() > 0, res.head() + " varies over episodes");
        }
        // TEEN at alpha = 0 is NCM, episode by episode
        var none = FewShotEpisodes.run(hard, y, null, base, TeenCalibration.none(), new FewShotEpisodes.Setting(5, 1, 15, 80, 3));
        assertArrayEquals(head(none, FscilEvaluation.Head.NCM).accuracies(), head(none, FscilEvaluation.Head.TEEN).accuracies());
        assertFalse(Arrays.equals(head(h, FscilEvaluation.Head.NCM).accuracies(), head(h, FscilEvaluation.Head.TEEN).accuracies()));
    }

    /** A project's base classes drawn in an episode are no base for its TEEN: it never calibrates towards a class it is tested on. */
    @Test
    void teenLeavesOutTheBasePrototypesOfTheClassesAnEpisodeDraws() {
        Random rnd = new Random(4);
        FloatMatrix x = clusters(rnd, 3, 30, 12, 1.0);
        int[] y = labels(3, 30);
        // each class's own prototype: the mean of its rows
        float[] means = new float[3 * 12];
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < 12; j++) {
                means[y[i] * 12 + j] += x.data()[i * 12 + j] / 30;
            }
        }
        FloatMatrix base = new FloatMatrix(3, 12, means);
        var setting = new FewShotEpisodes.Setting(3, 1, 10, 40, 2);
        var left = FewShotEpisodes.run(x, y, null, base, new int[] {0, 1, 2}, TEEN, setting, () -> false);
        assertArrayEquals(head(left, FscilEvaluation.Head.NCM).accuracies(), head(left, FscilEvaluation.Head.TEEN).accuracies(),
                "every base class is drawn: nothing to calibrate towards");
        var kept = FewShotEpisodes.run(x, y, null, base, TEEN, setting);
        assertTrue(head(kept, FscilEvaluation.Head.TEEN).mean() > head(kept, FscilEvaluation.Head.NCM).mean(),
                "calibrating towards the classes' own centres would flatter TEEN");
    }

    @Test
    void theSameSeedDrawsTheSameEpisodesAndOnlyTheClassesAsked() {
        Random rnd = new Random(9);
        FloatMatrix x = clusters(rnd, 8, 25, 12, 1.5);
        int[] y = labels(8, 25);
        var setting = new FewShotEpisodes.Setting(3, 5, 10, 40, 7);
        var a = FewShotEpisodes.run(x, y, null, null, TEEN, setting);
        var b = FewShotEpisodes.run(x, y, null, null, TEEN, setting);
        assertArrayEquals(head(a, FscilEvaluation.Head.NCM).accuracies(), head(b, FscilEvaluation.Head.NCM).accuracies());
        var other = FewShotEpisodes.run(x, y, null, null, TEEN, new FewShotEpisodes.Setting(3, 5, 10, 40, 8));
        assertFalse(Arrays.equals(head(a, FscilEvaluation.Head.NCM).accuracies(), head(other, FscilEvaluation.Head.NCM).accuracies()));

        var among = FewShotEpisodes.run(x, y, new int[] {1, 4, 6}, null, TEEN, setting);
        assertArrayEquals(new int[] {1, 4, 6}, among.classes());
        var err = assertThrows(IllegalArgumentException.class,
                () -> FewShotEpisodes.run(x, y, new int[] {1, 4}, null, TEEN, setting));
        assertTrue(err.getMessage().contains("3-way episodes need 3 classes with at least 15 images"), err.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FewShotEpisodes.Setting(1, 1, 1, 1, 1));
    }
}
