package org.protolens.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Measures how long the JavaFX thread goes without taking new work: every few milliseconds it
 * posts a marker and times how late the marker runs. Keeps the longest stall and, for every stall
 * over a threshold, what the JavaFX thread was doing then (its top frames).
 */
public final class FxStallWatchdog implements AutoCloseable {
    private static final long PERIOD_NANOS = 5_000_000;

    /** One stall: how long, and the JavaFX thread's top frames while it lasted. */
    public record Stall(double millis, String where) {
    }

    private final long thresholdNanos;
    private final Thread thread;
    private final AtomicLong longest = new AtomicLong();
    private final List<Stall> stalls = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Thread fxThread;

    /** Starts watching; the JavaFX toolkit must be running. */
    public FxStallWatchdog(double thresholdMillis) {
        this.thresholdNanos = (long) (thresholdMillis * 1e6);
        thread = Thread.ofPlatform().daemon().name("fx-stall-watchdog").start(this::watch);
    }

    private void watch() {
        while (running) {
            long posted = System.nanoTime();
            AtomicLong ran = new AtomicLong();
            Platform.runLater(() -> {
                fxThread = Thread.currentThread();
                ran.set(System.nanoTime());
            });
            String where = null;
            while (running && ran.get() == 0) {
                long waited = System.nanoTime() - posted;
                if (where == null && waited > thresholdNanos && fxThread != null) {
                    where = topFrames(fxThread.getStackTrace());
                }
                sleep(1);
            }
            if (ran.get() == 0) {
                return;
            }
            long stall = ran.get() - posted;
            longest.accumulateAndGet(stall, Math::max);
            if (stall > thresholdNanos) {
                synchronized (stalls) {
                    stalls.add(new Stall(stall / 1e6, where == null ? "(not caught)" : where));
                }
            }
            sleep(Math.max(1, (PERIOD_NANOS - (System.nanoTime() - posted)) / 1_000_000));
        }
    }

    /** The stack's top three frames, then its first three frames of ProtoLens's own code (or three more). */
    private static String topFrames(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        int own = 0;
        for (int i = 0; i < stack.length && own < 3; i++) {
            StackTraceElement e = stack[i];
            boolean ours = e.getClassName().startsWith("org.protolens");
            if (i < 3 || ours) {
                frames.add(e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName());
            }
            own += ours ? 1 : 0;
        }
        for (int i = 3; own == 0 && i < Math.min(stack.length, 8); i++) {
            frames.add(stack[i].getClassName().substring(stack[i].getClassName().lastIndexOf('.') + 1) + "." + stack[i].getMethodName());
        }
        return String.join(" < ", frames);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Forgets what was measured so far (for instance the window's construction in a cold JVM). */
    public void reset() {
        longest.set(0);
        synchronized (stalls) {
            stalls.clear();
        }
    }

    /** The longest time, in milliseconds, that a marker waited for the JavaFX thread so far. */
    public double longestMillis() {
        return longest.get() / 1e6;
    }

    /** The stalls over the threshold so far, in the order they happened. */
    public List<Stall> stalls() {
        synchronized (stalls) {
            return List.copyOf(stalls);
        }
    }

    /** "longest 12.3 ms; 0 over 100 ms" and the worst stalls with where they were. */
    public String report() {
        List<Stall> s = stalls();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "longest %.1f ms; %d over %.0f ms", longestMillis(), s.size(),
                thresholdNanos / 1e6));
        s.stream().sorted((x, y) -> Double.compare(y.millis(), x.millis())).limit(5)
                .forEach(x -> b.append(String.format(Locale.ROOT, "%n  %.1f ms in %s", x.millis(), x.where())));
        return b.toString();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
