package org.protolens.ui.shell;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.project.BackboneSwitch;
import org.protolens.core.project.CatalogBackups;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.ImportedFiles;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.ProjectCatalog;
import org.protolens.core.project.ProjectManifest;
import org.protolens.core.project.SampleProjects;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.backbones.BackbonesViewModel;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.Notices;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.UserSettings;
import org.protolens.ui.map.MapViewModel;
import org.protolens.ui.project.NewProjectDialog;

/**
 * Opening, creating and copying projects: File > Open, Open Recent, Open Sample, New Project and
 * Save Project As. Each runs in the background, listed with its progress and a cancel button. The
 * open project is closed first, its pending changes stored (so that reopening it finds its catalog
 * free); a project that cannot be opened gets a dialog saying why and what to do.
 */
final class ProjectActions {
    private final Stage stage;
    private final ProjectState project;
    private final Commands commands;
    private final Tasks tasks;
    private final MapViewModel map;
    private final UserSettings settings;
    private final StatusLine status;
    /** what happens once a project is shown (the screenshot of the smoke mode, the device probe) */
    private Consumer<WorkspaceState> onShown = s -> { };
    private Consumer<String> onFailed;
    /** whether the project shown is remembered as the last and recent one */
    private boolean remember = true;

    ProjectActions(Stage stage, ProjectState project, Commands commands, Tasks tasks, MapViewModel map, UserSettings settings,
                   StatusLine status) {
        this.stage = stage;
        this.project = project;
        this.commands = commands;
        this.tasks = tasks;
        this.map = map;
        this.settings = settings;
        this.status = status;
    }

    private boolean introduceSamples;

    /** A notice to show once the next project has opened (what a Save As did besides copying), or null. */
    private volatile Notices.Notice afterOpen;

    void setOnShown(Consumer<WorkspaceState> action) {
        onShown = action;
    }

    /** What happens instead of the dialog when opening fails (the smoke mode exits). */
    void setOnFailed(Consumer<String> action) {
        onFailed = action;
    }

    /** The next project shown is the first start's sample: the other samples are named. */
    void introduceSamples() {
        introduceSamples = true;
    }

    void setRemember(boolean remember) {
        this.remember = remember;
    }

    /** The project opened last, when it still exists, else the bundled sample (null: none). */
    Path lastOrSample() {
        Path last = settings.lastProject();
        return last != null ? last : SampleProjects.defaultSample();
    }

