package org.protolens.ui;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.protolens.core.project.History;
import org.protolens.core.project.ProjectCatalog;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.Workspace;
import org.protolens.core.proto.TeenCalibration;

/**
 * The open workspace as the views see it. Views bind to the calibration properties; every change
 * re-predicts in the workspace at once and bumps {@link #revision()}, which the views redraw on.
 */
public final class WorkspaceModel {
    private final ObjectProperty<Workspace> workspace = new SimpleObjectProperty<>();
    private final DoubleProperty alpha = new SimpleDoubleProperty(TeenCalibration.DEFAULT_ALPHA);
    private final DoubleProperty tau = new SimpleDoubleProperty(TeenCalibration.DEFAULT_TAU);
    private final BooleanProperty calibrationOn = new SimpleBooleanProperty(true);
    private final IntegerProperty revision = new SimpleIntegerProperty();
    private final IntegerProperty selected = new SimpleIntegerProperty(-1);
    private final ObjectProperty<int[]> selection = new SimpleObjectProperty<>(new int[0]);
    private final javafx.beans.property.StringProperty undoText = new javafx.beans.property.SimpleStringProperty();
    private final javafx.beans.property.StringProperty redoText = new javafx.beans.property.SimpleStringProperty();
    private History history;

    public WorkspaceModel() {
        alpha.addListener((o, was, now) -> applyCalibration());
        tau.addListener((o, was, now) -> applyCalibration());
        calibrationOn.addListener((o, was, now) -> {
            Workspace w = workspace.get();
            if (w != null) {
                w.setCalibrationEnabled(now);
                changed();
                saveSettings();
            }
        });
    }

