package org.protolens.core.analysis;

import java.util.Arrays;
import org.protolens.core.project.WorkspaceState;

/** The images whose embeddings are nearest to one image's, by cosine similarity. */
public final class NearestImages {
    private NearestImages() {
    }

    /**
     * The {@code count} images most similar to image {@code i} (itself left out), the most similar
     * first; ties go to the lower index.
     */
    public static int[] of(WorkspaceState s, int i, int count) {
        float[] sim = s.predictions().cosines(i);
        sim[i] = Float.NEGATIVE_INFINITY;
        int k = Math.min(count, sim.length - 1);
        if (k <= 0) {
            return new int[0];
        }
        // the k best in one pass: a small sorted buffer, best first
        int[] best = new int[k];
        float[] bestSim = new float[k];
        Arrays.fill(bestSim, Float.NEGATIVE_INFINITY);
        Arrays.fill(best, -1);
        for (int j = 0; j < sim.length; j++) {
            float v = sim[j];
            if (j == i || (best[k - 1] >= 0 && v <= bestSim[k - 1])) {
                continue;
            }
            int at = k - 1;
            while (at > 0 && (best[at - 1] < 0 || v > bestSim[at - 1])) {
                best[at] = best[at - 1];
                bestSim[at] = bestSim[at - 1];
                at--;
            }
            best[at] = j;
            bestSim[at] = v;
        }
        return best;
    }
}
