package org.protolens.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.controlsfx.control.RangeSlider;
import org.jfree.chart.entity.CategoryItemEntity;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.bench.FxStallWatchdog;
import org.protolens.core.FloatMatrix;
import org.protolens.core.analysis.BackboneComparison;
import org.protolens.core.analysis.NovelFlow;
import org.protolens.core.analysis.ProjectEpisodes;
import org.protolens.core.analysis.ProjectTuning;
import org.protolens.core.analysis.Suggestions;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.fscil.FewShotEpisodes;
import org.protolens.core.interop.ProjectExport;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.map.MapLayout;
import org.protolens.core.map.Trustworthiness;
import org.protolens.core.project.ComparedBackbones;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.History;
import org.protolens.core.project.ImportPlan;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.core.shortcut.GradCam;
import org.protolens.core.shortcut.OcclusionSaliency;
import org.protolens.core.shortcut.ProjectProbe;
import org.protolens.core.shortcut.ProjectShortcutReport;
import org.protolens.ui.analysis.ConfusionView;
import org.protolens.ui.analysis.FlowView;
import org.protolens.ui.analysis.ImagesView;
import org.protolens.ui.analysis.ImagesViewModel;
import org.protolens.ui.analysis.SessionsView;
import org.protolens.ui.analysis.SuggestionsView;
import org.protolens.ui.backbones.BackbonesView;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.importer.Importer;
import org.protolens.ui.map.MapView;
import org.protolens.ui.probe.ProbeView;
import org.protolens.ui.probe.ProbeViewModel;
import org.protolens.ui.probe.ShortcutView;
import org.protolens.ui.project.NewProjectDialog;
import org.protolens.ui.shell.MainWindow;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.NodeQueryUtils;
import org.testfx.util.WaitForAsyncUtils;

/** The real window, headless (Monocle), on the Fashion sample project. */
class MainWindowTest {
    private final FxRobot robot = new FxRobot();

