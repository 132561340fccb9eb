package org.protolens.ui;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
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
import org.protolens.core.map.MapLayout;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.SampleProjects;
import org.protolens.core.project.Workspace;
import org.protolens.ui.classes.ClassesView;
import org.protolens.ui.importer.ImportDialog;
import org.protolens.ui.importer.ImportJob;
import org.protolens.ui.inspector.InspectorView;
import org.protolens.ui.map.MapView;
import org.protolens.core.analysis.Suggestions;

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

    /** The state the window shows. */
    public WorkspaceModel model() {
        return model;
    }

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
        model.imagesAdded().addListener((o, a, b) -> map.placeNewImages());
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
        method.getItems().setAll(MapLayout.Method.values());
        method.setValue(MapLayout.Method.PCA);
        method.setId("layout-method");
        method.setTooltip(new javafx.scene.control.Tooltip("How the map places the images: PCA (linear, instant), "
                + "t-SNE or UMAP (keep neighbours together; computed in the background)"));
        method.valueProperty().addListener((o, was, now) -> {
            if (!settingMethod && now != null) {
                computeLayout(now);
            }
        });
        javafx.scene.control.Button recompute = new javafx.scene.control.Button("Recompute layout");
        recompute.setId("recompute-layout");
        recompute.setTooltip(new javafx.scene.control.Tooltip("Lay out all images again, imported ones included "
                + "(new images are otherwise placed next to their nearest neighbours)"));
        recompute.disableProperty().bind(model.workspace().isNull());
        recompute.setOnAction(e -> computeLayout(method.getValue()));
        layoutProgress.setPrefSize(18, 18);
        layoutProgress.setVisible(false);
        layoutCancel.setOnAction(e -> cancelLayout());
        HBox layoutWork = new HBox(6, layoutProgress, layoutMessage, layoutCancel);
        layoutWork.setAlignment(Pos.CENTER_LEFT);
        layoutWork.visibleProperty().bind(layoutProgress.visibleProperty());
        layoutWork.managedProperty().bind(layoutProgress.visibleProperty());
        layoutMessage.getStyleClass().add("legend");
        ToolBar toolbar = new ToolBar(project, new javafx.scene.control.Separator(javafx.geometry.Orientation.VERTICAL),
                new Label("Map:"), method, recompute, layoutWork, spacer, legend, colouring);

        Label version = new Label(Version.lines()[0]);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        progress.setPrefWidth(160);
        progress.setId("import-progress");
        cancel.setId("import-cancel");
        cancel.getStyleClass().add("small");
        cancel.setOnAction(e -> {
            if (running != null) {
                running.cancel();
            }
        });
        jobMessage.setId("import-message");
        HBox work = new HBox(8, jobMessage, progress, cancel);
        work.setAlignment(Pos.CENTER_LEFT);
        work.visibleProperty().bind(progress.visibleProperty());
        work.managedProperty().bind(progress.visibleProperty());
        progress.setVisible(false);
        HBox statusBar = new HBox(16, status, work, gap, backbone, device, version);
        statusBar.setAlignment(Pos.CENTER_LEFT);
        statusBar.getStyleClass().add("status-bar");
        statusBar.setPadding(new Insets(4, 10, 4, 10));

        MenuBar menus = menus(stage, map, inspector, colouring, classes);
        problems.setId("problems");
        problems.getStyleClass().add("problems");
        problems.setVisible(false);
        problems.setManaged(false);
        javafx.scene.layout.StackPane centre = new javafx.scene.layout.StackPane(map, problems);
        javafx.scene.layout.StackPane.setAlignment(problems, Pos.TOP_CENTER);
        javafx.scene.layout.StackPane.setMargin(problems, new Insets(10));
        // a tab's view is made when the tab is first chosen: hidden views cost nothing at start
        javafx.scene.control.Tab flowTab = analysisTab("Novel → base", () -> new org.protolens.ui.analysis.FlowView(model),
                "Where each new class's images are predicted, before calibration and now; click a segment to select its images");
        javafx.scene.control.Tab similarityTab = analysisTab("Prototype similarity",
                () -> new org.protolens.ui.analysis.SimilarityView(model),
                "Cosines between new and base prototypes, and TEEN's weights at the current τ: what each new class borrows");
        javafx.scene.control.Tab confusionTab = analysisTab("Confusion", () -> new org.protolens.ui.analysis.ConfusionView(model),
                "Labels against predictions, before calibration and now; click a cell to select its images");
        javafx.scene.control.Tab sessionsTab = analysisTab("Sessions",
                () -> new org.protolens.ui.analysis.SessionsView(model, this::exportSessions),
                "acc, acc_base, acc_novel and hm per FSCIL session, before calibration and now");
        javafx.scene.control.Tab suggestTab = analysisTab("Suggestions",
                () -> new org.protolens.ui.analysis.SuggestionsView(model, thumbnails),
                "Unlabelled images ranked for labelling; A accepts, R marks as not this class");
        javafx.scene.control.Tab imagesTab = analysisTab("Images",
                () -> new org.protolens.ui.analysis.ImagesView(model, thumbnails, classes::newClassFrom),
                "The selected images (or all) as a sortable, filterable table");
        javafx.scene.control.TabPane analysis = new javafx.scene.control.TabPane(flowTab, similarityTab, confusionTab,
                sessionsTab, suggestTab, imagesTab);
        classes.setOnSuggest(name -> {
            analysis.getSelectionModel().select(suggestTab);
            ((org.protolens.ui.analysis.SuggestionsView) suggestTab.getContent()).showLikelyMembers(name);
        });
        analysis.setId("analysis");
        analysis.getStyleClass().add("analysis-tabs");
        javafx.scene.control.SplitPane mapAndAnalysis = new javafx.scene.control.SplitPane(centre, analysis);
        mapAndAnalysis.setOrientation(javafx.geometry.Orientation.VERTICAL);
        mapAndAnalysis.setDividerPositions(0.62);
        javafx.scene.control.SplitPane.setResizableWithParent(analysis, false);
        BorderPane root = new BorderPane(mapAndAnalysis);
        this.root = root;
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
        stage.setUserData(this);
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && model.session() != null) {
                e.acceptTransferModes(javafx.scene.input.TransferMode.COPY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                java.util.List<Path> files = e.getDragboard().getFiles().stream().map(java.io.File::toPath).toList();
                // the dialog opens after the drop has finished, so the source application is not kept waiting
                Platform.runLater(() -> importFiles(files));
            }
            e.setDropCompleted(ok);
            e.consume();
        });
        this.stage = stage;
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
        if (folder != null && folder.getFileName() != null && (folder.getFileName().toString().equals("project.json")
                || folder.getFileName().toString().endsWith(OpenProject.PROJECT_FILE_EXTENSION))) {
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
    private BorderPane root;
    private boolean deviceProbed;
    private Stage stage;
    private final javafx.scene.control.ProgressBar progress = new javafx.scene.control.ProgressBar();
    private final javafx.scene.control.Button cancel = new javafx.scene.control.Button("Cancel");
    private final Label jobMessage = new Label();
    private final ProblemsPanel problems = new ProblemsPanel();
    /** import jobs run one after another on this thread, which alone uses the backbone */
    private final java.util.concurrent.ExecutorService importer = oneThread("import");
    private final java.util.Deque<ImportJob> queued = new java.util.ArrayDeque<>();
    private ImportJob running;
    /** the open project's backbone, loaded on the import thread when first needed */
    private org.protolens.core.embed.Backbone loadedBackbone;
    private Path loadedBackboneDir;

    /**
     * Imports dropped (or chosen) files and folders into the open project: asks how they join it,
     * then embeds them in the background; points appear on the map as their embeddings arrive.
     */
    public void importFiles(java.util.List<Path> files) {
        OpenProject session = model.session();
        if (session == null) {
            status.setText("Open a project before importing images");
            return;
        }
        Workspace w = session.workspace();
        Path dir = w.dir();
        java.util.List<String> paths = w.imagePaths();
        // walking dropped folders reads the disk: not on the JavaFX thread
        Thread.ofPlatform().daemon().name("import-plan").start(() -> {
            try {
                java.util.Set<Path> present = new java.util.HashSet<>();
                for (String p : paths) {
                    present.add(dir.resolve(p).toAbsolutePath().normalize());
                }
                var plan = org.protolens.core.project.ImportPlan.of(files, present);
                Platform.runLater(() -> askAndImport(session, plan));
            } catch (java.io.IOException | RuntimeException e) {
                Platform.runLater(() -> problems.show("Nothing was imported", java.util.List.of(String.valueOf(e.getMessage()))));
            }
        });
    }

    /** Asks how a planned import joins the project (JavaFX thread), then queues its embedding. */
    private void askAndImport(OpenProject session, org.protolens.core.project.ImportPlan plan) {
        if (model.session() != session) {
            return;
        }
        Workspace w = session.workspace();
        if (plan.imageCount() == 0) {
            problems.show("No images to import", plan.skipped().stream().map(sk -> sk.file() + ": " + sk.reason()).toList());
            return;
        }
        java.util.Map<String, String> existing = new java.util.LinkedHashMap<>();
        for (int k = 0; k < w.classNames().size(); k++) {
            existing.put(w.classNames().get(k), w.isBase(k) ? org.protolens.core.project.ProjectManifest.BASE
                    : org.protolens.core.project.ProjectManifest.NOVEL);
        }
        var items = ImportDialog.ask(stage, plan, existing);
        if (items.isEmpty()) {
            return;
        }
        java.util.List<String> skipped = plan.skipped().stream().map(sk -> sk.file() + ": " + sk.reason()).toList();
        Path backboneDir = w.dir().resolve(w.manifest().backbone());
        ImportJob job = new ImportJob(items.get(), () -> backboneFor(backboneDir), session.cache(),
                (batch, keys, rows) -> {
                    if (model.session() == session) {
                        model.imported(batch, keys, rows);
                    }
                });
        job.setOnSucceeded(e -> finished(job, job.getValue(), skipped));
        job.setOnFailed(e -> {
            problems.show("The import stopped", java.util.List.of(String.valueOf(job.getException().getMessage())));
            finished(job, null, skipped);
        });
        job.setOnCancelled(e -> finished(job, null, skipped));
        queued.add(job);
        if (running == null) {
            startNext();
        }
    }

    private void startNext() {
        running = queued.poll();
        if (running == null) {
            progress.progressProperty().unbind();
            jobMessage.textProperty().unbind();
            progress.setVisible(false);
            return;
        }
        progress.progressProperty().bind(running.progressProperty());
        jobMessage.textProperty().bind(running.messageProperty());
        progress.setVisible(true);
        importer.submit(running);
    }

    private void finished(ImportJob job, ImportJob.Outcome outcome, java.util.List<String> skipped) {
        if (job != running) {
            return;
        }
        java.util.List<String> lines = new java.util.ArrayList<>(skipped);
        if (outcome != null) {
            outcome.failures().forEach(f -> lines.add(f.file() + ": " + f.problem()));
            model.importFinished("Imported " + outcome.added() + (outcome.added() == 1 ? " image" : " images"));
        } else if (job.isCancelled()) {
            model.importFinished("Import cancelled");
        }
        if (!lines.isEmpty()) {
            problems.show(lines.size() + (lines.size() == 1 ? " file was" : " files were") + " not imported", lines);
        }
        if (queued.isEmpty() && mapView.isProvisional()) {
            // the map of an empty project's first batch: now that all are in, lay all of them out
            computeLayout(method.getValue());
        }
        startNext();
    }

    /** The backbone of the project whose images are imported; runs on the import thread. */
    private org.protolens.core.embed.Backbone backboneFor(Path dir) {
        if (loadedBackbone != null && dir.equals(loadedBackboneDir)) {
            return loadedBackbone;
        }
        if (loadedBackbone != null) {
            loadedBackbone.close();
            loadedBackbone = null;
        }
        try {
            loadedBackbone = org.protolens.core.embed.BackboneLoader.folder(dir, null);
            loadedBackboneDir = dir;
            return loadedBackbone;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Cancels running and waiting imports (a project is closing). */
    private void cancelImports() {
        queued.clear();
        if (running != null) {
            running.cancel();
        }
    }

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

    private static final String RECENT = "recentProjects";
    private final Menu recentMenu = new Menu("Open Recent");

    /** Puts a project first in File > Open Recent (at most 8, those that still exist). */
    private void remember(Path dir) {
        java.util.List<String> recent = new java.util.ArrayList<>(java.util.List.of(prefs.get(RECENT, "").split("\n")));
        recent.removeIf(r -> r.isBlank() || r.equals(dir.toString()));
        recent.addFirst(dir.toString());
        prefs.put(RECENT, String.join("\n", recent.subList(0, Math.min(8, recent.size()))));
        fillRecent();
    }

    private void fillRecent() {
        recentMenu.getItems().clear();
        for (String r : prefs.get(RECENT, "").split("\n")) {
            if (!r.isBlank() && java.nio.file.Files.isRegularFile(Path.of(r).resolve("project.json"))) {
                MenuItem item = new MenuItem(Path.of(r).getFileName() + "  —  " + r);
                item.setMnemonicParsing(false);
                item.setOnAction(e -> open(Path.of(r), mapView));
                recentMenu.getItems().add(item);
            }
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    private static final String THEME = "theme";
    private static final String LAST_PROJECT = "lastProject";
    private final java.util.prefs.Preferences prefs = java.util.prefs.Preferences.userNodeForPackage(ProtoLensApp.class);
    private Scene scene;
    private MapView mapView;
    private InspectorView inspectorView;
    private final javafx.scene.control.CheckMenuItem darkItem = new javafx.scene.control.CheckMenuItem("Dark theme");

    /** The analysis views made so far (their tabs were chosen), for the theme. */
    private final java.util.List<org.protolens.ui.analysis.AnalysisView> analysisViews = new java.util.ArrayList<>();
    private boolean dark;

    /** A tab under the map whose view is made when the tab is first chosen, and works only while it is. */
    private javafx.scene.control.Tab analysisTab(String text, java.util.function.Supplier<org.protolens.ui.analysis.AnalysisView> make,
                                                 String tip) {
        javafx.scene.control.Tab tab = new javafx.scene.control.Tab(text);
        tab.setClosable(false);
        tab.setTooltip(new javafx.scene.control.Tooltip(tip));
        tab.selectedProperty().addListener((o, was, selected) -> {
            if (selected && tab.getContent() == null) {
                org.protolens.ui.analysis.AnalysisView view = make.get();
                view.setDark(dark);
                view.shownProperty().bind(tab.selectedProperty());
                analysisViews.add(view);
                tab.setContent(view);
            }
        });
        return tab;
    }

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
        this.dark = dark;
        analysisViews.forEach(v -> v.setDark(dark));
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
        MenuItem newProject = new MenuItem("New Project…");
        newProject.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+N"));
        newProject.setOnAction(e -> newProject());
        MenuItem saveAs = new MenuItem("Save Project As…");
        saveAs.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+S"));
        saveAs.disableProperty().bind(model.workspace().isNull().or(progress.visibleProperty()));
        saveAs.setOnAction(e -> {
            Workspace w = model.workspace().get();
            var chooser = new javafx.stage.FileChooser();
            chooser.setTitle("Save the project as a new folder");
            Path parent = w.dir().toAbsolutePath().getParent();
            if (SampleProjects.isBundled(w.dir()) || parent == null || parent.startsWith(SampleProjects.dataFolder())) {
                parent = newProjectLocation();
            }
            if (java.nio.file.Files.isDirectory(parent)) {
                chooser.setInitialDirectory(parent.toFile());
            }
            chooser.setInitialFileName(org.protolens.ui.project.NewProjectDialog.folderName(w.name() + " copy"));
            java.io.File chosen = chooser.showSaveDialog(stage);
            if (chosen != null) {
                saveAs(chosen.toPath());
            }
        });
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> Platform.exit());
        MenuItem importImages = new MenuItem("Import Images…");
        importImages.setAccelerator(KeyCombination.keyCombination("Shortcut+I"));
        importImages.disableProperty().bind(model.workspace().isNull());
        importImages.setOnAction(e -> {
            var chooser = new javafx.stage.FileChooser();
            chooser.setTitle("Import images");
            chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("Images",
                    org.protolens.core.embed.ImageFiles.EXTENSIONS.stream().sorted().map(x -> "*." + x).toList()));
            var chosen = chooser.showOpenMultipleDialog(stage);
            if (chosen != null) {
                importFiles(chosen.stream().map(java.io.File::toPath).toList());
            }
        });
        MenuItem importFolder = new MenuItem("Import Folder…");
        importFolder.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+I"));
        importFolder.disableProperty().bind(model.workspace().isNull());
        importFolder.setOnAction(e -> {
            var chooser = new javafx.stage.DirectoryChooser();
            chooser.setTitle("Import a folder of images (a sub-folder per class, or images)");
            java.io.File dir = chooser.showDialog(stage);
            if (dir != null) {
                importFiles(java.util.List.of(dir.toPath()));
            }
        });
        MenuItem importLabels = new MenuItem("Import Labels from CSV…");
        importLabels.disableProperty().bind(model.workspace().isNull());
        importLabels.setOnAction(e -> {
            java.io.File f = chooseFile("Import labels (path,label per row)", "CSV", "*.csv", false, null);
            if (f != null) {
                importLabels(f.toPath());
            }
        });
        MenuItem exportLabels = exportItem("Labels as CSV…", "CSV: path, label, predicted, score", "*.csv", "labels.csv",
                (w, f) -> org.protolens.core.interop.ProjectExport.writeLabels(w.state(), f));
        MenuItem exportEmbeddings = exportItem("Embeddings (.npy and paths)…", "NumPy array", "*.npy", "embeddings.npy",
                (w, f) -> org.protolens.core.interop.ProjectExport.writeEmbeddings(w.state(), f));
        MenuItem exportPrototypes = exportItem("Prototypes, raw and calibrated (.npy and CSV)…", "File name prefix", "*",
                "prototypes", (w, f) -> org.protolens.core.interop.ProjectExport.writePrototypes(w.state(), f));
        MenuItem exportFolders = new MenuItem("Labels as Folders (one per class)…");
        exportFolders.setOnAction(e -> exportFolders());
        MenuItem exportSessions = new MenuItem("Session Table as CSV…");
        exportSessions.setOnAction(e -> {
            Workspace w = model.workspace().get();
            if (w != null && !w.classNames().isEmpty()) {
                exportSessions(org.protolens.core.analysis.SessionTable.of(w.state()));
            }
        });
        Menu export = new Menu("Export", null, exportLabels, exportFolders, exportEmbeddings, exportPrototypes, exportSessions);
        export.disableProperty().bind(model.workspace().isNull());
        fillRecent();
        Menu file = new Menu("File", null, newProject, open, recentMenu, sample, saveAs, new SeparatorMenuItem(),
                importImages, importFolder, importLabels, export, new SeparatorMenuItem(), quit);

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

    private interface Exporter {
        void write(Workspace w, Path file) throws java.io.IOException;
    }

    /** A File > Export entry: asks where, writes in the background, says where it wrote or what went wrong. */
    private MenuItem exportItem(String text, String kind, String pattern, String name, Exporter exporter) {
        MenuItem item = new MenuItem(text);
        item.setOnAction(e -> export(text, kind, pattern, name, exporter));
        return item;
    }

    private void export(String text, String kind, String pattern, String name, Exporter exporter) {
        Workspace w = model.workspace().get();
        java.io.File f = chooseFile("Export " + text.replace("…", "").toLowerCase(java.util.Locale.ROOT), kind, pattern, true, name);
        if (w == null || f == null) {
            return;
        }
        Path target = f.toPath();
        inBackground(target, () -> exporter.write(w, target));
    }

    private interface Writing {
        void run() throws java.io.IOException;
    }

    /** Writes off the JavaFX thread; the status bar says where, the problems panel what went wrong. */
    private void inBackground(Path target, Writing writing) {
        status.setText("Exporting to " + target + "…");
        Thread.ofPlatform().daemon().name("export").start(() -> {
            try {
                writing.run();
                Platform.runLater(() -> status.setText("Exported to " + target));
            } catch (java.io.IOException | RuntimeException ex) {
                Platform.runLater(() -> problems.show("Nothing was exported", java.util.List.of(target + ": " + ex.getMessage())));
            }
        });
    }

    /** The Sessions tab's table as CSV. */
    private void exportSessions(org.protolens.core.analysis.SessionTable.Result table) {
        Workspace w = model.workspace().get();
        export("Session table as CSV…", "CSV", "*.csv", "sessions.csv", (ws, f) ->
                org.protolens.core.interop.ProjectExport.writeSessions(table, w.calibration(), w.calibrationEnabled(), f));
    }

    /** File > Export > Labels as Folders: one folder per class in an empty folder, with copies or links of its images. */
    private void exportFolders() {
        Workspace w = model.workspace().get();
        if (w == null) {
            return;
        }
        var chooser = new javafx.stage.DirectoryChooser();
        chooser.setTitle("Export labels as a folder per class (choose an empty folder)");
        java.io.File dir = chooser.showDialog(stage);
        if (dir == null) {
            return;
        }
        var how = new javafx.scene.control.ChoiceDialog<>(COPIES, COPIES, LINKS);
        how.initOwner(stage);
        how.setTitle("Export labels as folders");
        how.setHeaderText("Each labelled image goes into " + dir.toPath().resolve("CLASS") + "/");
        how.setContentText("As:");
        how.showAndWait().ifPresent(choice -> {
            Path target = dir.toPath();
            // what to write is read here, on the JavaFX thread, so that edits made meanwhile do not mix in
            var plan = org.protolens.core.interop.ProjectExport.labelFolders(w.state());
            inBackground(target, () -> org.protolens.core.interop.ProjectExport.writeLabelFolders(plan, target, LINKS.equals(choice)));
        });
    }

    private static final String COPIES = "Copies of the images";
    private static final String LINKS = "Symbolic links to the images";

    private java.io.File chooseFile(String title, String kind, String pattern, boolean save, String name) {
        var chooser = new javafx.stage.FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter(kind, pattern));
        Workspace w = model.workspace().get();
        if (w != null && java.nio.file.Files.isDirectory(w.dir())) {
            chooser.setInitialDirectory(w.dir().toFile());
        }
        if (name != null) {
            chooser.setInitialFileName(name);
        }
        return save ? chooser.showSaveDialog(stage) : chooser.showOpenDialog(stage);
    }

    /**
     * File > Import Labels: reads {@code path,label} rows and applies them as one undoable edit;
     * a file with any problem is listed line by line and nothing of it is applied.
     */
    public void importLabels(Path file) {
        Workspace w = model.workspace().get();
        if (w == null) {
            return;
        }
        try {
            var read = org.protolens.core.interop.ProjectExport.readLabels(w.state(), file);
            model.edit(org.protolens.core.project.History.assign("Labels of " + read.images().length + " images from "
                    + file.getFileName(), read.images(), read.labels()));
            status.setText("Labelled " + read.images().length + " images from " + file.getFileName());
        } catch (org.protolens.core.interop.ProjectExport.LabelsException e) {
            problems.show("No labels were imported: " + file.getFileName() + " has " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems"), e.problems());
        } catch (java.io.IOException | RuntimeException e) {
            problems.show("No labels were imported", java.util.List.of(file + ": " + e.getMessage()));
        }
    }

    private static final String NEW_LOCATION = "newProjectLocation";

    /** Where new projects go unless the person picks another folder: the last one used, else ~/ProtoLens. */
    private Path newProjectLocation() {
        String last = prefs.get(NEW_LOCATION, null);
        return last != null ? Path.of(last) : Path.of(System.getProperty("user.home"), "ProtoLens");
    }

    /** File > New Project: asks for a name, a folder and the backbone to start from, then creates and opens it. */
    private void newProject() {
        java.util.List<org.protolens.ui.project.NewProjectDialog.Source> sources = new java.util.ArrayList<>();
        Workspace w = model.workspace().get();
        if (w != null) {
            sources.add(new org.protolens.ui.project.NewProjectDialog.Source("This project: " + w.name(), w.dir(),
                    w.manifest().baseClasses().size(), backboneName(w.dir().resolve(w.manifest().backbone()))));
        }
        for (Path p : SampleProjects.all()) {
            try {
                var m = org.protolens.core.project.ProjectManifest.read(p);
                sources.add(new org.protolens.ui.project.NewProjectDialog.Source("Sample: " + m.name(), p,
                        m.baseClasses().size(), backboneName(p.resolve(m.backbone()))));
            } catch (java.io.IOException e) {
                // a sample that does not read is not offered
            }
        }
        if (sources.isEmpty()) {
            problems.show("No project to take a backbone from", java.util.List.of(
                    "A new project starts from the backbone of an open project or of a sample project; none was found."));
            return;
        }
        org.protolens.ui.project.NewProjectDialog.ask(stage, sources, newProjectLocation()).ifPresent(this::createProject);
    }

    /** Creates the project asked for in the background and opens it; on a problem the open project stays. */
    public void createProject(org.protolens.ui.project.NewProjectDialog.Request r) {
        status.setText("Creating " + r.folder() + "…");
        Thread.ofPlatform().daemon().name("new-project").start(() -> {
            try {
                OpenProject.create(r.folder(), r.name(), r.source().dir(), r.keepBaseClasses());
                Platform.runLater(() -> {
                    Path parent = r.folder().toAbsolutePath().getParent();
                    if (parent != null) {
                        prefs.put(NEW_LOCATION, parent.toString());
                    }
                    open(r.folder(), mapView);
                });
            } catch (java.io.IOException | RuntimeException e) {
                Platform.runLater(() -> {
                    status.setText("The project was not created");
                    problems.show("The project could not be created", java.util.List.of(String.valueOf(e.getMessage())));
                });
            }
        });
    }

    /**
     * File > Save Project As: copies the open project as a whole (images in its folder, classes,
     * labels, history, embeddings, map) to {@code target} and goes on in the copy; the original
     * stays as it was. On a problem the original opens again and the problem is shown.
     */
    public void saveAs(Path target) {
        Workspace w = model.workspace().get();
        if (w == null) {
            return;
        }
        if (running != null) {
            problems.show("Save As waits for the import", java.util.List.of("Let the import finish, or cancel it, then save again."));
            return;
        }
        cancelLayout();
        Path from = w.dir();
        status.setText("Saving a copy in " + target + "…");
        // nothing is edited while the copy is made: the project is closed for it
        root.setDisable(true);
        java.util.concurrent.Future<?> closing = model.detach();
        Thread.ofPlatform().daemon().name("save-as").start(() -> {
            String problem = null;
            try {
                closing.get();
                OpenProject.copyWhole(from, target);
                var m = org.protolens.core.project.ProjectManifest.read(target);
                m.withName(target.getFileName().toString()).write(target);
            } catch (java.io.IOException | RuntimeException | InterruptedException | java.util.concurrent.ExecutionException e) {
                problem = String.valueOf(e.getMessage());
            }
            String failed = problem;
            Platform.runLater(() -> {
                root.setDisable(false);
                if (failed == null) {
                    open(target, mapView);
                } else {
                    open(from, mapView);
                    problems.show("The project could not be saved as " + target, java.util.List.of(failed));
                }
            });
        });
    }

    private static String backboneName(Path dir) {
        try {
            BackboneSpec spec = BackboneSpec.read(dir.resolve(BackboneSpec.FILE_NAME));
            return (spec.architecture() != null ? spec.architecture() : spec.format())
                    + " " + spec.input().width() + "×" + spec.input().height();
        } catch (java.io.IOException e) {
            return "backbone unreadable";
        }
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

    /** Says that a project could not be opened, why, and what the person can do; nothing else changes. */
    private void cannotOpen(Path folder, String why) {
        String hint = why.contains("in use by another ProtoLens")
                ? "The project is open in another ProtoLens window. Close it there, or open a copy of the folder."
                : why.contains("outside")
                ? "The project names files outside its folder. ProtoLens reads only a project's own files; ask whoever sent it for a project whose files are all inside its folder."
                : "Mend or replace the file named above, or choose another project (File > Open Project or Open Recent).";
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(stage);
        a.setTitle("Cannot open the project");
        a.setHeaderText("ProtoLens cannot open " + folder);
        javafx.scene.control.Label text = new javafx.scene.control.Label(why + "\n\n" + hint);
        text.setWrapText(true);
        text.setId("open-failure");
        a.getDialogPane().setContent(text);
        a.getDialogPane().setPrefWidth(620);
        a.show();
    }

    /** A project opened off the JavaFX thread, with the map to show it on. */
    private record Opened(OpenProject session, MapLayout layout, String layoutProblem) {
    }

    /** The project's map, kept so that reopening shows the same picture. */
    static final String MAP_FILE = "map-layout.bin";
    /** Every map is computed with this seed: the same project gives the same map. */
    static final long MAP_SEED = 42;
    private final ChoiceBox<MapLayout.Method> method = new ChoiceBox<>();
    private final Label layoutMessage = new Label();
    private final javafx.scene.control.ProgressIndicator layoutProgress = new javafx.scene.control.ProgressIndicator();
    private final javafx.scene.control.Hyperlink layoutCancel = new javafx.scene.control.Hyperlink("cancel");
    private final java.util.concurrent.ExecutorService layouts = oneThread("map-layout");

    /** A single background thread for one kind of long work, done in order; it does not keep the app running. */
    private static java.util.concurrent.ExecutorService oneThread(String name) {
        return java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name).factory());
    }
    private Task<MapLayout> layoutTask;
    private boolean settingMethod;

    /** Shows the layout's method in the toolbar without computing anything. */
    private void showingMethod(MapLayout layout) {
        settingMethod = true;
        method.setValue(layout == null ? MapLayout.Method.PCA : layout.method());
        settingMethod = false;
    }

    private void cancelLayout() {
        if (layoutTask != null) {
            layoutTask.cancel();
            layoutTask = null;
        }
        layoutProgress.setVisible(false);
    }

    /**
     * Lays the open project's images out again with {@code m}, in the background; the map changes
     * when it is done and is kept in the project.
     */
    private void computeLayout(MapLayout.Method m) {
        Workspace w = model.workspace().get();
        if (w == null || w.imageCount() < 2) {
            return;
        }
        cancelLayout();
        org.protolens.core.FloatMatrix embeddings = w.embeddings();
        Path file = w.dir().resolve(MAP_FILE);
        Task<MapLayout> task = new Task<>() {
            @Override
            protected MapLayout call() throws Exception {
                updateMessage("Computing the " + m + " map of " + embeddings.rows() + " images…");
                MapLayout layout = MapLayout.compute(embeddings, m, MAP_SEED, MapLayout.DEFAULT_LANDMARKS,
                        (what, done) -> {
                            updateMessage(what + "…");
                            updateProgress(done < 0 ? -1 : done, 1);
                        }, this::isCancelled);
                layout.write(file);
                return layout;
            }
        };
        layoutTask = task;
        layoutMessage.textProperty().bind(task.messageProperty());
        layoutProgress.progressProperty().bind(task.progressProperty());
        layoutProgress.setVisible(true);
        task.setOnSucceeded(e -> {
            if (layoutTask == task) {
                layoutTask = null;
                layoutProgress.setVisible(false);
                if (model.workspace().get() == w) {
                    mapView.setLayout(task.getValue());
                }
            }
        });
        task.setOnFailed(e -> {
            if (layoutTask == task) {
                layoutTask = null;
                layoutProgress.setVisible(false);
                problems.show("The map could not be computed", java.util.List.of(String.valueOf(task.getException().getMessage())));
                showingMethod(mapView.mapLayout());
            }
        });
        task.setOnCancelled(e -> showingMethod(mapView.mapLayout()));
        layouts.submit(task);
    }

    private void open(Path folder, MapView map) {
        cancelImports();
        problems.hide();
        // the open project is closed first: reopening it needs its catalog and cache free
        java.util.concurrent.Future<?> closing = model.detach();
        java.util.concurrent.atomic.AtomicReference<Path> copiedFrom = new java.util.concurrent.atomic.AtomicReference<>();
        Task<Opened> task = new Task<>() {
            @Override
            protected Opened call() throws Exception {
                closing.get();
                Path dir = folder;
                boolean bundled = SampleProjects.isBundled(dir);
                if (bundled || !java.nio.file.Files.isWritable(dir)) {
                    // samples (and read-only folders) are opened as the user's own copy, where changes are kept
                    updateMessage("Copying " + dir + " to " + SampleProjects.copies() + "…");
                    dir = OpenProject.ownCopy(dir, SampleProjects.copies(), bundled);
                    copiedFrom.set(bundled ? null : folder);
                }
                updateMessage("Opening " + dir + "…");
                OpenProject session = OpenProject.open(dir, OpenProject.Recovery.withBackbone((done, total) ->
                        updateMessage("Embedding again " + done + " of " + total + " images whose embeddings the cache lost…"),
                        this::isCancelled));
                Workspace w = session.workspace();
                if (w.imageCount() < 2) {
                    return new Opened(session, null, null);
                }
                // the map the project was last shown with, else a PCA map (quick) to start with
                Path file = dir.resolve(MAP_FILE);
                String problem = null;
                if (java.nio.file.Files.exists(file)) {
                    try {
                        return new Opened(session, MapLayout.read(file, w.embeddings()), null);
                    } catch (java.io.IOException | RuntimeException ex) {
                        problem = ex.getMessage() + "; the map is computed again";
                    }
                }
                return new Opened(session, MapLayout.compute(w.embeddings(), MapLayout.Method.PCA, MAP_SEED,
                        MapLayout.DEFAULT_LANDMARKS, (what, done) -> { }, () -> false), problem);
            }
        };
        task.setOnSucceeded(e -> {
            OpenProject session = task.getValue().session();
            Workspace w = session.workspace();
            cancelLayout();
            map.setWorkspace(w, task.getValue().layout());
            showingMethod(task.getValue().layout());
            model.show(session);
            probeDevice();
            status.setText(w.imageCount() + " images, " + w.classNames().size() + " classes");
            java.util.List<String> notRestored = new java.util.ArrayList<>(session.problems());
            if (copiedFrom.get() != null) {
                notRestored.addFirst(copiedFrom.get() + " cannot be written, so ProtoLens opened a copy of it (with its labels) at "
                        + w.dir() + "; your changes are kept there.");
            }
            if (task.getValue().layoutProblem() != null) {
                notRestored.add(task.getValue().layoutProblem());
            }
            if (!notRestored.isEmpty()) {
                problems.show("Some of the project could not be restored", notRestored);
            }
            if (screenshot == null) {
                prefs.put(LAST_PROJECT, w.dir().toAbsolutePath().toString());
                remember(w.dir().toAbsolutePath());
            } else {
                Platform.runLater(() -> Platform.runLater(this::writeScreenshotAndExit));
            }
            backbone.setText("Backbone: " + backboneName(w.dir().resolve(w.manifest().backbone())));
        });
        task.messageProperty().addListener((o, was, now) -> {
            if (now != null && !now.isEmpty()) {
                status.setText(now);
            }
        });
        task.setOnFailed(e -> {
            probeDevice();
            String why = String.valueOf(task.getException().getMessage());
            status.setText("Cannot open " + folder);
            if (screenshot != null) {
                System.err.println("protolens: cannot open " + folder + ": " + why);
                Platform.exit();
                System.exit(1);
            }
            cannotOpen(folder, why);
        });
        Thread t = new Thread(task, "open-project");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void stop() {
        cancelImports();
        cancelLayout();
        layouts.shutdownNow();
        importer.shutdown();
        try {
            importer.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (loadedBackbone != null) {
            loadedBackbone.close();
        }
        model.close();
    }
}
