package org.protolens.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.project.ProjectManifest;
import org.protolens.ui.ProtoLensApp;
import org.protolens.ui.map.MapView;

/**
 * The window with 100,000 images of 512 dimensions and 100 classes (60 base, 40 novel with 5
 * shots each), as a person drives it: frame times while panning and zooming the map, the time to
 * find the point under the cursor, the time from moving the alpha slider to the next drawn frame
 * (re-prediction, class panel, map colours); and, side by side, the same panning drawn by
 * JFreeChart (XYPlot with its fastest renderer, XYDotRenderer). Run with
 * -Djavafx.animation.fullspeed=true so that frames are not capped at 60 per second: a frame's
 * time is then the time between two pulses. Prints medians of every measure.
 *
 * <p>Usage: WindowBenchmark WORK_DIR [FRAMES]
 */
public final class WindowBenchmark {
    private static final int N = 100_000;
    private static final int D = 512;
    private static final int BASE = 60;
    private static final int NOVEL = 40;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        Path project = work.resolve("window-100k");
        if (!Files.exists(project.resolve("project.json"))) {
            makeProject(project);
        }
        Thread ui = new Thread(() -> ProtoLensApp.launchApp(new String[] {project.toString()}), "app");
        ui.setDaemon(true);
        long t0 = System.nanoTime();
        ui.start();
        Scene scene = awaitWindow();
        System.out.printf("project of %,d images opened and drawn in %.1f s%n", N, (System.nanoTime() - t0) / 1e9);
        System.out.println("prism pipeline: " + pipeline());
        MapView map = (MapView) scene.lookup("#map");
        javafx.scene.control.Slider alpha = (javafx.scene.control.Slider) scene.lookup("#alpha");

        double[] pan = frames(frames, f -> map.panBy(f % 2 == 0 ? 3 : -3, 1));
        double[] zoom = frames(frames, f -> map.zoomAt(f % 2 == 0 ? 1.05 : 1 / 1.05, 400, 300));
        double[] hit = new double[frames];
        onFx(() -> {
            for (int f = 0; f < frames; f++) {
                long a = System.nanoTime();
                map.pointAt(100 + f * 5, 100 + f * 3);
                hit[f] = (System.nanoTime() - a) / 1e6;
            }
        });
        double[] setAll = new double[frames + WARM];
        double[] slider = frames(frames, f -> {
            long a = System.nanoTime();
            alpha.setValue(f % 2 == 0 ? 0.3 + 0.001 * f : 0.7 - 0.001 * f);
            setAll[f] = (System.nanoTime() - a) / 1e6;
        });
        double[] set = Arrays.copyOfRange(setAll, WARM, setAll.length);
        double[] redraw = new double[frames];
        double[] repredict = new double[frames];
        double[] stats = new double[frames];
        onFx(() -> {
            var w = workspaceOf(scene);
            for (int f = 0; f < frames; f++) {
                long a = System.nanoTime();
                map.redraw();
                redraw[f] = (System.nanoTime() - a) / 1e6;
                a = System.nanoTime();
                w.setCalibration(new org.protolens.core.proto.TeenCalibration(f % 2 == 0 ? 0.3 : 0.7, w.calibration().tau()));
                repredict[f] = (System.nanoTime() - a) / 1e6;
                a = System.nanoTime();
                w.classStats();
                w.accuracy();
                w.novelToBase();
                stats[f] = (System.nanoTime() - a) / 1e6;
            }
        });
        double[] chart = jfreeChartPan(scene, map, frames);

        System.out.println();
        System.out.printf("%,d images, %d classes (%d novel), window %.0f x %.0f, map %.0f x %.0f%n", N, BASE + NOVEL, NOVEL,
                scene.getWidth(), scene.getHeight(), map.getWidth(), map.getHeight());
        System.out.println("| measure | median ms | p90 ms |");
        System.out.println("| --- | --- | --- |");
        row("map: frame while panning (JavaFX Canvas)", pan);
        row("map: frame while zooming (JavaFX Canvas)", zoom);
        row("JFreeChart XYPlot + XYDotRenderer: frame while panning", chart);
        row("point under the cursor (hover, click)", hit);
        row("map redraw alone (JavaFX thread)", redraw);
        row("alpha: re-prediction alone", repredict);
        row("alpha: class statistics, accuracy, novel->base", stats);
        row("alpha slider: re-predict, classes, map (JavaFX thread)", set);
        row("alpha slider: change to next frame drawn", slider);
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

    private static final int WARM = 10;

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

