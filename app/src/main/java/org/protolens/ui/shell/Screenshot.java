package org.protolens.ui.shell;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javax.imageio.ImageIO;

/**
 * The smoke mode ({@code --screenshot OUT.png}): once the window shows its project with the map
 * drawn, it is written to a PNG, the time since the JVM started is printed, and the app exits.
 */
final class Screenshot {
    private Screenshot() {
    }

    /** Writes the scene to {@code file} at the next pulse after the next (the map has been drawn), then exits. */
    static void takeAndExit(Scene scene, Path file) {
        Platform.runLater(() -> Platform.runLater(() -> {
            long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            int code = 0;
            try {
                var image = scene.snapshot(null);
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
                System.out.println("window ready " + ms + " ms after start; wrote " + file);
            } catch (IOException | RuntimeException e) {
                System.err.println("protolens: cannot write " + file + ": " + e.getMessage());
                code = 1;
            }
            exit(code);
        }));
    }

    /** Ends the smoke mode with {@code why} on stderr. */
    static void fail(String why) {
        System.err.println("protolens: " + why);
        exit(1);
    }

    private static void exit(int code) {
        Platform.exit();
        System.exit(code);
    }
}
