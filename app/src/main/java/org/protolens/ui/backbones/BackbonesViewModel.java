package org.protolens.ui.backbones;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.protolens.core.FloatMatrix;
import org.protolens.core.analysis.BackboneComparison;
import org.protolens.core.project.ComparedBackbones;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Recompute;
import org.protolens.ui.common.Tasks;

/**
 * The Backbones tab's state: the other backbones the person added for the open project, their
 * embeddings of the project's images (kept in the project's embedding cache, one folder per
 * backbone), and the comparison, computed again in the background whenever labels, shots, classes
 * or the calibration change while the tab is shown. The project remembers which backbones were
 * added ({@link ComparedBackbones}); they are embedded again (from the cache) when the tab is next
 * shown after the project opens.
 */
public final class BackbonesViewModel {

    /**
     * One backbone as the tab shows it: its figures and its PCA map (two floats per image; NaN: not
     * read), and how it was added (null for the project's own).
     */
    public record Row(BackboneComparison.Figures figures, float[] map, boolean own, String spec) {
    }

    /** The comparison as shown: the state it was made from, a row per backbone (the project's first), or why there is none. */
    public record Shown(WorkspaceState state, List<Row> rows, String problem) {
    }

    /** An added backbone: how the person named it, its embeddings of the images (by path, in order) and their map. */
    private record Other(String spec, String name, FloatMatrix embeddings, Path project, List<String> images, float[] map) {
        static Other of(String spec, String name, FloatMatrix embeddings, WorkspaceState s) {
            return new Other(spec, name, embeddings, s.dir(), s.imagePaths(), BackboneComparison.map(embeddings));
        }
    }

    /** A map and the embeddings (by identity) it was made of. */
    private record Made(FloatMatrix embeddings, float[] map) {
    }

    private final ProjectState project;
    private final Tasks tasks;
    private final BooleanProperty active = new SimpleBooleanProperty();
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>();
    private final Recompute<WorkspaceState, Shown> compute;
    /** the added backbones, in the order added (the JavaFX thread) */
    private final List<Other> others = new ArrayList<>();
    /** backbones being embedded (added or remembered), by spec (the JavaFX thread) */
    private final Set<String> adding = new LinkedHashSet<>();
    /** the remembered backbones of the open project not embedded yet: the tab was not shown since it opened */
    private List<String> remembered = List.of();
    /** one embedding run at a time: a backbone's cache folder is held while it is read */
    private final Object embedding = new Object();
    private boolean stale = true;
    /** the project's own backbone's map, made again only when its embeddings change */
    private volatile Made ownMap;

    public BackbonesViewModel(ProjectState project, Tasks tasks) {
        this.project = project;
        this.tasks = tasks;
        this.compute = new Recompute<>(tasks, "Backbones", this::compare, shown::set);
        project.workspace().addListener((o, was, now) -> {
            if (now == null || was == null || !now.dir().equals(was.dir())) {
                // another project: its own backbones are added anew
                synchronized (others) {
                    others.clear();
                }
                adding.clear();
                remembered = now == null ? List.of() : remembered(now.dir());
                restoreIfShown();
            }
            refresh();
        });
        active.addListener((o, a, now) -> {
            restoreIfShown();
            if (now && stale) {
                refresh();
            }
        });
    }

    private List<String> remembered(Path dir) {
        try {
            return ComparedBackbones.read(dir);
        } catch (IOException e) {
            project.notices().problem(Messages.get("backbones.remembered.damaged"), List.of(e.getMessage()));
            return List.of();
        }
    }

    /** Embeds the remembered backbones once the tab is shown: nothing is embedded for a tab no one looks at. */
    private void restoreIfShown() {
        if (!active.get() || remembered.isEmpty()) {
            return;
        }
        List<String> specs = remembered;
        remembered = List.of();
        specs.forEach(this::add);
    }

