package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.protolens.core.project.WorkspaceState;

/**
 * Where the labelled images of each novel class go (shots left out): the share predicted as each
 * class, before calibration (raw prototypes: TEEN at alpha = 0) and as predicted now. TEEN's
 * observation is that new-class images fall into similar base classes; this shows how many and
 * into which, and which images they are. The same counts over every class with labelled images
 * make the confusion matrix.
 */
public final class NovelFlow {
    private final int classes;
    private final List<Integer> novel;
    private final int[] labels;
    private final boolean[] evaluated;
    private final int[] raw;
    private final int[] now;
    private final boolean[] base;
    /** confusion counts before calibration and now, each made in one pass over the images */
    private final int[][] rawConfusion;
    private final int[][] nowConfusion;

    private NovelFlow(int classes, List<Integer> novel, int[] labels, boolean[] evaluated, int[] raw, int[] now, boolean[] base) {
        this.classes = classes;
        this.novel = novel;
        this.labels = labels;
        this.evaluated = evaluated;
        this.raw = raw;
        this.now = now;
        this.base = base;
        this.rawConfusion = count(raw);
        this.nowConfusion = count(now);
    }

    /** The flow of {@code w} as it predicted then. */
    public static NovelFlow of(WorkspaceState w) {
        int c = w.classNames().size();
        List<Integer> novel = new ArrayList<>();
        boolean[] base = new boolean[c];
        for (int k = 0; k < c; k++) {
            base[k] = w.isBase(k);
            if (!base[k]) {
                novel.add(k);
            }
        }
        int n = w.imageCount();
        boolean[] evaluated = new boolean[n];
        int[] labels = w.labels();
        for (int i = 0; i < n; i++) {
            evaluated[i] = w.isEvaluated(i);
        }
        return new NovelFlow(c, List.copyOf(novel), labels, evaluated, w.rawPredictions(), w.predictedClasses(), base);
    }

    /** The novel classes, in class order. */
    public List<Integer> novelClasses() {
        return novel;
    }

    /** How many of class k's labelled images (no shots) are predicted as each class, by class index. */
    public int[] counts(int k, boolean calibrated) {
        return (calibrated ? nowConfusion : rawConfusion)[k].clone();
    }

    /** Class k's labelled images (no shots) predicted as class {@code as}, in image order. */
    public int[] images(int k, int as, boolean calibrated) {
        int[] p = calibrated ? now : raw;
        return IntStream.range(0, labels.length)
                .filter(i -> evaluated[i] && labels[i] == k && p[i] == as).toArray();
    }

    /** Rows: the true class, columns: the predicted one, over every labelled image that is no shot. */
    public int[][] confusion(boolean calibrated) {
        int[][] counted = calibrated ? nowConfusion : rawConfusion;
        int[][] out = new int[classes][];
        for (int k = 0; k < classes; k++) {
            out[k] = counted[k].clone();
        }
        return out;
    }

    private int[][] count(int[] p) {
        int[][] out = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (evaluated[i] && p[i] >= 0) {
                out[labels[i]][p[i]]++;
            }
        }
        return out;
    }

    /** Share of all novel-class images (no shots) predicted as some base class; NaN without any. */
    public double toBase(boolean calibrated) {
        int[][] counted = calibrated ? nowConfusion : rawConfusion;
        int total = 0;
        int toBase = 0;
        for (int k = 0; k < classes; k++) {
            if (base[k]) {
                continue;
            }
            for (int as = 0; as < classes; as++) {
                total += counted[k][as];
                toBase += base[as] ? counted[k][as] : 0;
            }
        }
        return total == 0 ? Double.NaN : (double) toBase / total;
    }
}
