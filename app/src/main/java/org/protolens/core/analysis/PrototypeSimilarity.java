package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.List;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.L2;

/**
 * What each new class borrows from the base classes: for every new class (rows) and base class
 * (columns), the cosine between the new class's raw prototype (the mean of its shots) and the base
 * prototype, and TEEN's softmax weight at the current tau, w = softmax(tau cos), which says how
 * much of that base class the calibrated prototype takes.
 *
 * @param novel   the new classes, by class index
 * @param base    the base classes, by class index
 * @param cosines [new class][base class]
 * @param weights [new class][base class]; they sum to 1 per new class
 */
public record PrototypeSimilarity(List<Integer> novel, List<Integer> base, double[][] cosines, double[][] weights) {

    public static PrototypeSimilarity of(WorkspaceState s) {
        List<Integer> novel = new ArrayList<>();
        List<Integer> base = new ArrayList<>();
        for (int k = 0; k < s.classCount(); k++) {
            (s.isBase(k) ? base : novel).add(k);
        }
        if (novel.isEmpty() || base.isEmpty()) {
            return new PrototypeSimilarity(List.of(), List.copyOf(base), new double[0][], new double[0][]);
        }
        double[][] units = new double[base.size()][];
        for (int b = 0; b < base.size(); b++) {
            units[b] = L2.normalized(s.rawPrototype(base.get(b)), 0, s.dim());
        }
        double[][] cos = new double[novel.size()][base.size()];
        double[][] weight = new double[novel.size()][];
        for (int r = 0; r < novel.size(); r++) {
            double[] c = L2.normalized(s.rawPrototype(novel.get(r)), 0, s.dim());
            for (int b = 0; b < base.size(); b++) {
                cos[r][b] = L2.dot(c, units[b]);
            }
            weight[r] = s.calibrationWeights(novel.get(r));
        }
        return new PrototypeSimilarity(List.copyOf(novel), List.copyOf(base), cos, weight);
    }

    /** The base class (a position in {@link #base}) with the largest weight for new class row {@code r}. */
    public int strongest(int r) {
        int from = 0;
        for (int b = 1; b < weights[r].length; b++) {
            if (weights[r][b] > weights[r][from]) {
                from = b;
            }
        }
        return from;
    }

    /** The smallest and largest cosine over the whole matrix ({0, 0} when empty). */
    public double[] cosineRange() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : cosines) {
            for (double v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return cosines.length == 0 ? new double[] {0, 0} : new double[] {lo, hi};
    }
}
