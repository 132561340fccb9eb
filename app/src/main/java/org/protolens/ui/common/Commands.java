package org.protolens.ui.common;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import org.protolens.core.FloatMatrix;
import org.protolens.core.analysis.PrototypeRefinement;
import org.protolens.core.project.History;
import org.protolens.core.project.ImportPlan;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.ProjectWriter;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.TeenCalibration;

/**
 * The only code that changes the open workspace: every change (labels, classes, shots, marks,
 * imports, alpha, tau, calibration on or off) is an edit in the undo history, applied on the
 * workspace's own lane, off the JavaFX thread. After each, the workspace's new state is published
 * to {@link ProjectState} and handed to the project writer, which stores it.
 *
 * <p>Calibration changes from a dragged slider are applied latest-first: while one is being
 * applied, further values wait and only the newest of them is applied next.
 *
 * <p>When the project's prototypes are refined by a transductive head (soft k-means, TIM), each
 * shown state that is not refined yet is refined in the background, one at a time and the
 * newest first; its result is applied unless something changed meanwhile (then the newer state's
 * refinement follows). Until it lands the views show the prototypes as calibrated.
 */
public final class Commands {
    private final Tasks tasks;
    private final ProjectState state;
    /** the open project, owned by the workspace lane (null: none) */
    private Open open;
    /** the JavaFX thread's count of projects shown: results of an earlier one are dropped */
    private int generation;
    /** the JavaFX thread's project, for closing it */
    private ProjectWriter writer;
    private Calibrating pendingCalibration;
    private boolean calibrating;
    /** the newest shown state that waits to be refined (null: none), and whether a refinement runs */
    private WorkspaceState toRefine;
    private boolean refining;
    /** the head and predictions' revision a refinement was last started for: a state is refined once */
    private String refinedFor;

    private record Open(Workspace workspace, History history, ProjectWriter writer) {
    }

    /** What the workspace lane hands back after a change. */
    private record Changed(WorkspaceState state, String undo, String redo) {
    }

    private record Calibrating(TeenCalibration calibration, boolean enabled, boolean continuing) {
    }

    public Commands(Tasks tasks, ProjectState state) {
        this.tasks = tasks;
        this.state = state;
    }

    /** Shows an opened project; its changes are stored from now on. */
    public void show(OpenProject project) {
        generation++;
        pendingCalibration = null;
        ProjectWriter w = new ProjectWriter(project, tasks.executor(Tasks.Lane.WRITER),
                problem -> tasks.later(() -> {
                    state.saveProblem(problem);
                    showSaved();
                }));
        writer = w;
        WorkspaceState first = project.workspace().state().summarised();
        toRefine = null;
        refinedFor = null;
        state.publish(first, null, null);
        tasks.run(Tasks.Lane.WORKSPACE, "Show project", job -> {
            open = new Open(project.workspace(), new History(project.workspace()), w);
            return null;
        }, v -> refineLater(first));
        state.saveProblem(null);
        showSaved();
    }

    /**
     * Stops showing the open project and closes it once what is pending is stored; another can
     * then open it. The future completes (on any thread) when it is closed.
     */
    public CompletableFuture<Void> close() {
        generation++;
        pendingCalibration = null;
        toRefine = null;
        ProjectWriter w = writer;
        writer = null;
        state.publish(null, null, null);
        if (w == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        // not through the JavaFX thread: the window may wait for this while it closes
        tasks.executor(Tasks.Lane.WORKSPACE).execute(() -> {
            open = null;
            w.close().whenComplete((ok, e) -> closed.complete(null));
        });
        return closed;
    }

    /** Tells the window whether every change is stored (JavaFX thread). */
    private void showSaved() {
        state.saved(writer == null || writer.allStored());
    }

    /** The open project's writer's project, for work that needs its files (imports), or null. */
    public OpenProject project() {
        return writer == null ? null : writer.project();
    }

    /**
     * Applies an edit through the undo history. The future completes on the JavaFX thread once
     * the new state is shown; it fails with {@link IllegalArgumentException} (saying why) when the
     * workspace refuses the edit, which then changes nothing.
     */
    public CompletableFuture<Void> edit(History.Edit edit) {
        return edit(edit, false);
    }

    /**
     * As {@link #edit(History.Edit)}; with {@code keepSelection} the map's selection stays (an
     * image of it labelled by key), otherwise the edit uses it up and it is cleared.
     */
    public CompletableFuture<Void> edit(History.Edit edit, boolean keepSelection) {
        return change(edit.description(), o -> {
            o.history().apply(edit);
            return edit.description();
        }, !keepSelection);
    }

    public CompletableFuture<Void> undo() {
        return change("Undo", o -> {
            if (!o.history().canUndo()) {
                return null;
            }
            String what = o.history().nextUndo().description();
            o.history().undo();
            return "Undo " + what;
        }, false);
    }

    public CompletableFuture<Void> redo() {
        return change("Redo", o -> {
            if (!o.history().canRedo()) {
                return null;
            }
            String what = o.history().nextRedo().description();
            o.history().redo();
            return "Redo " + what;
        }, false);
    }

    /**
     * Embedded images of an import join the workspace (the batches of one {@code job} are one step
     * to undo); the selection stays.
     */
    public CompletableFuture<Void> imported(Object job, List<ImportPlan.Item> items, List<byte[]> sha256, FloatMatrix rows) {
        History.Edit edit = History.importBatch(job, items, sha256, rows);
        return change(edit.description(), o -> {
            o.history().apply(edit);
            return o.history().nextUndo().description();
        }, false);
    }

    /**
     * Completes (on the JavaFX thread) once every change asked for so far has been applied and its
     * state shown.
     */
    public CompletableFuture<Void> settled() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.run(Tasks.Lane.WORKSPACE, "Settle", job -> null, v -> done.complete(null));
        return done;
    }

