package org.protolens.ui.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.shortcut.ProjectShortcutReport;
import org.protolens.core.shortcut.ShortcutBias;
import org.protolens.core.shortcut.ShortcutDataset;
import org.protolens.core.shortcut.ShortcutReport;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Recompute;
import org.protolens.ui.common.Tasks;

/**
 * The Shortcut bias tab's state: the shortcut dataset whose manifest describes the project's
 * images (found beside them, or chosen), and its bias report, computed again in the background
 * whenever the project changes while the tab is shown.
 */
public final class ShortcutViewModel {
    /** The seed of the protocol's draws, as the command line's default. */
    static final long SEED = 1;

    /** One line of the report: what was predicted, and its figures. */
    public record Reading(String name, String shortName, ShortcutBias.Report report) {
    }

    /** The report as shown: its readings, a summary, the JSON to export (null: none), or why there is none. */
    /** @param manifest the dataset the report was made from (null: none) */
    public record Shown(WorkspaceState state, ProjectShortcutReport.Result result, List<Reading> readings, String summary,
                        String json, Path manifest) {
    }

    private record Ask(WorkspaceState state, Path manifest) {
    }

    private final ProjectState project;
    private final ReadOnlyObjectWrapper<Path> manifest = new ReadOnlyObjectWrapper<>();
    /** the dataset the person chose (null: the one found above the images) */
    private volatile Path chosen;
    /** the dataset found for the latest project folder and image count (one entry: imports change the count) */
    private volatile Searched searched;

    private record Searched(String key, Path manifest) {
    }
    private final BooleanProperty active = new SimpleBooleanProperty();
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>();
    private final Recompute<Ask, Shown> compute;
    private boolean stale = true;

    public ShortcutViewModel(ProjectState project, Tasks tasks) {
        this.project = project;
        this.compute = new Recompute<>(tasks, "Shortcut bias", this::report, r -> {
            shown.set(r);
            manifest.set(r.manifest());
        });
        project.workspace().addListener((o, was, now) -> {
            if (now == null || was == null || !now.dir().equals(was.dir())) {
                // another project: its dataset is looked for again, in the background
                chosen = null;
            }
            refresh();
        });
        active.addListener((o, a, now) -> {
            if (now && stale) {
                refresh();
            }
        });
    }

    /** The dataset folder (with manifest.csv) the report was made from; null: none found. */
    public ReadOnlyObjectProperty<Path> manifest() {
        return manifest.getReadOnlyProperty();
    }

    /** Whether the tab is shown: a hidden tab computes nothing. */
    public BooleanProperty active() {
        return active;
    }

    public ReadOnlyObjectProperty<Shown> shown() {
        return shown.getReadOnlyProperty();
    }

    /** Uses the dataset in {@code dir}, or says why it cannot. */
    public boolean choose(Path dir) {
        if (dir == null) {
            return false;
        }
        if (!Files.isRegularFile(dir.resolve(ShortcutDataset.MANIFEST))) {
            project.notices().problem(Messages.get("shortcut.noManifest"), List.of(dir.resolve(ShortcutDataset.MANIFEST)
                    + ": no such file (make one with protolens make-shortcut-dataset)"));
            return false;
        }
        chosen = dir;
        refresh();
        return true;
    }

    private void refresh() {
        if (!active.get()) {
            stale = true;
            return;
        }
        stale = false;
        compute.request(new Ask(project.workspace().get(), chosen));
    }

    /** The report for a state (the background): the chosen dataset, or the one found above the project's images. */
    private Shown report(Ask a) {
        WorkspaceState s = a.state();
        if (s == null) {
            return new Shown(null, null, List.of(), Messages.get("shortcut.none"), null, null);
        }
        Path dataset = a.manifest() != null ? a.manifest() : found(s);
        if (dataset == null) {
            return new Shown(s, null, List.of(), Messages.get("shortcut.noDataset"), null, null);
        }
        ProjectShortcutReport.Result r;
        try {
            r = ProjectShortcutReport.of(s, dataset, 0, SEED);
        } catch (Exception e) {
            return new Shown(s, null, List.of(), e.getMessage() == null ? e.toString() : e.getMessage(), null, dataset);
        }
        String alpha = String.format(Locale.ROOT, "%.2f", s.calibration().alpha());
        List<Reading> readings = new ArrayList<>();
        readings.add(new Reading(Messages.get("shortcut.reading.nowRaw"), Messages.get("shortcut.short.nowRaw"), r.nowRaw()));
        readings.add(new Reading(Messages.get("shortcut.reading.now", alpha, s.calibrationEnabled() ? 1 : 0),
                Messages.get("shortcut.short.now"), r.now()));
        ShortcutReport.Result p = r.protocol();
        String json = null;
        if (p != null) {
            readings.add(new Reading(Messages.get("shortcut.reading.protocolRaw"), Messages.get("shortcut.short.protocolRaw"), p.raw()));
            readings.add(new Reading(Messages.get("shortcut.reading.protocol", alpha), Messages.get("shortcut.short.protocol"),
                    p.calibrated()));
            if (p.rawNovel() != null) {
                readings.add(new Reading(Messages.get("shortcut.reading.novelRaw"), Messages.get("shortcut.short.novelRaw"), p.rawNovel()));
                readings.add(new Reading(Messages.get("shortcut.reading.novel", alpha), Messages.get("shortcut.short.novel"),
                        p.calibratedNovel()));
            }
            var node = ShortcutReport.json(p);
            node.put("dataset", dataset.toString());
            node.put("project", s.dir().toString());
            json = node.toPrettyString() + "\n";
        }
        String summary = Messages.get("shortcut.summary", dataset, r.matched(), r.matched() + r.missing(),
                p == null ? "–" : String.format(Locale.ROOT, "%.2f", p.coreP()),
                p == null ? "–" : String.format(Locale.ROOT, "%.2f", p.shortcutQ()), r.shots(), r.seed())
                + (r.problem() == null ? "" : " " + Messages.get("shortcut.protocolProblem", r.problem()));
        return new Shown(s, r, List.copyOf(readings), summary, json, dataset);
    }

    /** The dataset found above the project's images, looked for once per project and image count. */
    private Path found(WorkspaceState s) {
        String key = s.dir() + "\n" + s.imageCount();
        Searched last = searched;
        if (last == null || !last.key().equals(key)) {
            last = new Searched(key, ProjectShortcutReport.findManifest(s));
            searched = last;
        }
        return last.manifest();
    }
}