    /** File > Open Project: asks for a folder. */
    void chooseAndOpen() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Messages.get("open.title"));
        chooser.setInitialDirectory(settings.startIn(UserSettings.Folder.PROJECT));
        File dir = chooser.showDialog(stage);
        if (dir != null) {
            settings.usedBeside(UserSettings.Folder.PROJECT, dir);
            open(dir.toPath());
        }
    }

    /**
     * Opens a project folder (or the folder of a project.json or .protolens file): a bundled sample
     * or a read-only folder as the user's own copy. The open project is closed first, so that
     * reopening it finds its catalog free.
     */
    void open(Path folder) {
        open(folder, null);
    }

    /** Opens {@code folder} as {@link #open(Path)} does, then runs {@code then} (null: nothing) once it shows. */
    private void open(Path folder, Runnable then) {
        Path f = folder;
        if (f.getFileName() != null && (f.getFileName().toString().equals(ProjectManifest.FILE_NAME)
                || f.getFileName().toString().endsWith(OpenProject.PROJECT_FILE_EXTENSION))) {
            f = f.toAbsolutePath().getParent();
        }
        Path dir = f;
        WorkspaceState was = project.workspace().get();
        Path previous = was == null ? null : was.dir();
        map.cancelComputation();
        project.notices().dismiss();
        var closing = commands.close();
        boolean bundled = SampleProjects.isBundled(dir);
        Path copies = SampleProjects.copies();
        status.say(Messages.get("status.openingProject", dir));
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("open.job", dir.getFileName()), j -> {
            closing.get();
            j.progress(0, -1);
            return OpenProject.openForWork(dir, bundled, copies, j::say, j::isCancelled);
        }).onDone(opened -> {
            show(opened);
            if (then != null) {
                then.run();
            }
        }).onFailure(e -> {
            failed(dir, e);
            // the project that was open goes on: a folder that cannot be opened does not cost the person their work
            if (previous != null && !previous.equals(dir) && onFailed == null) {
                open(previous);
            }
        }).onCancel(() -> status.say(Messages.get("status.noProject"))), true);
    }

    private void show(OpenProject.Opened opened) {
        // the map first: the state that follows is placed into it (not into a first map of its own)
        map.show(opened.map());
        commands.show(opened.project());
        WorkspaceState s = project.workspace().get();
        List<String> notes = new ArrayList<>(opened.notes());
        if (opened.copiedFrom() != null) {
            notes.addFirst(Messages.get("open.copied", opened.copiedFrom(), s.dir()));
        }
        if (introduceSamples) {
            // the first start: say which other samples there are, and where
            introduceSamples = false;
            if (opened.notes().isEmpty()) {
                readSamples(found -> {
                    List<String> others = found.stream().map(Sample::name).filter(n -> !n.equals(s.name())).toList();
                    // three first steps, then where the other samples are
                    List<String> lines = new ArrayList<>(List.of(Messages.get("open.guide.1"), Messages.get("open.guide.2"),
                            Messages.get("open.guide.3")));
                    if (!others.isEmpty()) {
                        lines.add(Messages.get("open.otherSamples", String.join("; ", others)));
                    }
                    project.notices().note(Messages.get("open.sampleTitle", s.name()), lines);
                });
            }
        }
        if (!notes.isEmpty()) {
            boolean problem = !opened.notes().isEmpty();
            if (problem) {
                // missing pictures alone are not "could not be restored": every label is there
                project.notices().problem(Messages.get(opened.onlyImageFilesMissing() ? "open.imageFilesMissing" : "open.problems"), notes);
            } else {
                project.notices().note(Messages.get("open.copiedTitle"), notes);
            }
        }
        Notices.Notice after = afterOpen;
        afterOpen = null;
        if (after != null && opened.notes().isEmpty()) {
            if (after.kind() == Notices.Kind.PROBLEM) {
                project.notices().problem(after.title(), after.lines());
            } else {
                project.notices().note(after.title(), after.lines());
            }
        }
        if (remember) {
            settings.opened(s.dir());
        }
        status.backbone(backboneName(s.backboneDir()));
        onShown.accept(s);
    }

    private void failed(Path folder, Throwable e) {
        String why = String.valueOf(e.getMessage());
        status.say(Messages.get("status.cannotOpen", folder));
        if (onFailed != null) {
            onFailed.accept(why);
            return;
        }
        String hint = why.contains("in use by another ProtoLens") ? Messages.get("open.hint.inUse")
                : why.contains("outside") ? Messages.get("open.hint.outside") : Messages.get("open.hint.other");
        if (damagedCatalog(e)) {
            // the copies of the catalog are read in the background; the dialog offers the newest
            tasks.run(Tasks.Lane.FILES, Messages.get("open.backups.job"), j -> CatalogBackups.list(folder),
                    backups -> showFailure(folder, why, backups.isEmpty() ? Messages.get("open.hint.noBackup") : hint, backups));
        } else {
            showFailure(folder, why, hint, List.of());
        }
    }

    /** Whether opening failed because the project's catalog is damaged (a copy of it may take its place). */
    private static boolean damagedCatalog(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProjectCatalog.Damaged) {
                return true;
            }
        }
        return false;
    }

    /** The failure's dialog; with copies of a damaged catalog, it offers to restore the newest. */
    private void showFailure(Path folder, String why, String hint, List<CatalogBackups.Backup> backups) {
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.initOwner(stage);
        a.setTitle(Messages.get("open.failed.title"));
        a.setHeaderText(Messages.get("open.failed.header", folder));
        CatalogBackups.Backup newest = backups.isEmpty() ? null : backups.getFirst();
        String advice = newest == null ? hint : Messages.get("open.backup.offer", when(newest.at()), newest.labelled(), newest.classes());
        Label text = new Label(why + "\n\n" + advice);
        text.setWrapText(true);
        text.setId("open-failure");
        a.getDialogPane().setContent(text);
        a.getDialogPane().setPrefWidth(620);
        if (newest != null) {
            ButtonType restore = new ButtonType(Messages.get("open.backup.restore"), ButtonBar.ButtonData.OK_DONE);
            a.getButtonTypes().setAll(restore, ButtonType.CLOSE);
            a.getDialogPane().lookupButton(restore).setId("open-restore-backup");
            a.resultProperty().addListener((o, was, chosen) -> {
                if (chosen == restore) {
                    restore(folder, newest);
                }
            });
        }
        a.show();
    }

    /** Puts {@code backup} in place of {@code folder}'s damaged catalog and opens the project; a note says what was done. */
    private void restore(Path folder, CatalogBackups.Backup backup) {
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("open.backup.job"), j -> {
            Path aside = CatalogBackups.restore(folder, backup);
            afterOpen = new Notices.Notice(Notices.Kind.NOTE, Messages.get("open.backup.restored", when(backup.at())),
                    aside == null ? List.of() : List.of(Messages.get("open.backup.aside", aside)));
            return folder;
        }).onDone(this::open).onFailure(e -> project.notices().problem(Messages.get("open.backup.failed"),
                List.of(String.valueOf(e.getMessage())))), true);
    }

    /** A moment for people: the local date and time, to the minute. */
    private static String when(Instant at) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withZone(ZoneId.systemDefault()).format(at);
    }

    /** A bundled sample project: its name (from its project.json) and folder. */
    record Sample(String name, Path dir) {
    }

    /** Reads the bundled samples' names in the background, then hands them to {@code then} (the JavaFX thread). */
    void readSamples(Consumer<List<Sample>> then) {
        tasks.run(Tasks.Lane.VIEWS, "Sample projects", j -> samples(), then);
    }

    /** The bundled samples, the default first, for File > Open Sample Project. */
    private static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        for (Path p : SampleProjects.all()) {
            try {
                out.add(new Sample(ProjectManifest.read(p).name(), p));
            } catch (IOException e) {
                // a sample that does not read is not offered
            }
        }
        return out;
    }

    /** File > New Project: asks for a name, a folder and the backbone to start from, then creates and opens it. */
    void newProject() {
        List<NewProjectDialog.Source> sources = newProjectSources();
        if (sources.isEmpty()) {
            project.notices().problem(Messages.get("newProject.noSource"), List.of(Messages.get("newProject.noSource.why")));
            return;
        }
        NewProjectDialog.ask(stage, sources, settings.newProjectLocation(), tasks).ifPresent(r -> create(r, null));
    }

    /**
     * A project for embeddings another backbone made than the open project's: the New Project dialog
     * (the person chooses that backbone; the open project's or a sample's is offered first where it
     * is the one, {@code fingerprint}), and once the project is open, {@code then} (the import).
     */
    void newProjectFor(Path embeddings, String fingerprint, Runnable then) {
        String what = EmbeddingsImport.nameOf(embeddings);
        List<NewProjectDialog.Source> sources = newProjectSources();
        // which of the backbones at hand made the rows: their files are hashed in the background
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("embeddingsImport.newProject.looking"), j -> {
            List<NewProjectDialog.Source> first = new ArrayList<>();
            for (NewProjectDialog.Source s : sources) {
                if (EmbeddingsImport.hasBackbone(s.dir(), fingerprint)) {
                    first.add(s);
                }
            }
            List<NewProjectDialog.Source> ordered = new ArrayList<>(first);
            sources.stream().filter(s -> !first.contains(s)).forEach(ordered::add);
            return ordered;
        }).onDone(ordered -> NewProjectDialog.ask(stage, ordered, settings.newProjectLocation(), tasks,
                Messages.get("embeddingsImport.newProject.header", what), Messages.get("embeddingsImport.newProject.name",
                        what.replaceFirst("\\.npy$", ""))).ifPresent(r -> create(r, then))), true);
    }

    /** The projects a new one may start from: the open one, then the samples. */
    private List<NewProjectDialog.Source> newProjectSources() {
        List<NewProjectDialog.Source> sources = new ArrayList<>();
        WorkspaceState w = project.workspace().get();
        if (w != null) {
            sources.add(new NewProjectDialog.Source(Messages.get("newProject.fromThis", w.name()), w.dir(),
                    w.manifest().baseClasses().size(), backboneName(w.backboneDir())));
        }
        for (Path p : SampleProjects.all()) {
            try {
                ProjectManifest m = ProjectManifest.read(p);
                sources.add(new NewProjectDialog.Source(Messages.get("newProject.fromSample", m.name()), p, m.baseClasses().size(),
                        backboneName(p.resolve(m.backbone()))));
            } catch (IOException e) {
                // a sample that does not read is not offered
            }
        }
        return sources;
    }

    /**
     * Creates the project asked for in the background and opens it, then runs {@code then} (or
     * nothing: null); on a problem the open project stays.
     */
    void create(NewProjectDialog.Request r, Runnable then) {
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("newProject.job", r.folder()), j -> {
            j.say(Messages.get("newProject.job", r.folder()));
            j.progress(0, -1);
            if (r.url() != null) {
                return OpenProject.createFromZoo(r.folder(), r.name(), r.url(), r.preprocessing(), (what, done, total) -> {
                    j.progress(done, total);
                    j.say(NewProjectDialog.downloadText(done, total));
                });
            }
            return r.model() != null ? OpenProject.createWithBackbone(r.folder(), r.name(), r.model(), r.preprocessing())
                    : OpenProject.create(r.folder(), r.name(), r.source().dir(), r.keepBaseClasses());
        }).onDone(dir -> {
            Path parent = r.folder().toAbsolutePath().getParent();
            if (parent != null) {
                settings.setNewProjectLocation(parent);
            }
            open(dir, then);
        }).onFailure(e -> project.notices().problem(Messages.get("newProject.failed"), List.of(String.valueOf(e.getMessage())))), true);
    }

    /** File > Save Project As: asks for a new folder. */
    void chooseAndSaveAs() {
        WorkspaceState w = project.workspace().get();
        if (w == null) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle(Messages.get("saveAs.title"));
        Path parent = w.dir().toAbsolutePath().getParent();
        if (SampleProjects.isBundled(w.dir()) || parent == null || parent.startsWith(SampleProjects.dataFolder())) {
            parent = settings.newProjectLocation();
        }
        if (Files.isDirectory(parent)) {
            chooser.setInitialDirectory(parent.toFile());
        }
        chooser.setInitialFileName(NewProjectDialog.folderName(Messages.get("saveAs.name", w.name())));
        File chosen = chooser.showSaveDialog(stage);
        if (chosen == null) {
            return;
        }
        long outside = w.imported().stream().filter(im -> ImportedFiles.isOutside(w.dir(), im.path())).count();
        boolean copy = false;
        if (outside > 0) {
            ButtonType in = new ButtonType(Messages.get("saveAs.copyIn"), ButtonBar.ButtonData.YES);
            ButtonType keep = new ButtonType(Messages.get("saveAs.keepOutside"), ButtonBar.ButtonData.NO);
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, Messages.get("saveAs.outside.text"), in, keep, ButtonType.CANCEL);
            a.initOwner(stage);
            a.setTitle(Messages.get("saveAs.title"));
            a.setHeaderText(Messages.get("saveAs.outside", outside));
            a.getDialogPane().lookupButton(in).setId("saveas-copy-in");
            ButtonType answer = a.showAndWait().orElse(ButtonType.CANCEL);
            if (answer == ButtonType.CANCEL) {
                return;
            }
            copy = answer == in;
        }
        saveAs(chosen.toPath(), copy);
    }

    /**
     * Copies the open project as a whole (images in its folder, classes, labels, history,
     * embeddings, map) to {@code target} and goes on in the copy; the original stays as it was. The
     * project is closed while it is copied (listed with progress and cancel); on a problem or a
     * cancel the original opens again.
     */
    void saveAs(Path target) {
        saveAs(target, false);
    }

    /** The same; with {@code copyOutside}, the images imported from outside the folder are copied into the copy too. */
    void saveAs(Path target, boolean copyOutside) {
        WorkspaceState w = project.workspace().get();
        if (w == null) {
            return;
        }
        Path from = w.dir();
        map.cancelComputation();
        var closing = commands.close();
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("saveAs.job", target.getFileName()), j -> {
            j.say(Messages.get("saveAs.job", target));
            j.progress(0, -1);
            closing.get();
            OpenProject.copyWhole(from, target);
            ProjectManifest.read(target).withName(target.getFileName().toString()).write(target);
            if (copyOutside) {
                j.say(Messages.get("saveAs.copyingIn"));
                ImportedFiles.CopiedIn c = ImportedFiles.copyIn(target);
                afterOpen = c.problems().isEmpty()
                        ? new Notices.Notice(Notices.Kind.NOTE, Messages.get("saveAs.copiedIn", c.copied()), List.of())
                        : new Notices.Notice(Notices.Kind.PROBLEM, Messages.get("saveAs.copiedInSome", c.copied(), c.outside()),
                        c.problems());
            }
            return target;
        }).onDone(this::open).onFailure(e -> {
            open(from);
            project.notices().problem(Messages.get("saveAs.failed", target), List.of(String.valueOf(e.getMessage())));
        }).onCancel(() -> open(from)), true);
    }

    /**
     * File > Locate Missing Images: asks for the folder that holds the imported images whose files
     * went missing, closes the project, stores where those found are now (each checked by its
     * bytes) and opens it again, which brings back the images set aside; says how many were found.
     */
    void chooseAndLocate() {
        WorkspaceState w = project.workspace().get();
        if (w == null) {
            return;
        }
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Messages.get("locate.title"));
        chooser.setInitialDirectory(settings.startIn(UserSettings.Folder.IMPORT));
        File folder = chooser.showDialog(stage);
        if (folder != null) {
            settings.usedBeside(UserSettings.Folder.IMPORT, folder);
            locate(folder.toPath());
        }
    }

    /** Looks for the open project's missing imported images under {@code folder} (see {@link #chooseAndLocate}). */
    void locate(Path folder) {
        whileClosed(Messages.get("locate.job", folder), w -> {
            try {
                return ImportedFiles.locate(w.dir(), folder);
            } catch (IOException e) {
                // the project opens again as it was, and the notice says why nothing was found
                return new ImportedFiles.Located(0, 0, List.of(String.valueOf(e.getMessage())), List.of());
            }
        }, (opened, r) -> {
            List<String> lines = new ArrayList<>();
            r.notFound().stream().limit(20).forEach(p -> lines.add(Messages.get("locate.notFound", p)));
            r.differ().stream().limit(20).forEach(p -> lines.add(Messages.get("locate.differ", p)));
            lines.addAll(opened.notes());
            String title = r.missing() == 0 && r.notFound().isEmpty() ? Messages.get("locate.nothingMissing")
                    : Messages.get("locate.found", r.found(), r.missing(), folder);
            if (r.found() < r.missing() || !r.notFound().isEmpty()) {
                project.notices().problem(title, lines);
            } else {
                project.notices().note(title, lines);
            }
        });
    }

    /**
     * Makes another backbone the open project's own (Backbones tab, Work with This Backbone): the
     * project is closed, switched ({@link BackboneSwitch}) and opened again; when the switch is
     * refused it opens again as it was, and the notice says why.
     *
     * @param rows the backbone's rows of every image of the project as shown
     */
    void switchBackbone(String spec, String name, FloatMatrix rows) {
        // the backbone left behind, by name; or why the project keeps its backbone
        record Switched(String previous, String refused) {
        }
        whileClosed(Messages.get("backbones.switch.job", name), w -> {
            try {
                BackboneSwitch.Result r = BackboneSwitch.apply(w, spec, rows);
                return new Switched(BackbonesViewModel.nameOf(w.dir().resolve(r.previous()).toString()), null);
            } catch (IOException e) {
                return new Switched(null, String.valueOf(e.getMessage()));
            }
        }, (opened, s) -> {
            if (s.previous() != null) {
                project.notices().note(Messages.get("backbones.switch.done", name, s.previous()), opened.notes());
            } else {
                project.notices().problem(Messages.get("backbones.switch.failed"), List.of(s.refused()));
            }
        });
    }

    /** Work on the folder of a project closed for it; what it found is handed on once the project is open again. */
    private interface ClosedWork<R> {
        R run(WorkspaceState closed) throws Exception;
    }

    private record Reopened<R>(OpenProject.Opened opened, R outcome) {
    }

    /**
     * Closes the open project, runs {@code work} on its folder (the files lane, listed as {@code job})
     * and opens the project again; {@code then} tells what happened once it is shown. A project that
     * cannot be opened again is reported as any failed open.
     */
    private <R> void whileClosed(String job, ClosedWork<R> work, BiConsumer<OpenProject.Opened, R> then) {
        WorkspaceState w = project.workspace().get();
        if (w == null) {
            return;
        }
        Path dir = w.dir();
        map.cancelComputation();
        project.notices().dismiss();
        var closing = commands.close();
        tasks.start(tasks.job(Tasks.Lane.FILES, job, j -> {
            j.progress(0, -1);
            closing.get();
            R outcome = work.run(w);
            return new Reopened<>(OpenProject.openForWork(dir, false, SampleProjects.copies(), j::say, j::isCancelled), outcome);
        }).onDone(r -> {
            show(r.opened());
            then.accept(r.opened(), r.outcome());
        }).onFailure(e -> failed(dir, e)), true);
    }

    /** The backbone's name for the status bar: its architecture (or format) and input size. */
    static String backboneName(Path dir) {
        try {
            BackboneSpec spec = BackboneSpec.read(dir.resolve(BackboneSpec.FILE_NAME));
            return (spec.architecture() != null ? spec.architecture() : spec.format())
                    + " " + spec.input().width() + "×" + spec.input().height();
        } catch (IOException e) {
            return Messages.get("status.backbone.unreadable");
        }
    }
}
