package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
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
        int classes = w.classNames().size();
        if (classes == 0) {
            return List.of();
        }
        Ranking best = new Ranking(kept(limit, diverse), true);
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.label(i) >= 0) {
                continue;
            }
            if (w.rejectedClasses(i).isEmpty()) {
                float margin = w.margin(i);
                if (best.takes(margin, i)) {
                    best.add(new Suggestion(i, w.predicted(i), w.score(i), margin, w.runnerUp(i)), margin);
                }
                continue;
            }
            int first = -1, second = -1;
            float bestScore = Float.NEGATIVE_INFINITY, secondScore = Float.NEGATIVE_INFINITY;
            float[] sim = w.similarities(i);
            for (int k = 0; k < classes; k++) {
                if (w.isRejected(i, k)) {
                    continue;
                }
                if (first < 0 || sim[k] > bestScore) {
                    second = first;
                    secondScore = bestScore;
                    first = k;
                    bestScore = sim[k];
                } else if (second < 0 || sim[k] > secondScore) {
                    second = k;
                    secondScore = sim[k];
                }
            }
            if (first >= 0 && best.takes(bestScore - secondScore, i)) {
                best.add(new Suggestion(i, first, bestScore, bestScore - secondScore, second), bestScore - secondScore);
            }
        }
        return finish(w, best.ranked(), limit, diverse);
    }

    /** Unlabelled images not marked as "not k", the most similar to class {@code k}'s prototype first. */
    public static List<Suggestion> likelyMembers(WorkspaceState w, int k, int limit, boolean diverse) {
        int classes = w.classNames().size();
        Ranking best = new Ranking(kept(limit, diverse), false);
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.label(i) >= 0 || w.isRejected(i, k)) {
                continue;
            }
            float s = w.similarity(i, k);
            if (!best.takes(s, i)) {
                continue;
            }
            int other = -1;
            float otherScore = Float.NEGATIVE_INFINITY;
            if (w.predicted(i) != k) {
                other = w.predicted(i);
                otherScore = w.score(i);
            } else if (w.runnerUp(i) >= 0) {
                other = w.runnerUp(i);
                otherScore = w.similarity(i, other);
            }
            best.add(new Suggestion(i, k, s, classes < 2 ? Float.POSITIVE_INFINITY : s - otherScore, other), s);
        }
        return finish(w, best.ranked(), limit, diverse);
    }

    /** How many of the best-ranked a list of {@code limit} suggestions is made from. */
    private static int kept(int limit, boolean diverse) {
        return (int) Math.min(Integer.MAX_VALUE - 8, diverse ? (long) limit * POOL_PER_PICK : limit);
    }

    /**
     * The best-ranked suggestions of those offered, at most {@code size}: by a key, smallest first
     * (or largest first), ties to the smaller image index, as sorting all of them would order them.
     * Only an image that would enter it needs a suggestion made.
     */
    private static final class Ranking {
        private final int size;
        private final boolean ascending;
        /** the worst kept at the head */
        private final PriorityQueue<Ranked> kept;

        private record Ranked(Suggestion suggestion, float key) {
        }

        Ranking(int size, boolean ascending) {
            this.size = size;
            this.ascending = ascending;
            this.kept = new PriorityQueue<>(Math.min(size, 1 << 16) + 1, (a, b) -> -compare(a.key(), a.suggestion().image(), b));
        }

        /** Negative when (key, image) ranks before {@code r}. */
        private int compare(float key, int image, Ranked r) {
            // equal keys (0.0 and -0.0 too) go by image, as the whole ranking's sort orders them
            int c = key == r.key() ? 0 : ascending ? Float.compare(key, r.key()) : Float.compare(r.key(), key);
            return c != 0 ? c : Integer.compare(image, r.suggestion().image());
        }

        boolean takes(float key, int image) {
            return size > 0 && (kept.size() < size || compare(key, image, kept.peek()) < 0);
        }

        void add(Suggestion s, float key) {
            kept.add(new Ranked(s, key));
            if (kept.size() > size) {
                kept.poll();
            }
        }

        List<Suggestion> ranked() {
            Ranked[] all = kept.toArray(new Ranked[0]);
            Arrays.sort(all, (a, b) -> compare(a.key(), a.suggestion().image(), b));
            List<Suggestion> out = new ArrayList<>(all.length);
            for (Ranked r : all) {
                out.add(r.suggestion());
            }
            return out;
        }
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
