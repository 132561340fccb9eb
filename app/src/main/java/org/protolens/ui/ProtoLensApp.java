package org.protolens.ui;

import javafx.application.Application;
import javafx.stage.Stage;
import org.protolens.ui.shell.MainWindow;

/**
 * The desktop application: starts the main window on the project folder given as the only
 * argument (or the last project, or the bundled sample), and closes it when the app stops.
 */
public final class ProtoLensApp extends Application {
    private MainWindow window;

    public static void launchApp(String[] args) {
        Application.launch(ProtoLensApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        window = new MainWindow(stage);
        window.show(getParameters().getRaw());
    }

    /** The window (for window tests and benchmarks). */
    public MainWindow window() {
        return window;
    }

    @Override
    public void stop() {
        if (window != null) {
            window.close();
        }
    }
}
