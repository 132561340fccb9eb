package org.protolens.ui.common;

import java.util.Arrays;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.WorkspaceState;

/**
 * What the window shows, as properties the views observe (the JavaFX thread only): the open
 * workspace as it was after its latest change (immutable; {@link Commands} publishes it), the
 * images selected on the map or in a chart, the image inspected, what Undo and Redo would do.
 */
public final class ProjectState {
    private final ReadOnlyObjectWrapper<WorkspaceState> workspace = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<int[]> selection = new SimpleObjectProperty<>(new int[0]);
    private final IntegerProperty inspected = new SimpleIntegerProperty(-1);
    private final ObjectProperty<int[]> highlighted = new SimpleObjectProperty<>(new int[0]);
    private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper redoText = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper saveProblem = new ReadOnlyStringWrapper();
    private final ReadOnlyBooleanWrapper saved = new ReadOnlyBooleanWrapper(true);
    private final Notices notices = new Notices();
    private final ObjectProperty<ProbeMarks> probeMarks = new SimpleObjectProperty<>();

    /**
     * Edited copies of images to show on the map, each with an arrow from its original: where a
     * probe's edit moves them.
     *
     * @param images     the originals, one per edited copy
     * @param embeddings the edited copies' embeddings, one row each
     * @param edit       what was done to them, for people
     */
    public record ProbeMarks(int[] images, FloatMatrix embeddings, String edit) {
    }

    public ProjectState() {
        workspace.addListener((o, was, now) -> {
            boolean other = now == null || was == null || !now.dir().equals(was.dir());
            // the images that are still the same ones at the same places: all but those after an
            // image taken out (an undone import, images removed)
            int n = other ? 0 : was.sameImagesAs(now);
            // another project: nothing stays chosen; images taken out (an undone import) cannot stay selected
            int[] sel = selection.get();
            if (sel.length > 0 && (other || sel[sel.length - 1] >= n)) {
                selection.set(other ? new int[0] : Arrays.stream(sel).filter(i -> i < n).toArray());
            }
            if (other || inspected.get() >= n) {
                inspected.set(-1);
            }
            int[] lit = highlighted.get();
            if (lit.length > 0 && (other || Arrays.stream(lit).anyMatch(i -> i >= n))) {
                highlighted.set(new int[0]);
            }
            ProbeMarks marks = probeMarks.get();
            if (marks != null && (other || Arrays.stream(marks.images()).anyMatch(i -> i >= n))) {
                probeMarks.set(null);
            }
        });
    }

    /** The open workspace after its latest change, or null while no project is open. */
    public ReadOnlyObjectProperty<WorkspaceState> workspace() {
        return workspace.getReadOnlyProperty();
    }

    /** The images chosen with the lasso, a chart or a class action (sorted; empty for none). */
    public ObjectProperty<int[]> selection() {
        return selection;
    }

    /** The image shown in the inspector, -1 for none. */
    /** Images chosen in a view of images (rows of the image table), drawn on the map with a halo of their own. */
    public ObjectProperty<int[]> highlighted() {
        return highlighted;
    }

    public IntegerProperty inspected() {
        return inspected;
    }

    /** The edited copies the map shows, or null. */
    public ObjectProperty<ProbeMarks> probeMarks() {
        return probeMarks;
    }

    /** What Undo would take back, or null when there is nothing. */
    public ReadOnlyStringProperty undoText() {
        return undoText.getReadOnlyProperty();
    }

    /** What Redo would apply again, or null when there is nothing. */
    public ReadOnlyStringProperty redoText() {
        return redoText.getReadOnlyProperty();
    }

    /** Why the last change could not be stored, or null while storing works. */
    public ReadOnlyStringProperty saveProblem() {
        return saveProblem.getReadOnlyProperty();
    }

    /** Whether every change made so far is stored in the project folder (false while one is being written). */
    public ReadOnlyBooleanProperty saved() {
        return saved.getReadOnlyProperty();
    }

    public Notices notices() {
        return notices;
    }

    /** A new state of the workspace (from {@link Commands}). */
    void publish(WorkspaceState state, String undo, String redo) {
        workspace.set(state);
        undoText.set(undo);
        redoText.set(redo);
    }

    void saveProblem(String problem) {
        saveProblem.set(problem);
    }

    void saved(boolean stored) {
        saved.set(stored);
    }
}
