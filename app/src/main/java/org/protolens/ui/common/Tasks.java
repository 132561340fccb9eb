package org.protolens.ui.common;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * The one runner of background work in the window. Work runs on a lane, one job after another
 * per lane, off the JavaFX thread; its result, failure or cancellation is handed back on the
 * JavaFX thread. Jobs a person waits for (imports, maps, exports, copies) are listed in
 * {@link #shown()} with their progress and a cancel button; quick internal ones (a re-prediction,
 * a chart's numbers) are not.
 */
public final class Tasks {
    /** Where a job runs: jobs of one lane run one at a time, in order. */
    public enum Lane {
        /** every change to the open workspace, and nothing else: the workspace has one owner */
        WORKSPACE,
        /** storing the open project's changes */
        WRITER,
        /** embedding imported images (the project's backbone) */
        IMPORT,
        /** computing maps */
        LAYOUT,
        /** the numbers behind views: charts, suggestions, rows, nearest images, map positions */
        VIEWS,
        /** the map's dots, drawn into a pixel buffer */
        MAP,
        /** refining the new classes' prototypes with a transductive head */
        HEAD,
        /** opening, copying and exporting projects and files */
        FILES
    }

    /** A job's work; it reports progress and asks whether it was cancelled through {@code job}. */
    public interface Work<T> {
        T call(Progress job) throws Exception;
    }

    /** What a job's work may tell its job, from its own thread. */
    public interface Progress {
        /** Says how far the job is; negative {@code total}: unknown. */
        void progress(long done, long total);

        /** What the job is doing now, for the task list and status lines. */
        void say(String message);

        boolean isCancelled();

        /** Throws {@link CancellationException} when the job was cancelled. */
        void checkCancelled();
    }

    /** A job: a JavaFX task (so that the task list shows it) whose handlers run on the JavaFX thread. */
    public static final class Job<T> extends Task<T> implements Progress {
        private final Work<T> work;
        private Lane lane;
        private Consumer<T> onDone = v -> { };
        private Consumer<Throwable> onFailure;
        private Runnable onCancel = () -> { };
        private Runnable last = () -> { };

        Job(String title, Work<T> work) {
            this.work = work;
            updateTitle(title);
        }

        @Override
        protected T call() throws Exception {
            return work.call(this);
        }

        @Override
        public void progress(long done, long total) {
            if (total <= 0) {
                updateProgress(-1, 1);
            } else {
                updateProgress(done, total);
            }
        }

        @Override
        public void say(String message) {
            updateMessage(message);
        }

        @Override
        public void checkCancelled() {
            if (isCancelled()) {
                throw new CancellationException(getTitle() + " cancelled");
            }
        }

        public Job<T> onDone(Consumer<T> handler) {
            onDone = handler;
            return this;
        }

        /** What happens when the job throws (the JavaFX thread); without one, a failure is reported by the default handler. */
        public Job<T> onFailure(Consumer<Throwable> handler) {
            onFailure = handler;
            return this;
        }

        public Job<T> onCancel(Runnable handler) {
            onCancel = handler;
            return this;
        }

        /** Runs after any of the others (the JavaFX thread). */
        public Job<T> andFinally(Runnable handler) {
            last = handler;
            return this;
        }
    }

    private final Map<Lane, ExecutorService> lanes = new EnumMap<>(Lane.class);
    private final ObservableList<Task<?>> shown = FXCollections.observableArrayList();
    /** jobs submitted whose handlers have not run yet (any thread may ask) */
    private final AtomicInteger inFlight = new AtomicInteger();
    private Consumer<Throwable> defaultFailure = e -> { };

    public Tasks() {
        for (Lane lane : Lane.values()) {
            String name = "protolens-" + lane.name().toLowerCase(Locale.ROOT);
            lanes.put(lane, Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name).factory()));
        }
    }

    /** What happens to a failure that a job does not handle itself (the window shows it). */
    public void setDefaultFailure(Consumer<Throwable> handler) {
        defaultFailure = handler;
    }

    /**
     * Makes a job on {@code lane}; it starts with {@link #start}, once its handlers are set.
     *
     * @param title what the task list calls it
     */
    public <T> Job<T> job(Lane lane, String title, Work<T> work) {
        Job<T> job = new Job<>(title, work);
        job.setOnSucceeded(e -> finish(job, () -> job.onDone.accept(job.getValue())));
        job.setOnFailed(e -> finish(job, () -> (job.onFailure != null ? job.onFailure : defaultFailure).accept(job.getException())));
        job.setOnCancelled(e -> finish(job, job.onCancel));
        job.lane = lane;
        return job;
    }

    /** Starts a job (on the JavaFX thread); {@code listed}: shown in the task list while it runs. */
    public <T> Job<T> start(Job<T> job, boolean listed) {
        inFlight.incrementAndGet();
        try {
            lanes.get(job.lane).execute(job);
        } catch (RejectedExecutionException e) {
            // the window is closing: the job does not run
            inFlight.decrementAndGet();
            return job;
        }
        if (listed) {
            shown.add(job);
        }
        return job;
    }

    /** Makes and starts an unlisted job. */
    public <T> Job<T> run(Lane lane, String title, Work<T> work, Consumer<T> onDone) {
        return start(job(lane, title, work).onDone(onDone), false);
    }

    private void finish(Job<?> job, Runnable handler) {
        shown.remove(job);
        try {
            handler.run();
        } finally {
            try {
                job.last.run();
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** The running jobs a person waits for, for the task list (the JavaFX thread). */
    public ObservableList<Task<?>> shown() {
        return shown;
    }

    /** A lane as a plain executor, for core code that schedules its own work (it gets no handlers). */
    public Executor executor(Lane lane) {
        ExecutorService e = lanes.get(lane);
        return r -> {
            inFlight.incrementAndGet();
            e.execute(() -> {
                try {
                    r.run();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        };
    }

    /** Runs {@code r} on the JavaFX thread, counted as work in flight until it has run. */
    public void later(Runnable r) {
        inFlight.incrementAndGet();
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    /** Whether no job is queued, running or waiting for its handlers: what a window test waits for. */
    public boolean idle() {
        return inFlight.get() == 0;
    }

    /**
     * Stops taking jobs, cancels the listed ones, and waits up to {@code seconds} for each lane to
     * finish what it runs (the project writer last, so that pending changes are stored).
     */
    public void shutdown(long seconds) {
        shown.forEach(Task::cancel);
        for (Lane lane : Lane.values()) {
            lanes.get(lane).shutdown();
        }
        for (Lane lane : Lane.values()) {
            try {
                lanes.get(lane).awaitTermination(seconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
