package org.protolens.ui.common;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Numbers a view shows, computed in the background from its latest input: while one computation
 * runs, further requests wait, and only the latest of them is computed next. Results are applied
 * on the JavaFX thread, and only when no newer input is waiting.
 *
 * @param <I> what the numbers are computed from (an immutable state)
 * @param <R> the numbers
 */
public final class Recompute<I, R> {
    private final Tasks tasks;
    private final Tasks.Lane lane;
    private final String title;
    private final Function<I, R> compute;
    private final Consumer<R> apply;
    private boolean running;
    private boolean waiting;
    private I next;

    public Recompute(Tasks tasks, String title, Function<I, R> compute, Consumer<R> apply) {
        this(tasks, Tasks.Lane.VIEWS, title, compute, apply);
    }

    /** As {@link #Recompute(Tasks, String, Function, Consumer)}, computed on {@code lane}. */
    public Recompute(Tasks tasks, Tasks.Lane lane, String title, Function<I, R> compute, Consumer<R> apply) {
        this.tasks = tasks;
        this.lane = lane;
        this.title = title;
        this.compute = compute;
        this.apply = apply;
    }

    /** Computes from {@code input} soon (the JavaFX thread). */
    public void request(I input) {
        next = input;
        waiting = true;
        if (!running) {
            startNext();
        }
    }

    private void startNext() {
        I input = next;
        next = null;
        waiting = false;
        running = true;
        tasks.start(tasks.job(lane, title, job -> compute.apply(input))
                .onDone(r -> {
                    if (!waiting) {
                        apply.accept(r);
                    }
                })
                .andFinally(() -> {
                    running = false;
                    if (waiting) {
                        startNext();
                    }
                }), false);
    }
}