    /**
     * New calibration settings. {@code continuing}: the same gesture as the change before (a
     * slider still being dragged), so that both are one step to undo.
     */
    public void calibrate(TeenCalibration calibration, boolean enabled, boolean continuing) {
        // what waits keeps the gesture of its first value: a new gesture is never merged into the last one
        boolean cont = pendingCalibration != null ? pendingCalibration.continuing() : continuing;
        pendingCalibration = new Calibrating(calibration, enabled, cont);
        if (!calibrating) {
            nextCalibration();
        }
    }

    /** Whether a calibration change is waiting or being applied (a slider should not follow the state meanwhile). */
    public boolean calibrating() {
        return calibrating || pendingCalibration != null;
    }

    private void nextCalibration() {
        Calibrating c = pendingCalibration;
        pendingCalibration = null;
        if (c == null) {
            return;
        }
        calibrating = true;
        History.Edit edit = History.calibrate(c.calibration(), c.enabled(), c.continuing());
        change("Calibration", o -> {
            o.history().apply(edit);
            return o.history().nextUndo().description();
        }, false).whenComplete((v, e) -> {
            calibrating = false;
            nextCalibration();
        });
    }

    /** Refines {@code s} in the background when its head asks for it (JavaFX thread). */
    private void refineLater(WorkspaceState s) {
        if (!s.refining() || refinementOf(s).equals(refinedFor)) {
            toRefine = null;
            return;
        }
        toRefine = s;
        if (!refining) {
            nextRefinement();
        }
    }

    /** What a refinement of {@code s} is made for: its head and its predictions' revision. */
    private static String refinementOf(WorkspaceState s) {
        return s.head() + "@" + s.predictionsRevision();
    }

    private void nextRefinement() {
        WorkspaceState s = toRefine;
        toRefine = null;
        if (s == null) {
            return;
        }
        refining = true;
        refinedFor = refinementOf(s);
        int gen = generation;
        tasks.start(tasks.job(Tasks.Lane.HEAD, Messages.get("task.refine", s.head()), job -> PrototypeRefinement.of(s, s.head()))
                .onDone(r -> {
                    if (gen == generation && toRefine == null) {
                        change("Refine", o -> {
                            o.workspace().applyRefinement(r.head(), r.revision(), r.prototypes());
                            return null;
                        }, false);
                    }
                }).onFailure(e -> state.notices().problem(Messages.get("refine.failed", s.head()), List.of(String.valueOf(e))))
                .andFinally(() -> {
                    refining = false;
                    nextRefinement();
                }), true);
    }

    private interface Change {
        /** Changes the workspace; returns what to log (null: nothing changed). */
        String apply(Open open);
    }

    private CompletableFuture<Void> change(String title, Change change, boolean clearsSelection) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int gen = generation;
        if (writer == null) {
            done.cancel(false);
            return done;
        }
        tasks.start(tasks.job(Tasks.Lane.WORKSPACE, title, job -> {
            Open o = open;
            if (o == null) {
                // the project closed before this change came to be made
                return null;
            }
            String logged = change.apply(o);
            WorkspaceState s = o.workspace().state().summarised();
            if (logged != null) {
                o.writer().changed(s, logged);
            }
            History h = o.history();
            return new Changed(s, h.canUndo() ? h.nextUndo().description() : null, h.canRedo() ? h.nextRedo().description() : null);
        }).onDone(c -> {
            if (c == null || gen != generation) {
                done.cancel(false);
                return;
            }
            state.publish(c.state(), c.undo(), c.redo());
            showSaved();
            refineLater(c.state());
            if (clearsSelection) {
                state.selection().set(new int[0]);
            }
            done.complete(null);
        }).onFailure(e -> {
            if (e instanceof IllegalArgumentException) {
                // refused: the caller says why
                done.completeExceptionally(e);
            } else if (e instanceof IndexOutOfBoundsException) {
                done.completeExceptionally(new IllegalArgumentException(Messages.get("edit.stale"), e));
            } else {
                state.notices().problem(Messages.get("edit.failed", title), List.of(String.valueOf(e)));
                done.completeExceptionally(e);
            }
        }).onCancel(() -> done.cancel(false)), false);
        assert Platform.isFxApplicationThread();
        return done;
    }
}
