package org.protolens.ui.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToolBar;
import javafx.scene.image.Image;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.StatusBar;
import org.protolens.Version;
import org.protolens.core.embed.Devices;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.analysis.AnalysisTabs;
import org.protolens.ui.backbones.BackbonesView;
import org.protolens.ui.backbones.BackbonesViewModel;
import org.protolens.ui.classes.ClassesView;
import org.protolens.ui.classes.ClassesViewModel;
import org.protolens.ui.common.ClassColours;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.Fxml;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;
import org.protolens.ui.common.UserSettings;
import org.protolens.ui.exporter.Exporter;
import org.protolens.ui.importer.Importer;
import org.protolens.ui.inspector.InspectorView;
import org.protolens.ui.inspector.InspectorViewModel;
import org.protolens.ui.map.MapControls;
import org.protolens.ui.map.MapView;
import org.protolens.ui.map.MapViewModel;
import org.protolens.ui.probe.ProbeView;
import org.protolens.ui.probe.ProbeViewModel;
import org.protolens.ui.probe.ShortcutView;
import org.protolens.ui.probe.ShortcutViewModel;
import org.protolens.ui.viewer.ImageViewer;

/**
 * The main window (fxml/MainWindow.fxml): it makes the ground floor (the project state, the one
 * command path, the one task runner, the theme), puts each feature's view into its place, and
 * wires what one feature asks of another (a class's "suggest likely members" opens the
 * Suggestions tab; an import that finishes lays the map out again).
 */
public final class MainWindow {
    /** room left free beside the toolbar's items and the legend, for rounding and the overflow arrow */
    private static final double LEGEND_SLACK = 24;
    /** the gap between toolbar items (Modena's spacing, with room for a separator's padding) */
    private static final double TOOLBAR_GAP = 8;

    @FXML private BorderPane root;
    @FXML private VBox top;
    @FXML private ToolBar toolbar;
    @FXML private Label projectName;
    @FXML private HBox layoutHolder;
    @FXML private HBox colourHolder;
    @FXML private SplitPane mapAndAnalysis;
    @FXML private NotificationPane notifications;
    @FXML private StackPane analysisHolder;
    @FXML private SplitPane side;
    @FXML private StackPane classesHolder;
    @FXML private StackPane inspectorHolder;
    @FXML private StatusBar statusBar;

    private final Stage stage;
    private final UserSettings settings = new UserSettings();
    private final Tasks tasks = new Tasks();
    private final ProjectState project = new ProjectState();
    private final Commands commands = new Commands(tasks, project);
    private final Theme theme = new Theme(settings.dark());
    private final Thumbnails thumbnails = new Thumbnails();
    private final Scene scene;
    private final MapView map;
    private final ClassesView classes;
    private final AnalysisTabs analysis;
    private final Importer importer;
    private final Exporter exporter;
    private final ProjectActions projects;
    private final StatusLine status;
    private final NoticeBar noticeBar;
    private final MainMenu menu;
    private final ImageViewer viewer;
    private final AnalysisArea analysisArea;
    private boolean deviceProbed;

