package org.protolens.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.application.Application;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.bench.FxStallWatchdog;
import org.protolens.bench.SyntheticProject;
import org.protolens.core.project.History;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.analysis.FlowView;
import org.protolens.ui.shell.MainWindow;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window on a project of 100,000 images and 300 classes (200 base, 100 new): it opens, the
 * class list is searchable, the charts draw the classes that matter and say what they left out,
 * and relabelling, a new class, undo and the alpha slider work. A watchdog times the JavaFX
 * thread throughout and prints its longest stall (a figure, not a pass mark: this machine is shared).
 */
class ManyClassesWindowTest {
    private final FxRobot robot = new FxRobot();

    @TempDir
    Path temp;
    private Application app;
    private FxStallWatchdog watchdog;

    private MainWindow window() {
        return ((ProtoLensApp) app).window();
    }

    private WorkspaceState state() {
        return window().project().workspace().get();
    }

    private void settle() throws TimeoutException {
        for (int round = 0; round < 3; round++) {
            WaitForAsyncUtils.waitForFxEvents();
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> window().tasks().idle());
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private String text(String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    @AfterEach
    void close() throws Exception {
        if (watchdog != null) {
            System.out.println("JavaFX thread, 100,000 images and 300 classes, after the map is shown"
                    + " (search, charts, relabel, new class, undo, alpha): " + watchdog.report());
            watchdog.close();
        }
        if (app != null) {
            FxToolkit.cleanupApplication(app);
        }
        FxToolkit.cleanupStages();
    }

    @Test
    void threeHundredClassesOpenAndEveryViewStaysUsable() throws Exception {
        Path project = temp.resolve("many");
        SyntheticProject.write(project, 100_000, 128, 200, 100, 3);
        FxToolkit.registerPrimaryStage();
        watchdog = new FxStallWatchdog(100);
        app = FxToolkit.setupApplication(ProtoLensApp.class, project.toString());
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> text("#status").contains("images"));
        settle();
        System.out.println("JavaFX thread, 100,000 images and 300 classes, from the start to the map shown: " + watchdog.report());
        watchdog.reset();
        assertEquals("100,000 images, 300 classes", text("#status"));

        // the class list: a search field narrows 300 rows to the ones asked for
        TextField search = robot.lookup("#class-search").queryAs(TextField.class);
        assertTrue(search.isVisible(), "300 classes get a search field");
        robot.clickOn(search).write("class 29");
        WaitForAsyncUtils.waitForFxEvents();
        List<String> shown = window().classes().viewModel().rows().stream().filter(r -> r.index() >= 0).map(r -> r.name()).toList();
        assertEquals(List.of("class 29", "class 290", "class 291", "class 292", "class 293", "class 294", "class 295", "class 296",
                "class 297", "class 298", "class 299"), shown);
        robot.interact(() -> search.setText(""));

        // the charts draw the classes that matter and say so
        // as many new classes as the chart's height gives readable bars (2 to 16), and the summary says how many
        Matcher drawn = Pattern.compile("Drawn: the (\\d+) of 100 new classes").matcher(text("#flow-summary"));
        assertTrue(drawn.find(), text("#flow-summary"));
        int bars = Integer.parseInt(drawn.group(1));
        assertTrue(bars >= 2 && bars <= 16, text("#flow-summary"));
        assertEquals(2 * bars, robot.lookup("#flow-view").queryAs(FlowView.class).data().getColumnCount(),
                "two bars per class drawn: before calibration and now");
        robot.interact(() -> robot.lookup("#analysis").queryAs(TabPane.class).getSelectionModel()
                .select(robot.lookup("#analysis").queryAs(TabPane.class).getTabs().stream()
                        .filter(t -> "tab-confusion".equals(t.getId())).findFirst().orElseThrow()));
        settle();
        assertTrue(text("#confusion-summary").contains("Drawn: the 30 of 300 labelled classes"), text("#confusion-summary"));

        // relabel, a new class, undo: each shown at once
        int image = state().imagesOf(state().classNames().indexOf("class 7"))[0];
        robot.interact(() -> window().commands().edit(History.relabel("Relabel", new int[] {image}, "class 250", false)));
        settle();
        assertEquals(state().classNames().indexOf("class 250"), state().label(image));
        robot.interact(() -> window().commands().edit(History.newClass("Satchel", new int[] {image})));
        settle();
        assertEquals("100,000 images, 301 classes", text("#status"));
        robot.interact(() -> window().map().requestFocus()); // Ctrl+Z in the search field undoes its typing
        robot.push(KeyCode.CONTROL, KeyCode.Z);
        settle();
        assertEquals("100,000 images, 300 classes", text("#status"));

        // the alpha slider, step by step: each step re-predicts
        Slider alpha = robot.lookup("#alpha").queryAs(Slider.class);
        String before = text("#summary");
        for (int step = 1; step <= 10; step++) {
            double a = step / 10.0;
            robot.interact(() -> alpha.setValue(a));
        }
        settle();
        assertEquals(1.0, state().calibration().alpha(), 1e-9);
        assertTrue(!before.equals(text("#summary")), "alpha 1 predicts otherwise than 0.5");
    }
}
