package org.protolens.ui;

import java.util.concurrent.CompletableFuture;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.protolens.Version;
import org.protolens.core.embed.Devices;

/**
 * The desktop window. For now it shows what ProtoLens runs on; the map, the classes and the
 * inspector come with the desktop application.
 */
public final class ProtoLensApp extends Application {

    public static void launchApp(String[] args) {
        Application.launch(ProtoLensApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        Label title = new Label("ProtoLens");
        title.getStyleClass().add("title");
        Label tagline = new Label("Few-shot image classes with training-free prototype calibration (TEEN)");
        tagline.getStyleClass().add("tagline");
        Label hint = new Label("The command line is ready: java -jar protolens.jar --help");
        hint.getStyleClass().add("hint");
        VBox center = new VBox(8, title, tagline, hint);
        center.setAlignment(Pos.CENTER);

        Label device = new Label("Looking for a GPU…");
        Label version = new Label(Version.lines()[0]);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox status = new HBox(12, device, spacer, version);
        status.getStyleClass().add("status-bar");
        status.setPadding(new Insets(4, 10, 4, 10));

        BorderPane root = new BorderPane(center);
        root.setBottom(status);
        Scene scene = new Scene(root, 960, 600);
        var css = ProtoLensApp.class.getResource("protolens.css");
        if (css != null) {
            scene.getStylesheets().add(css.toExternalForm());
        }
        var icon = ProtoLensApp.class.getResourceAsStream("/org/protolens/icons/protolens-256.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon));
        }
        stage.setTitle("ProtoLens");
        stage.setScene(scene);
        stage.show();

        CompletableFuture.supplyAsync(() -> Devices.describe(Devices.preferred()))
                .whenComplete((text, error) -> Platform.runLater(() ->
                        device.setText(error == null ? "Device: " + text : "No backbone engine: " + error.getMessage())));
    }
}