    private OpenProject session;
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "project-writer");
        t.setDaemon(true);
        return t;
    });
    /** alpha, tau, calibration on (1) or off (0): the last settings not yet written */
    private final java.util.concurrent.atomic.AtomicReference<double[]> pendingSettings =
            new java.util.concurrent.atomic.AtomicReference<>();
    /** the latest state not yet written, and the edits that led to it: a quick series is written once */
    private final java.util.concurrent.atomic.AtomicReference<ProjectCatalog.Snapshot> pendingState =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<String> pendingEdits = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final javafx.beans.property.StringProperty saveProblem = new javafx.beans.property.SimpleStringProperty();

    /** Shows an open project; every later change is stored in its catalog as it is made. */
    public void show(OpenProject s) {
        java.util.concurrent.Future<?> closing = detach();
        session = s;
        show(s.workspace());
        try {
            closing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            report(new java.io.IOException(e.getCause()));
        }
    }

    /**
     * Stops storing changes to the open project and closes it after what is pending has been
     * written (on the writer thread); another project can then open it. Returns when that is done.
     */
    public java.util.concurrent.Future<?> detach() {
        OpenProject previous = session;
        session = null;
        if (previous == null || writer.isShutdown()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return writer.submit(() -> {
            try {
                previous.close();
            } catch (java.io.IOException e) {
                report(e);
            }
        });
    }

    /** The last failure to save, for the status bar (null while saving works). */
    public javafx.beans.property.ReadOnlyStringProperty saveProblem() {
        return saveProblem;
    }

    /** Stores the state after an edit off the JavaFX thread; of quick changes only the latest state is written. */
    private void saveEdit(String description) {
        OpenProject s = session;
        if (s == null) {
            return;
        }
        if (description != null) {
            pendingEdits.add(description);
        }
        if (pendingState.getAndSet(s.workspace().snapshot(null)) == null) {
            writer.submit(() -> {
                ProjectCatalog.Snapshot snap = pendingState.getAndSet(null);
                if (snap != null) {
                    java.util.List<String> edits = new java.util.ArrayList<>();
                    for (String e; (e = pendingEdits.poll()) != null; ) {
                        edits.add(e);
                    }
                    try {
                        s.save(snap, edits);
                        javafx.application.Platform.runLater(() -> saveProblem.set(null));
                    } catch (java.io.IOException e) {
                        report(e);
                    }
                }
            });
        }
    }

    /** Stores the calibration settings; of many quick changes (a dragged slider) only the last is written. */
    private void saveSettings() {
        OpenProject s = session;
        if (s == null) {
            return;
        }
        Workspace w = s.workspace();
        if (pendingSettings.getAndSet(new double[] {w.calibration().alpha(), w.calibration().tau(), w.calibrationEnabled() ? 1 : 0}) == null) {
            writer.submit(() -> {
                double[] v = pendingSettings.getAndSet(null);
                if (v != null) {
                    try {
                        s.saveSettings(v[0], v[1], v[2] != 0);
                        javafx.application.Platform.runLater(() -> saveProblem.set(null));
                    } catch (java.io.IOException e) {
                        report(e);
                    }
                }
            });
        }
    }

    /**
     * Takes in a batch of embedded import items (on the JavaFX thread): they join the workspace,
     * are predicted and drawn, and are stored; of quick batches only the latest state is written.
     */
    public void imported(java.util.List<org.protolens.core.project.ImportPlan.Item> items, java.util.List<byte[]> sha256,
                         org.protolens.core.FloatMatrix rows) {
        OpenProject s = session;
        if (s == null) {
            return;
        }
        s.workspace().addImported(items, sha256, rows);
        imagesAdded.set(imagesAdded.get() + 1);
        historyChanged();
        changed();
        saveEdit(null);
    }

    /** An import ended: logs it in the project's history. */
    public void importFinished(String description) {
        saveEdit(description);
    }

    private final IntegerProperty imagesAdded = new SimpleIntegerProperty();

    /** Increases whenever images joined the workspace (the map places them). */
    public ReadOnlyIntegerProperty imagesAdded() {
        return imagesAdded;
    }

    /** The open project, or null. */
    public OpenProject session() {
        return session;
    }

    private void report(java.io.IOException e) {
        javafx.application.Platform.runLater(() -> saveProblem.set("Not saved: " + e.getMessage()));
    }

    /** Writes what is pending and closes the project (when the window closes). */
    public void close() {
        OpenProject s = session;
        session = null;
        writer.submit(() -> {
            if (s != null) {
                try {
                    s.close();
                } catch (java.io.IOException e) {
                    System.err.println("protolens: " + e.getMessage());
                }
            }
        });
        writer.shutdown();
        try {
            writer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Shows {@code w}, taking its calibration settings. */
    private void show(Workspace w) {
        selected.set(-1);
        selection.set(new int[0]);
        history = new History(w);
        historyChanged();
        workspace.set(null);
        alpha.set(w.calibration().alpha());
        tau.set(w.calibration().tau());
        calibrationOn.set(w.calibrationEnabled());
        workspace.set(w);
        changed();
    }

    private void applyCalibration() {
        Workspace w = workspace.get();
        if (w != null) {
            w.setCalibration(new TeenCalibration(alpha.get(), tau.get()));
            changed();
            saveSettings();
        }
    }

    /**
     * Applies a labelling edit through the undo history and re-predicts.
     *
     * @throws IllegalArgumentException when the edit is refused (the workspace is unchanged)
     */
    public void edit(History.Edit edit) {
        history.apply(edit);
        selection.set(new int[0]);
        historyChanged();
        changed();
        saveEdit(edit.description());
    }

    public void undo() {
        if (history != null && history.canUndo()) {
            String what = history.nextUndo().description();
            history.undo();
            historyChanged();
            changed();
            saveEdit("Undo " + what);
        }
    }

    public void redo() {
        if (history != null && history.canRedo()) {
            String what = history.nextRedo().description();
            history.redo();
            historyChanged();
            changed();
            saveEdit("Redo " + what);
        }
    }

    private void historyChanged() {
        undoText.set(history == null || !history.canUndo() ? null : history.nextUndo().description());
        redoText.set(history == null || !history.canRedo() ? null : history.nextRedo().description());
    }

    /** What Undo would take back, or null when there is nothing. */
    public javafx.beans.property.ReadOnlyStringProperty undoText() {
        return undoText;
    }

    /** What Redo would apply again, or null when there is nothing. */
    public javafx.beans.property.ReadOnlyStringProperty redoText() {
        return redoText;
    }

    /** The images chosen with the lasso (sorted), for class actions. */
    public ObjectProperty<int[]> selection() {
        return selection;
    }

    private void changed() {
        revision.set(revision.get() + 1);
    }

    public ObjectProperty<Workspace> workspace() {
        return workspace;
    }

    public DoubleProperty alpha() {
        return alpha;
    }

    public DoubleProperty tau() {
        return tau;
    }

    public BooleanProperty calibrationOn() {
        return calibrationOn;
    }

    /** The image shown in the inspector, -1 for none. */
    public IntegerProperty selected() {
        return selected;
    }

    /** Increases whenever predictions may have changed. */
    public ReadOnlyIntegerProperty revision() {
        return revision;
    }
}
