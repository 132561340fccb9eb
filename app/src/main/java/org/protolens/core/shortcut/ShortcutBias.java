package org.protolens.core.shortcut;

/**
 * How much a classifier follows a shortcut feature rather than the core feature, after Hermann,
 * Mobahi, Fel and Mozer, "On the Foundations of Shortcut Learning" (ICLR 2024).
 *
 * <p>Two classes, labels and features coded as -1 and +1: reliance(M) = 1/2 E[y_hat (sgn z_s -
 * sgn z_c)] over probe inputs whose two features are set independently. The factor 1/2 bounds it
 * to [-1, 1]: an input whose features agree adds 0, a conflict adds +1 when the prediction follows
 * the shortcut and -1 when it follows the core feature.
 *
 * <p>Many classes: over the conflict images alone (the core feature says one class, the shortcut
 * another), reliance = the share predicted as the shortcut's class minus the share predicted as
 * the core's class, also in [-1, 1]. For two classes and probes that are all conflicts the two
 * definitions agree.
 *
 * <p>bias(M) = reliance(M) - reliance(Bayes-optimal classifier of the same data), in [-2, 2]. With
 * a label that is uniform over the classes, a core value equal to the label with probability P
 * (otherwise uniform over the other classes) and a shortcut value equal to it with probability Q,
 * the optimal classifier of a conflict image compares P (1 - Q) with (1 - P) Q: it follows the
 * shortcut when Q > P, the core when P > Q, and either (reliance 0) when they are equal (see
 * {@link #optimalReliance} for predictivities below chance). It knows both features exactly: how
 * easily a model extracts them (their availability) is what bias measures.
 */
public final class ShortcutBias {
    private ShortcutBias() {
    }

    /**
     * What a classifier's predictions say about a shortcut.
     *
     * @param aligned          images whose core and shortcut values agree
     * @param conflicts        images whose core and shortcut values differ
     * @param alignedAccuracy  share of aligned images predicted as their label (NaN without any)
     * @param conflictAccuracy share of conflict images predicted as their label (NaN without any)
     * @param shortcutShare    share of conflict images predicted as their shortcut's class
     * @param coreShare        share of conflict images predicted as their core's class
     * @param reliance         shortcutShare - coreShare
     * @param optimalReliance  the Bayes-optimal classifier's reliance for the data's predictivities
     * @param bias             reliance - optimalReliance
     */
    public record Report(int aligned, int conflicts, double alignedAccuracy, double conflictAccuracy, double shortcutShare,
                         double coreShare, double reliance, double optimalReliance, double bias) {
    }

    /**
     * @param label     each image's class
     * @param core      each image's core value (the class its core feature shows)
     * @param shortcut  each image's shortcut value
     * @param predicted each image's predicted class
     * @param coreP     the data's core predictivity P (probability that the core value is the label)
     * @param shortcutQ the data's shortcut predictivity Q
     * @param classes   how many classes the data has
     */
    public static Report of(int[] label, int[] core, int[] shortcut, int[] predicted, double coreP, double shortcutQ, int classes) {
        int n = label.length;
        if (core.length != n || shortcut.length != n || predicted.length != n) {
            throw new IllegalArgumentException("labels, core values, shortcut values and predictions must be as many: " + n + ", "
                    + core.length + ", " + shortcut.length + ", " + predicted.length);
        }
        requireProbability("core predictivity", coreP);
        requireProbability("shortcut predictivity", shortcutQ);
        int aligned = 0;
        int alignedRight = 0;
        int conflicts = 0;
        int conflictRight = 0;
        int toShortcut = 0;
        int toCore = 0;
        for (int i = 0; i < n; i++) {
            if (core[i] == shortcut[i]) {
                aligned++;
                alignedRight += predicted[i] == label[i] ? 1 : 0;
            } else {
                conflicts++;
                conflictRight += predicted[i] == label[i] ? 1 : 0;
                toShortcut += predicted[i] == shortcut[i] ? 1 : 0;
                toCore += predicted[i] == core[i] ? 1 : 0;
            }
        }
        double s = share(toShortcut, conflicts);
        double c = share(toCore, conflicts);
        double reliance = s - c;
        double optimal = optimalReliance(coreP, shortcutQ, classes);
        return new Report(aligned, conflicts, share(alignedRight, aligned), share(conflictRight, conflicts), s, c, reliance, optimal,
                reliance - optimal);
    }

    /**
     * The two-class definition: 1/2 the mean of y_hat (sgn z_s - sgn z_c) over the probes.
     *
     * @param zs        the probes' shortcut feature
     * @param zc        the probes' core feature
     * @param predicted the predictions, -1 or +1
     */
    public static double twoClassReliance(double[] zs, double[] zc, int[] predicted) {
        int n = predicted.length;
        if (zs.length != n || zc.length != n) {
            throw new IllegalArgumentException("features and predictions must be as many: " + zs.length + ", " + zc.length + ", " + n);
        }
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (predicted[i] != 1 && predicted[i] != -1) {
                throw new IllegalArgumentException("prediction " + i + " is " + predicted[i] + "; two-class predictions are -1 or +1");
            }
            sum += predicted[i] * (Math.signum(zs[i]) - Math.signum(zc[i]));
        }
        return 0.5 * sum / n;
    }

    /**
     * The Bayes-optimal classifier's reliance on conflicts among {@code classes} classes: +1 when
     * it follows the shortcut (Q > P), -1 when it follows the core (P > Q), 0 when the two are
     * equally likely or when a third class is likelier than both (both predictivities below chance).
     */
    public static double optimalReliance(double coreP, double shortcutQ, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a shortcut needs at least 2 classes, not " + classes);
        }
        double other = classes - 1.0;
        double asCore = coreP * (1 - shortcutQ) / other;
        double asShortcut = (1 - coreP) / other * shortcutQ;
        double asThird = classes == 2 ? -1 : (1 - coreP) * (1 - shortcutQ) / (other * other);
        if (asThird > Math.max(asCore, asShortcut)) {
            return 0;
        }
        return Math.signum(asShortcut - asCore);
    }

    private static double share(int count, int of) {
        return of == 0 ? Double.NaN : (double) count / of;
    }

    static void requireProbability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1], not " + p);
        }
    }
}
