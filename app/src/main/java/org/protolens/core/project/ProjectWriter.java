package org.protolens.core.project;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Stores an open project's changes in its catalog as they are made, off the thread that makes
 * them: of quick changes (a dragged slider, the batches of an import) only the latest state is
 * written, with every edit that led to it logged. A change of the calibration alone stores the
 * settings and the log lines only (a slider step in a project of a million images writes a few
 * rows, not a million); any other stores the labelling, in one transaction.
 *
 * <p>Writes run in order on the executor it is given (one at a time); a write that fails is
 * reported to {@code problems} with the reason, and the next change tries again.
 */
public final class ProjectWriter {
    private final OpenProject project;
    private final Executor executor;
    private final Consumer<String> problems;
    private final AtomicReference<WorkspaceState> pending = new AtomicReference<>();
    private final ConcurrentLinkedQueue<String> edits = new ConcurrentLinkedQueue<>();
    /** the labelling last stored (the executor's thread only); -1: unknown, so the first write stores it */
    private long storedLabelling = -1;
    private volatile boolean closed;
    /** changes handed in, and of them those stored (both guarded by this) */
    private long requested;
    private long written;

    /**
     * @param executor runs the writes one after another (a single background thread)
     * @param problems told "Not saved: reason" when a write fails, and null after each that succeeds
     */
    public ProjectWriter(OpenProject project, Executor executor, Consumer<String> problems) {
        this.project = project;
        this.executor = executor;
        this.problems = problems;
        this.storedLabelling = project.workspace().state().labellingRevision();
    }

    public OpenProject project() {
        return project;
    }

    /**
     * The workspace changed to {@code state} by {@code edit} (null: logged with the next one, or
     * not at all): it is stored soon.
     */
    public void changed(WorkspaceState state, String edit) {
        if (closed) {
            throw new IllegalStateException("the project " + project.workspace().dir() + " is closed");
        }
        boolean first;
        synchronized (this) {
            requested++;
            if (edit != null) {
                edits.add(edit);
            }
            first = pending.getAndSet(state) == null;
        }
        if (first) {
            executor.execute(this::writePending);
        }
    }

    /** Whether every change handed in so far is stored. */
    public synchronized boolean allStored() {
        return written >= requested;
    }

    private void writePending() {
        WorkspaceState s;
        long upTo;
        synchronized (this) {
            s = pending.getAndSet(null);
            upTo = requested;
        }
        if (s == null) {
            return;
        }
        List<String> log = new ArrayList<>();
        for (String e; (e = edits.poll()) != null; ) {
            log.add(e);
        }
        try {
            if (s.labellingRevision() == storedLabelling) {
                // the calibration alone changed: the images and classes stored last are still these
                project.saveSettings(s.calibration().alpha(), s.calibration().tau(), s.calibrationEnabled(), s.head(), log);
            } else {
                project.save(s.catalogSnapshot(null), log);
                storedLabelling = s.labellingRevision();
            }
            synchronized (this) {
                written = Math.max(written, upTo);
            }
            project.backupIfDue();
            problems.accept(null);
        } catch (IOException | RuntimeException e) {
            // the edits are logged with the next write that succeeds
            edits.addAll(log);
            problems.accept("Not saved: " + e.getMessage());
        }
    }

    /**
     * Stores what is pending and closes the project (its catalog and cache), on the executor;
     * later changes are refused. The future completes when the project is closed.
     */
    public CompletableFuture<Void> close() {
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                writePending();
                project.close();
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                try {
                    project.close();
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                problems.accept("Not saved: " + e.getMessage());
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
