package org.protolens.core.project;

import java.util.ArrayDeque;
import java.util.Deque;

/** Undo and redo of labelling edits on a workspace: every edit goes through {@link #apply}. */
public final class History {

    /** A change that can be taken back exactly. */
    public interface Edit {
        /** What it does, for menus ("New class “bus” from 5 images"). */
        String description();

        void apply(Workspace w);

        void revert(Workspace w);
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
        done.push(edit);
        undone.clear();
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

    /** A new novel class whose shots are the given images; undo removes it and restores their labels. */
    public static Edit newClass(String name, int[] images) {
        int[] images2 = images.clone();
        return new Edit() {
            private int[] oldLabels;
            private boolean[] oldShots;

            @Override
            public String description() {
                return "New class “" + name + "” from " + images2.length + (images2.length == 1 ? " image" : " images");
            }

            @Override
            public void apply(Workspace w) {
                oldLabels = new int[images2.length];
                oldShots = new boolean[images2.length];
                for (int j = 0; j < images2.length; j++) {
                    oldLabels[j] = w.label(images2[j]);
                    oldShots[j] = w.isShot(images2[j]);
                }
                w.addNovelClass(name, images2);
            }

            @Override
            public void revert(Workspace w) {
                w.removeClass(w.classNames().indexOf(name.strip()));
                w.setLabels(images2, oldLabels, oldShots);
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
        int[] images2 = images.clone();
        return new Edit() {
            private int[] oldLabels;
            private boolean[] oldShots;

            @Override
            public String description() {
                return description;
            }

            @Override
            public void apply(Workspace w) {
                int k = label == null ? -1 : w.classNames().indexOf(label);
                if (label != null && k < 0) {
                    throw new IllegalArgumentException("there is no class \"" + label + "\"");
                }
                oldLabels = new int[images2.length];
                oldShots = new boolean[images2.length];
                java.util.Map<Integer, Integer> shotsLost = new java.util.HashMap<>();
                for (int j = 0; j < images2.length; j++) {
                    oldLabels[j] = w.label(images2[j]);
                    oldShots[j] = w.isShot(images2[j]);
                    if (oldShots[j] && !(shot && oldLabels[j] == k)) {
                        shotsLost.merge(oldLabels[j], 1, Integer::sum);
                    }
                }
                for (var e : shotsLost.entrySet()) {
                    if (w.stats(e.getKey()).shots() == e.getValue()) {
                        throw new IllegalArgumentException("“" + w.classNames().get(e.getKey())
                                + "” would have no shots left; a new class needs at least one");
                    }
                }
                int[] labels = new int[images2.length];
                boolean[] shots = new boolean[images2.length];
                java.util.Arrays.fill(labels, k);
                java.util.Arrays.fill(shots, shot);
                w.setLabels(images2, labels, shots);
            }

            @Override
            public void revert(Workspace w) {
                w.setLabels(images2, oldLabels, oldShots);
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
            private int[] members;
            private boolean[] memberShots;
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
                members = w.imagesOf(k).stream().mapToInt(Integer::intValue).toArray();
                memberShots = new boolean[members.length];
                for (int j = 0; j < members.length; j++) {
                    memberShots[j] = w.isShot(members[j]);
                }
                w.removeClass(k);
            }

            @Override
            public void revert(Workspace w) {
                int[] core = java.util.stream.IntStream.range(0, members.length)
                        .filter(j -> kind != Workspace.Kind.NOVEL || memberShots[j]).map(j -> members[j]).toArray();
                int k = kind == Workspace.Kind.NOVEL ? w.addNovelClass(name, core, index) : w.addClassFromImages(name, core, index);
                int[] labels = new int[members.length];
                java.util.Arrays.fill(labels, k);
                w.setLabels(members, labels, memberShots);
            }
        };
    }
}
