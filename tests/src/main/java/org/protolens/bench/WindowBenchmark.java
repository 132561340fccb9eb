package org.protolens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.NotificationPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYDotRenderer;
import org.jfree.data.xy.DefaultXYDataset;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.ui.ProtoLensApp;
import org.protolens.ui.map.MapView;
import org.protolens.ui.shell.MainWindow;

/**
 * The window with 100,000 images of 512 dimensions and 100 classes (60 base, 40 novel with 5
 * shots each), as a person drives it: frame times while panning and zooming the map, the time to
 * find the point under the cursor, and the alpha slider: frame times while it is dragged (a new
 * value every frame), and for single steps the time from the change to the frame that shows it
 * and the JavaFX thread's CPU time spent on it, with the analysis tabs hidden and with the
 * Novel -> base tab shown. Side by side, the same panning drawn by
 * JFreeChart (XYPlot with its fastest renderer, XYDotRenderer). Run with
 * -Djavafx.animation.fullspeed=true so that frames are not capped at 60 per second: a frame's
 * time is then the time between two pulses. Prints medians and 90th percentiles.
 *
 * <p>Usage: WindowBenchmark WORK_DIR [FRAMES] [IMAGES] [DIMENSIONS] (default 100,000 of 512)
 */
public final class WindowBenchmark {
    private static final int N = 100_000;
    private static final int D = 512;
    private static final int BASE = 60;
    private static final int NOVEL = 40;
    private static final int WARM = 10;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : N;
        int d = args.length > 3 ? Integer.parseInt(args[3]) : D;
        Path project = work.resolve(n == N && d == D ? "window-100k" : "window-" + n + "x" + d);
        if (!Files.exists(project.resolve("project.json"))) {
            makeProject(project, n, d);
        }
        Thread ui = new Thread(() -> ProtoLensApp.launchApp(new String[] {project.toString()}), "app");
        ui.setDaemon(true);
        long t0 = System.nanoTime();
        ui.start();
        Scene scene = awaitWindow();
        MainWindow window = windowOf(scene);
        awaitDrawn(window);
        System.out.printf("project of %,d images opened and drawn in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        awaitIdle(window);
        System.out.println("prism pipeline: " + pipeline());
        MapView map = window.map();
        Slider alpha = (Slider) scene.lookup("#alpha");

        double[] pan = frames(frames, f -> map.panBy(f % 2 == 0 ? 3 : -3, 1));
        double[] zoom = frames(frames, f -> map.zoomAt(f % 2 == 0 ? 1.05 : 1 / 1.05, 400, 300));
        double[] hit = new double[frames];
        double[] redraw = new double[frames];
        onFx(() -> {
            for (int f = 0; f < frames; f++) {
                long a = System.nanoTime();
                map.pointAt(100 + f * 5, 100 + f * 3);
                hit[f] = (System.nanoTime() - a) / 1e6;
                a = System.nanoTime();
                map.redraw();
                redraw[f] = (System.nanoTime() - a) / 1e6;
            }
        });
        // the slider dragged: a new value every frame, as the mouse moves it
        double[] drag = frames(frames, f -> alpha.setValue(f % 2 == 0 ? 0.3 + 0.001 * f : 0.7 - 0.001 * f));
        awaitIdle(window);
        double[][] steps = steps(window, alpha, frames);
        double[] repredict = repredictAlone(project, frames);
        // the same steps with the Novel -> base tab shown: its chart follows every step
        onFx(() -> ((TabPane) scene.lookup("#analysis")).getTabs().setAll(HIDDEN_TABS));
        awaitIdle(window);
        double[][] withChart = steps(window, alpha, frames);
        double[] chart = jfreeChartPan(scene, map, frames);

        System.out.println();
        System.out.printf("%,d images of %d dimensions, %d classes (%d novel), window %.0f x %.0f, map %.0f x %.0f%n", n, d,
                BASE + NOVEL, NOVEL,
                scene.getWidth(), scene.getHeight(), map.getWidth(), map.getHeight());
        System.out.println("| measure | median ms | p90 ms |");
        System.out.println("| --- | --- | --- |");
        row("map: frame while panning (JavaFX Canvas)", pan);
        row("map: frame while zooming (JavaFX Canvas)", zoom);
        row("JFreeChart XYPlot + XYDotRenderer: frame while panning", chart);
        row("point under the cursor (hover, click)", hit);
        row("map redraw alone (JavaFX thread)", redraw);
        row("alpha: re-prediction alone (off the JavaFX thread)", repredict);
        row("alpha slider dragged: frame time", drag);
        row("alpha step: JavaFX thread CPU time", steps[1]);
        row("alpha step: from the change to its state reaching the JavaFX thread", steps[2]);
        row("alpha step: from the change to the frame that shows it", steps[0]);
        row("alpha step, Novel -> base tab shown: JavaFX thread CPU time", withChart[1]);
        row("alpha step, Novel -> base tab shown: change to frame", withChart[0]);
        System.out.printf("ratio JFreeChart / Canvas frame while panning: %.2f%n", median(chart) / median(pan));
        Platform.exit();
        System.exit(0);
    }

