package org.protolens.core.fscil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pooled accuracy against the class mean TEEN reports, worked out by hand on classes of unequal
 * size; the average over sessions and the performance drop.
 */
class SessionMeasuresTest {
    /**
     * Base classes 0 and 1, novel class 2. Class 0: 8 test images, 6 right. Class 1: 2, none right
     * (both taken for class 0). Class 2: 10, 5 right, 3 taken for class 0 and 2 for class 1.
     */
    private static SessionResult unequal() {
        List<Integer> truth = new ArrayList<>();
        List<Integer> guess = new ArrayList<>();
        add(truth, guess, 0, 0, 6);
        add(truth, guess, 0, 2, 2);
        add(truth, guess, 1, 0, 2);
        add(truth, guess, 2, 2, 5);
        add(truth, guess, 2, 0, 3);
        add(truth, guess, 2, 1, 2);
        int[] y = truth.stream().mapToInt(Integer::intValue).toArray();
        int[] p = guess.stream().mapToInt(Integer::intValue).toArray();
        return FscilEvaluation.measure(1, 3, 2, IntStream.range(0, y.length).toArray(), y, p);
    }

    private static void add(List<Integer> truth, List<Integer> guess, int t, int p, int n) {
        for (int i = 0; i < n; i++) {
            truth.add(t);
            guess.add(p);
        }
    }

    @Test
    void theClassMeanWeighsEveryClassAlikeThePooledAccuracyEveryImage() {
        SessionResult r = unequal();
        assertEquals(11.0 / 20, r.acc(), 1e-12, "pooled: 11 of 20 images right");
        assertEquals(6.0 / 10, r.accBase(), 1e-12);
        assertEquals(0.5, r.accNovel(), 1e-12);
        assertEquals(2 * 0.6 * 0.5 / 1.1, r.hm(), 1e-12);
        assertEquals((0.75 + 0 + 0.5) / 3, r.classMeanAcc(), 1e-12, "class mean: recalls 6/8, 0/2 and 5/10");
        assertEquals((0.75 + 0) / 2, r.classMeanAccBase(), 1e-12, "the small base class that is always wrong counts in full");
        assertEquals(0.5, r.classMeanAccNovel(), 1e-12);
        assertEquals(2 * 0.375 * 0.5 / 0.875, r.classMeanHm(), 1e-12);
        assertEquals(0.5, r.novelToBase(), 1e-12);
    }

    @Test
    void theAverageOverSessionsAndTheDropFollowTheirSessions() {
        SessionResult first = FscilEvaluation.measure(0, 2, 2, new int[] {0, 1, 2, 3}, new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 0});
        SessionResult second = unequal();
        List<SessionResult> both = List.of(first, second);
        assertEquals(0.75, first.classMeanAcc(), 1e-12);
        assertNull(first.classMeanAccNovel(), "no novel class yet");
        assertNull(first.classMeanHm());
        assertEquals((0.75 + (0.75 + 0 + 0.5) / 3) / 2, FscilEvaluation.Report.average(both, SessionResult::classMeanAcc), 1e-12);
        assertEquals(0.75 - (0.75 + 0 + 0.5) / 3, FscilEvaluation.Report.drop(both, SessionResult::classMeanAcc), 1e-12);
        assertNull(FscilEvaluation.Report.average(both, SessionResult::hm), "a session without a harmonic mean has no average");
    }
}
