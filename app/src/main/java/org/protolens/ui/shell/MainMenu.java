package org.protolens.ui.shell;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanExpression;
import javafx.event.ActionEvent;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.controlsfx.control.action.Action;
import org.controlsfx.control.action.ActionUtils;
import org.protolens.core.embed.ImageFiles;
import org.protolens.ui.classes.ClassesView;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.UserSettings;
import org.protolens.ui.exporter.Exporter;
import org.protolens.ui.importer.Importer;
import org.protolens.ui.map.MapView;
import org.protolens.ui.map.MapViewModel;

/**
 * The menu bar. Each entry is an action (ControlsFX), so that a menu item, a button and a context
 * menu that do the same share one command, its text, shortcut and whether it can be done now.
 */
final class MainMenu {
    private final MenuBar bar;
    private final Menu recent = new Menu(Messages.get("menu.file.recent"));
    private final UserSettings settings;
    private final ProjectActions projects;

    MainMenu(Stage stage, ProjectState project, Commands commands, ProjectActions projects, Importer importer, Exporter exporter,
             MapView map, ClassesView classes, Theme theme, UserSettings settings, Runnable about, AnalysisArea analysis,
             ImageActions images, SelectionsMenu selections) {
        this.settings = settings;
        this.projects = projects;
        BooleanExpression none = project.workspace().isNull();

        Action newProject = action("menu.file.new", "Shortcut+Shift+N", e -> projects.newProject());
        Action open = action("menu.file.open", "Shortcut+O", e -> projects.chooseAndOpen());
        Menu samples = new Menu(Messages.get("menu.file.sample"));
        samples.setId("menu-samples");
        samples.setDisable(true);
        // the samples' names are read in the background, not while the window starts
        projects.readSamples(found -> {
            for (ProjectActions.Sample sp : found) {
                MenuItem item = new MenuItem(sp.name());
                item.setMnemonicParsing(false);
                item.setOnAction(e -> projects.open(sp.dir()));
                samples.getItems().add(item);
            }
            samples.setDisable(found.isEmpty());
        });
        Action saveAs = action("menu.file.saveAs", "Shortcut+Shift+S", e -> projects.chooseAndSaveAs());
        saveAs.disabledProperty().bind(none);
        Action importImages = action("menu.file.importImages", "Shortcut+I", e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(Messages.get("import.chooseImages"));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(Messages.get("import.images"),
                    ImageFiles.EXTENSIONS.stream().sorted().map(x -> "*." + x).toList()));
            chooser.setInitialDirectory(settings.startIn(UserSettings.Folder.IMPORT));
            List<File> chosen = chooser.showOpenMultipleDialog(stage);
            if (chosen != null && !chosen.isEmpty()) {
                settings.used(UserSettings.Folder.IMPORT, chosen.getFirst());
                importer.importFiles(chosen.stream().map(File::toPath).toList());
            }
        });
        importImages.disabledProperty().bind(none);
        Action importFolder = action("menu.file.importFolder", "Shortcut+Shift+I", e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle(Messages.get("import.chooseFolder"));
            chooser.setInitialDirectory(settings.startIn(UserSettings.Folder.IMPORT));
            File dir = chooser.showDialog(stage);
            if (dir != null) {
                // the next import starts beside this folder, where its siblings are
                settings.usedBeside(UserSettings.Folder.IMPORT, dir);
                importer.importFiles(List.of(dir.toPath()));
            }
        });
        importFolder.disabledProperty().bind(none);
        Action importLabels = action("menu.file.importLabels", null, e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(Messages.get("labels.choose"));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
            chooser.setInitialDirectory(settings.startIn(UserSettings.Folder.IMPORT));
            File f = chooser.showOpenDialog(stage);
            if (f != null) {
                settings.used(UserSettings.Folder.IMPORT, f);
                importer.importLabels(f.toPath());
            }
        });
        importLabels.disabledProperty().bind(none);
        Action importEmbeddings = action("menu.file.importEmbeddings", null, e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(Messages.get("embeddingsImport.choose"));
            chooser.getExtensionFilters().addAll(
                    new FileChooser.ExtensionFilter(Messages.get("embeddingsImport.filter.all"), "*.npy", "*.parquet", "job.json"),
                    new FileChooser.ExtensionFilter("NumPy", "*.npy"),
                    new FileChooser.ExtensionFilter("Parquet", "*.parquet", "job.json"));
            chooser.setInitialDirectory(settings.startIn(UserSettings.Folder.IMPORT));
            File f = chooser.showOpenDialog(stage);
            if (f != null) {
                settings.used(UserSettings.Folder.IMPORT, f);
                importer.chooseAndImportEmbeddings(f.toPath(), settings.startIn(UserSettings.Folder.IMPORT).toPath());
            }
        });
        importEmbeddings.disabledProperty().bind(none);
        Action locate = action("menu.file.locate", null, e -> projects.chooseAndLocate());
        locate.disabledProperty().bind(none);
        Menu export = new Menu(Messages.get("menu.file.export"));
        for (Exporter.Kind k : Exporter.Kind.values()) {
            export.getItems().add(ActionUtils.createMenuItem(action("menu.file.export." + k.name().toLowerCase(Locale.ROOT),
                    null, e -> exporter.export(k))));
        }
        export.disableProperty().bind(none);
        Action quit = action("menu.file.quit", "Shortcut+Q", e -> Platform.exit());
        fillRecent();
        Menu file = new Menu(Messages.get("menu.file"), null, item(newProject), item(open), recent, samples, item(saveAs),
                new SeparatorMenuItem(), item(importImages), item(importFolder), item(importLabels), item(importEmbeddings),
                item(locate), export,
                new SeparatorMenuItem(),
                item(quit));

        Action undo = action("menu.edit.undo", "Shortcut+Z", e -> commands.undo());
        undo.textProperty().bind(project.undoText().map(t -> Messages.get("menu.edit.undoWhat", t)).orElse(Messages.get("menu.edit.undo")));
        undo.disabledProperty().bind(project.undoText().isNull());
        Action redo = action("menu.edit.redo", "Shortcut+Shift+Z", e -> commands.redo());
        redo.textProperty().bind(project.redoText().map(t -> Messages.get("menu.edit.redoWhat", t)).orElse(Messages.get("menu.edit.redo")));
        redo.disabledProperty().bind(project.redoText().isNull());
        // the map's selection, when all of it was imported (Delete on the map does the same)
        Action remove = action("menu.edit.removeImages", null, e -> images.remove(project.selection().get(), map, () -> { }));
        remove.disabledProperty().bind(Bindings.createBooleanBinding(() -> !images.removable(project.selection().get()),
                project.selection(), project.workspace()));
        Menu edit = new Menu(Messages.get("menu.edit"), null, item(undo), item(redo), new SeparatorMenuItem(), item(remove));
        edit.getItems().addAll(selections.items());

        Menu view = new Menu(Messages.get("menu.view"));
        int n = 1;
        for (MapViewModel.Colouring c : MapViewModel.Colouring.values()) {
            view.getItems().add(item(action("menu.view.colour." + c.name().toLowerCase(Locale.ROOT), "Shortcut+" + n++,
                    e -> map.viewModel().colouring().set(c))));
        }
        Action fit = action("menu.view.fit", "Shortcut+0", e -> map.resetView());
        Action zoomToSelection = action("menu.view.zoomToSelection", "Shortcut+Shift+0", e -> map.zoomToSelection());
        zoomToSelection.disabledProperty().bind(none);
        CheckMenuItem dark = new CheckMenuItem(Messages.get("menu.view.dark"));
        dark.setId("menu-dark");
        dark.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        dark.selectedProperty().bindBidirectional(theme.dark());
        dark.setOnAction(e -> settings.setDark(dark.isSelected()));
        CheckMenuItem maximise = new CheckMenuItem(Messages.get("menu.view.maximiseAnalysis"));
        maximise.setId("menu-maximise-analysis");
        maximise.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+M"));
        maximise.setSelected(analysis.maximised().get());
        analysis.maximised().addListener((o, was, now) -> maximise.setSelected(now));
        maximise.setOnAction(e -> {
            analysis.toggleMaximised();
            maximise.setSelected(analysis.maximised().get());
        });
        maximise.disableProperty().bind(analysis.out());
        CheckMenuItem popOut = new CheckMenuItem(Messages.get("menu.view.popOutAnalysis"));
        popOut.setId("menu-pop-out-analysis");
        popOut.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+W"));
        analysis.out().addListener((o, was, now) -> popOut.setSelected(now));
        popOut.setOnAction(e -> {
            analysis.togglePoppedOut();
            popOut.setSelected(analysis.out().get());
        });
        view.getItems().addAll(new SeparatorMenuItem(), item(fit), item(zoomToSelection), maximise, popOut, new SeparatorMenuItem(),
                dark);

        CheckMenuItem calibrate = new CheckMenuItem(Messages.get("menu.classes.calibrate"));
        calibrate.setId("menu-calibrate");
        calibrate.setAccelerator(KeyCombination.keyCombination("Shortcut+K"));
        calibrate.selectedProperty().bindBidirectional(classes.viewModel().calibrationOn());
        calibrate.disableProperty().bind(none);
        Action episodes = action("menu.classes.episodes", null, e -> classes.episodes(theme.isDark()));
        episodes.disabledProperty().bind(none);
        Menu classesMenu = new Menu(Messages.get("menu.classes"), null, ActionUtils.createMenuItem(classes.newClassAction()),
                new SeparatorMenuItem(), calibrate, new SeparatorMenuItem(), item(episodes));
        classes.newClassAction().setAccelerator(KeyCombination.keyCombination("Shortcut+N"));

        Menu help = new Menu(Messages.get("menu.help"), null,
                item(action("menu.help.shortcuts", "F1", e -> ShortcutSheet.show(stage, bar()))), new SeparatorMenuItem(),
                item(action("menu.help.about", null, e -> about.run())));
        bar = new MenuBar(file, edit, view, classesMenu, help);
        bar.setId("menu-bar");
    }

    MenuBar bar() {
        return bar;
    }

    /** File > Open Recent: the projects opened last that still exist. */
    void fillRecent() {
        recent.getItems().clear();
        for (Path r : settings.recentProjects()) {
            MenuItem item = new MenuItem(r.getFileName() + "  —  " + r);
            item.setMnemonicParsing(false);
            item.setOnAction(e -> projects.open(r));
            recent.getItems().add(item);
        }
        recent.setDisable(recent.getItems().isEmpty());
    }

    private static Action action(String key, String accelerator, Consumer<ActionEvent> handler) {
        Action a = new Action(Messages.get(key), handler);
        if (accelerator != null) {
            a.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        return a;
    }

    private static MenuItem item(Action a) {
        MenuItem m = ActionUtils.createMenuItem(a);
        m.setMnemonicParsing(false);
        return m;
    }
}
