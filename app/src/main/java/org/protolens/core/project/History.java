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
            private int index = -1;

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
                index = w.addNovelClass(name, images2);
            }

            @Override
            public void revert(Workspace w) {
                w.removeClass(index);
                w.setLabels(images2, oldLabels, oldShots);
            }
        };
    }
}
