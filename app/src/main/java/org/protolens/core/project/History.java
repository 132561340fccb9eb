package org.protolens.core.project;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.TeenCalibration;

/**
 * Undo and redo of every change the person makes to a workspace (labels, classes, imports, the
 * calibration): every edit goes through {@link #apply}. A series of small changes made in one
 * gesture (a dragged slider, the batches of one import) is one step to undo.
 */
public final class History {

    /** A change that can be taken back exactly. */
    public interface Edit {
        /** What it does, for menus ("New class “bus” from 5 images"). */
        String description();

        void apply(Workspace w);

        void revert(Workspace w);

        /**
         * Whether this edit, the last one applied, takes in {@code next}, which was just applied
         * after it, so that one undo takes both back (they continue one gesture).
         */
        default boolean absorb(Edit next) {
            return false;
        }
    }

    private final Workspace workspace;
    private final Deque<Edit> done = new ArrayDeque<>();
    private final Deque<Edit> undone = new ArrayDeque<>();

    public History(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Applies the edit; it becomes the one to undo, and nothing is left to redo. */
    public void apply(Edit edit) {
        edit.apply(workspace);
        undone.clear();
        if (done.isEmpty() || !done.peek().absorb(edit)) {
            done.push(edit);
        }
    }

    public boolean canUndo() {
        return !done.isEmpty();
    }

    public boolean canRedo() {
        return !undone.isEmpty();
    }

    /** The edit {@link #undo} would take back, or null. */
    public Edit nextUndo() {
        return done.peek();
    }

    /** The edit {@link #redo} would apply again, or null. */
    public Edit nextRedo() {
        return undone.peek();
    }

    public void undo() {
        Edit e = done.pop();
        e.revert(workspace);
        undone.push(e);
    }

    public void redo() {
        Edit e = undone.pop();
        e.apply(workspace);
        done.push(e);
    }

    /** The labels and shot flags some images had, for putting them back. */
    private record Before(int[] images, int[] labels, boolean[] shots) {
        static Before of(Workspace w, int[] images) {
            int[] labels = new int[images.length];
            boolean[] shots = new boolean[images.length];
            for (int j = 0; j < images.length; j++) {
                labels[j] = w.label(images[j]);
                shots[j] = w.isShot(images[j]);
            }
            return new Before(images, labels, shots);
        }

        void restore(Workspace w) {
            w.setLabels(images, labels, shots);
        }
    }

    /** A new novel class whose shots are the given images; undo removes it and restores their labels. */
    public static Edit newClass(String name, int[] images) {
        return newClass(name, images, new int[0]);
    }

    /**
     * A new novel class with {@code shots} as its shots and {@code members} as its labelled images
     * that are no shots; undo removes it and restores every image's label.
     *
     * @throws IllegalArgumentException on apply, when another new class would be left without shots
     */
    public static Edit newClass(String name, int[] shots, int[] members) {
        int[] shots2 = shots.clone();
        int[] members2 = members.clone();
        int[] all = IntStream.concat(Arrays.stream(shots2), Arrays.stream(members2)).toArray();
        return new Edit() {
            private Before before;

            @Override
            public String description() {
                String made = "New class “" + name + "” from " + all.length + (all.length == 1 ? " image" : " images");
                return members2.length == 0 ? made : made + " (" + shots2.length + (shots2.length == 1 ? " shot)" : " shots)");
            }

            @Override
            public void apply(Workspace w) {
                // the members too: they lose their shot flags when they join
                w.requireShotsLeftWithout(all);
                Before old = Before.of(w, all);
                int k = w.addNovelClass(name, shots2);
                int[] labels = new int[members2.length];
                Arrays.fill(labels, k);
                w.setLabels(members2, labels, new boolean[members2.length]);
                before = old;
            }

            @Override
            public void revert(Workspace w) {
                w.removeClass(w.classNames().indexOf(name.strip()));
                before.restore(w);
            }
        };
    }

    /**
     * New labels and shot flags for some images (shots added to a class, taken out, images
     * assigned); undo restores the old ones.
     *
     * @param label the class name every image gets, or null for unlabelled
     * @param shot  whether they become shots (of a novel class)
     * @throws IllegalArgumentException on apply, when a novel class would be left without shots
     */
    public static Edit relabel(String description, int[] images, String label, boolean shot) {
        return new LabelChange(description, images) {
            @Override
            void set(Workspace w, Before old) {
                int k = label == null ? -1 : w.classNames().indexOf(label);
                if (label != null && k < 0) {
                    throw new IllegalArgumentException("there is no class \"" + label + "\"");
                }
                Map<Integer, Integer> shotsLost = new HashMap<>();
                for (int j = 0; j < this.images.length; j++) {
                    if (old.shots()[j] && !(shot && old.labels()[j] == k)) {
                        shotsLost.merge(old.labels()[j], 1, Integer::sum);
                    }
                }
                for (var e : shotsLost.entrySet()) {
                    if (w.shotCount(e.getKey()) == e.getValue()) {
                        throw new IllegalArgumentException("“" + w.classNames().get(e.getKey())
                                + "” would have no shots left; a new class needs at least one");
                    }
                }
                int[] labels = new int[this.images.length];
                boolean[] shots = new boolean[this.images.length];
                Arrays.fill(labels, k);
                Arrays.fill(shots, shot);
                w.setLabels(this.images, labels, shots);
            }
        };
    }

    /**
     * Labels for images that are no shots, one each (labels read from a file); undo restores the
     * old ones.
     *
     * @param labels class index per image, -1 for unlabelled
     */
    public static Edit assign(String description, int[] images, int[] labels) {
        int[] labels2 = labels.clone();
        return new LabelChange(description, images) {
            @Override
            void set(Workspace w, Before old) {
                for (int j = 0; j < this.images.length; j++) {
                    if (old.shots()[j]) {
                        throw new IllegalArgumentException("image " + w.imageFile(this.images[j])
                                + " is a shot; labels of shots are not assigned");
                    }
                }
                w.setLabels(this.images, labels2, new boolean[this.images.length]);
            }
        };
    }

    /**
     * Marks images as not of class {@code name} ("not this class"): suggestions no longer offer them
     * for it, and those labelled with it become unlabelled. Undo takes the marks back.
     *
     * @throws IllegalArgumentException on apply, when an image is a shot of the class
     */
    public static Edit reject(String name, int[] images) {
        int[] images2 = images.clone();
        return new Edit() {
            private Before before;
            private boolean[] wasRejected;

            @Override
            public String description() {
                return "Mark " + images2.length + (images2.length == 1 ? " image" : " images") + " as not “" + name + "”";
            }

            @Override
            public void apply(Workspace w) {
                int k = w.classNames().indexOf(name);
                if (k < 0) {
                    throw new IllegalArgumentException("there is no class \"" + name + "\"");
                }
                int[] labels = new int[images2.length];
                boolean[] shots = new boolean[images2.length];
                boolean[] was = new boolean[images2.length];
                for (int j = 0; j < images2.length; j++) {
                    int i = images2[j];
                    if (w.label(i) == k && w.isShot(i)) {
                        throw new IllegalArgumentException(w.imageFile(i).getFileName() + " is a shot of “" + name
                                + "”; take it out of the shots first");
                    }
                    labels[j] = w.label(i) == k ? -1 : w.label(i);
                    shots[j] = w.isShot(i);
                    was[j] = w.isRejected(i, k);
                }
                before = Before.of(w, images2);
                wasRejected = was;
                w.setLabels(images2, labels, shots);
                w.setRejected(images2, name, true);
            }

            @Override
            public void revert(Workspace w) {
                int[] marked = IntStream.range(0, images2.length).filter(j -> !wasRejected[j])
                        .map(j -> images2[j]).toArray();
                w.setRejected(marked, name, false);
                before.restore(w);
            }
        };
    }

    /** An edit that sets some images' labels and shot flags; undo puts the old ones back. */
    private abstract static class LabelChange implements Edit {
        private final String description;
        final int[] images;
        private Before before;

        LabelChange(String description, int[] images) {
            this.description = description;
            this.images = images.clone();
        }

        /** Sets the new labels; throws, changing nothing, when the edit is refused. */
        abstract void set(Workspace w, Before old);

        @Override
        public String description() {
            return description;
        }

        @Override
        public final void apply(Workspace w) {
            Before old = Before.of(w, images);
            set(w, old);
            before = old;
        }

        @Override
        public final void revert(Workspace w) {
            before.restore(w);
        }
    }

    /**
     * Takes imported images out of the project, with their labels and marks; undo puts them back
     * where they were.
     *
     * @throws IllegalArgumentException on apply, for an image the project was made with, or when a
     *                                  class would be left without shots (or images)
     */
    public static Edit removeImages(int[] images) {
        int[] chosen = images.clone();
        return new Edit() {
            private Workspace.Removed removed;

            @Override
            public String description() {
                return "Remove " + chosen.length + (chosen.length == 1 ? " image" : " images");
            }

            @Override
            public void apply(Workspace w) {
                removed = w.removeImages(chosen);
            }

            @Override
            public void revert(Workspace w) {
                w.restoreRemoved(removed);
            }
        };
    }

    /** Renames a class; undo gives it its old name back. */
    public static Edit rename(String from, String to) {
        return new Edit() {
            @Override
            public String description() {
                return "Rename “" + from + "” to “" + to.strip() + "”";
            }

            @Override
            public void apply(Workspace w) {
                int k = w.classNames().indexOf(from);
                if (k >= 0 && w.kind(k) == Workspace.Kind.BASE) {
                    throw new IllegalArgumentException("“" + from + "” is a base class of the project's backbone; it keeps its name");
                }
                w.renameClass(k, to);
            }

            @Override
            public void revert(Workspace w) {
                w.renameClass(w.classNames().indexOf(to.strip()), from);
            }
        };
    }

    /** Removes a class made or imported in the app; its images become unlabelled. Undo brings it back. */
    public static Edit remove(String name) {
        return new Edit() {
            private Before members;
            private Workspace.Kind kind;
            private int index;

            @Override
            public String description() {
                return "Remove class “" + name + "”";
            }

            @Override
            public void apply(Workspace w) {
                int k = w.classNames().indexOf(name);
                index = k;
                kind = w.kind(k);
                members = Before.of(w, w.imagesOf(k).stream().mapToInt(Integer::intValue).toArray());
                w.removeClass(k);
            }

            @Override
            public void revert(Workspace w) {
                int[] core = IntStream.range(0, members.images().length)
                        .filter(j -> kind != Workspace.Kind.NOVEL || members.shots()[j]).map(j -> members.images()[j]).toArray();
                if (kind == Workspace.Kind.NOVEL) {
                    w.addNovelClass(name, core, index);
                } else {
                    w.addClassFromImages(name, core, index);
                }
                // the class is back at its index, so its images' old labels (that index) apply as they were
                members.restore(w);
            }
        };
    }

    /**
     * New calibration settings (alpha, tau, TEEN on or off); undo puts the old ones back.
     *
     * @param continuing whether it continues the gesture of the edit before it (a slider still
     *                   being dragged): then both are one step to undo
     */
    public static Edit calibrate(TeenCalibration to, boolean enabled, boolean continuing) {
        return new Calibration(to, enabled, continuing);
    }

    /** The new classes' prototypes made by another head (as calibrated, or refined by soft k-means or TIM). */
    public static Edit head(PrototypeHead to) {
        return new Edit() {
            private PrototypeHead from;

            @Override
            public String description() {
                return "Prototypes: " + to;
            }

            @Override
            public void apply(Workspace w) {
                from = w.head();
                w.setHead(to);
            }

            @Override
            public void revert(Workspace w) {
                w.setHead(from);
            }
        };
    }

    private static final class Calibration implements Edit {
        private TeenCalibration to;
        private boolean enabled;
        private final boolean continuing;
        private TeenCalibration from;
        private boolean wasEnabled;

        Calibration(TeenCalibration to, boolean enabled, boolean continuing) {
            this.to = to;
            this.enabled = enabled;
            this.continuing = continuing;
        }

        @Override
        public String description() {
            if (from == null) {
                return "Calibration";
            }
            List<String> parts = new ArrayList<>();
            if (wasEnabled != enabled) {
                parts.add(enabled ? "Calibration on" : "Calibration off");
            }
            if (from.alpha() != to.alpha()) {
                parts.add(String.format(Locale.ROOT, "\u03b1 %.2f \u2192 %.2f", from.alpha(), to.alpha()));
            }
            if (from.tau() != to.tau()) {
                parts.add(String.format(Locale.ROOT, "\u03c4 %.1f \u2192 %.1f", from.tau(), to.tau()));
            }
            return parts.isEmpty() ? "Calibration" : String.join(", ", parts);
        }

        @Override
        public void apply(Workspace w) {
            from = w.calibration();
            wasEnabled = w.calibrationEnabled();
            set(w, to, enabled);
        }

        @Override
        public void revert(Workspace w) {
            set(w, from, wasEnabled);
        }

        private static void set(Workspace w, TeenCalibration c, boolean on) {
            if (!c.equals(w.calibration())) {
                w.setCalibration(c);
            }
            if (on != w.calibrationEnabled()) {
                w.setCalibrationEnabled(on);
            }
        }

        @Override
        public boolean absorb(Edit next) {
            if (next instanceof Calibration c && c.continuing) {
                to = c.to;
                enabled = c.enabled;
                return true;
            }
            return false;
        }
    }

    /**
     * Embedded images joining the workspace as an import planned them (classes it names are made);
     * undo takes them out again, with the classes they brought.
     *
     * @param job the import they belong to: its batches applied one after another are one step to undo
     */
    public static Edit importBatch(Object job, List<ImportPlan.Item> items, List<byte[]> sha256, FloatMatrix rows) {
        return new Import(job, new ImportPart(List.copyOf(items), List.copyOf(sha256), rows));
    }

    /** One batch of an import: what it added, and from which image on. */
    private static final class ImportPart {
        final List<ImportPlan.Item> items;
        final List<byte[]> sha256;
        /** the batch's embeddings while it is not in the workspace (before it is applied, after it is undone) */
        FloatMatrix rows;
        int first;
        List<String> classesBefore;

        ImportPart(List<ImportPlan.Item> items, List<byte[]> sha256, FloatMatrix rows) {
            this.items = items;
            this.sha256 = sha256;
            this.rows = rows;
        }

        void apply(Workspace w) {
            first = w.imageCount();
            classesBefore = List.copyOf(w.classNames());
            w.addImported(items, sha256, rows);
            // the workspace holds them now; kept again only when they are taken out
            rows = null;
        }

        void revert(Workspace w) {
            rows = w.embeddings(first, first + items.size());
            for (int k = w.classNames().size() - 1; k >= 0; k--) {
                if (!classesBefore.contains(w.classNames().get(k))) {
                    w.removeClass(k);
                }
            }
            w.truncate(first);
        }
    }

    private static final class Import implements Edit {
        private final Object job;
        private final List<ImportPart> parts = new ArrayList<>();

        Import(Object job, ImportPart part) {
            this.job = job;
            parts.add(part);
        }

        @Override
        public String description() {
            int images = parts.stream().mapToInt(p -> p.items.size()).sum();
            return "Import of " + images + (images == 1 ? " image" : " images");
        }

        @Override
        public void apply(Workspace w) {
            parts.forEach(p -> p.apply(w));
        }

        @Override
        public void revert(Workspace w) {
            for (int j = parts.size() - 1; j >= 0; j--) {
                parts.get(j).revert(w);
            }
        }

        @Override
        public boolean absorb(Edit next) {
            if (next instanceof Import i && i.job == job) {
                parts.addAll(i.parts);
                return true;
            }
            return false;
        }
    }
}