    /** Writes which backbones are added, so that they are there when the project opens again. */
    private void remember(Path dir) {
        List<String> specs = new ArrayList<>();
        synchronized (others) {
            others.forEach(o -> specs.add(o.spec()));
        }
        specs.addAll(adding);
        specs.addAll(remembered);
        try {
            ComparedBackbones.write(dir, specs);
        } catch (IOException e) {
            project.notices().problem(Messages.get("backbones.remember.failed"), List.of(e.getMessage()));
        }
    }

    /** Takes a backbone out of the comparison, and out of the project's remembered ones. */
    public void remove(String spec) {
        WorkspaceState s = project.workspace().get();
        if (s == null || spec == null) {
            return;
        }
        synchronized (others) {
            others.removeIf(o -> o.spec().equals(spec));
        }
        remember(s.dir());
        refresh();
    }

    /** Who makes another backbone the project's own: its spec and its rows of every image (the shell). */
    public interface Switcher {
        void switchTo(String spec, String name, FloatMatrix rows);
    }

    private Switcher switcher = (spec, name, rows) -> { };

    /** What "Work with this backbone" does (the shell closes the project, switches and opens it again). */
    public void setSwitcher(Switcher switcher) {
        this.switcher = switcher;
    }

    /**
     * Makes an added backbone the project's own (see {@code BackboneSwitch}): with its rows of the
     * project's images as they are now, the labels, shots and classes kept. Nothing happens for a
     * backbone not added, or whose rows do not cover the project's images yet.
     */
    public void switchTo(String spec) {
        WorkspaceState s = project.workspace().get();
        if (s == null || spec == null) {
            return;
        }
        Other chosen = null;
        synchronized (others) {
            for (Other o : others) {
                if (o.spec().equals(spec) && o.project().equals(s.dir()) && o.images().equals(s.imagePaths())) {
                    chosen = o;
                }
            }
        }
        if (chosen != null) {
            switcher.switchTo(chosen.spec(), chosen.name(), chosen.embeddings());
        }
    }

    /** Whether the tab is shown: a hidden tab computes nothing. */
    public BooleanProperty active() {
        return active;
    }

    public ReadOnlyObjectProperty<Shown> shown() {
        return shown.getReadOnlyProperty();
    }

    /**
     * Embeds the project's images with another backbone (a listed task with progress; cancellable)
     * and adds it to the comparison; a backbone that cannot be loaded is reported by name.
     *
     * @param spec a backbone folder, a TorchScript file or a model URL
     */
    public void add(String spec) {
        WorkspaceState s = project.workspace().get();
        if (s == null || spec == null) {
            return;
        }
        if (added().contains(nameOf(spec)) || !adding.add(spec)) {
            refresh();
            return;
        }
        String name = nameOf(spec);
        tasks.start(tasks.job(Tasks.Lane.IMPORT, Messages.get("backbones.embedding", name), job -> {
            List<String> problems = new ArrayList<>();
            FloatMatrix e = embed(s, spec, problems, job);
            return new Embedded(Other.of(spec, name, e, s), problems);
        }).onDone(done -> {
            WorkspaceState now = project.workspace().get();
            if (now == null || !now.dir().equals(done.other().project())) {
                return;
            }
            adding.remove(spec);
            synchronized (others) {
                others.add(done.other());
            }
            remember(now.dir());
            if (!done.problems().isEmpty()) {
                project.notices().problem(Messages.get("backbones.unread", done.problems().size(), name), done.problems());
            }
            refresh();
        }).onFailure(e -> {
            // a backbone that cannot be loaded is not remembered: the notice names it
            WorkspaceState now = project.workspace().get();
            if (adding.remove(spec) && now != null && now.dir().equals(s.dir())) {
                remember(now.dir());
            }
            project.notices().problem(Messages.get("backbones.failed", name),
                    List.of(e.getMessage() == null ? e.toString() : e.getMessage()));
        }).onCancel(() -> {
            // cancelled: not added, and not remembered
            WorkspaceState now = project.workspace().get();
            if (adding.remove(spec) && now != null && now.dir().equals(s.dir())) {
                remember(now.dir());
            }
        }), true);
    }

