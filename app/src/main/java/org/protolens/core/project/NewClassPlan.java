package org.protolens.core.project;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.protolens.core.proto.L2;

/**
 * Which images of a selection a new class takes, and which of those become its shots.
 *
 * <p>By default only the selection's unlabelled images are taken: labelled images keep their
 * classes unless the person asks to relabel them. Of the taken images, {@code K} become shots
 * (the most central ones: nearest by cosine to the normalised mean of the taken images, or a
 * seeded random draw) and the rest labelled members of the new class, which count in its
 * accuracy. Even when relabelling, a new class never takes the last shot of another: such shots
 * stay where they are and the plan says which classes kept them.
 */
public final class NewClassPlan {
    /** How shots are chosen among the taken images. */
    public enum Pick {
        /** The images nearest to the mean of the taken images (cosine), the typical ones. */
        CENTRAL,
        /** A random draw, the same for the same seed. */
        RANDOM
    }

    /** How many shots when the person does not say: the field's usual 5-shot setting. */
    public static final int DEFAULT_SHOTS = 5;

    /**
     * What a selection holds.
     *
     * @param unlabelled images of no class
     * @param labelled   per class index, its labelled images that are no shots
     * @param shots      per class index, its shots
     */
    public record Holding(int unlabelled, int[] labelled, int[] shots) {
        /** Labelled images of any class, shots included. */
        public int labelledTotal() {
            return Arrays.stream(labelled).sum() + Arrays.stream(shots).sum();
        }

        /** Classes with images in the selection, in index order. */
        public int[] classes() {
            return IntStream.range(0, labelled.length).filter(k -> labelled[k] + shots[k] > 0).toArray();
        }
    }

    /**
     * What the person chose.
     *
     * @param relabel whether labelled images are taken too (they leave their classes)
     * @param shots   how many of the taken images become shots (at least 1; more than are taken means all)
     */
    public record Choice(boolean relabel, int shots, Pick pick, long seed) {
        public Choice {
            if (shots < 1) {
                throw new IllegalArgumentException("a new class needs at least one shot");
            }
        }
    }

    /**
     * The new class's images.
     *
     * @param shots       its shots, in image order
     * @param members     its labelled images that are no shots, in image order
     * @param untouched   selected images that keep their labels (labelled ones, unless relabelled)
     * @param keptShotsOf classes whose last shots the selection held; they stay with those classes
     */
    public record Result(int[] shots, int[] members, int untouched, List<String> keptShotsOf) {
        public int taken() {
            return shots.length + members.length;
        }

        /** Images taken from other classes, shots included. */
        public int[] all() {
            int[] out = Arrays.copyOf(shots, shots.length + members.length);
            System.arraycopy(members, 0, out, shots.length, members.length);
            Arrays.sort(out);
            return out;
        }
    }

    private NewClassPlan() {
    }

    /** What {@code selection} holds in state {@code s}. */
    public static Holding holding(WorkspaceState s, int[] selection) {
        int[] labelled = new int[s.classCount()];
        int[] shots = new int[s.classCount()];
        int unlabelled = 0;
        for (int i : distinct(selection)) {
            int k = s.label(i);
            if (k < 0) {
                unlabelled++;
            } else if (s.isShot(i)) {
                shots[k]++;
            } else {
                labelled[k]++;
            }
        }
        return new Holding(unlabelled, labelled, shots);
    }

    /** How many images a plan takes: the unlabelled ones, and with {@code relabel} the labelled ones but last shots. */
    public static int takeable(WorkspaceState s, int[] selection, boolean relabel) {
        return taken(s, distinct(selection), relabel, new ArrayList<>()).length;
    }

    /** The plan for {@code choice}: the images taken, split into shots and members. */
    public static Result plan(WorkspaceState s, int[] selection, Choice choice) {
        int[] sel = distinct(selection);
        List<String> kept = new ArrayList<>();
        int[] taken = taken(s, sel, choice.relabel(), kept);
        int k = Math.min(choice.shots(), taken.length);
        int[] order = switch (choice.pick()) {
            case CENTRAL -> byCentrality(s, taken);
            case RANDOM -> shuffled(taken, choice.seed());
        };
        int[] shots = Arrays.copyOf(order, k);
        int[] members = Arrays.copyOfRange(order, k, order.length);
        Arrays.sort(shots);
        Arrays.sort(members);
        return new Result(shots, members, sel.length - taken.length, List.copyOf(kept));
    }

    private static int[] taken(WorkspaceState s, int[] sel, boolean relabel, List<String> kept) {
        if (!relabel) {
            return Arrays.stream(sel).filter(i -> s.label(i) < 0).toArray();
        }
        // a class whose every shot is selected keeps its first one
        int[] shotsSelected = new int[s.classCount()];
        int[] shotsAll = new int[s.classCount()];
        for (int i : sel) {
            if (s.label(i) >= 0 && s.isShot(i)) {
                shotsSelected[s.label(i)]++;
            }
        }
        for (int k = 0; k < s.classCount(); k++) {
            if (shotsSelected[k] > 0) {
                shotsAll[k] = (int) Arrays.stream(s.imagesOf(k)).filter(s::isShot).count();
            }
        }
        boolean[] keepOne = new boolean[s.classCount()];
        List<Integer> out = new ArrayList<>();
        for (int i : sel) {
            int k = s.label(i);
            if (k >= 0 && s.isShot(i) && shotsSelected[k] == shotsAll[k] && !keepOne[k]) {
                keepOne[k] = true;
                kept.add(s.classNames().get(k));
                continue;
            }
            out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code images} from the most central to the least (ties: lower index first). */
    static int[] byCentrality(WorkspaceState s, int[] images) {
        int dim = s.dim();
        double[] mean = new double[dim];
        double[][] unit = new double[images.length][];
        for (int j = 0; j < images.length; j++) {
            float[] e = s.embedding(images[j]);
            unit[j] = L2.normalized(e, 0, dim);
            for (int d = 0; d < dim; d++) {
                mean[d] += unit[j][d];
            }
        }
        double[] centre = L2.normalize(mean);
        double[] score = new double[images.length];
        for (int j = 0; j < images.length; j++) {
            score[j] = L2.dot(unit[j], centre);
        }
        return IntStream.range(0, images.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -score[j]).thenComparingInt(j -> images[j]))
                .mapToInt(j -> images[j]).toArray();
    }

    private static int[] shuffled(int[] images, long seed) {
        int[] out = images.clone();
        Random r = new Random(seed);
        for (int j = out.length - 1; j > 0; j--) {
            int o = r.nextInt(j + 1);
            int t = out[j];
            out[j] = out[o];
            out[o] = t;
        }
        return out;
    }

    private static int[] distinct(int[] selection) {
        return Arrays.stream(selection).distinct().sorted().toArray();
    }
}