    public MainWindow(Stage stage) {
        this.stage = stage;
        Fxml.load("MainWindow", this);
        tasks.setDefaultFailure(e -> project.notices().problem(Messages.get("job.failed"), List.of(String.valueOf(e.getMessage()))));
        status = new StatusLine(statusBar, project, tasks);
        noticeBar = new NoticeBar(notifications, project.notices());

        MapViewModel mapVm = new MapViewModel(project, tasks);
        map = new MapView(mapVm, project, theme, thumbnails, tasks);
        notifications.setContent(map);
        MapControls controls = new MapControls(mapVm, project);
        layoutHolder.getChildren().setAll(controls.layoutControls());
        colourHolder.getChildren().setAll(controls.colourControls());
        // the legend gives way when the toolbar has no room for it beside the rest (a long project name, a narrow window)
        controls.legend().visibleProperty().bind(Bindings.createBooleanBinding(() -> legendFits(controls),
                toolbar.widthProperty(), projectName.widthProperty(), layoutHolder.widthProperty()));
        projectName.textProperty().bind(project.workspace().map(WorkspaceState::name).orElse(""));

        classes = new ClassesView(new ClassesViewModel(project, commands), project, tasks);
        classesHolder.getChildren().setAll(classes);
        InspectorView inspector = new InspectorView(new InspectorViewModel(project, tasks), thumbnails, theme);
        ScrollPane inspectorScroll = new ScrollPane(inspector);
        inspectorScroll.setFitToWidth(true);
        inspectorScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        inspectorScroll.getStyleClass().add("side-scroll");
        inspectorHolder.getChildren().setAll(inspectorScroll);
        side.setDividerPositions(0.62);

        exporter = new Exporter(project, tasks, () -> stage, settings);
        importer = new Importer(project, commands, tasks, () -> stage);
        importer.setOnFinished(mapVm::importFinished);
        ImageActions imageActions = new ImageActions(project, commands);
        viewer = new ImageViewer(stage, project, imageActions);
        imageActions.setViewer(viewer::open);
        // on the map, the number keys and L label the selection (or the inspected image), Space shows the inspected one full
        // size, Delete removes the selected imported images
        map.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (imageActions.handle(e, this::selectedOrInspected, this::selectedOrAll, map)
                    || imageActions.remove(e, this::selectedOrInspected, map, () -> { })) {
                e.consume();
            }
        });
        inspector.setOnViewFullSize(() -> imageActions.view(selectedOrAll()));
        analysis = new AnalysisTabs(project, commands, tasks, theme, thumbnails, imageActions, classes::newClassFrom, exporter::sessions);
        ProbeViewModel probes = new ProbeViewModel(project, commands, tasks);
        analysis.add("probes", () -> new ProbeView(probes, project, theme, thumbnails, exporter::probeReport, exporter::saliency));
        ShortcutViewModel shortcut = new ShortcutViewModel(project, tasks);
        analysis.add("shortcut", () -> new ShortcutView(shortcut, theme, exporter::shortcutReport));
        BackbonesViewModel backbones = new BackbonesViewModel(project, tasks);
        analysis.add("backbones", () -> new BackbonesView(backbones, project, theme));
        analysisArea = new AnalysisArea(stage, mapAndAnalysis, analysisHolder, analysis.pane());
        classes.viewModel().setOnSuggest(analysis::suggestLikelyMembers);
        mapAndAnalysis.setDividerPositions(0.62);

        projects = new ProjectActions(stage, project, commands, tasks, mapVm, settings, status);
        importer.setOnOtherBackbone(r -> projects.newProjectFor(r.rows(), r.fingerprint(),
                () -> importer.importEmbeddings(r.rows(), r.imagesRoot())));
        backbones.setSwitcher(projects::switchBackbone);
        menu = new MainMenu(stage, project, commands, projects, importer, exporter, map, classes, theme, settings, this::about,
                analysisArea, imageActions, new SelectionsMenu(stage, project, tasks));
        top.getChildren().addFirst(menu.bar());
        projects.setOnShown(s -> {
            menu.fillRecent();
            probeDevice();
        });

        double[] size = windowSize();
        scene = new Scene(root, size[0], size[1]);
        theme.style(scene);
        theme.styleEveryWindow(stage);
        DropHandler.install(scene, project, importer);
        var icon = MainWindow.class.getResourceAsStream("/org/protolens/icons/protolens-256.png");
        if (icon != null) {
            stage.getIcons().add(new Image(icon));
        }
        stage.titleProperty().bind(project.workspace().map(w -> Messages.get("window.titleWith", w.name()))
                .orElse(Messages.get("window.title")));
        stage.setScene(scene);
        stage.setUserData(this);
    }

    /**
     * The window's first size: -Dprotolens.window=WIDTHxHEIGHT, else 1280 x 800 or the screen's
     * usable area where that is smaller.
     */
    private static double[] windowSize() {
        String asked = System.getProperty("protolens.window");
        if (asked != null && asked.matches("\\d{3,5}x\\d{3,5}")) {
            String[] wh = asked.split("x");
            return new double[] {Double.parseDouble(wh[0]), Double.parseDouble(wh[1])};
        }
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        return new double[] {Math.min(1280, screen.getWidth()), Math.min(800, screen.getHeight())};
    }

    /**
     * Shows the window and opens a project: the folder given, else the last one, else the bundled
     * sample. {@code --screenshot OUT.png} first: the smoke mode (write the window once it is drawn, exit).
     */
    public void show(List<String> parameters) {
        List<String> params = new ArrayList<>(parameters);
        Path screenshot = null;
        if (params.size() >= 2 && params.getFirst().equals("--screenshot")) {
            screenshot = Path.of(params.get(1));
            params = params.subList(2, params.size());
        }
        // the class palette (256 colours, each the farthest in CIELAB from those before) takes about
        // half a second to make in a cold JVM: made here in the background, before the map needs it
        tasks.start(tasks.job(Tasks.Lane.VIEWS, Messages.get("job.colours"), j -> ClassColours.rgb(0)), false);
        boolean firstStart = params.isEmpty() && screenshot == null && settings.lastProject() == null;
        Path folder = params.isEmpty() ? projects.lastOrSample() : Path.of(params.getFirst());
        if (screenshot != null) {
            Path out = screenshot;
            deviceProbed = true;
            projects.setRemember(false);
            projects.setOnFailed(why -> Screenshot.fail("cannot open " + folder + ": " + why));
            projects.setOnShown(s -> whenIdle(() -> Screenshot.takeAndExit(scene, out)));
            if (folder == null) {
                Screenshot.fail("no project to open");
                return;
            }
        }
        // the project is read in the background while the window is shown (making the native window,
        // styling and laying it out take about as long as opening the sample)
        if (folder == null) {
            probeDevice();
            status.say(Messages.get("status.noSample"));
        } else if (firstStart) {
            openFirstTime(folder);
        } else {
            projects.open(folder);
        }
        stage.show();
    }

    /** Opens {@code folder} as on the first start: a note with three first steps and the other samples goes with it. */
    public void openFirstTime(Path folder) {
        projects.introduceSamples();
        projects.open(folder);
    }

    /** Runs {@code r} at the first pulse at which no background work is left (the map and its prototypes placed). */
    private void whenIdle(Runnable r) {
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (tasks.idle()) {
                    stop();
                    r.run();
                }
            }
        }.start();
    }

    /**
     * Loads the engine to name the device for the status bar, once, after the first project is
     * drawn: loading libtorch takes a core for a second or two, which the first picture should not wait for.
     */
    private void probeDevice() {
        if (deviceProbed) {
            return;
        }
        deviceProbed = true;
        tasks.start(tasks.job(Tasks.Lane.IMPORT, Messages.get("status.device.looking"), j -> Devices.describe(Devices.preferred()))
                .onDone(text -> status.device(Messages.get("status.device", text)))
                .onFailure(e -> status.device(Messages.get("status.device.none", e.getMessage()))), false);
    }

    private void about() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(stage);
        a.setTitle(Messages.get("about.title"));
        a.setHeaderText(Messages.get("about.header", Version.protolens()));
        a.setContentText(String.join("\n", Version.lines()) + "\n\n" + Messages.get("about.text"));
        a.getDialogPane().setPrefWidth(560);
        a.showAndWait();
    }

    /** Stores what is pending and closes the project and the background work (the window closes). */
    public void close() {
        try {
            commands.close().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.getLogger(MainWindow.class.getName()).log(System.Logger.Level.WARNING, "the project was not closed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tasks.shutdown(10);
    }

    // ---- for window tests and benchmarks ----

    public ProjectState project() {
        return project;
    }

    public Commands commands() {
        return commands;
    }

    public Tasks tasks() {
        return tasks;
    }

    public Importer importer() {
        return importer;
    }

    public Exporter exporter() {
        return exporter;
    }

    public MapView map() {
        return map;
    }

    public ClassesView classes() {
        return classes;
    }

    public AnalysisTabs analysis() {
        return analysis;
    }

    /** The map's selection, or the inspected image when nothing is selected. */
    private int[] selectedOrInspected() {
        int[] selected = project.selection().get();
        int inspected = project.inspected().get();
        return selected.length > 0 ? selected : inspected >= 0 ? new int[] {inspected} : new int[0];
    }

    /** The images the viewer steps through from the map: the selection, or every image. */
    private List<Integer> selectedOrAll() {
        int[] selected = project.selection().get();
        WorkspaceState s = project.workspace().get();
        int[] images = selected.length > 0 || s == null ? selected : IntStream.range(0, s.imageCount()).toArray();
        return Arrays.stream(images).boxed().toList();
    }

    /** Where the analysis tabs are: under the map, maximised or in their own window (for tests). */
    AnalysisArea analysisArea() {
        return analysisArea;
    }

    /** The full-size image viewer (for tests). */
    public ImageViewer viewer() {
        return viewer;
    }

    public Theme theme() {
        return theme;
    }

    /** Opens a project folder as File > Open does. */
    public void open(Path folder) {
        projects.open(folder);
    }

    /** Saves the open project as {@code target} and goes on there, as File > Save Project As does. */
    public void saveAs(Path target) {
        projects.saveAs(target);
    }

    /** The same, copying the images imported from outside the project folder into the copy when {@code copyOutside}. */
    public void saveAs(Path target, boolean copyOutside) {
        projects.saveAs(target, copyOutside);
    }

    /** Looks for the missing imported images under {@code folder}, as File > Locate Missing Images does. */
    public void locate(Path folder) {
        projects.locate(folder);
    }

    /** Whether the notice bar shows a notice, and its details. */
    public boolean noticeShowing() {
        return noticeBar.showing();
    }

    public List<String> noticeLines() {
        return noticeBar.lines();
    }

    public Scene scene() {
        return scene;
    }

    /** Whether the toolbar's items fit its width with the map legend shown (else the toolbar would fold its end away). */
    private boolean legendFits(MapControls controls) {
        double needed = toolbar.getInsets().getLeft() + toolbar.getInsets().getRight() + LEGEND_SLACK;
        for (Node item : toolbar.getItems()) {
            needed += (item == colourHolder ? controls.prefWidthWithLegend() : item.prefWidth(-1)) + TOOLBAR_GAP;
        }
        return toolbar.getWidth() >= needed;
    }
}