    static Path sample(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-projects"))) {
            p = p.getParent();
        }
        return p.resolve("sample-projects").resolve(name);
    }

    @TempDir
    Path temp;
    private Path project;
    private Application app;
    /** times the JavaFX thread through each test; its longest stall is printed, not judged */
    private FxStallWatchdog watchdog;

    /** Each test works on its own copy of the Fashion sample. */
    @BeforeEach
    void open() throws Exception {
        project = temp.resolve("fashion");
        OpenProject.copy(sample("fashion-fewshot"), project);
        launch();
    }

    private void launch() throws Exception {
        FxToolkit.registerPrimaryStage();
        if (watchdog == null) {
            watchdog = new FxStallWatchdog(100);
        }
        app = FxToolkit.setupApplication(ProtoLensApp.class, project.toString());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#status").queryAs(Label.class).getText().contains("images"));
        settle();
    }

    private MainWindow window() {
        return ((ProtoLensApp) app).window();
    }

    /** Waits until the window's background work is done and its results are shown. */
    /**
     * Reads the scene graph on the JavaFX thread: a node's bounds are computed (and its parent's
     * cached bounds updated) when first asked for, which must not race the thread laying it out.
     */
    private static <T> T onFx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(30, TimeUnit.SECONDS);
    }

    /** A node's centre on the screen (on the JavaFX thread). */
    private static Point2D centreOf(Node node) {
        var b = node.localToScreen(node.getBoundsInLocal());
        return new Point2D(b.getCenterX(), b.getCenterY());
    }

    /**
     * The node's centre on the screen once it has stopped moving (a notice slides into view): the
     * same in two reads 100 ms apart. A click at a point read while it moves can miss it.
     */
    private Point2D stillCentreOf(Node node) throws Exception {
        Point2D[] last = {onFx(() -> centreOf(node))};
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> {
            Thread.sleep(100);
            Point2D now = onFx(() -> centreOf(node));
            boolean still = now.equals(last[0]);
            last[0] = now;
            return still;
        });
        return last[0];
    }

    private void settle() throws TimeoutException {
        for (int round = 0; round < 3; round++) {
            WaitForAsyncUtils.waitForFxEvents();
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> window().tasks().idle());
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Gives the main window and its map the keyboard focus, as a click into the map would. */
    private void focusMap() {
        robot.interact(() -> {
            Node map = robot.lookup("#map").query();
            map.getScene().getWindow().requestFocus();
            map.requestFocus();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String focusOwner() {
        Node map = robot.lookup("#map").query();
        return String.valueOf(map.getScene().getFocusOwner()) + ", window focused " + map.getScene().getWindow().isFocused();
    }

    private String status() {
        return robot.lookup("#status").queryAs(Label.class).getText();
    }

    private WorkspaceState state() {
        return window().project().workspace().get();
    }

    @AfterEach
    void close(TestInfo test) throws Exception {
        if (watchdog != null) {
            System.out.println("JavaFX thread in " + test.getDisplayName() + ": " + watchdog.report());
            watchdog.close();
        }
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
    }

    /** The classes as their rows show them: [name, images, shots, accuracy]. */
    private String classRows() {
        StringBuilder out = new StringBuilder();
        for (var r : window().classes().viewModel().allRows()) {
            if (r.index() >= 0) {
                out.append(List.of(r.name(), Integer.toString(r.images()),
                        r.kind() == Workspace.Kind.NOVEL ? Integer.toString(r.shots()) : "",
                        Double.isNaN(r.accuracy()) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * r.accuracy())));
            }
        }
        return out.toString();
    }

    /** Waits until the node is on a shown window (a dialog opens a moment after its nodes exist). */
    private void waitShown(String query) throws TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup(query).match(NodeQueryUtils.isVisible()).tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String summary() {
        return robot.lookup("#summary").queryAs(Label.class).getText();
    }

    /**
     * alpha and tau are set by typing into the fields beside the sliders, by the arrow keys in
     * steps of 0.05 and 1, and by the TEEN paper's settings from Reset; each re-predicts, and the
     * preset is one undoable step.
     */
    @Test
    void alphaAndTauTakeTypedValuesKeyStepsAndThePapersSettings() throws Exception {
        var vm = window().classes().viewModel();
        robot.doubleClickOn("#alpha-value .text-field").eraseText(6).write("0.25").type(KeyCode.ENTER);
        settle();
        assertEquals(0.25, vm.alpha().get(), 1e-9, "a typed alpha is taken");
        assertEquals(0.25, state().calibration().alpha(), 1e-9, "and predicts");
        robot.doubleClickOn("#tau-value .text-field").eraseText(6).write("thirty").type(KeyCode.ENTER);
        settle();
        assertEquals(16, vm.tau().get(), 1e-9, "text that is no number leaves tau as it was");
        assertEquals("16.0", robot.lookup("#tau-value .text-field").queryAs(TextField.class).getText());
        Slider tau = robot.lookup("#tau").queryAs(Slider.class);
        robot.interact(tau::requestFocus);
        robot.type(KeyCode.RIGHT);
        settle();
        assertEquals(17, state().calibration().tau(), 1e-9, "the arrow key moves tau by 1");
        Slider alpha = robot.lookup("#alpha").queryAs(Slider.class);
        robot.interact(alpha::requestFocus);
        robot.type(KeyCode.LEFT);
        settle();
        assertEquals(0.20, state().calibration().alpha(), 1e-9, "and alpha by 0.05");
        String before = summary();

        robot.clickOn("#calibration-reset");
        robot.clickOn("CIFAR-like data: α 0.1, τ 16");
        settle();
        assertEquals(0.1, state().calibration().alpha(), 1e-9);
        assertEquals(16, state().calibration().tau(), 1e-9);
        assertEquals("0.10", robot.lookup("#alpha-value .text-field").queryAs(TextField.class).getText());
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals(0.20, state().calibration().alpha(), 1e-9, "one undo takes the preset back");
        assertEquals(17, state().calibration().tau(), 1e-9);
        assertEquals(before, summary());
    }

    @Test
    void movingAlphaAndSwitchingCalibrationRepredictAtOnce() throws Exception {
        assertEquals("1,020 images, 10 classes", status());
        String atDefaults = summary();
        assertTrue(atDefaults.contains("Accuracy"), atDefaults);

        Slider alpha = robot.lookup("#alpha").queryAs(Slider.class);
        robot.interact(() -> alpha.setValue(0.9));
        settle();
        String strong = summary();
        assertNotEquals(atDefaults, strong, "alpha 0.9 changes the predictions");

        // dragging the thumb to the left end is alpha 0: the same as switching calibration off
        robot.drag(alpha.lookup(".thumb")).moveBy(-400, 0).release(MouseButton.PRIMARY);
        settle();
        assertEquals(0.0, alpha.getValue(), 1e-9);
        String alphaZero = summary();
        robot.interact(() -> alpha.setValue(0.5));
        settle();
        assertEquals(atDefaults, summary(), "back at the defaults, the same predictions");
        robot.clickOn("#calibration-on");
        settle();
        assertTrue(!robot.lookup("#calibration-on").queryAs(CheckBox.class).isSelected());
        assertEquals(alphaZero, summary(), "calibration off predicts as alpha = 0");
        assertTrue(alpha.isDisabled(), "the sliders rest while calibration is off");
        // the whole series is undone step by step: off, then back to 0.9 and the defaults
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertTrue(robot.lookup("#calibration-on").queryAs(CheckBox.class).isSelected(), "undo switches calibration on again");
        assertEquals(atDefaults, summary());
    }

    /**
     * Prototypes refined by TIM: chosen in the classes panel, refined in the background from the
     * images that are no shots, and every view follows (accuracy, the novel -> base chart's rows,
     * the map's stars); kept with the project, and one step to undo.
     */
    @Test
    void aTransductiveHeadRefinesTheNewPrototypesAndTheViewsFollow() throws Exception {
        String calibrated = summary();
        float[] calibratedStar = state().prototype(state().classNames().indexOf("Shirt"));
        robot.clickOn("#prototype-head");
        robot.clickOn("Refined by TIM");
        settle();
        assertEquals(PrototypeHead.TIM, state().head());
        assertTrue(state().predictions().refined(), "refined once the background work landed");
        assertNotEquals(calibrated, summary(), "the accuracy follows the refined prototypes");
        assertFalse(summary().contains("refining"), summary());
        assertFalse(Arrays.equals(calibratedStar, state().prototype(state().classNames().indexOf("Shirt"))), "the star moves");
        FlowView flowView = robot.lookup("#flow-view").queryAs(FlowView.class);
        List<String> bars = new ArrayList<>();
        for (Object o : flowView.viewer().getCanvas().getRenderingInfo().getEntityCollection().getEntities()) {
            if (o instanceof CategoryItemEntity e) {
                bars.add(e.getColumnKey().toString());
            }
        }
        assertTrue(bars.contains("Shirt  α=0.50 τ=16 + TIM"), "the chart names the head: " + bars);

        // a new shot: refined again for the new state; undo takes it back, then the head
        int shirt = state().classNames().indexOf("Shirt");
        int image = Arrays.stream(state().imagesOf(shirt)).filter(i -> !state().isShot(i)).findFirst().orElseThrow();
        robot.interact(() -> window().commands().edit(History.relabel("Shot", new int[] {image}, "Shirt", true)));
        settle();
        assertTrue(state().isShot(image) && state().predictions().refined());
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertTrue(!state().isShot(image) && state().predictions().refined());
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals(PrototypeHead.CALIBRATED, state().head());
        assertEquals(calibrated, summary(), "back as calibrated");
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z);
        settle();
        assertEquals(PrototypeHead.TIM, state().head(), "redo");

        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        assertEquals(PrototypeHead.TIM, state().head(), "kept with the project");
        assertTrue(state().predictions().refined(), "and refined again when it opens");
        @SuppressWarnings("unchecked")
        ChoiceBox<PrototypeHead> head = robot.lookup("#prototype-head").queryAs(ChoiceBox.class);
        assertEquals("Refined by TIM", head.getConverter().toString(head.getValue()));
    }

    /**
     * Classes > Few-Shot Episodes: the episodes run in the background over the project's labelled
     * images and the chart shows every head's mean accuracy with its 95% interval, the figures the
     * core computes for the same setting.
     */
    @Test
    void fewShotEpisodesChartEveryHeadWithItsInterval() throws Exception {
        robot.clickOn("Classes").clickOn("Few-Shot Episodes…");
        waitShown("#episodes-run");
        robot.doubleClickOn("#episodes-count .text-field").eraseText(6).write("200").type(KeyCode.ENTER);
        robot.clickOn("#episodes-run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> robot.lookup("#episodes-summary").queryAs(Label.class).getText().startsWith("4-way 1-shot"));
        ChartViewer viewer = robot.lookup("#episodes-chart").queryAs(ChartViewer.class);
        var data = (DefaultStatisticalCategoryDataset) viewer.getChart().getCategoryPlot().getDataset();
        var expected = ProjectEpisodes.of(state(), new FewShotEpisodes.Setting(4, 1, 15, 200, 1), true, () -> false);
        assertEquals(5, data.getColumnCount(), "NCM, TEEN, soft k-means from either, TIM");
        for (var h : expected.report().heads()) {
            assertEquals(100 * h.mean(), data.getMeanValue(0, data.getColumnIndex(h.head().toString())).doubleValue(), 1e-9);
            assertEquals(100 * h.ci95(), data.getStdDevValue(0, data.getColumnIndex(h.head().toString())).doubleValue(), 1e-9);
        }
        assertTrue(robot.lookup("#episodes-summary").queryAs(Label.class).getText().contains("drawn from 4 classes"));
        robot.clickOn("Close");
    }

    @Test
    void clickingAPointInspectsItsImageAndHoveringShowsItsCard() throws Exception {
        var workspace = Workspace.open(sample("fashion-fewshot"));
        MapView map = robot.lookup("#map").queryAs(MapView.class);
        // the first image of the project: images are listed class by class, T-shirt/top first
        Point2D p = onFx(() -> map.localToScreen(map.pointOf(0)));
        robot.moveTo(p);
        settle();
        assertTrue(map.hoverShowing(), "hovering a point shows its card");
        robot.clickOn(p);
        settle();
        String verdict = robot.lookup("#verdict").queryAs(Label.class).getText();
        int hit = map.pointAt(map.pointOf(0).getX(), map.pointOf(0).getY());
        assertTrue(hit >= 0, "a point is under the cursor");
        assertEquals(workspace.state().imagePath(hit), robot.lookup("#inspector-name").queryAs(Label.class).getText(),
                "the inspector shows the clicked image by its path in the project");
        assertTrue(verdict.startsWith("label " + workspace.classNames().get(workspace.label(hit))), verdict);
        assertTrue(verdict.contains("predicted "), verdict);
    }

    @Test
    void aLassoSelectionBecomesANewClassAndUndoTakesItBack() throws Exception {
        var workspace = Workspace.open(sample("fashion-fewshot"));
        MapView map = robot.lookup("#map").queryAs(MapView.class);
        int trouser = workspace.classNames().indexOf("Trouser");
        int first = workspace.imagesOf(trouser).getFirst();
        Point2D c = map.pointOf(first);
        // a square lasso of 30 px around one trouser's point, drawn with Shift held
        robot.press(KeyCode.SHIFT);
        Point2D[] corners = onFx(() -> new Point2D[] {map.localToScreen(c.add(-15, -15)), map.localToScreen(c.add(15, -15)),
                map.localToScreen(c.add(15, 15)), map.localToScreen(c.add(-15, 15)), map.localToScreen(c.add(-15, -14))});
        robot.drag(corners[0], MouseButton.PRIMARY).moveTo(corners[1]).moveTo(corners[2]).moveTo(corners[3]).moveTo(corners[4])
                .release(MouseButton.PRIMARY);
        robot.release(KeyCode.SHIFT);
        settle();
        List<double[]> square = List.of(new double[] {c.getX() - 15, c.getY() - 15},
                new double[] {c.getX() + 15, c.getY() - 15}, new double[] {c.getX() + 15, c.getY() + 15},
                new double[] {c.getX() - 15, c.getY() + 15});
        int[] square30 = map.inside(square);
        assertTrue(Arrays.stream(square30).anyMatch(i -> i == first), "the square holds the point");
        String selected = robot.lookup("#selection-info").queryAs(Label.class).getText();
        assertTrue(selected.matches("\\d+ images selected"), selected);
        int count = Integer.parseInt(selected.split(" ")[0]);
        assertTrue(Math.abs(count - square30.length) <= 3, "the lasso drawn by the mouse selects about the square's "
                + square30.length + " images: " + count);

        Button newClass = robot.lookup("#new-class").queryAs(Button.class);
        assertTrue(!newClass.isDisabled(), "a selection enables New class");
        robot.clickOn(newClass);
        settle();
        TextField name = robot.lookup("#new-class-name").queryAs(TextField.class);
        robot.clickOn(name).write("Long trousers");
        settle();
        assertEquals("Long trousers", name.getText());
        String holds = robot.lookup("#new-class-holds").queryAs(Label.class).getText();
        assertTrue(holds.contains("all labelled (Trouser " + count + ")"), "the dialog says what the lasso holds: " + holds);
        Button ok = robot.lookup("#new-class-ok").queryButton();
        assertTrue(ok.isDisabled(), "labelled images are not taken without the person's choice");
        robot.clickOn("#new-class-relabel");
        settle();
        assertTrue(!ok.isDisabled(), "ticked, the Trouser images can move");
        robot.clickOn(ok);
        settle();
        int shots = Math.min(5, count);
        String rows = classRows();
        assertTrue(rows.contains("[Long trousers, " + count + ", " + shots + ","), rows);
        assertTrue(newClass.isDisabled(), "the selection is used up");

        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        String after = classRows();
        assertTrue(!after.contains("Long trousers"), "undo removes the class: " + after);
        assertTrue(after.contains("[Trouser, 100, , "), "the images are trousers again: " + after);

        // redo, close the window, open the project again: the class is there, as it was
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z);
        settle();
        String redone = classRows();
        assertTrue(redone.contains("[Long trousers, " + count + ", " + shots + ","), redone);
        Slider alpha = robot.lookup("#alpha").queryAs(Slider.class);
        robot.interact(() -> alpha.setValue(0.8));
        settle();
        String before = classRows();
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        assertEquals(before, classRows(), "reopened, the classes, counts and accuracies are as they were");
        assertEquals(0.8, robot.lookup("#alpha").queryAs(Slider.class).getValue(), 1e-9);
    }

    /**
     * A folder with a sub-folder per class, dropped on the window (the same action as File >
     * Import): the dialog asks, the images are embedded in the background, and a broken file is
     * listed while the rest goes in (a broken shot's turn passes to the next image). The imported
     * copies are predicted as the project's own images they copy, and everything is there after
     * closing and reopening.
     */
    @Test
    void importingAFolderOfClassFoldersAddsClassesAndListsBrokenFiles() throws Exception {
        var workspace = Workspace.open(sample("fashion-fewshot"));
        Path drop = temp.resolve("new shoes");
        List<Integer> copied = new ArrayList<>();
        int sandal = workspace.classNames().indexOf("Sandal");
        int boot = workspace.classNames().indexOf("Ankle boot");
        for (int[] spec : new int[][] {{sandal, 0}, {boot, 1}}) {
            Path folder = drop.resolve(spec[1] == 0 ? "Slipper" : "Wellington");
            Files.createDirectories(folder);
            int j = 0;
            for (int i : workspace.imagesOf(spec[0]).stream().filter(i -> !workspace.isShot(i)).limit(8).toList()) {
                Files.copy(workspace.imageFile(i), folder.resolve(String.format("%02d.png", j++)));
                copied.add(i);
            }
        }
        // among the first three by name, the shots: the next readable image takes its turn
        Files.writeString(drop.resolve("Wellington").resolve("00a-broken.png"), "not a picture");
        Platform.runLater(() -> window().importer().importFiles(List.of(drop)));
        waitShown("#import-ok");
        assertTrue(robot.lookup("#groups-novel").queryAs(RadioButton.class).isSelected(),
                "folders with new names are offered as new classes");
        @SuppressWarnings("unchecked")
        Spinner<Integer> shots = robot.lookup("#shots-per-class").queryAs(Spinner.class);
        robot.interact(() -> shots.getValueFactory().setValue(3));
        robot.clickOn("#import-ok");
        settle();
        assertEquals("1,036 images, 12 classes", status());
        String rows = classRows();
        assertTrue(rows.contains("[Slipper, 8, 3,"), rows);
        assertTrue(rows.contains("[Wellington, 8, 3,"), "an unreadable file costs no shot: " + rows);
        assertTrue(window().noticeShowing(), "the broken file is reported");
        assertEquals(1, window().noticeLines().size());
        assertTrue(window().noticeLines().getFirst().contains("00a-broken.png"), window().noticeLines().toString());

        MapView map = robot.lookup("#map").queryAs(MapView.class);
        var w = state();
        for (int j = 0; j < copied.size(); j++) {
            int imported = 1020 + j;
            assertEquals(w.imageFile(imported).getFileName().toString(), String.format("%02d.png", j % 8));
            // the same pixels, embedded now by the backbone: the point lands on the original's
            assertEquals(map.pointOf(copied.get(j)).getX(), map.pointOf(imported).getX(), 0.5);
            assertEquals(map.pointOf(copied.get(j)).getY(), map.pointOf(imported).getY(), 0.5);
        }
        robot.clickOn("Dismiss");
        settle();
        assertTrue(!window().noticeShowing());

        // the import is one step to undo: its images and both classes go, and come back with redo.
        // The keys go to the main window as a person's would after clicking into it (the closed
        // import dialog and the dismissed notice leave the keyboard focus to the platform)
        focusMap();
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals("1,020 images, 10 classes", status(), "focus owner: " + focusOwner());
        assertTrue(!classRows().contains("Slipper"), classRows());
        focusMap();
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z);
        settle();
        assertEquals("1,036 images, 12 classes", status());

        String before = classRows();
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        assertEquals("1,036 images, 12 classes", status());
        assertEquals(before, classRows(), "reopened, the imported classes are as they were");
    }

    /**
     * A dataset's folder of train/ and test/ folders, each of class folders, is taken by its class
     * folders: the dialog asks from which splits, and a class's images from the splits chosen join
     * it, copied into the project when the person asks.
     */
    @Test
    void aFolderOfSplitsImportsItsClassFoldersFromTheSplitsChosen() throws Exception {
        var w = state();
        Path drop = temp.resolve("footwear");
        int sandal = w.classNames().indexOf("Sandal");
        List<Integer> rows = Arrays.stream(w.imagesOf(sandal)).boxed().limit(12).toList();
        for (int j = 0; j < rows.size(); j++) {
            Path f = drop.resolve(j < 8 ? "train" : "test").resolve(j % 2 == 0 ? "Slipper" : "Clog").resolve(j + ".png");
            Files.createDirectories(f.getParent());
            Files.copy(w.imageFile(rows.get(j)), f);
        }
        Platform.runLater(() -> window().importer().importFiles(List.of(drop)));
        waitShown("#import-ok");
        assertTrue(robot.lookup("#splits-by-class").queryAs(RadioButton.class).isSelected(),
                "train and test are splits: their class folders are offered as the classes");
        robot.clickOn("#split-test");
        assertTrue(robot.lookup(".dialog-pane").queryAs(DialogPane.class).getHeaderText().startsWith("Import 8 images"),
                "the train images only");
        robot.clickOn("#import-copy");
        robot.clickOn("#import-ok");
        settle();
        assertEquals("1,028 images, 12 classes", status());
        String classes = classRows();
        assertTrue(classes.contains("[Clog, 4, 4,") && classes.contains("[Slipper, 4, 4,"), classes);
        // copied into the project: the drop's folder can go, and the project keeps its images
        var after = state();
        for (int i = 1020; i < 1028; i++) {
            assertTrue(after.imageFile(i).startsWith(project.resolve("images/imported")), after.imageFile(i).toString());
            assertTrue(Files.isRegularFile(after.imageFile(i)));
        }
        AtomicFiles.deleteTree(drop);
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        assertEquals("1,028 images, 12 classes", status());
        assertTrue(!window().noticeShowing(), "nothing is missing: " + window().noticeLines());
    }

    /**
     * A project that cannot be opened (here a received one whose project.json names a file outside
     * its folder) gets a dialog with the file, the reason and what to do; the project that was
     * open opens again, and the broken one opens once mended.
     */
    @Test
    void aProjectThatCannotBeOpenedSaysWhyAndTheOpenOneStays() throws Exception {
        String before = status();
        Path received = temp.resolve("received");
        OpenProject.copy(sample("fashion-fewshot"), received);
        Path manifest = received.resolve("project.json");
        String good = Files.readString(manifest);
        Files.writeString(manifest, good.replaceFirst("\"embeddings\"\\s*:\\s*\"[^\"]*\"", "\"embeddings\": \"../../../etc/passwd\""));
        robot.interact(() -> window().open(received));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#open-failure").tryQuery().isPresent());
        String text = robot.lookup("#open-failure").queryAs(Label.class).getText();
        assertTrue(text.contains("project.json") && text.contains("etc/passwd") && text.contains("outside"), text);
        assertTrue(text.contains("ask whoever sent it"), "what to do: " + text);
        robot.clickOn("OK");
        settle();
        assertEquals(before, status(), "the project that was open opens again");
        assertEquals(project, state().dir());
        Files.writeString(manifest, good);
        robot.interact(() -> window().open(received));
        settle();
        assertEquals(before, status(), "mended, it opens (nothing of the failed open stayed locked)");
        assertEquals(received, state().dir());
    }

    /**
     * A project whose catalog was damaged (pages overwritten on disk) gets a dialog that offers
     * the newest copy from the project's backups folder, saying what it holds; restoring it opens
     * the project with its labels, and a note says where the damaged catalog was kept.
     */
    @Test
    void aDamagedCatalogIsRestoredFromItsCopyWithItsLabels() throws Exception {
        Path mine = temp.resolve("mine");
        OpenProject.copy(sample("fashion-fewshot"), mine);
        List<String> classes;
        int[] labels;
        try (OpenProject p = OpenProject.open(mine)) {
            Workspace w = p.workspace();
            int[] picked = w.imagesOf(w.classNames().indexOf("Bag")).stream().filter(i -> !w.isShot(i)).limit(3)
                    .mapToInt(Integer::intValue).toArray();
            History h = new History(w);
            h.apply(History.newClass("Handbag", picked));
            p.save(h.nextUndo().description());
            classes = List.copyOf(w.classNames());
            labels = IntStream.range(0, w.imageCount()).map(w::label).toArray();
        }
        try (var f = new RandomAccessFile(mine.resolve("catalog.db").toFile(), "rw")) {
            byte[] noise = new byte[8192];
            new Random(5).nextBytes(noise);
            f.seek(100);
            f.write(noise);
        }
        robot.interact(() -> window().open(mine));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#open-restore-backup").tryQuery().isPresent());
        String text = robot.lookup("#open-failure").queryAs(Label.class).getText();
        assertTrue(text.contains("catalog.db") && text.contains("backups folder") && text.contains("labelled images"), text);
        robot.clickOn("#open-restore-backup");
        settle();
        assertEquals(mine, state().dir());
        assertEquals(classes, state().classNames(), "the classes made before the damage");
        assertArrayEquals(labels, IntStream.range(0, state().imageCount()).map(state()::label).toArray(), "every label");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window().noticeShowing());
        assertTrue(window().noticeLines().toString().contains("damaged"), window().noticeLines().toString());
    }

    /**
     * Images imported from a folder that then moved are set aside at the next open (the notice says
     * so and names File > Locate Missing Images); locating the folder brings them back with their class.
     */
    @Test
    void imagesWhoseFolderMovedComeBackWhenTheFolderIsLocated() throws Exception {
        var w = state();
        Path drive = temp.resolve("drive");
        Path photos = drive.resolve("photos");
        Files.createDirectories(photos);
        List<ImportPlan.Item> items = new ArrayList<>();
        int bag = w.classNames().indexOf("Bag");
        int[] bags = w.imagesOf(bag);
        for (int j = 0; j < 6; j++) {
            Path copy = photos.resolve("satchel-" + j + ".png");
            Files.copy(w.imageFile(bags[j]), copy);
            items.add(new ImportPlan.Item(copy, "Satchel", Workspace.Kind.NOVEL, j < 3));
        }
        robot.interact(() -> window().importer().embed(window().commands().project(), items, List.of()));
        settle();
        assertEquals("1,026 images, 11 classes", status());
        String before = classRows();
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();

        Path mounted = temp.resolve("media/drive");
        Files.createDirectories(mounted.getParent());
        Files.move(drive, mounted);
        AtomicFiles.deleteTree(project.resolve(OpenProject.CACHE_FOLDER));
        launch();
        assertEquals("1,020 images, 10 classes", status(), "the moved images and their class wait");
        assertTrue(window().noticeLines().stream().anyMatch(l -> l.contains("Locate Missing Images")), window().noticeLines().toString());

        robot.interact(() -> window().locate(mounted));
        settle();
        assertEquals("1,026 images, 11 classes", status());
        assertEquals(before, classRows(), "the class as it was, its shots included");
        assertEquals("Found 6 of 6 missing images in " + mounted, window().project().notices().current().get().title());
        assertEquals(1, robot.lookup(".notification-pane .button").queryAll().stream().filter(b -> b.isVisible()).count(),
                "the notice that took the place of another has one Dismiss button");
    }

    /**
     * An import cancelled while its batches come in keeps what had joined and says how many; the
     * images it kept are one step to undo.
     */
    @Test
    void aCancelledImportSaysHowManyImagesItKept() throws Exception {
        var w = state();
        Path drop = temp.resolve("many");
        Files.createDirectories(drop);
        List<ImportPlan.Item> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Path copy = drop.resolve(String.format("%04d.png", i));
            Files.copy(w.imageFile(i), copy);
            items.add(new ImportPlan.Item(copy, null, null, false));
        }
        @SuppressWarnings("unchecked")
        Tasks.Job<Importer.Outcome>[] job = new Tasks.Job[1];
        robot.interact(() -> {
            // cancelled as the first batch joins, as a person's click on Cancel would while the points appear
            window().project().workspace().addListener((o, a, b) -> {
                if (b != null && b.imageCount() > 1020 && !job[0].isDone()) {
                    job[0].cancel();
                }
            });
            job[0] = window().importer().embed(window().commands().project(), items, List.of());
        });
        settle();
        int kept = state().imageCount() - 1020;
        assertTrue(kept > 0 && kept < 1000, kept + " images joined");
        var notice = window().project().notices().current().get();
        assertEquals("Import cancelled: " + String.format("%,d", kept) + " of 1,000 images were kept (Edit > Undo takes them out)",
                notice.title());
        focusMap();
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals(1020, state().imageCount(), "the images kept are one step to undo");
    }

    /** Choosing UMAP lays the map out again in the background; the project reopens with the same map. */
    @Test
    void aUmapMapIsComputedInTheBackgroundAndKeptWithTheProject() throws Exception {
        MapView map = robot.lookup("#map").queryAs(MapView.class);
        assertEquals(MapLayout.Method.PCA, map.mapLayout().method());
        robot.clickOn("#layout-umap");
        settle();
        assertEquals(MapLayout.Method.UMAP, map.mapLayout().method());
        float[] umap = map.mapLayout().xy().clone();
        assertEquals(2 * 1020, umap.length, "every image has a point");
        var w = state();
        double t = Trustworthiness.of(w.embeddings(), umap, 10);
        assertTrue(t > 0.93, "UMAP keeps neighbourhoods: trustworthiness " + t);
        // back to PCA and to UMAP again: the maps computed already are shown at once, not computed again
        robot.clickOn("#layout-pca");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(MapLayout.Method.PCA, map.mapLayout().method(), "the opened PCA map, at once");
        assertTrue(!window().map().viewModel().computing().get(), "nothing is computed");
        robot.clickOn("#layout-umap");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(MapLayout.Method.UMAP, map.mapLayout().method());
        assertTrue(!window().map().viewModel().computing().get());
        Assertions.assertArrayEquals(umap, map.mapLayout().xy(), "the same UMAP map");
        settle();

        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        MapView again = robot.lookup("#map").queryAs(MapView.class);
        assertEquals(MapLayout.Method.UMAP, again.mapLayout().method());
        assertEquals(MapLayout.Method.UMAP, window().map().viewModel().method().get());
        assertTrue(robot.lookup("#layout-umap").queryAs(ToggleButton.class).isSelected(),
                "the toolbar shows the map's method");
        Assertions.assertArrayEquals(umap, again.mapLayout().xy(), "reopened, the same map");
    }

    /**
     * File > New Project without base classes: an empty map that says how images get in; a folder
     * of class folders imported as base classes gives the project its classes and a map of all its
     * images; Save As goes on in a copy with the same classes and leaves the first folder as it was.
     */
    @Test
    void aNewEmptyProjectTakesItsClassesFromAnImportAndSaveAsGoesOnInACopy() throws Exception {
        var workspace = Workspace.open(sample("fashion-fewshot"));
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.N);
        waitShown("#new-project-create");
        TextField name = robot.lookup("#new-project-name").queryAs(TextField.class);
        TextField location = robot.lookup("#new-project-location").queryAs(TextField.class);
        Path projects = temp.resolve("my projects");
        robot.interact(() -> {
            name.setText("Shoes and bags");
            location.setText(projects.toString());
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Folder: " + projects.resolve("Shoes and bags"),
                robot.lookup("#new-project-folder").queryAs(Label.class).getText());
        robot.clickOn("#new-project-keep-base");
        robot.clickOn("#new-project-create");
        settle();
        assertEquals("0 images, 0 classes", status());
        assertEquals(projects.resolve("Shoes and bags"), state().dir());
        assertTrue(robot.lookup("#map-empty-hint").query().isVisible(), "an empty map says how images get in");

        Path drop = temp.resolve("drop");
        for (String cls : new String[] {"Sandal", "Bag"}) {
            Files.createDirectories(drop.resolve(cls));
            int j = 0;
            for (int i : workspace.imagesOf(workspace.classNames().indexOf(cls)).stream().limit(12).toList()) {
                Files.copy(workspace.imageFile(i), drop.resolve(cls).resolve(String.format("%02d.png", j++)));
            }
        }
        Platform.runLater(() -> window().importer().importFiles(List.of(drop)));
        waitShown("#import-ok");
        robot.clickOn("#groups-base");
        robot.clickOn("#import-ok");
        MapView map = robot.lookup("#map").queryAs(MapView.class);
        settle();
        assertTrue(map.mapLayout() != null && !map.viewModel().provisional().get() && map.mapLayout().xy().length == 48,
                "once the import is done, the map is laid out from all its images");
        assertEquals("24 images, 2 classes", status());
        assertTrue(!robot.lookup("#map-empty-hint").query().isVisible());
        String rows = classRows();
        assertTrue(rows.contains("[Bag, 12, ") && rows.contains("[Sandal, 12, "), rows);
        var w = state();
        int right = 0;
        for (int i = 0; i < w.imageCount(); i++) {
            right += w.predicted(i) == w.label(i) ? 1 : 0;
        }
        assertTrue(right >= 22, "bags and sandals are told apart by the prototypes of their own images: " + right + "/24");

        Path copy = temp.resolve("elsewhere").resolve("Shoes and bags v2");
        Platform.runLater(() -> window().saveAs(copy));
        settle();
        assertEquals(copy, state().dir());
        assertEquals("24 images, 2 classes", status());
        assertEquals(rows, classRows(), "the copy has the same classes and counts");
        assertEquals("Shoes and bags v2 – ProtoLens", robot.window(0).getScene().getWindow() instanceof Stage st
                ? st.getTitle() : "");
        try (var original = OpenProject.open(projects.resolve("Shoes and bags"))) {
            assertEquals(24, original.workspace().imageCount(), "the first project keeps its images");
            assertEquals("Shoes and bags", original.workspace().name());
        }
    }

    /**
     * The Novel -> base view: clicking the segment of a new class's images that fall into a base
     * class (before calibration) selects exactly those images.
     */
    @Test
    void clickingAFlowSegmentSelectsTheImagesItCounts() throws Exception {
        FlowView flowView = robot.lookup("#flow-view").queryAs(FlowView.class);
        var w = state();
        var flow = NovelFlow.of(w);
        ChartCanvas canvas = flowView.viewer().getCanvas();
        // the biggest segment of a novel class's images predicted as a base class, before calibration
        CategoryItemEntity target = null;
        int most = 0;
        for (Object o : canvas.getRenderingInfo().getEntityCollection().getEntities()) {
            if (o instanceof CategoryItemEntity e && e.getColumnKey().toString().endsWith("α=0")) {
                int novel = w.classNames().indexOf(e.getColumnKey().toString().replace("  α=0", ""));
                int as = w.classNames().indexOf(e.getRowKey().toString());
                int count = flow.images(novel, as, false).length;
                if (w.isBase(as) && count > most) {
                    most = count;
                    target = e;
                }
            }
        }
        assertTrue(target != null && most > 0, "some new-class images fall into a base class");
        int novel = w.classNames().indexOf(target.getColumnKey().toString().replace("  α=0", ""));
        int as = w.classNames().indexOf(target.getRowKey().toString());
        Rectangle2D box = target.getArea().getBounds2D();
        robot.clickOn(onFx(() -> canvas.localToScreen(box.getCenterX(), box.getCenterY())));
        settle();
        int[] selected = window().project().selection().get();
        Assertions.assertArrayEquals(flow.images(novel, as, false), selected);
        int[] raw = w.rawPredictions();
        for (int i : selected) {
            assertEquals(novel, w.label(i));
            assertEquals(as, raw[i]);
        }
        assertEquals(selected.length + " images selected", robot.lookup("#selection-info").queryAs(Label.class).getText());
    }

    /**
     * Labels exported as CSV come back through File > Import Labels as one undoable edit; a file
     * with a bad line is listed in the notice bar and changes nothing.
     */
    @Test
    void labelsExportedAsCsvImportBackAndABadFileChangesNothing() throws Exception {
        var w = state();
        int[] original = w.labels();
        Path csv = temp.resolve("labels.csv");
        ProjectExport.writeLabels(w, csv);
        int[] plain = IntStream.range(0, w.imageCount()).filter(i -> !w.isShot(i)).limit(50).toArray();
        forget(plain);

        Path bad = temp.resolve("bad.csv");
        Files.writeString(bad, "path,label\n" + w.imageFile(plain[0]) + ",Unicorn\n");
        robot.interact(() -> window().importer().importLabels(bad));
        settle();
        assertTrue(window().noticeShowing(), "the bad file is reported");
        assertEquals(List.of(bad + ":2: the project has no class \"Unicorn\""), window().noticeLines());
        assertEquals(-1, state().label(plain[0]), "nothing of the bad file is applied");

        robot.interact(() -> window().importer().importLabels(csv));
        settle();
        Assertions.assertArrayEquals(original, state().labels(), "the exported labels are back");
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertTrue(Arrays.stream(plain).allMatch(i -> state().label(i) < 0), "undo takes the imported labels back");
    }

    /**
     * File > Import Embeddings: rows embedded elsewhere by the project's backbone join without being
     * embedded again, labelled from X.labels.csv (a label the project has no class for makes a base
     * class), as one step to undo; rows another backbone made are refused with a notice naming the
     * file, and nothing of them joins.
     */
    @Test
    void embeddingsMadeElsewhereJoinAsOneUndoableImportAndAnotherBackbonesAreRefused() throws Exception {
        var w = state();
        int before = w.imageCount();
        int[] bags = Arrays.copyOf(w.imagesOf(w.classNames().indexOf("Bag")), 6);
        // six images from elsewhere: copies of bags under other names, so their rows are the bags' rows
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        float[] data = new float[bags.length * w.dim()];
        List<Path> copies = new ArrayList<>();
        StringBuilder labels = new StringBuilder("path,label\n");
        for (int j = 0; j < bags.length; j++) {
            Path copy = elsewhere.resolve("tote-" + j + ".png");
            Files.copy(w.imageFile(bags[j]), copy);
            System.arraycopy(w.embeddings().row(bags[j]), 0, data, j * w.dim(), w.dim());
            copies.add(copy.toAbsolutePath().normalize());
            if (j < 4) {
                labels.append(copy.getFileName()).append(",Tote\n");
            }
        }
        Path npy = elsewhere.resolve("totes.npy");
        NpyFile.writeMatrix(npy, new FloatMatrix(bags.length, w.dim(), data));
        PathLines.write(EmbeddingsImport.pathsBeside(npy), copies.stream().map(Path::toString).toList());
        Files.writeString(EmbeddingsImport.labelsBeside(npy), labels);
        Files.writeString(EmbeddingsImport.besides(npy), EmbeddingsImport.describe("another", "0123456789abcdef", w.dim(), bags.length));

        robot.interact(() -> window().importer().importEmbeddings(npy, null));
        settle();
        assertTrue(window().noticeShowing(), "rows of another backbone are refused");
        assertTrue(noticeTitle().contains("totes.npy"), noticeTitle());
        assertTrue(window().noticeLines().toString().contains("another backbone"), window().noticeLines().toString());
        assertEquals(before, state().imageCount(), "nothing of them joined");

        Files.writeString(EmbeddingsImport.besides(npy), EmbeddingsImport.describe("backbone",
                BackboneLoader.fingerprintOf(w.backboneDir()), w.dim(), bags.length));
        robot.interact(() -> window().importer().importEmbeddings(npy, null));
        settle();
        var s = state();
        assertEquals(before + bags.length, s.imageCount());
        assertEquals("Added 6 images from totes.npy without embedding them again", noticeTitle());
        int tote = s.classNames().indexOf("Tote");
        assertTrue(tote >= 0 && s.isBase(tote), "a new label makes a base class: " + s.classNames());
        for (int j = 0; j < bags.length; j++) {
            int at = before + j;
            assertEquals(copies.get(j), s.imageFile(at).toAbsolutePath().normalize());
            assertArrayEquals(w.embeddings().row(bags[j]), s.embeddings().row(at), "the row as made elsewhere");
            assertEquals(j < 4 ? tote : -1, s.label(at), copies.get(j) + "'s label");
        }
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals(before, state().imageCount(), "one undo takes the whole import back");
        assertFalse(state().classNames().contains("Tote"), "with the class it brought");
    }

    /**
     * File > Import Embeddings of a Spark job's Parquet output whose images the person has mounted in
     * another folder: the rows join labelled as the job labelled them, an image whose bytes changed
     * since the job embedded it is listed and left out, and one undo takes the import back.
     */
    @Test
    void aSparkJobsParquetJoinsFromTheFolderWhereItsImagesAre() throws Exception {
        int before = state().imageCount();
        Path job = temp.resolve("spark-job");
        Path fixture = sample("fashion-fewshot").getParent().getParent().resolve("app/src/test/resources/spark-job");
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path f : files.toList()) {
                Path target = job.resolve(fixture.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        // the job's images (the sample's files), where this computer has the collection
        Path mounted = temp.resolve("mounted");
        List<String> relative = new ArrayList<>();
        for (String line : PathLines.read(job.resolve("embeddings.paths.txt"))) {
            Path p = Path.of(line);
            Path rel = p.getParent().getFileName().resolve(p.getFileName());
            relative.add(rel.toString());
            Files.createDirectories(mounted.resolve(rel).getParent());
            Files.copy(sample("fashion-fewshot").resolve("images").resolve(rel), mounted.resolve(rel));
        }
        Path changed = mounted.resolve(relative.getFirst());
        Files.write(changed, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        robot.interact(() -> window().importer().importEmbeddings(job.resolve("job.json"), mounted));
        settle();
        var s = state();
        assertEquals(before + relative.size() - 1, s.imageCount());
        assertEquals("Added 11 images from spark-job; 1 left out:", noticeTitle());
        assertEquals(List.of(changed.toAbsolutePath().normalize() + ": changed since it was embedded (its bytes are not the ones its"
                + " row was made from)"), window().noticeLines());
        for (String rel : relative.subList(1, relative.size())) {
            int at = s.imagePaths().indexOf(mounted.resolve(rel).toAbsolutePath().normalize().toString());
            assertTrue(at >= before, rel + " joined");
            assertEquals(Path.of(rel).getParent().toString(), s.classNames().get(s.label(at)), rel + " labelled by the job");
        }
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals(before, state().imageCount(), "one undo takes the whole import back");
    }

    /**
     * Rows another backbone made are refused with a way on: the notice's New Project button opens
     * the New Project dialog with the backbone that made them offered first (here the CIFAR
     * sample's), and the new project, once open, takes every row with its label.
     */
    @Test
    void embeddingsOfAnotherBackboneGoIntoANewProjectMadeForThem() throws Exception {
        Path cifar = temp.resolve("cifar-copy");
        OpenProject.copy(sample("cifar10-fewshot"), cifar);
        Path npy = temp.resolve("cifar-rows").resolve("cifar.npy");
        Files.createDirectories(npy.getParent());
        WorkspaceState rows;
        try (OpenProject p = OpenProject.open(cifar)) {
            rows = p.workspace().state();
            ProjectExport.writeEmbeddings(rows, npy);
        }
        Path fashion = state().dir();
        robot.interact(() -> window().importer().importEmbeddings(npy, null));
        settle();
        assertTrue(window().noticeLines().toString().contains("another backbone"), window().noticeLines().toString());
        assertEquals(fashion, state().dir());

        Button wayOn = robot.lookup("#notice-action").queryButton();
        assertEquals("New Project for These Embeddings…", wayOn.getText());
        robot.clickOn(stillCentreOf(wayOn));
        waitShown("#new-project-create");
        TextField name = robot.lookup("#new-project-name").queryAs(TextField.class);
        assertEquals("Embeddings of cifar", name.getText(), "named for the rows");
        @SuppressWarnings("unchecked")
        ChoiceBox<NewProjectDialog.Source> source = robot.lookup("#new-project-source").queryAs(ChoiceBox.class);
        assertTrue(source.getValue().title().contains("CIFAR-10"), "the backbone that made them is offered first: " + source.getValue());
        Path projects = temp.resolve("for rows");
        robot.interact(() -> robot.lookup("#new-project-location").queryAs(TextField.class).setText(projects.toString()));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#new-project-create");
        settle();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> state() != null && state().imageCount() == rows.imageCount());
        settle();
        var s = state();
        assertEquals(projects.resolve("Embeddings of cifar"), s.dir());
        String added = String.format(Locale.ROOT, "%,d", rows.imageCount());
        assertEquals("Added " + added + " images from cifar.npy without embedding them again", noticeTitle());
        for (int i = 0; i < rows.imageCount(); i += 97) {
            int at = s.imagePaths().indexOf(rows.imageFile(i).toAbsolutePath().normalize().toString());
            assertTrue(at >= 0, rows.imagePath(i) + " joined");
            assertArrayEquals(rows.embeddings().row(i), s.embeddings().row(at), rows.imagePath(i));
            String label = rows.label(i) < 0 ? null : rows.classNames().get(rows.label(i));
            assertEquals(label, s.label(at) < 0 ? null : s.classNames().get(s.label(at)), rows.imagePath(i) + "'s label");
        }
    }

    private String noticeTitle() {
        return robot.lookup("#notice-title").queryAs(Label.class).getText();
    }

    /** Takes the labels of {@code images} away, as an edit (undoable). */
    private void forget(int[] images) throws Exception {
        robot.interact(() -> window().commands().edit(History.assign("forget", images,
                IntStream.range(0, images.length).map(i -> -1).toArray())));
        settle();
    }

    /**
     * Suggestions on unlabelled images: the most uncertain comes first; A accepts it, R marks the
     * next as not of its class, each re-ranks the list at once; a class's likely member accepted
     * with Enter becomes a labelled image, S makes the next a shot that moves its prototype; undo
     * takes every decision back.
     */
    @Test
    void acceptingAndRejectingSuggestionsWithOneKeyLabelsAndReRanksLive() throws Exception {
        var w = state();
        int[] plain = IntStream.range(0, w.imageCount()).filter(i -> !w.isShot(i)).toArray();
        forget(plain);
        robot.clickOn("Suggestions");
        settle();
        var view = robot.lookup("#suggestions-view").queryAs(SuggestionsView.class);
        assertEquals(Suggestions.uncertain(state(), 200, false), view.suggestions(),
                "the list is the engine's ranking, most uncertain first");
        var first = view.suggestions().getFirst();
        robot.clickOn(robot.lookup("#suggestions-list .list-cell").nth(0).queryAs(Node.class));
        settle();
        assertEquals(first.image(), window().project().inspected().get(), "the highlighted suggestion is inspected");

        robot.type(KeyCode.A);
        settle();
        assertEquals(first.suggested(), state().label(first.image()), "A labels the image with the suggested class");
        assertEquals(Suggestions.uncertain(state(), 200, false), view.suggestions(), "ranked again");
        assertTrue(view.suggestions().stream().noneMatch(s -> s.image() == first.image()));
        var second = view.list().getSelectionModel().getSelectedItem();
        assertEquals(view.suggestions().getFirst(), second, "the next suggestion is highlighted");

        robot.type(KeyCode.R);
        settle();
        assertTrue(state().isRejected(second.image(), second.suggested()), "R marks it as not of the suggested class");
        assertTrue(view.suggestions().stream().noneMatch(s -> s.image() == second.image() && s.suggested() == second.suggested()));

        String novel = state().classNames().getLast();
        int k = state().classNames().size() - 1;
        int shots = state().stats(k).shots();
        float[] prototype = state().rawPrototype(k);
        robot.interact(() -> view.showLikelyMembers(novel));
        settle();
        var likely = view.suggestions().getFirst();
        assertEquals(Suggestions.likelyMembers(state(), k, 200, false), view.suggestions());
        robot.clickOn(robot.lookup("#suggestions-list .list-cell").nth(0).queryAs(Node.class));
        robot.type(KeyCode.ENTER);
        settle();
        assertEquals(k, state().label(likely.image()), "Enter labels it as the new class");
        assertTrue(!state().isShot(likely.image()), "as a labelled image, not a shot");
        assertEquals(shots, state().stats(k).shots());
        var next = view.list().getSelectionModel().getSelectedItem();
        assertEquals(view.suggestions().getFirst(), next, "the next suggestion slides in under the highlight");
        robot.type(KeyCode.S);
        settle();
        assertEquals(shots + 1, state().stats(k).shots(), "S makes a suggested member of a new class a shot");
        assertTrue(state().isShot(next.image()));
        assertTrue(!Arrays.equals(prototype, state().rawPrototype(k)), "and its prototype moves");
        assertEquals(Suggestions.likelyMembers(state(), k, 200, false), view.suggestions(),
                "ranked against the new prototype");

        for (int undo = 0; undo < 4; undo++) {
            robot.push(KeyCode.CONTROL, KeyCode.Z);
        }
        settle();
        assertEquals(-1, state().label(first.image()));
        assertTrue(!state().isRejected(second.image(), second.suggested()));
        assertEquals(shots, state().stats(k).shots());
        assertTrue(Arrays.equals(prototype, state().rawPrototype(k)), "undo puts the prototype back");
    }

    /**
     * The image table's ranges: the margin's upper end dragged to 0.05 lists exactly the images
     * whose prediction nearly went another way, and the drop-down names the range it holds.
     */
    @Test
    void theMarginRangeListsThePredictionsThatNearlyWentAnotherWay() throws Exception {
        robot.clickOn("Images");
        var view = robot.lookup("#images-view").queryAs(ImagesView.class);
        settle();
        robot.clickOn("#grid-ranges");
        RangeSlider margin = robot.lookup("#grid-margin").queryAs(RangeSlider.class);
        robot.interact(() -> margin.setHighValue(0.05));
        settle();
        var s = state();
        Set<Integer> expected = IntStream.range(0, s.imageCount()).filter(i -> s.margin(i) <= 0.05).boxed()
                .collect(Collectors.toSet());
        assertTrue(!expected.isEmpty() && expected.size() < s.imageCount());
        assertEquals(expected, view.table().getItems().stream().map(ImagesViewModel.Row::image).collect(Collectors.toSet()));
        assertEquals("Margin 0.00–0.05", robot.lookup("#grid-ranges").queryAs(MenuButton.class).getText());
    }

    /**
     * Edit > Save Selection As keeps the map's selection under a name in the project; Edit > Saved
     * Selections selects those images again, after the project was closed and opened again too.
     */
    @Test
    void aSavedSelectionIsSelectedAgainAfterTheProjectIsOpenedAgain() throws Exception {
        var w = state();
        int[] bags = Arrays.copyOf(w.imagesOf(w.classNames().indexOf("Bag")), 6);
        robot.interact(() -> window().project().selection().set(bags));
        settle();
        robot.clickOn("Edit").clickOn("Save Selection As…");
        waitShown("#selection-name");
        robot.interact(() -> robot.lookup("#selection-name").queryAs(TextField.class).setText("Bags to review"));
        robot.clickOn("OK");
        settle();
        assertTrue(Files.isRegularFile(project.resolve("selections.json")), "kept in the project folder");
        robot.interact(() -> window().project().selection().set(new int[0]));
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        settle();
        assertEquals(0, window().project().selection().get().length);
        robot.clickOn("Edit").clickOn("Saved Selections").clickOn("Bags to review  (6 images)");
        settle();
        assertArrayEquals(bags, window().project().selection().get(), "the same images, selected again");
    }

    /**
     * Imported images chosen in the image table are removed from the project after a question (one
     * step to undo): the others keep their points on the map and their labels; the project's own
     * images cannot be removed; the removal is stored.
     */
    @Test
    void importedImagesChosenInTheTableAreRemovedAndUndoBringsThemBack() throws Exception {
        var w = state();
        Path drop = temp.resolve("more");
        Files.createDirectories(drop);
        List<ImportPlan.Item> items = new ArrayList<>();
        int[] bags = w.imagesOf(w.classNames().indexOf("Bag"));
        for (int j = 0; j < 8; j++) {
            Path copy = drop.resolve("bag-" + j + ".png");
            Files.copy(w.imageFile(bags[j]), copy);
            items.add(new ImportPlan.Item(copy, j < 5 ? "Satchel" : null, j < 5 ? Workspace.Kind.NOVEL : null, j < 2));
        }
        robot.interact(() -> window().importer().embed(window().commands().project(), items, List.of()));
        settle();
        assertEquals("1,028 images, 11 classes", status());
        MapView map = robot.lookup("#map").queryAs(MapView.class);
        var lastPoint = map.pointOf(1027);
        String lastPath = state().imagePath(1027);

        robot.clickOn("Images");
        var view = robot.lookup("#images-view").queryAs(ImagesView.class);
        // the table shows the selection: the imported images 2, 3 and 6 (a member, a member, an unlabelled one)
        robot.interact(() -> window().project().selection().set(new int[] {1022, 1023, 1026}));
        settle();
        robot.interact(() -> view.table().getSelectionModel().selectAll());
        settle();
        Node row = robot.lookup("#images-table .table-row-cell").nth(0).queryAs(Node.class);
        robot.interact(() -> view.table().getContextMenu().show(row, Side.BOTTOM, 0, 0));
        settle();
        robot.clickOn("#images-remove");
        waitShown(".dialog-pane");
        robot.clickOn("Remove");
        settle();
        assertEquals("1,025 images, 11 classes", status());
        assertEquals(lastPath, state().imagePath(1024), "the images after them move up");
        assertEquals(lastPoint.getX(), map.pointOf(1024).getX(), 1e-3, "and keep their points on the map");
        assertEquals(lastPoint.getY(), map.pointOf(1024).getY(), 1e-3);
        assertTrue(classRows().contains("[Satchel, 3, 2,"), classRows());
        assertEquals("Remove 3 images", window().project().undoText().get());
        assertEquals(0, window().project().highlighted().get().length, "no other image takes the removed rows' place");

        // the project's own images cannot be removed
        robot.interact(() -> window().project().selection().set(new int[] {0, 1024}));
        settle();
        robot.interact(() -> view.table().getSelectionModel().selectAll());
        settle();
        robot.interact(() -> view.table().getContextMenu().show(row, Side.BOTTOM, 0, 0));
        settle();
        var remove = view.table().getContextMenu().getItems().stream().filter(m -> "images-remove".equals(m.getId())).findFirst()
                .orElseThrow();
        assertTrue(remove.isDisable(), "the project's own images are no imported ones: " + remove.getText());
        robot.interact(() -> view.table().getContextMenu().hide());

        // undo brings the images back where they were; redone and reopened, the removal is there
        focusMap();
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals("1,028 images, 11 classes", status());
        assertEquals(lastPath, state().imagePath(1027));
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Z);
        settle();
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        assertEquals("1,025 images, 11 classes", status(), "the removal was stored");

        // Delete in the table asks the same question
        robot.clickOn("Images");
        var again = robot.lookup("#images-view").queryAs(ImagesView.class);
        robot.interact(() -> window().project().selection().set(new int[] {1024}));
        settle();
        robot.interact(() -> {
            again.table().getSelectionModel().select(0);
            again.table().requestFocus();
        });
        settle();
        assertEquals(1, again.table().getSelectionModel().getSelectedItems().size());
        robot.push(KeyCode.DELETE);
        waitShown(".dialog-pane");
        robot.clickOn("Remove");
        settle();
        assertEquals("1,024 images, 11 classes", status());

        // and on the map, for the selection
        robot.interact(() -> window().project().selection().set(new int[] {1023}));
        focusMap();
        robot.push(KeyCode.DELETE);
        waitShown(".dialog-pane");
        robot.clickOn("Remove");
        settle();
        assertEquals("1,023 images, 11 classes", status());

        // and from the Edit menu
        robot.interact(() -> window().project().selection().set(new int[] {1022}));
        robot.clickOn("Edit");
        robot.clickOn("Remove Selected Images from the Project…");
        waitShown(".dialog-pane");
        robot.clickOn("Remove");
        settle();
        assertEquals("1,022 images, 11 classes", status());
    }

    @Test
    void theImageGridFiltersNovelImagesPredictedAsBaseAndMakesAClassOfChosenRows() throws Exception {
        robot.interact(() -> window().classes().viewModel().calibrationOn().set(false));
        settle();
        var w = state();
        assertTrue(!w.calibrationEnabled());
        robot.clickOn("Images");
        var view = robot.lookup("#images-view").queryAs(ImagesView.class);
        settle();
        assertEquals(w.imageCount(), view.table().getItems().size(), "with nothing selected the grid shows every image");
        robot.clickOn("#grid-novel-as-base");
        settle();
        List<Integer> expected = IntStream.range(0, w.imageCount())
                .filter(i -> w.label(i) >= 0 && !w.isShot(i) && !w.isBase(w.label(i)) && w.isBase(w.predicted(i)))
                .boxed().toList();
        assertTrue(!expected.isEmpty());
        assertEquals(expected, view.table().getItems().stream().map(ImagesViewModel.Row::image).sorted().toList());

        // sort by similarity, lowest first: a click on the column header (the map's colouring has a "Similarity" too)
        robot.clickOn(robot.from(view.table()).lookup("Similarity").queryAs(Node.class));
        settle();
        var rows = view.table().getItems();
        for (int j = 1; j < rows.size(); j++) {
            assertTrue(rows.get(j - 1).similarity() <= rows.get(j).similarity(), "sorted at " + j);
        }
        int[] chosen = {rows.get(0).image(), rows.get(1).image()};
        robot.interact(() -> view.table().getSelectionModel().selectRange(0, 2));
        settle();
        assertEquals(Set.of(chosen[0], chosen[1]), Set.copyOf(Arrays.stream(window().project().highlighted().get()).boxed().toList()),
                "the chosen rows are drawn on the map");
        // Monocle sends no context-menu request for a right click: the table's menu is opened as the request would
        Node row = robot.lookup("#images-table .table-row-cell").nth(0).queryAs(Node.class);
        robot.interact(() -> view.table().getContextMenu().show(row, Side.BOTTOM, 0, 0));
        settle();
        robot.clickOn("New Class from 2 images…");
        waitShown("#new-class-name");
        robot.clickOn("#new-class-name").write("Lookalikes");
        assertTrue(robot.lookup("#new-class-holds").queryAs(Label.class).getText().startsWith("2 images selected, all labelled"));
        // the rows are labelled images of new classes: they move only when the person says so
        robot.clickOn("#new-class-relabel");
        robot.clickOn("#new-class-ok");
        settle();
        var after = state();
        int k = after.classNames().indexOf("Lookalikes");
        assertTrue(k >= 0, "the chosen rows became a new class");
        assertEquals(Set.of(chosen[0], chosen[1]), Set.copyOf(Arrays.stream(after.imagesOf(k)).boxed().toList()));
        assertTrue(after.isShot(chosen[0]) && after.isShot(chosen[1]));
    }

    /**
     * The Gallery shows the map's selection as large thumbnails (all images without one), each
     * captioned with its label and, where it differs, its prediction; a click inspects the image.
     */
    @Test
    void theGalleryShowsTheSelectionAsLargeThumbnailsAndAClickInspectsOne() throws Exception {
        robot.clickOn("Gallery");
        settle();
        GridView<?> grid = robot.lookup("#gallery-grid").queryAs(GridView.class);
        assertEquals(state().imageCount(), grid.getItems().size(), "without a selection, every image");
        var w = state();
        int bag = w.classNames().indexOf("Bag");
        int[] bags = Arrays.copyOf(w.imagesOf(bag), 12);
        robot.interact(() -> window().project().selection().set(bags));
        settle();
        assertEquals(Arrays.stream(bags).boxed().toList(), List.copyOf(grid.getItems()));
        assertEquals("12 selected images", robot.lookup("#gallery-summary").queryAs(Label.class).getText());
        robot.interact(() -> robot.lookup("#gallery-size").queryAs(Slider.class).setValue(200));
        settle();
        Node first = robot.lookup("#gallery-grid .gallery-cell").match(NodeQueryUtils.isVisible()).nth(0).queryAs(Node.class);
        assertEquals(200, onFx(() -> first.getBoundsInLocal().getWidth()), 8, "the size slider sets the thumbnails' size");
        String caption = robot.from(first).lookup(".gallery-caption").queryAs(Label.class).getText();
        assertTrue(caption.startsWith("Bag"), caption);
        robot.clickOn(onFx(() -> centreOf(first)));
        settle();
        assertEquals(bags[0], window().project().inspected().get(), "a click inspects the image");
        assertTrue(onFx(() -> first.getPseudoClassStates()).stream().anyMatch(p -> p.getPseudoClassName().equals("inspected")),
                "the inspected thumbnail is framed");
        robot.push(KeyCode.RIGHT);
        settle();
        assertEquals(bags[1], window().project().inspected().get(), "the right arrow inspects the next image");
        robot.push(KeyCode.END);
        settle();
        assertEquals(bags[11], window().project().inspected().get(), "End inspects the last");
        robot.push(KeyCode.LEFT);
        settle();
        assertEquals(bags[10], window().project().inspected().get());
    }

    /**
     * Choosing in the gallery: Ctrl-click chooses thumbnails, Shift-click a run of them; the chosen
     * ones get a halo on the map; a number key labels them all as one undoable edit; Esc lets them go.
     */
    @Test
    void thumbnailsChosenInTheGalleryAreHighlightedOnTheMapAndLabelledTogether() throws Exception {
        var w = state();
        int bag = w.classNames().indexOf("Bag");
        int[] bags = Arrays.copyOf(w.imagesOf(bag), 8);
        int[] order = ImageActions.keyOrder(w);
        int key = order[0] == bag ? 2 : 1;
        robot.interact(() -> window().project().selection().set(bags));
        robot.clickOn("Gallery");
        settle();
        // the cells of the first, third and fifth images (a grid cell shows whichever item it is given)
        List<Node> cells = new ArrayList<>();
        for (int j : new int[] {0, 1, 2, 3, 4}) {
            cells.add(robot.lookup("#gallery-grid .gallery-cell").match(NodeQueryUtils.isVisible())
                    .match((GridCell<?> c) -> Integer.valueOf(bags[j]).equals(c.getItem())).query());
        }
        robot.clickOn(onFx(() -> centreOf(cells.get(0))));
        robot.press(KeyCode.CONTROL).clickOn(onFx(() -> centreOf(cells.get(2)))).release(KeyCode.CONTROL);
        robot.press(KeyCode.SHIFT).clickOn(onFx(() -> centreOf(cells.get(4)))).release(KeyCode.SHIFT);
        settle();
        int[] chosen = {bags[2], bags[3], bags[4]};
        assertArrayEquals(chosen, Arrays.stream(window().project().highlighted().get()).sorted().toArray(),
                "Ctrl-click chose the third, Shift-click the run to the fifth: they are drawn on the map");
        assertTrue(robot.lookup("#gallery-summary").queryAs(Label.class).getText().contains("3 chosen"));
        assertTrue(onFx(() -> cells.get(3).getPseudoClassStates()).stream().anyMatch(p -> p.getPseudoClassName().equals("chosen")));
        robot.type(digit(key));
        settle();
        for (int i : chosen) {
            assertEquals(order[key - 1], state().label(i), "the number key labels every chosen image");
        }
        assertTrue(state().label(bags[0]) == bag, "the first, no longer chosen, keeps its label");
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        for (int i : chosen) {
            assertEquals(bag, state().label(i), "one undo gives every label back");
        }
        robot.type(KeyCode.ESCAPE);
        settle();
        assertEquals(0, window().project().highlighted().get().length, "Esc lets them go");
    }

    /**
     * Labelling by key: a number labels the gallery's highlighted image as the class it stands
     * for; Space shows the image full size with its path, label and prediction; in the viewer the
     * arrow keys step through the gallery's images, a number labels, S makes a shot of a new
     * class and takes it out again, Escape closes.
     */
    @Test
    void numberKeysLabelAndSpaceShowsTheImageFullSize() throws Exception {
        var w = state();
        int bag = w.classNames().indexOf("Bag");
        int[] bags = Arrays.copyOf(w.imagesOf(bag), 5);
        int[] order = ImageActions.keyOrder(w);
        int baseKey = order[0] == bag ? 2 : 1;
        int novelKey = 1 + IntStream.range(0, Math.min(9, order.length)).filter(j -> !w.isBase(order[j])).findFirst().orElseThrow();
        robot.interact(() -> window().project().selection().set(bags));
        robot.clickOn("Gallery");
        settle();
        Node first = robot.lookup("#gallery-grid .gallery-cell").match(NodeQueryUtils.isVisible()).nth(0).queryAs(Node.class);
        robot.clickOn(first);
        settle();
        robot.type(digit(baseKey));
        settle();
        assertEquals(order[baseKey - 1], state().label(bags[0]), "the number key labels the highlighted image");
        assertTrue(!state().isShot(bags[0]));

        robot.type(KeyCode.SPACE);
        settle();
        Stage viewer = window().viewer().stage();
        assertTrue(viewer.isShowing(), "Space opens the viewer");
        assertEquals(state().imagePath(bags[0]), robot.lookup("#viewer-path").queryAs(Label.class).getText());
        String verdict = robot.lookup("#viewer-verdict").queryAs(Label.class).getText();
        assertTrue(verdict.startsWith("label " + state().classNames().get(order[baseKey - 1])), verdict);
        assertEquals("1 of 5", robot.lookup("#viewer-position").queryAs(Label.class).getText());
        robot.type(KeyCode.RIGHT);
        settle();
        assertEquals(bags[1], window().project().inspected().get(), "the right arrow shows the next image");
        assertEquals("2 of 5", robot.lookup("#viewer-position").queryAs(Label.class).getText());
        int novel = order[novelKey - 1];
        robot.type(digit(novelKey));
        settle();
        assertEquals(novel, state().label(bags[1]), "a number labels the viewed image");
        assertTrue(!state().isShot(bags[1]), "as a labelled image");
        robot.type(KeyCode.S);
        settle();
        assertTrue(state().isShot(bags[1]), "S makes it a shot of its new class");
        assertEquals("Take out of the shots (S)", robot.lookup("#viewer-shot").queryAs(Button.class).getText());
        robot.type(KeyCode.S);
        settle();
        assertTrue(!state().isShot(bags[1]), "and S again takes it out");
        robot.type(KeyCode.ESCAPE);
        settle();
        assertTrue(!viewer.isShowing(), "Escape closes the viewer");
    }

    /** F1 opens the keyboard shortcuts, read from the menus and the views; the status bar says every change is saved. */
    @Test
    void theShortcutSheetListsTheMenusKeysAndTheViewsAndTheStatusBarSaysSaved() throws Exception {
        assertEquals("✓ Saved", robot.lookup("#saved").queryAs(Label.class).getText());
        robot.interact(() -> window().classes().viewModel().alpha().set(0.7));
        settle();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#saved").queryAs(Label.class).getText().equals("✓ Saved"));
        focusMap();
        robot.push(KeyCode.F1);
        waitShown("#shortcut-sheet");
        List<String> lines = robot.lookup("#shortcut-sheet").queryAs(GridPane.class).getChildren().stream()
                .map(n -> ((Label) n).getText()).toList();
        String text = String.join("|", lines);
        assertTrue(text.contains("Ctrl+Z|Undo"), text);
        assertTrue(text.contains("Ctrl+N|New Class from Selection"), text);
        assertTrue(text.contains("F1|Keyboard Shortcuts"), text);
        assertTrue(text.contains("Full-size viewer"), text);
        assertTrue(text.contains("S|accept as a shot of the new class (its prototype moves)"), text);
        robot.type(KeyCode.ESCAPE);
    }

    /**
     * The analysis area grows with the window; a double-click on its tab headers gives it the
     * map's height too and another gives the map back; View > Analysis in Its Own Window moves
     * the tabs into a window, and closing that window brings them back.
     */
    @Test
    void theAnalysisAreaMaximisesAndMovesIntoAWindowOfItsOwn() throws Exception {
        TabPane tabs = robot.lookup("#analysis").queryAs(TabPane.class);
        double normal = tabs.getHeight();
        Stage main = (Stage) tabs.getScene().getWindow();
        robot.interact(() -> main.setHeight(main.getHeight() + 200));
        settle();
        assertTrue(tabs.getHeight() > normal + 40, "a taller window, a taller analysis area: " + normal + " -> " + tabs.getHeight());
        double grown = tabs.getHeight();
        robot.doubleClickOn(robot.lookup("#analysis .tab-header-background").queryAs(Node.class));
        settle();
        assertTrue(tabs.getHeight() > grown * 1.5, "maximised: " + tabs.getHeight());
        robot.doubleClickOn(robot.lookup("#analysis .tab-header-background").queryAs(Node.class));
        settle();
        assertEquals(grown, tabs.getHeight(), 3, "and back");

        robot.clickOn("View").clickOn("Analysis in Its Own Window");
        settle();
        assertTrue(tabs.getScene().getWindow() != main, "the tabs are in a window of their own");
        assertTrue(robot.lookup("#analysis-placeholder").tryQuery().isPresent());
        robot.clickOn("Confusion");
        settle();
        assertTrue(robot.lookup("#confusion-view").tryQuery().isPresent(), "and work there");
        robot.interact(() -> tabs.getScene().getWindow().hide());
        settle();
        assertEquals(main, tabs.getScene().getWindow(), "closing that window brings them back");
        assertEquals(grown, tabs.getHeight(), 3);
    }

    /**
     * Every colouring button stays on the toolbar whatever the window's width and the project's name:
     * the map legend gives way first, and comes back where there is room for it.
     */
    @Test
    void theColouringStaysOnTheToolbarAndTheLegendGivesWay() throws Exception {
        double initial = robot.lookup("#colouring").query().getScene().getWindow().getWidth();
        // a project with a short name at the full width, narrower, full again
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        Path json = project.resolve("project.json");
        Files.writeString(json, Files.readString(json).replace("\"Fashion-MNIST few-shot\"", "\"F\""));
        launch();
        for (int width : new int[] {1280, 1024, 1280}) {
            assertColouringShown(width, width == 1280);
        }
        // a long project name leaves no room for the legend at the same width; the colouring stays
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        project = temp.resolve("shapes");
        OpenProject.copy(sample("shapes-shortcut"), project);
        launch();
        assertColouringShown(1280, false);
        assertColouringShown(1024, false);
        // the next test's window (the same stage) starts as wide as this one did
        robot.interact(() -> ((Stage) robot.lookup("#colouring").query().getScene().getWindow()).setWidth(initial));
        settle();
    }

    private void assertColouringShown(int width, boolean legendShown) throws Exception {
        Node colouring = robot.lookup("#colouring").query();
        Stage main = (Stage) colouring.getScene().getWindow();
        robot.interact(() -> main.setWidth(width));
        settle();
        assertNotNull(colouring.getScene(), width + " px: the colouring is not folded into the toolbar's overflow");
        double right = onFx(() -> colouring.localToScene(colouring.getBoundsInLocal()).getMaxX());
        assertTrue(right <= colouring.getScene().getWidth(), width + " px: the colouring ends inside the window, at " + right);
        assertEquals(legendShown, robot.lookup("#map-legend").query().isVisible(),
                width + " px: the legend shown only where there is room");
    }

    /**
     * The Sessions tab reports class means (each class's recall averaged, as TEEN does) unless the
     * person asks for accuracies pooled over images; with one class shrunk to 10 images the two differ.
     */
    @Test
    void theSessionsTabShowsClassMeansUnlessPooledAccuracyIsChosen() throws Exception {
        var w = state();
        int trouser = w.classNames().indexOf("Trouser");
        int[] most = Arrays.stream(w.imagesOf(trouser)).filter(i -> !w.isShot(i)).limit(90).toArray();
        robot.interact(() -> window().commands().edit(History.relabel("unlabel", most, null, false)));
        settle();
        robot.clickOn("Sessions");
        settle();
        SessionsView view = robot.lookup("#sessions-view").queryAs(SessionsView.class);
        var table = view.table();
        var now = view.result().now().getLast();
        var raw = view.result().raw().getLast();
        assertTrue(Math.abs(now.classMeanAcc() - now.acc()) > 1e-3, "unequal classes: the two accuracies differ");
        int last = table.getItems().size() - 1;
        assertEquals(percent(raw.classMeanAcc()) + " → " + percent(now.classMeanAcc()), table.getColumns().get(2).getCellData(last),
                "acc is the class mean by default");
        assertTrue(robot.lookup("#sessions-summary").queryAs(Label.class).getText().contains("class means"));
        robot.interact(() -> robot.lookup("#sessions-measure").queryAs(ChoiceBox.class).setValue(false));
        settle();
        assertEquals(percent(raw.acc()) + " → " + percent(now.acc()), table.getColumns().get(2).getCellData(table.getItems().size() - 1),
                "pooled on request");
        assertTrue(robot.lookup("#sessions-summary").queryAs(Label.class).getText().contains("pooled over images"));
        String classes = robot.lookup("#summary").queryAs(Label.class).getText();
        assertTrue(classes.contains("(pooled "), "the classes panel gives the pooled accuracy beside the class mean: " + classes);
    }

    private static String percent(Double v) {
        return String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    /**
     * Reset > Suggest from This Project's Labels scores alpha and tau on the shots (left out one at
     * a time) and the base images, shows the grid with the best point framed, and applies it as one
     * undoable step.
     */
    @Test
    void alphaAndTauAreSuggestedFromTheProjectsLabelsAndAppliedUndoably() throws Exception {
        var before = state().calibration();
        var expected = ProjectTuning.of(state(), () -> false);
        robot.clickOn("#calibration-reset");
        robot.clickOn("#calibration-suggest");
        waitShown("#tuning-grid");
        String verdict = robot.lookup("#tuning-verdict").queryAs(Label.class).getText();
        assertTrue(verdict.startsWith("Best: α " + num(expected.best().alpha()) + ", τ " + num(expected.best().tau())), verdict);
        assertTrue(robot.lookup("#tuning-best").tryQuery().isPresent(), "the best point is framed");
        robot.clickOn("#tuning-apply");
        settle();
        assertEquals(expected.best().alpha(), state().calibration().alpha(), 1e-9);
        assertEquals(expected.best().tau(), state().calibration().tau(), 1e-9);
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals(before, state().calibration(), "one undo gives the setting back");
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** Zoomed in to a few images (View > Zoom to Selection), the map draws them as thumbnails; the whole map draws dots. */
    @Test
    void zoomedInTheMapDrawsThumbnails() throws Exception {
        MapView map = robot.lookup("#map").queryAs(MapView.class);
        var w = state();
        int[] two = Arrays.copyOf(w.imagesOf(w.classNames().indexOf("Bag")), 2);
        robot.interact(() -> window().project().selection().set(two));
        robot.interact(map::zoomToSelection);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            robot.interact(map::redraw);
            return map.thumbnailsDrawn() > 0;
        });
        robot.interact(map::resetView);
        robot.interact(map::redraw);
        assertEquals(0, map.thumbnailsDrawn(), "the whole map: dots");
    }

    /** On the first start, a sample opens with a note of three first steps and the other samples' names. */
    @Test
    void theFirstStartGuidesThroughThreeStepsAndNamesTheOtherSamples() throws Exception {
        robot.interact(() -> window().openFirstTime(sample("cifar10-fewshot")));
        settle();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window().noticeShowing() && window().noticeLines().size() >= 3);
        List<String> lines = window().noticeLines();
        assertTrue(lines.get(0).startsWith("1. See where the new classes fall"), lines.toString());
        assertTrue(lines.get(1).startsWith("2. Move α"), lines.toString());
        assertTrue(lines.get(2).startsWith("3. Make a class of your own"), lines.toString());
        assertTrue(lines.getLast().contains("Fashion-MNIST few-shot"), "the other samples are named: " + lines);
    }

    /**
     * File > New Project from a model on the internet: the zoo's ImageNet ResNet-18 is offered
     * with its input; another URL (here a file:// archive, which DJL fetches, unpacks and caches as
     * it does an https:// one) is checked with a test batch and becomes the project's backbone.
     */
    @Test
    void aNewProjectStartsFromAModelUrl() throws Exception {
        Path zip = temp.resolve("tinynet.zip");
        try (var out = Files.newOutputStream(zip); var z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("tinynet/tinynet.pt"));
            Files.copy(sample("fashion-fewshot").getParent().getParent().resolve("app/src/test/resources/torchscript/tiny.pt"), z);
            z.closeEntry();
        }
        Path projects = temp.resolve("zoo");
        newProjectFrom(NewProjectDialog.Kind.ZOO, "Zoo", projects);
        WaitForAsyncUtils.waitForFxEvents();
        TextField model = robot.lookup("#new-project-model").queryAs(TextField.class);
        assertEquals("djl://ai.djl.pytorch/resnet18_embedding", model.getText(), "the zoo's ImageNet ResNet-18 by default");
        assertEquals("224", robot.lookup("#new-project-width").queryAs(TextField.class).getText(), "with ImageNet's input");
        robot.interact(() -> {
            model.setText(zip.toUri().toString());
            robot.lookup("#new-project-width").queryAs(TextField.class).setText("32");
            robot.lookup("#new-project-height").queryAs(TextField.class).setText("32");
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#new-project-check");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#new-project-checked").queryAs(Label.class).getText().startsWith("✓ The model gives 16-value"));
        robot.clickOn("#new-project-create");
        settle();
        assertEquals(projects.resolve("Zoo"), state().dir());
        assertEquals(16, state().dim());
        assertTrue(Files.isRegularFile(projects.resolve("Zoo/backbone/tinynet.pt")), "the model is the project's own now");
    }

    /**
     * File > New Project from one's own TorchScript file: its input size and normalisation typed,
     * Check loads it and runs a test batch, Create makes an empty project with that backbone.
     */
    @Test
    void aNewProjectStartsFromOnesOwnTorchScriptFile() throws Exception {
        Path model = sample("fashion-fewshot").getParent().getParent().resolve("app/src/test/resources/torchscript/tiny.pt");
        Path projects = temp.resolve("own");
        newProjectFrom(NewProjectDialog.Kind.TORCHSCRIPT, "Mine", projects);
        WaitForAsyncUtils.waitForFxEvents();
        Button create = robot.lookup("#new-project-create").queryButton();
        assertTrue(create.isDisabled(), "no file yet");
        robot.interact(() -> {
            robot.lookup("#new-project-model").queryAs(TextField.class).setText(model.toString());
            robot.lookup("#new-project-width").queryAs(TextField.class).setText("32");
            robot.lookup("#new-project-height").queryAs(TextField.class).setText("32");
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!create.isDisabled());
        robot.clickOn("#new-project-check");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#new-project-checked").queryAs(Label.class).getText().startsWith("✓ The model gives 16-value"));
        robot.clickOn("#new-project-create");
        settle();
        assertEquals("0 images, 0 classes", status());
        assertEquals(projects.resolve("Mine"), state().dir());
        assertEquals(16, state().dim());
        // a TorchScript network cannot be differentiated: the Probes tab offers occlusion only
        robot.clickOn("Probes");
        settle();
        ProbeView probes = robot.lookup("#probe-view").queryAs(ProbeView.class);
        assertFalse(probes.viewModel().gradCamAvailable().get());
        assertEquals(ProbeViewModel.SaliencyMethod.OCCLUSION, probes.viewModel().method().get());
    }

    private static KeyCode digit(int d) {
        return KeyCode.valueOf("DIGIT" + d);
    }

    /**
     * The Probes tab: an inspected image's counterfactual edits, each embedded with the project's
     * backbone, with a region the person drew as one more; a chosen row's edited copy appears on
     * the map; the figures follow alpha; saliency for the image's prediction, exportable; nothing
     * is added to the project.
     */
    @Test
    void probesEditTheInspectedImageShowTheCopyOnTheMapAndComputeSaliency() throws Exception {
        var w = state();
        int bag = w.imagesOf(w.classNames().indexOf("Bag"))[3];
        robot.interact(() -> window().project().inspected().set(bag));
        robot.clickOn("Probes");
        settle();
        ProbeView view = robot.lookup("#probe-view").queryAs(ProbeView.class);
        Node pane = robot.lookup("#probe-image-pane").query();
        // draw a region over the image's upper left quarter: it becomes the "erase-region" edit
        var b = onFx(() -> pane.localToScreen(pane.getBoundsInLocal()));
        robot.drag(b.getMinX() + 5, b.getMinY() + 5, MouseButton.PRIMARY).moveTo(b.getMinX() + b.getWidth() / 2,
                b.getMinY() + b.getHeight() / 2).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(view.viewModel().drawn().get(), "the drag drew a region");
        robot.clickOn("#probe-run");
        settle();
        var shown = view.viewModel().shown().get();
        assertNotNull(shown, "the probes ran");
        assertArrayEquals(new int[] {bag}, shown.result().images());
        TableView<?> table = robot.lookup("#probe-table").queryAs(TableView.class);
        List<String> edits = shown.result().report().rows().stream().map(r -> r.edit()).toList();
        assertEquals(List.of("greyscale", "colour-jitter", "background-flat", "background-noise", "background-other", "patch-shuffle",
                "occlude-centre", "flip", "erase-region"), edits);
        assertEquals(edits.size(), table.getItems().size());
        assertEquals(w.imageCount(), state().imageCount(), "probing adds nothing to the project");
        robot.interact(() -> table.getSelectionModel().select(edits.indexOf("patch-shuffle")));
        WaitForAsyncUtils.waitForFxEvents();
        var marks = window().project().probeMarks().get();
        assertNotNull(marks, "the chosen edit's copy is on the map");
        assertArrayEquals(new int[] {bag}, marks.images());
        assertEquals("patch-shuffle", marks.edit());
        settle();
        var preview = view.viewModel().preview().get();
        assertNotNull(preview, "the chosen edit's copy is shown");
        assertEquals(bag, preview.image());
        ImageView shownImage = robot.lookup("#probe-image").queryAs(ImageView.class);
        assertEquals(preview.edited().width(), shownImage.getImage().getWidth(), 0.5, "as the edit made it");
        int[] sortedEdited = preview.edited().rgb().clone();
        int[] sortedOriginal = ProjectProbe.image(state(), bag).rgb().clone();
        Arrays.sort(sortedEdited);
        Arrays.sort(sortedOriginal);
        assertArrayEquals(sortedOriginal, sortedEdited, "a patch shuffle moves the image's pixels, nothing else");
        // alpha changes: the same copies scored against the new prototypes, nothing embedded again
        var before = shown;
        robot.interact(() -> robot.lookup("#alpha").queryAs(Slider.class).setValue(0.95));
        settle();
        var after = view.viewModel().shown().get();
        assertEquals(state(), after.state(), "the report follows the latest prototypes");
        assertArrayEquals(before.result().report().outcomes().get(0).embedding(), after.result().report().outcomes().get(0).embedding());
        robot.clickOn("#probe-saliency");
        settle();
        var saliency = view.viewModel().saliency().get();
        assertNotNull(saliency, "the saliency was computed");
        assertEquals(bag, saliency.image());
        assertEquals(state().predicted(bag), saliency.classIndex(), "of the image's prediction by default");
        OcclusionSaliency.Map occluded = assertInstanceOf(OcclusionSaliency.Map.class, saliency.map(), "occlusion by default");
        assertTrue(occluded.grid().length > 1 && saliency.overlay().width() > 0);
        assertFalse(robot.lookup("#probe-saliency-export").queryButton().isDisabled(), "the overlay can be exported");
        ImageView image = robot.lookup("#probe-image").queryAs(ImageView.class);
        assertEquals(saliency.overlay().width(), image.getImage().getWidth(), 0.5, "the overlay is shown on the image");

        // Grad-CAM: the sample's backbone is a built-in architecture, so it can be differentiated
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.viewModel().gradCamAvailable().get());
        @SuppressWarnings("unchecked")
        ComboBox<ProbeViewModel.SaliencyMethod> method = robot.lookup("#probe-method").queryAs(ComboBox.class);
        robot.interact(() -> method.setValue(ProbeViewModel.SaliencyMethod.GRAD_CAM));
        assertTrue(robot.lookup("#probe-patch").query().isDisabled(), "Grad-CAM slides no patch");
        robot.clickOn("#probe-saliency");
        settle();
        var cam = view.viewModel().saliency().get();
        GradCam.Map camMap = assertInstanceOf(GradCam.Map.class, cam.map());
        assertEquals(7 * 7, camMap.values().length, "the small CNN's last feature map at 28 px: 7 x 7");
        try (Backbone backbone = BackboneLoader.folder(state().dir().resolve(state().manifest().backbone()), null)) {
            GradCam.Map expected = GradCam.compute(backbone, ProjectProbe.image(state(), bag), state().prototype(cam.classIndex()));
            assertArrayEquals(expected.values(), camMap.values(), 1e-6f, "the tab shows the core's Grad-CAM");
        }
        assertTrue(view.viewModel().status().get().startsWith("Grad-CAM for " + state().classNames().get(cam.classIndex())),
                view.viewModel().status().get());
        assertEquals(cam.overlay().width(), image.getImage().getWidth(), 0.5, "the Grad-CAM overlay is shown on the image");
    }

    /**
     * The Shortcut bias tab on the shapes sample: it finds the dataset's manifest beside the
     * images, shows the figures the core computes for the project's prototypes and for the command
     * line's protocol (a bias towards the background), and follows alpha.
     */
    @Test
    void theShortcutBiasTabReportsTheShapesSamplesBiasAndFollowsAlpha() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        project = temp.resolve("shapes");
        OpenProject.copy(sample("shapes-shortcut"), project);
        launch();
        var tabs = window().analysis().pane();
        var tab = tabs.getTabs().stream().filter(t -> t.getId().equals("tab-shortcut")).findFirst().orElseThrow();
        robot.interact(() -> tabs.getSelectionModel().select(tab));
        settle();
        ShortcutView view = robot.lookup("#shortcut-view").queryAs(ShortcutView.class);
        var shown = view.viewModel().shown().get();
        assertNotNull(shown, "the report was computed");
        assertEquals(project.resolve("images").toAbsolutePath().normalize(),
                view.viewModel().manifest().get().toAbsolutePath().normalize());
        var expected = ProjectShortcutReport.of(state(), view.viewModel().manifest().get(), 0, 1);
        TableView<?> table = robot.lookup("#shortcut-table").queryAs(TableView.class);
        assertEquals(6, table.getItems().size(), "project alpha 0 and now, protocol alpha 0 and TEEN, and both for the new classes");
        assertEquals(expected.nowRaw(), shown.readings().get(0).report());
        assertEquals(expected.now(), shown.readings().get(1).report());
        assertEquals(expected.protocol().raw(), shown.readings().get(2).report());
        assertEquals(expected.protocol().calibrated(), shown.readings().get(3).report());
        assertTrue(shown.readings().get(2).report().bias() > 0.5, "the sample's prototypes follow the background");
        assertFalse(robot.lookup("#shortcut-export").queryButton().isDisabled(), "the report can be exported");
        robot.interact(() -> robot.lookup("#alpha").queryAs(Slider.class).setValue(0.9));
        settle();
        var after = view.viewModel().shown().get();
        assertEquals(0.9, after.result().protocol().calibration().alpha(), 1e-9, "the protocol uses the new alpha");
        assertEquals(ProjectShortcutReport.of(state(), view.viewModel().manifest().get(), 0, 1).now(), after.readings().get(1).report());
    }

    /** A click on a confusion cell selects the images labelled with its row's class and predicted as its column's. */
    @Test
    void clickingAConfusionCellSelectsItsImages() throws Exception {
        robot.clickOn("Confusion");
        var view = robot.lookup("#confusion-view").queryAs(ConfusionView.class);
        settle();
        var w = state();
        var flow = NovelFlow.of(w);
        int[][] now = flow.confusion(true);
        // the biggest mistake now: a label predicted as another class
        int label = -1, as = -1;
        for (int r = 0; r < now.length; r++) {
            for (int c = 0; c < now.length; c++) {
                if (r != c && (label < 0 || now[r][c] > now[label][as])) {
                    label = r;
                    as = c;
                }
            }
        }
        ChartCanvas canvas = view.viewer(true).getCanvas();
        int row = view.rowClasses().indexOf(label);
        Point2D cell = view.cellCentre(true, row, view.columnClasses().indexOf(as));
        assertTrue(cell != null, "the cell is drawn");
        robot.clickOn(onFx(() -> canvas.localToScreen(cell)));
        settle();
        int[] selected = window().project().selection().get();
        assertEquals(now[label][as], selected.length);
        Assertions.assertArrayEquals(flow.images(label, as, true), selected);
        for (int i : selected) {
            assertEquals(label, w.label(i));
            assertEquals(as, w.predicted(i));
        }
    }

    /**
     * The Backbones tab: another backbone (the Omniglot sample's) embeds the project's images in the
     * background; both are measured alike, follow alpha, and both maps show the images chosen.
     */
    @Test
    void theBackbonesTabComparesAnotherBackboneOnTheProjectsImagesAndFollowsAlpha() throws Exception {
        var tabs = window().analysis().pane();
        var tab = tabs.getTabs().stream().filter(t -> t.getId().equals("tab-backbones")).findFirst().orElseThrow();
        robot.interact(() -> tabs.getSelectionModel().select(tab));
        settle();
        BackbonesView view = robot.lookup("#backbones-view").queryAs(BackbonesView.class);
        TableView<?> table = robot.lookup("#backbones-table").queryAs(TableView.class);
        assertEquals(1, table.getItems().size(), "the project's own backbone alone");
        Path other = sample("omniglot-manyclass").resolve("backbone");
        robot.interact(() -> view.viewModel().add(other.toString()));
        settle();
        assertEquals(List.of("omniglot-manyclass/backbone"), view.viewModel().added());
        var shown = view.viewModel().shown().get();
        assertEquals(2, shown.rows().size(), "the project's backbone and the added one");
        assertEquals(2, table.getItems().size());
        var own = shown.rows().get(0).figures();
        var expected = BackboneComparison.measure("own", state(), state().embeddings());
        assertArrayEquals(expected.teen().confusion(), own.teen().confusion(), "the project's backbone measured as the core measures it");
        var omniglot = shown.rows().get(1).figures();
        assertEquals(own.measuredImages(), omniglot.measuredImages(), "both on the same images");
        assertTrue(own.teen().classMeanHm() > omniglot.teen().classMeanHm(), "clothes are told apart better by the clothes backbone");
        assertTrue(Files.isDirectory(project.resolve(OpenProject.CACHE_FOLDER)),
                "the other backbone's embeddings are in the project's cache");

        // below the table: the FSCIL table and the new classes, the project's backbone beside the chosen one
        robot.clickOn("#backbones-below-sessions");
        settle();
        TableView<?> sessions = robot.lookup("#backbones-sessions").queryAs(TableView.class);
        assertTrue(sessions.isVisible() && !robot.lookup("#backbones-map-own").query().getParent().isVisible());
        assertEquals(own.sessions().size(), sessions.getItems().size(), "a row per session");
        assertEquals(4, sessions.getColumns().size(), "session, classes, and a column per backbone");
        assertEquals(3, own.sessions().size(), "the sample's base session and two sessions of new classes");
        robot.clickOn("#backbones-below-classes");
        settle();
        TableView<?> novel = robot.lookup("#backbones-classes").queryAs(TableView.class);
        assertTrue(novel.isVisible());
        assertEquals(own.novelClasses().size(), novel.getItems().size(), "a row per new class");
        assertEquals(5, novel.getColumns().size(), "the class, and kNN and new -> base per backbone");
        robot.clickOn("#backbones-below-maps");
        settle();

        // the comparison follows alpha
        double before = own.teen().classMeanHm();
        robot.interact(() -> window().commands().calibrate(new TeenCalibration(0.95, 16), true, false));
        settle();
        var after = view.viewModel().shown().get().rows().get(0).figures();
        assertEquals(own.ncm().classMeanHm(), after.ncm().classMeanHm(), 1e-12, "NCM does not move with alpha");
        assertNotEquals(before, after.teen().classMeanHm(), "TEEN at alpha 0.95 differs");

        // the images chosen on the main map are drawn large on both maps
        Canvas right = (Canvas) robot.lookup("#backbones-map-other").queryAs(Pane.class).getChildren().getFirst();
        int plain = inkedPixels(right);
        robot.interact(() -> window().project().selection().set(state().imagesOf(0)));
        settle();
        int chosen = inkedPixels(right);
        assertTrue(chosen > plain, "the chosen images are drawn larger on the other backbone's map: " + plain + " -> " + chosen
                + " inked pixels of " + right.getWidth() + " x " + right.getHeight());

        // the project remembers the backbone: after a restart it is compared again once the tab is shown
        Path remembered = project.resolve(ComparedBackbones.FILE_NAME);
        assertTrue(Files.readString(remembered).contains(other.toString()), Files.readString(remembered));
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        launch();
        var tabsAgain = window().analysis().pane();
        robot.interact(() -> tabsAgain.getSelectionModel().select(
                tabsAgain.getTabs().stream().filter(t -> t.getId().equals("tab-backbones")).findFirst().orElseThrow()));
        settle();
        BackbonesView again = robot.lookup("#backbones-view").queryAs(BackbonesView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> again.viewModel().added().size() == 1);
        settle();
        assertEquals(List.of("omniglot-manyclass/backbone"), again.viewModel().added(), "compared again after the restart");
        TableView<?> tableAgain = robot.lookup("#backbones-table").queryAs(TableView.class);
        assertEquals(2, tableAgain.getItems().size());

        // Delete on its row takes it out, and the project forgets it; the project's own row stays
        robot.interact(() -> {
            tableAgain.getSelectionModel().select(0);
            tableAgain.requestFocus();
        });
        robot.push(KeyCode.DELETE);
        settle();
        assertEquals(2, tableAgain.getItems().size(), "the project's own backbone cannot be removed");
        robot.interact(() -> tableAgain.getSelectionModel().select(1));
        robot.push(KeyCode.DELETE);
        settle();
        assertEquals(List.of(), again.viewModel().added());
        assertEquals(1, tableAgain.getItems().size());
        assertFalse(Files.readString(remembered).contains("omniglot"), Files.readString(remembered));
    }

    /**
     * Work with This Backbone: the project is switched to a backbone of the comparison and opened
     * again, every label, shot and class kept, the images shown with the new backbone's rows; the
     * backbone left behind is in the tab, and switching back restores the project as it was.
     */
    @Test
    void workingWithAnotherBackboneKeepsEveryLabelAndSwitchingBackRestoresTheProject() throws Exception {
        var tabs = window().analysis().pane();
        robot.interact(() -> tabs.getSelectionModel().select(
                tabs.getTabs().stream().filter(t -> t.getId().equals("tab-backbones")).findFirst().orElseThrow()));
        settle();
        BackbonesView view = robot.lookup("#backbones-view").queryAs(BackbonesView.class);
        Path other = sample("omniglot-manyclass").resolve("backbone");
        robot.interact(() -> view.viewModel().add(other.toString()));
        settle();
        var before = state();
        int otherDim = view.viewModel().shown().get().rows().get(1).figures().dim();
        robot.interact(() -> view.viewModel().switchTo(other.toString()));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> state() != null && !state().backboneDir().equals(before.backboneDir()));
        settle();
        var after = state();
        assertTrue(project.relativize(after.backboneDir()).toString().startsWith("backbones/"), after.backboneDir().toString());
        assertEquals(otherDim, after.dim(), "the images are shown with the other backbone's rows");
        assertArrayEquals(before.labels(), after.labels(), "every label kept");
        assertEquals(before.classNames(), after.classNames());
        assertEquals(IntStream.range(0, before.imageCount()).filter(before::isShot).boxed().toList(),
                IntStream.range(0, after.imageCount()).filter(after::isShot).boxed().toList(), "every shot kept");
        assertTrue(noticeTitle().contains("now works with"), noticeTitle());

        // the backbone left behind is compared in the tab; switching back restores the project's own files
        BackbonesView again = robot.lookup("#backbones-view").queryAs(BackbonesView.class);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> again.viewModel().added().size() == 1);
        settle();
        String own = before.backboneDir().toAbsolutePath().normalize().toString();
        robot.interact(() -> again.viewModel().switchTo(own));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> state() != null && state().backboneDir().equals(before.backboneDir()));
        settle();
        assertEquals(before.dim(), state().dim());
        assertArrayEquals(before.labels(), state().labels());
        assertArrayEquals(before.embeddings().values(), state().embeddings().values(), "the project's own rows, as they were");
        assertArrayEquals(before.basePrototypes().data(), state().basePrototypes().data(), "its base prototypes, as they were");
    }

    /** Pixels of a canvas that are not transparent. */
    private int inkedPixels(Canvas canvas) throws Exception {
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> {
            SnapshotParameters clear = new SnapshotParameters();
            clear.setFill(Color.TRANSPARENT);
            shot[0] = canvas.snapshot(clear, null);
        });
        int inked = 0;
        for (int y = 0; y < (int) shot[0].getHeight(); y++) {
            for (int x = 0; x < (int) shot[0].getWidth(); x++) {
                if (shot[0].getPixelReader().getColor(x, y).getOpacity() > 0) {
                    inked++;
                }
            }
        }
        return inked;
    }

    /** Opens File > New Project and fills in a name, a location and the kind of backbone. */
    private void newProjectFrom(NewProjectDialog.Kind kind, String name, Path location) throws TimeoutException {
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.N);
        waitShown("#new-project-create");
        @SuppressWarnings("unchecked")
        ChoiceBox<NewProjectDialog.Source> source = robot.lookup("#new-project-source").queryAs(ChoiceBox.class);
        robot.interact(() -> {
            robot.lookup("#new-project-name").queryAs(TextField.class).setText(name);
            robot.lookup("#new-project-location").queryAs(TextField.class).setText(location.toString());
            source.setValue(source.getItems().stream().filter(x -> x.kind() == kind).findFirst().orElseThrow());
        });
    }
}
