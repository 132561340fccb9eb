package org.protolens.ui;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.scene.control.ToolBar;
import javafx.scene.image.Image;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.protolens.Version;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.embed.Devices;
import org.protolens.core.project.ProjectSession;
import org.protolens.core.project.Workspace;
import org.protolens.ui.classes.ClassesView;
import org.protolens.ui.inspector.InspectorView;
import org.protolens.ui.map.MapView;

/**
 * The desktop window: the map in the middle, the classes and calibration on the right, a status
 * bar with the device, the backbone and the project. Opens the bundled sample project (or the
 * project folder given as the only argument).
 */
public final class ProtoLensApp extends Application {
    private final WorkspaceModel model = new WorkspaceModel();
    private final Label status = new Label("Opening…");
    {
        status.setId("status");
    }
    private final Label device = new Label("Looking for a GPU…");
    private final Label backbone = new Label();

    public static void launchApp(String[] args) {
        Application.launch(ProtoLensApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        MapView map = new MapView();
        map.setId("map");
        model.saveProblem().addListener((o, a, problem) -> {
            if (problem != null) {
                status.setText(problem);
            }
        });
        model.revision().addListener((o, a, b) -> {
            map.redraw();
            Workspace w = model.workspace().get();
            if (w != null) {
                status.setText(w.imageCount() + " images, " + w.classNames().size() + " classes");
            }
        });
        Thumbnails thumbnails = new Thumbnails();
        map.setThumbnails(i -> thumbnails.get(model.workspace().get().imageFile(i), 128));
        map.setOnSelect(i -> model.selected().set(i));
        map.setOnLasso(sel -> model.selection().set(sel));
        model.selection().addListener((o, a, b) -> map.setLassoed(b));
        model.selected().addListener((o, a, b) -> map.select(b.intValue()));
        ClassesView classes = new ClassesView(model);
        InspectorView inspector = new InspectorView(model, thumbnails);
        javafx.scene.control.SplitPane side = new javafx.scene.control.SplitPane(scrolling(classes), scrolling(inspector));
        side.setOrientation(javafx.geometry.Orientation.VERTICAL);
        side.setDividerPositions(0.56);
        side.setPrefWidth(330);
        side.getStyleClass().add("side");

        ChoiceBox<MapView.Colouring> colouring = new ChoiceBox<>();
        colouring.getItems().setAll(MapView.Colouring.values());
        colouring.setValue(MapView.Colouring.PREDICTION);
        colouring.setConverter(new StringConverter<>() {
            @Override
            public String toString(MapView.Colouring c) {
                return c == null ? "" : switch (c) {
                    case PREDICTION -> "Colour by prediction";
                    case LABEL -> "Colour by label";
                    case CORRECT -> "Colour by correct / wrong";
                };
            }

            @Override
            public MapView.Colouring fromString(String s) {
                return null;
            }
        });
        colouring.valueProperty().addListener((o, a, c) -> map.setColouring(c));
        Label project = new Label();
        project.getStyleClass().add("project-name");
        project.textProperty().bind(model.workspace().map(w -> w == null ? "" : w.name()));
        Label legend = new Label("● image   ◉ shot   ★ prototype   ┄ raw → calibrated   (scroll: zoom, drag: pan, double-click: fit)");
        legend.getStyleClass().add("legend");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ToolBar toolbar = new ToolBar(project, spacer, legend, colouring);

        Label version = new Label(Version.lines()[0]);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox statusBar = new HBox(16, status, gap, backbone, device, version);
        statusBar.setAlignment(Pos.CENTER_LEFT);
        statusBar.getStyleClass().add("status-bar");
        statusBar.setPadding(new Insets(4, 10, 4, 10));

        MenuBar menus = menus(stage, map, inspector, colouring, classes);
        BorderPane root = new BorderPane(map);
        root.setTop(new javafx.scene.layout.VBox(menus, toolbar));
        root.setRight(side);
        root.setBottom(statusBar);
        Scene scene = new Scene(root, 1280, 800);
        var css = ProtoLensApp.class.getResource("protolens.css");
        if (css != null) {
            scene.getStylesheets().add(css.toExternalForm());
        }
        var icon = ProtoLensApp.class.getResourceAsStream("/org/protolens/icons/protolens-256.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon));
        }
        stage.titleProperty().bind(model.workspace().map(w -> w == null ? "ProtoLens" : w.name() + " – ProtoLens"));
        stage.setScene(scene);
        this.scene = scene;
        this.mapView = map;
        this.inspectorView = inspector;
        applyTheme("dark".equals(System.getProperty("protolens.theme", prefs.get(THEME, "light"))));
        stage.show();

        java.util.List<String> params = new java.util.ArrayList<>(getParameters().getRaw());
        if (!params.isEmpty() && params.getFirst().equals("--screenshot")) {
            screenshot = Path.of(params.get(1));
            params = params.subList(2, params.size());
        }
        Path folder = params.isEmpty() ? lastOrSample() : Path.of(params.getFirst());
        if (folder != null && folder.getFileName() != null && folder.getFileName().toString().equals("project.json")) {
            folder = folder.toAbsolutePath().getParent();
        }
        if (folder == null) {
            probeDevice();
            status.setText("No project open: no sample project was found next to ProtoLens");
            if (screenshot != null) {
                System.err.println("protolens: no project to open");
                Platform.exit();
                System.exit(1);
            }
        } else {
            open(folder, map);
        }
    }

    private Path screenshot;
    private boolean deviceProbed;

    /**
     * Loads the engine to name the device for the status bar, once, after the first project is
     * drawn: loading libtorch takes a core for a second or two, which the first picture should not wait for.
     */
    private void probeDevice() {
        if (deviceProbed || screenshot != null) {
            return;
        }
        deviceProbed = true;
        CompletableFuture.supplyAsync(() -> Devices.describe(Devices.preferred()))
                .whenComplete((text, error) -> Platform.runLater(() ->
                        device.setText(error == null ? "Device: " + text : "No backbone engine: " + error.getMessage())));
    }

    /** Smoke mode: the window with its map drawn, written to a PNG; prints the time since JVM start. */
    private void writeScreenshotAndExit() {
        long ms = System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        int code = 0;
        try {
            var image = scene.snapshot(null);
            java.nio.file.Path parent = screenshot.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(parent);
            javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image, null), "png", screenshot.toFile());
            System.out.println("window ready " + ms + " ms after start; wrote " + screenshot);
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("protolens: cannot write " + screenshot + ": " + e.getMessage());
            code = 1;
        }
        Platform.exit();
        System.exit(code);
    }

    private static final String THEME = "theme";
    private static final String LAST_PROJECT = "lastProject";
    private final java.util.prefs.Preferences prefs = java.util.prefs.Preferences.userNodeForPackage(ProtoLensApp.class);
    private Scene scene;
    private MapView mapView;
    private InspectorView inspectorView;
    private final javafx.scene.control.CheckMenuItem darkItem = new javafx.scene.control.CheckMenuItem("Dark theme");

    /** The project opened last, when it still exists, else the bundled sample. */
    private Path lastOrSample() {
        String last = prefs.get(LAST_PROJECT, null);
        if (last != null && java.nio.file.Files.isRegularFile(Path.of(last).resolve("project.json"))) {
            return Path.of(last);
        }
        return SampleProjects.defaultSample();
    }

    private void applyTheme(boolean dark) {
        var dark_css = ProtoLensApp.class.getResource("protolens-dark.css");
        scene.getStylesheets().removeIf(u -> u.endsWith("protolens-dark.css"));
        if (dark && dark_css != null) {
            scene.getStylesheets().add(dark_css.toExternalForm());
        }
        mapView.setDark(dark);
        inspectorView.setDark(dark);
        darkItem.setSelected(dark);
    }

    private MenuBar menus(Stage stage, MapView map, InspectorView inspector, ChoiceBox<MapView.Colouring> colouring,
                          ClassesView classes) {
        MenuItem open = new MenuItem("Open Project…");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> {
            var chooser = new javafx.stage.DirectoryChooser();
            chooser.setTitle("Open a ProtoLens project folder");
            java.io.File dir = chooser.showDialog(stage);
            if (dir != null) {
                open(dir.toPath(), map);
            }
        });
        MenuItem sample = new MenuItem("Open Sample Project");
        sample.setOnAction(e -> {
            Path p = SampleProjects.defaultSample();
            if (p != null) {
                open(p, map);
            }
        });
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> Platform.exit());
        Menu file = new Menu("File", null, open, sample, new SeparatorMenuItem(), quit);

        MenuItem undo = new MenuItem("Undo");
        undo.setAccelerator(KeyCombination.keyCombination("Shortcut+Z"));
        undo.textProperty().bind(model.undoText().map(t -> "Undo " + t).orElse("Undo"));
        undo.disableProperty().bind(model.undoText().isNull());
        undo.setOnAction(e -> model.undo());
        MenuItem redo = new MenuItem("Redo");
        redo.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+Z"));
        redo.textProperty().bind(model.redoText().map(t -> "Redo " + t).orElse("Redo"));
        redo.disableProperty().bind(model.redoText().isNull());
        redo.setOnAction(e -> model.redo());
        Menu edit = new Menu("Edit", null, undo, redo);

        Menu view = new Menu("View");
        int n = 1;
        for (MapView.Colouring c : MapView.Colouring.values()) {
            MenuItem item = new MenuItem(colouring.getConverter().toString(c));
            item.setAccelerator(KeyCombination.keyCombination("Shortcut+" + n++));
            item.setOnAction(e -> colouring.setValue(c));
            view.getItems().add(item);
        }
        MenuItem fit = new MenuItem("Fit Map to Window");
        fit.setAccelerator(KeyCombination.keyCombination("Shortcut+0"));
        fit.setOnAction(e -> map.resetView());
        darkItem.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        darkItem.setOnAction(e -> {
            prefs.put(THEME, darkItem.isSelected() ? "dark" : "light");
            applyTheme(darkItem.isSelected());
        });
        view.getItems().addAll(new SeparatorMenuItem(), fit, darkItem);

        javafx.scene.control.CheckMenuItem calibrate = new javafx.scene.control.CheckMenuItem("Calibrate Novel Prototypes (TEEN)");
        calibrate.selectedProperty().bindBidirectional(model.calibrationOn());
        calibrate.setAccelerator(KeyCombination.keyCombination("Shortcut+K"));
        MenuItem newClass = new MenuItem("New Class from Selection…");
        newClass.setAccelerator(KeyCombination.keyCombination("Shortcut+N"));
        newClass.disableProperty().bind(model.selection().map(sel -> sel.length == 0).orElse(true));
        newClass.setOnAction(e -> classes.newClassFromSelection());
        Menu classesMenu = new Menu("Classes", null, newClass, new SeparatorMenuItem(), calibrate);

        MenuItem about = new MenuItem("About ProtoLens");
        about.setOnAction(e -> about(stage));
        Menu help = new Menu("Help", null, about);
        return new MenuBar(file, edit, view, classesMenu, help);
    }

    private void about(Stage owner) {
        javafx.scene.control.Alert a = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle("About ProtoLens");
        a.setHeaderText("ProtoLens " + Version.protolens());
        a.setContentText(String.join("\n", Version.lines()) + "\n\n"
                + "Few-shot image classes with training-free prototype calibration (TEEN: Wang et al., NeurIPS 2023).\n\n"
                + "ProtoLens is free software under the GNU GPL, version 3 or later. It uses DJL and PyTorch (Apache 2.0, BSD), "
                + "JavaFX (GPL 2 with Classpath Exception), Smile (GPL 3), JFreeChart (LGPL 2.1), Jackson and picocli (Apache 2.0), "
                + "TwelveMonkeys (BSD) and metadata-extractor (Apache 2.0). Sample data: CIFAR-10 (Krizhevsky 2009) and "
                + "Fashion-MNIST (Zalando, MIT).");
        a.getDialogPane().setPrefWidth(560);
        a.showAndWait();
    }

    private static javafx.scene.control.ScrollPane scrolling(javafx.scene.Node content) {
        javafx.scene.control.ScrollPane p = new javafx.scene.control.ScrollPane(content);
        p.setFitToWidth(true);
        p.setHbarPolicy(javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER);
        p.getStyleClass().add("side-scroll");
        return p;
    }

    private void open(Path folder, MapView map) {
        Task<ProjectSession> task = new Task<>() {
            @Override
            protected ProjectSession call() throws Exception {
                Path dir = folder;
                if (SampleProjects.isBundled(dir) || !java.nio.file.Files.isWritable(dir)) {
                    // samples (and read-only folders) are opened as the user's own copy, where changes are kept
                    Path copy = SampleProjects.userCopy(dir);
                    if (!java.nio.file.Files.exists(copy.resolve("project.json"))) {
                        java.nio.file.Files.createDirectories(copy.getParent());
                        ProjectSession.copy(dir, copy);
                    }
                    dir = copy;
                }
                return ProjectSession.open(dir);
            }
        };
        task.setOnSucceeded(e -> {
            ProjectSession session = task.getValue();
            Workspace w = session.workspace();
            map.setWorkspace(w);
            model.show(session);
            probeDevice();
            status.setText(w.imageCount() + " images, " + w.classNames().size() + " classes");
            if (screenshot == null) {
                prefs.put(LAST_PROJECT, w.dir().toAbsolutePath().toString());
            } else {
                Platform.runLater(() -> Platform.runLater(this::writeScreenshotAndExit));
            }
            try {
                BackboneSpec spec = BackboneSpec.read(w.dir().resolve(w.manifest().backbone()).resolve(BackboneSpec.FILE_NAME));
                backbone.setText("Backbone: " + (spec.architecture() != null ? spec.architecture() : spec.format())
                        + " " + spec.input().width() + "×" + spec.input().height());
            } catch (java.io.IOException ex) {
                backbone.setText("Backbone: " + ex.getMessage());
            }
        });
        task.setOnFailed(e -> {
            probeDevice();
            status.setText("Cannot open " + folder + ": " + task.getException().getMessage());
            if (screenshot != null) {
                System.err.println("protolens: cannot open " + folder + ": " + task.getException().getMessage());
                Platform.exit();
                System.exit(1);
            }
        });
        Thread t = new Thread(task, "open-project");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void stop() {
        model.close();
    }
}
