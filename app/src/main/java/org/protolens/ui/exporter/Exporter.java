package org.protolens.ui.exporter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javafx.scene.control.ChoiceDialog;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.protolens.core.analysis.SessionTable;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.interop.ProjectExport;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.shortcut.SaliencyImage;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.UserSettings;

/**
 * File > Export: asks where, then writes in the background from the state the window showed when
 * asked (edits made meanwhile do not mix in), listed with its progress; says where it wrote, or
 * what went wrong.
 */
public final class Exporter {
    /** What an export writes. */
    public enum Kind { LABELS, FOLDERS, EMBEDDINGS, PROTOTYPES, SESSIONS }

    public interface Writing {
        void write(WorkspaceState s, Path target) throws IOException;
    }

    private final ProjectState project;
    private final Tasks tasks;
    private final Supplier<Window> owner;
    private final UserSettings settings;

    public Exporter(ProjectState project, Tasks tasks, Supplier<Window> owner, UserSettings settings) {
        this.project = project;
        this.tasks = tasks;
        this.owner = owner;
        this.settings = settings;
    }

    /** Asks where and exports {@code kind}. */
    public void export(Kind kind) {
        WorkspaceState s = project.workspace().get();
        if (s == null) {
            return;
        }
        switch (kind) {
            case LABELS -> toFile(s, kind, "CSV", "*.csv", "labels.csv", ProjectExport::writeLabels);
            case EMBEDDINGS -> toFile(s, kind, "NumPy", "*.npy", "embeddings.npy", ProjectExport::writeEmbeddings);
            case PROTOTYPES -> toFile(s, kind, Messages.get("export.prefix"), "*", "prototypes", ProjectExport::writePrototypes);
            case SESSIONS -> sessions(SessionTable.of(s));
            case FOLDERS -> folders(s);
        }
    }

    /** The Sessions tab's table as CSV. */
    public void sessions(SessionTable.Result table) {
        WorkspaceState s = project.workspace().get();
        if (s != null) {
            toFile(s, Kind.SESSIONS, "CSV", "*.csv", "sessions.csv",
                    (w, f) -> ProjectExport.writeSessions(table, w.calibration(), w.calibrationEnabled(), f));
        }
    }

    /** The Probes tab's report as CSV. */
    public void probeReport(String csv) {
        WorkspaceState s = project.workspace().get();
        if (s != null && csv != null) {
            toFile(s, Messages.get("export.probes.title"), "CSV", "*.csv", "probes.csv", (w, f) -> AtomicFiles.writeString(f, csv));
        }
    }

    /** The Shortcut bias tab's report as JSON. */
    public void shortcutReport(String json) {
        WorkspaceState s = project.workspace().get();
        if (s != null && json != null) {
            toFile(s, Messages.get("export.shortcut.title"), "JSON", "*.json", "shortcut-report.json",
                    (w, f) -> AtomicFiles.writeString(f, json));
        }
    }

    /** The Probes tab's saliency overlay as PNG. */
    public void saliency(RgbImage image) {
        WorkspaceState s = project.workspace().get();
        if (s != null && image != null) {
            toFile(s, Messages.get("export.saliency.title"), "PNG", "*.png", "saliency.png", (w, f) -> SaliencyImage.writePng(image, f));
        }
    }

    private void toFile(WorkspaceState s, Kind kind, String what, String pattern, String name, Writing writing) {
        toFile(s, Messages.get("export." + kind.name().toLowerCase(Locale.ROOT) + ".title"), what, pattern, name, writing);
    }

    private void toFile(WorkspaceState s, String title, String what, String pattern, String name, Writing writing) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, pattern));
        chooser.setInitialDirectory(startIn(s));
        chooser.setInitialFileName(name);
        File f = chooser.showSaveDialog(owner.get());
        if (f != null) {
            settings.used(UserSettings.Folder.EXPORT, f);
            write(s, f.toPath(), writing);
        }
    }

    /** Where an export's chooser starts: where the last export went, else the project's folder. */
    private File startIn(WorkspaceState s) {
        File last = settings.lastUsed(UserSettings.Folder.EXPORT);
        return last != null ? last : Files.isDirectory(s.dir()) ? s.dir().toFile() : settings.startIn(UserSettings.Folder.EXPORT);
    }

    /** Writes in the background, listed; the result is a note or a problem. */
    public Tasks.Job<Void> write(WorkspaceState s, Path target, Writing writing) {
        return tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("export.job", target.getFileName()), j -> {
            j.say(Messages.get("export.job", target));
            j.progress(0, -1);
            writing.write(s, target);
            return (Void) null;
        }).onDone(v -> project.notices().note(Messages.get("export.done", target), List.of()))
                .onFailure(e -> project.notices().problem(Messages.get("export.failed"), List.of(target + ": " + e.getMessage()))), true);
    }

    /** One folder per class in an empty folder, with copies or links of its images. */
    private void folders(WorkspaceState s) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Messages.get("export.folders.title"));
        chooser.setInitialDirectory(startIn(s));
        File dir = chooser.showDialog(owner.get());
        if (dir == null) {
            return;
        }
        settings.usedBeside(UserSettings.Folder.EXPORT, dir);
        String copies = Messages.get("export.folders.copies");
        String links = Messages.get("export.folders.links");
        ChoiceDialog<String> how = new ChoiceDialog<>(copies, copies, links);
        how.initOwner(owner.get());
        how.setTitle(Messages.get("export.folders.title"));
        how.setHeaderText(Messages.get("export.folders.header", dir.toPath().resolve("CLASS")));
        how.setContentText(Messages.get("export.folders.as"));
        how.showAndWait().ifPresent(choice -> {
            var plan = ProjectExport.labelFolders(s);
            write(s, dir.toPath(), (w, target) -> ProjectExport.writeLabelFolders(plan, target, links.equals(choice)));
        });
    }
}