    private static void row(String what, double[] ms) {
        System.out.printf("| %s | %.1f | %.1f |%n", what, median(ms), percentile(ms, 0.9));
    }

    static double median(double[] v) {
        return percentile(v, 0.5);
    }

    static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(p * (s.length - 1)))];
    }

    /**
     * Single alpha steps, each once the window is idle: [0] the time from the change to the first
     * frame after the state with the new alpha was shown, [1] the JavaFX thread's CPU time from
     * the change to that frame, [2] the time from the change to the state reaching the JavaFX thread.
     */
    private static double[][] steps(MainWindow window, Slider alpha, int count) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] fx = new long[1];
        onFx(() -> fx[0] = Thread.currentThread().threadId());
        double[] latency = new double[count];
        double[] cpu = new double[count];
        double[] arrived = new double[count];
        for (int s = -WARM; s < count; s++) {
            double value = s % 2 == 0 ? 0.35 + 0.002 * (s + WARM) : 0.65 - 0.002 * (s + WARM);
            CountDownLatch done = new CountDownLatch(1);
            long[] start = new long[2];
            int at = s;
            Platform.runLater(() -> {
                start[0] = System.nanoTime();
                start[1] = threads.getThreadCpuTime(fx[0]);
                window.project().workspace().addListener(new ChangeListener<WorkspaceState>() {
                    @Override
                    public void changed(ObservableValue<? extends WorkspaceState> o, WorkspaceState was, WorkspaceState st) {
                        if (st != null && Math.abs(st.calibration().alpha() - value) < 1e-12) {
                            o.removeListener(this);
                            if (at >= 0) {
                                arrived[at] = (System.nanoTime() - start[0]) / 1e6;
                            }
                        }
                    }
                });
                alpha.setValue(value);
                new AnimationTimer() {
                    boolean shown;

                    @Override
                    public void handle(long now) {
                        var st = window.project().workspace().get();
                        if (shown) {
                            stop();
                            if (at >= 0) {
                                latency[at] = (System.nanoTime() - start[0]) / 1e6;
                                cpu[at] = (threads.getThreadCpuTime(fx[0]) - start[1]) / 1e6;
                            }
                            done.countDown();
                        } else if (st != null && Math.abs(st.calibration().alpha() - value) < 1e-12) {
                            // the state is shown; the next pulse draws what it scheduled
                            shown = true;
                        }
                    }
                }.start();
            });
            if (!done.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("alpha step " + s + " was never shown");
            }
            awaitIdle(window);
        }
        return new double[][] {latency, cpu, arrived};
    }

    /** The re-prediction of an alpha change alone, on a workspace of the same project opened here. */
    private static double[] repredictAlone(Path project, int count) throws Exception {
        Workspace w = Workspace.open(project);
        double[] out = new double[count];
        for (int f = -WARM; f < count; f++) {
            long a = System.nanoTime();
            w.setCalibration(new TeenCalibration(f % 2 == 0 ? 0.3 : 0.7, w.calibration().tau()));
            w.state();
            if (f >= 0) {
                out[f] = (System.nanoTime() - a) / 1e6;
            }
        }
        return out;
    }

    /** Calls {@code step} with 0, 1, ... (the first {@link #WARM} not measured); returns the times between pulses. */
    private static double[] frames(int count, IntConsumer step) throws InterruptedException {
        int warm = WARM;
        double[] out = new double[count];
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> new AnimationTimer() {
            int f = -warm;
            long last;

            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                if (f > -warm && f <= count && f > 0) {
                    out[f - 1] = (t - last) / 1e6;
                }
                if (f == count) {
                    stop();
                    done.countDown();
                    return;
                }
                last = t;
                step.accept(f + warm);
                f++;
            }
        }.start());
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("frames did not finish");
        }
        return out;
    }

    private static void onFx(Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            r.run();
            done.countDown();
        });
        done.await();
    }

    /** Until the map shows the project's state with its dots (not waiting for other background work, such as the device probe). */
    private static void awaitDrawn(MainWindow window) throws InterruptedException {
        for (boolean[] drawn = {false}; !drawn[0]; ) {
            Thread.sleep(20);
            onFx(() -> drawn[0] = window.project().workspace().get() != null
                    && window.map().viewModel().placedFor() == window.project().workspace().get() && window.map().dotsShown());
        }
    }

    private static void awaitIdle(MainWindow window) throws InterruptedException {
        for (int quiet = 0; quiet < 3; ) {
            Thread.sleep(20);
            boolean[] idle = new boolean[1];
            onFx(() -> idle[0] = window.tasks().idle());
            quiet = idle[0] ? quiet + 1 : 0;
        }
    }

    /** The same points in JFreeChart's fastest XY renderer, in the map's place, panned the same way. */
    private static double[] jfreeChartPan(Scene scene, MapView map, int frames) throws InterruptedException {
        var series = new DefaultXYDataset();
        float[] xy = map.viewModel().xy();
        double[][] data = new double[2][xy.length / 2];
        for (int i = 0; i < data[0].length; i++) {
            data[0][i] = xy[2 * i];
            data[1][i] = xy[2 * i + 1];
        }
        series.addSeries("images", data);
        var renderer = new XYDotRenderer();
        renderer.setDotWidth(4);
        renderer.setDotHeight(4);
        var plot = new XYPlot(series, new NumberAxis(),
                new NumberAxis(), renderer);
        var chart = new JFreeChart(plot);
        chart.removeLegend();
        var viewer = new ChartViewer(chart);
        onFx(() -> ((NotificationPane) scene.lookup("#problems")).setContent(viewer));
        return frames(frames, f -> {
            var axis = plot.getDomainAxis();
            double shift = (f % 2 == 0 ? 0.01 : -0.01) * axis.getRange().getLength();
            axis.setRange(axis.getLowerBound() + shift, axis.getUpperBound() + shift);
        });
    }

    private static MainWindow windowOf(Scene scene) throws InterruptedException {
        MainWindow[] found = new MainWindow[1];
        onFx(() -> {
            for (Window w : Window.getWindows()) {
                if (w instanceof Stage s && s.getScene() == scene && s.getUserData() instanceof MainWindow m) {
                    found[0] = m;
                }
            }
        });
        if (found[0] == null) {
            throw new IllegalStateException("no ProtoLens window");
        }
        return found[0];
    }

    /** the analysis tabs, taken out of the window until they are measured */
    private static final List<Tab> HIDDEN_TABS = new ArrayList<>();

    private static Scene awaitWindow() throws InterruptedException {
        for (int tries = 0; tries < 3000; tries++) {
            Thread.sleep(100);
            Scene[] found = new Scene[1];
            if (Window.getWindows().isEmpty()) {
                // JavaFX may not have started yet
                continue;
            }
            onFx(() -> {
                for (Window w : Window.getWindows()) {
                    // the analysis tabs hidden from the start: the measures are the map's, the classes' and the inspector's
                    if (w instanceof Stage s && s.getScene() != null && s.getScene().lookup("#analysis") instanceof TabPane tabs
                            && HIDDEN_TABS.isEmpty()) {
                        HIDDEN_TABS.addAll(tabs.getTabs());
                        tabs.getTabs().clear();
                    }
                    if (w instanceof Stage s && s.getScene() != null && s.getScene().lookup("#status") instanceof Label l
                            && l.getText().contains(" images")) {
                        found[0] = s.getScene();
                    }
                }
            });
            if (found[0] != null) {
                return found[0];
            }
        }
        throw new IllegalStateException("the window did not open the project");
    }

    private static String pipeline() {
        try {
            Object p = Class.forName("com.sun.prism.GraphicsPipeline").getMethod("getPipeline").invoke(null);
            return p == null ? "none" : p.getClass().getName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "unknown (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** The synthetic project: 100 clustered classes, {@code n} images in {@code d} dimensions. */
    static void makeProject(Path dir, int n, int d) throws Exception {
        SyntheticProject.write(dir, n, d, BASE, NOVEL, 11);
    }
}