    /** The same points in JFreeChart's fastest XY renderer, in the map's place, panned the same way. */
    private static double[] jfreeChartPan(Scene scene, MapView map, int frames) throws InterruptedException {
        var series = new org.jfree.data.xy.DefaultXYDataset();
        float[] xy = map.mapLayout().xy();
        double[][] data = new double[2][xy.length / 2];
        for (int i = 0; i < data[0].length; i++) {
            data[0][i] = xy[2 * i];
            data[1][i] = xy[2 * i + 1];
        }
        series.addSeries("images", data);
        var renderer = new org.jfree.chart.renderer.xy.XYDotRenderer();
        renderer.setDotWidth(4);
        renderer.setDotHeight(4);
        var plot = new org.jfree.chart.plot.XYPlot(series, new org.jfree.chart.axis.NumberAxis(),
                new org.jfree.chart.axis.NumberAxis(), renderer);
        var chart = new org.jfree.chart.JFreeChart(plot);
        chart.removeLegend();
        var viewer = new org.jfree.chart.fx.ChartViewer(chart);
        List<javafx.scene.Node> swapped = new ArrayList<>();
        onFx(() -> {
            var centre = (javafx.scene.layout.StackPane) map.getParent();
            swapped.addAll(centre.getChildren());
            centre.getChildren().setAll(viewer);
        });
        return frames(frames, f -> {
            var axis = plot.getDomainAxis();
            double shift = (f % 2 == 0 ? 0.01 : -0.01) * axis.getRange().getLength();
            axis.setRange(axis.getLowerBound() + shift, axis.getUpperBound() + shift);
        });
    }

    private static org.protolens.core.project.Workspace workspaceOf(Scene scene) {
        for (Window w : Window.getWindows()) {
            if (w instanceof Stage s && s.getScene() == scene && s.getUserData() instanceof ProtoLensApp app) {
                return app.model().workspace().get();
            }
        }
        throw new IllegalStateException("no ProtoLens window");
    }

    private static Scene awaitWindow() throws InterruptedException {
        for (int tries = 0; tries < 3000; tries++) {
            Thread.sleep(100);
            Scene[] found = new Scene[1];
            onFx(() -> {
                for (Window w : Window.getWindows()) {
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

    /**
     * A synthetic project: 100 clustered classes in 512 dimensions; every image entry names the
     * same small PNG (the window never decodes 100,000 files to draw its map).
     */
    static void makeProject(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("images"));
        var png = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(png, "png", dir.resolve("images/dot.png").toFile());
        Random rnd = new Random(11);
        int k = BASE + NOVEL;
        float[][] centres = new float[k][D];
        for (float[] c : centres) {
            for (int j = 0; j < D; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        float[] x = new float[N * D];
        int[] label = new int[N];
        for (int i = 0; i < N; i++) {
            label[i] = rnd.nextInt(k);
            for (int j = 0; j < D; j++) {
                x[i * D + j] = centres[label[i]][j] + 1.2f * (float) rnd.nextGaussian();
            }
        }
        NpyFile.writeMatrix(dir.resolve("embeddings.npy"), new FloatMatrix(N, D, x));
        float[] protos = new float[BASE * D];
        for (int b = 0; b < BASE; b++) {
            System.arraycopy(centres[b], 0, protos, b * D, D);
        }
        NpyFile.writeMatrix(dir.resolve("base-prototypes.npy"), new FloatMatrix(BASE, D, protos));
        List<ProjectManifest.ClassEntry> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add(new ProjectManifest.ClassEntry("class " + c, c < BASE ? ProjectManifest.BASE : ProjectManifest.NOVEL,
                    c < BASE ? 0 : 1, null));
        }
        int[] shots = new int[k];
        List<ProjectManifest.ImageEntry> images = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            boolean shot = label[i] >= BASE && shots[label[i]]++ < 5;
            images.add(new ProjectManifest.ImageEntry("images/dot.png", "class " + label[i], shot));
        }
        // a backbone folder is required by the project format; its files are never loaded here
        Path backbone = dir.resolve("backbone");
        Files.createDirectories(backbone);
        Files.writeString(backbone.resolve("backbone.json"), "{\"format\": \"torchscript\", \"weights\": \"model.pt\","
                + " \"input\": {\"width\": 32, \"height\": 32, \"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]}}\n");
        Files.write(backbone.resolve("model.pt"), new byte[] {0});
        new ProjectManifest(ProjectManifest.FORMAT, 1, "100,000 images, 100 classes", "window benchmark", "backbone",
                new ProjectManifest.Calibration(0.5, 16), classes, "base-prototypes.npy", "embeddings.npy", images, null).write(dir);
    }
}
