package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.L2;

/**
 * Unlabelled images ranked for labelling. "Most uncertain first" orders them by the margin between
 * their two nearest prototypes (classes the image was marked as not belonging to are left out);
 * "likely members of a class" by their cosine similarity to its prototype. With diversity on, the
 * best-ranked pool is reordered by farthest-point sampling, so that near-duplicates do not follow
 * each other.
 */
public final class Suggestions {

    /**
     * @param image     the image's index
     * @param suggested the class offered for it
     * @param score     cosine similarity to that class's prototype
     * @param margin    how much nearer it is to that class than to the next one (infinite with none)
     * @param runnerUp  the next class, -1 for none
     */
    public record Suggestion(int image, int suggested, float score, float margin, int runnerUp) {
    }

    /** How many of the best-ranked suggestions the diversity reordering draws from, per suggestion kept. */
    static final int POOL_PER_PICK = 3;

    private Suggestions() {
    }

    /** Unlabelled images with the smallest margin between their two best classes first; at most {@code limit}. */
    public static List<Suggestion> uncertain(WorkspaceState w, int limit, boolean diverse) {
        List<Suggestion> all = new ArrayList<>();
        int classes = w.classNames().size();
        if (classes == 0) {
            return all;
        }
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.label(i) >= 0) {
                continue;
            }
            if (w.rejectedClasses(i).isEmpty()) {
                all.add(new Suggestion(i, w.predicted(i), w.score(i), w.margin(i), w.runnerUp(i)));
                continue;
            }
            int best = -1, second = -1;
            float bestScore = Float.NEGATIVE_INFINITY, secondScore = Float.NEGATIVE_INFINITY;
            float[] sim = w.similarities(i);
            for (int k = 0; k < classes; k++) {
                if (w.isRejected(i, k)) {
                    continue;
                }
                if (best < 0 || sim[k] > bestScore) {
                    second = best;
                    secondScore = bestScore;
                    best = k;
                    bestScore = sim[k];
                } else if (second < 0 || sim[k] > secondScore) {
                    second = k;
                    secondScore = sim[k];
                }
            }
            if (best >= 0) {
                all.add(new Suggestion(i, best, bestScore, bestScore - secondScore, second));
            }
        }
        all.sort((a, b) -> a.margin() != b.margin() ? Float.compare(a.margin(), b.margin()) : Integer.compare(a.image(), b.image()));
        return finish(w, all, limit, diverse);
    }

    /** Unlabelled images not marked as "not k", the most similar to class {@code k}'s prototype first. */
    public static List<Suggestion> likelyMembers(WorkspaceState w, int k, int limit, boolean diverse) {
        List<Suggestion> all = new ArrayList<>();
        int classes = w.classNames().size();
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.label(i) >= 0 || w.isRejected(i, k)) {
                continue;
            }
            float s = w.similarity(i, k);
            int other = -1;
            float otherScore = Float.NEGATIVE_INFINITY;
            if (w.predicted(i) != k) {
                other = w.predicted(i);
                otherScore = w.score(i);
            } else if (w.runnerUp(i) >= 0) {
                other = w.runnerUp(i);
                otherScore = w.similarity(i, other);
            }
            all.add(new Suggestion(i, k, s, classes < 2 ? Float.POSITIVE_INFINITY : s - otherScore, other));
        }
        all.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.image(), b.image()));
        return finish(w, all, limit, diverse);
    }

    private static List<Suggestion> finish(WorkspaceState w, List<Suggestion> ranked, int limit, boolean diverse) {
        if (!diverse || ranked.size() <= 2) {
            return List.copyOf(ranked.subList(0, Math.min(limit, ranked.size())));
        }
        List<Suggestion> pool = ranked.subList(0, (int) Math.min(ranked.size(), (long) limit * POOL_PER_PICK));
        int[] order = farthestPoints(w, pool.stream().mapToInt(Suggestion::image).toArray(), Math.min(limit, pool.size()));
        return Arrays.stream(order).mapToObj(pool::get).toList();
    }

    /**
     * Farthest-point order over {@code images}: the first (best-ranked) image, then each time the one
     * whose nearest already chosen image is farthest away (cosine distance); ties go to the better
     * rank. Returns positions into {@code images}.
     */
    static int[] farthestPoints(WorkspaceState w, int[] images, int count) {
        int m = images.length;
        int d = w.dim();
        float[][] unit = new float[m][];
        for (int j = 0; j < m; j++) {
            double[] u = L2.normalized(w.embedding(images[j]), 0, d);
            unit[j] = new float[d];
            for (int t = 0; t < d; t++) {
                unit[j][t] = (float) u[t];
            }
        }
        float[] nearest = new float[m];
        Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        boolean[] taken = new boolean[m];
        int[] out = new int[count];
        int next = 0;
        for (int c = 0; c < count; c++) {
            out[c] = next;
            taken[next] = true;
            int far = -1;
            for (int j = 0; j < m; j++) {
                if (taken[j]) {
                    continue;
                }
                float dist = 1 - L2.dot(unit[j], 0, unit[next], d);
                nearest[j] = Math.min(nearest[j], dist);
                if (far < 0 || nearest[j] > nearest[far]) {
                    far = j;
                }
            }
            next = far;
        }
        return out;
    }
}
