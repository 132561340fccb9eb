package org.protolens.core.fscil;

/**
 * What one FSCIL session measured on the test images of every class seen so far. Fractions lie in
 * [0, 1]; a field is null where it is undefined (no novel classes yet, or no test images of a kind).
 *
 * <p>Two kinds of accuracy are given. The pooled ones ({@link #acc()} and the rest) count test
 * images: a class with many test images weighs more. The class means ({@link #classMeanAcc()}
 * and the rest) average each class's recall, the share of its test images predicted as it: the
 * confusion matrix normalised per true class, as TEEN's code reports accuracies. They agree when
 * every class has as many test images; projects rarely do.
 *
 * @param baseClasses the base classes among the seen ones (ids 0..baseClasses-1)
 * @param acc         pooled accuracy over all seen classes
 * @param accBase     pooled accuracy on test images of base classes
 * @param accNovel    pooled accuracy on test images of novel classes
 * @param hm          harmonic mean of accBase and accNovel
 * @param novelToBase fraction of novel-class test images predicted as some base class
 * @param confusion   counts, rows = true class, columns = predicted class, over the seen classes
 */
public record SessionResult(int session, int classes, int baseClasses, Double acc, Double accBase, Double accNovel, Double hm,
                            Double novelToBase, int[][] confusion) {

    /** The mean over the seen classes that have test images of each one's recall. */
    public Double classMeanAcc() {
        return classMean(0, classes);
    }

    /** The mean recall of the base classes. */
    public Double classMeanAccBase() {
        return classMean(0, Math.min(baseClasses, classes));
    }

    /** The mean recall of the novel classes seen so far. */
    public Double classMeanAccNovel() {
        return classMean(Math.min(baseClasses, classes), classes);
    }

    /** The harmonic mean of the base and novel class means. */
    public Double classMeanHm() {
        return harmonic(classMeanAccBase(), classMeanAccNovel());
    }

    /** The harmonic mean of two accuracies; null when either is. */
    public static Double harmonic(Double a, Double b) {
        return a == null || b == null ? null : a + b == 0 ? 0.0 : 2 * a * b / (a + b);
    }

    private Double classMean(int from, int to) {
        double sum = 0;
        int counted = 0;
        for (int c = from; c < to && c < confusion.length; c++) {
            long total = 0;
            for (int v : confusion[c]) {
                total += v;
            }
            if (total > 0) {
                sum += (double) confusion[c][c] / total;
                counted++;
            }
        }
        return counted == 0 ? null : sum / counted;
    }
}