    private record Embedded(Other other, List<String> problems) {
    }

    /** The backbones added, as named in the tab (for tests). */
    public List<String> added() {
        synchronized (others) {
            return others.stream().map(Other::name).toList();
        }
    }

    private FloatMatrix embed(WorkspaceState s, String spec, List<String> problems, Tasks.Progress job) throws Exception {
        synchronized (embedding) {
            return BackboneComparison.embed(s, spec, problems, (done, total) -> job.progress(done, total), job::isCancelled);
        }
    }

    /** A short name: the backbone folder's or file's name, and its parent's for a folder called "backbone". */
    public static String nameOf(String spec) {
        if (spec.matches("(?i)[a-z0-9]+://.*")) {
            return spec;
        }
        Path p = Path.of(spec).normalize();
        Path name = p.getFileName();
        if (name == null) {
            return spec;
        }
        Path parent = p.getParent();
        return name.toString().equals("backbone") && parent != null && parent.getFileName() != null
                ? parent.getFileName() + "/" + name : name.toString();
    }

    private void refresh() {
        if (!active.get()) {
            stale = true;
            return;
        }
        stale = false;
        compute.request(project.workspace().get());
    }

    /** The comparison for a state (the background): other backbones' rows follow imports through the cache. */
    private Shown compare(WorkspaceState s) {
        if (s == null) {
            return new Shown(null, List.of(), Messages.get("backbones.none"));
        }
        List<Other> added;
        synchronized (others) {
            added = List.copyOf(others);
        }
        Map<String, FloatMatrix> embeddings = new LinkedHashMap<>();
        FloatMatrix ownEmbeddings = s.embeddings();
        embeddings.put(Messages.get("backbones.own", nameOf(s.backboneDir().toString())), ownEmbeddings);
        List<float[]> maps = new ArrayList<>();
        Made own = ownMap;
        // the same array with another row count: images were added to (or taken from) the array's free end
        if (own == null || own.embeddings().data() != ownEmbeddings.data() || own.embeddings().rows() != ownEmbeddings.rows()) {
            own = new Made(ownEmbeddings, BackboneComparison.map(ownEmbeddings));
            ownMap = own;
        }
        maps.add(own.map());
        List<String> problems = new ArrayList<>();
        List<String> paths = s.imagePaths();
        for (Other was : added) {
            Other o = was;
            if (!o.images().equals(paths)) {
                // images were imported or removed since: the cache gives the rows it has, new images are embedded, once
                try {
                    synchronized (embedding) {
                        o = Other.of(was.spec(), was.name(), BackboneComparison.embed(s, was.spec(), problems, (done, total) -> { },
                                () -> false), s);
                    }
                } catch (Exception ex) {
                    return new Shown(s, List.of(), was.name() + ": " + ex.getMessage());
                }
                replace(o);
            }
            String name = o.name();
            while (embeddings.containsKey(name)) {
                name += "'";
            }
            embeddings.put(name, o.embeddings());
            maps.add(o.map());
        }
        List<BackboneComparison.Figures> figures;
        try {
            figures = BackboneComparison.compare(s, embeddings);
        } catch (IllegalArgumentException e) {
            return new Shown(s, List.of(), e.getMessage());
        }
        List<Row> rows = new ArrayList<>();
        for (int at = 0; at < figures.size(); at++) {
            rows.add(new Row(figures.get(at), maps.get(at), at == 0, at == 0 ? null : added.get(at - 1).spec()));
        }
        return new Shown(s, List.copyOf(rows), null);
    }

    /** Keeps a backbone's embeddings of the images as they are now, if it is still added. */
    private void replace(Other updated) {
        synchronized (others) {
            for (int i = 0; i < others.size(); i++) {
                if (others.get(i).spec().equals(updated.spec()) && others.get(i).project().equals(updated.project())) {
                    others.set(i, updated);
                }
            }
        }
    }
}
