package org.protolens.ui.classes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.protolens.core.project.History;
import org.protolens.core.project.NewClassPlan;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;

/**
 * The classes panel's state: one row per class (base classes, then new ones, each group under a
 * heading) with its images, shots and accuracy; the calibration settings the sliders show; what
 * each class's actions would do with the current selection. Gestures become edits through
 * {@link Commands}.
 */
public final class ClassesViewModel {
    /**
     * A row of the list: a group heading ({@code index} -1) or a class.
     *
     * @param accuracy share of its evaluated images predicted as it (NaN: none)
     */
    public record Row(int index, String name, Workspace.Kind kind, int images, int shots, double accuracy) {
        boolean heading() {
            return index < 0;
        }
    }

    /** One of a class's actions, as its menu shows it; {@code run} gives the edit's outcome, or null for no edit. */
    public record ClassAction(String text, boolean enabled, Supplier<CompletableFuture<Void>> run) {
    }

    /** A calibration step within this long of the one before continues its gesture (arrow keys on a slider). */
    static final long GESTURE_MILLIS = 1000;

    private final ProjectState project;
    private final Commands commands;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final FilteredList<Row> shown = new FilteredList<>(rows);
    private final StringProperty search = new SimpleStringProperty("");
    private final DoubleProperty alpha = new SimpleDoubleProperty(TeenCalibration.DEFAULT_ALPHA);
    private final DoubleProperty tau = new SimpleDoubleProperty(TeenCalibration.DEFAULT_TAU);
    private final BooleanProperty calibrationOn = new SimpleBooleanProperty(true);
    private final ObjectProperty<PrototypeHead> head = new SimpleObjectProperty<>(PrototypeHead.CALIBRATED);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper selectionText = new ReadOnlyStringWrapper("");
    private boolean following;
    private boolean dragging;
    private long lastStep;
    private Consumer<String> onSuggest = name -> { };
    private List<String> structure = List.of();

    public ClassesViewModel(ProjectState project, Commands commands) {
        this.project = project;
        this.commands = commands;
        project.workspace().addListener((o, was, now) -> refresh(now));
        project.selection().addListener((o, was, now) -> selectionText.set(now.length == 0
                ? Messages.get("classes.selection.none") : Messages.get("classes.selection", now.length)));
        selectionText.set(Messages.get("classes.selection.none"));
        alpha.addListener((o, was, now) -> calibrationChanged());
        tau.addListener((o, was, now) -> calibrationChanged());
        calibrationOn.addListener((o, was, now) -> calibrationChanged());
        head.addListener((o, was, now) -> headChanged(now));
        search.addListener((o, was, now) -> filter());
        refresh(project.workspace().get());
    }

    // ---- what the view binds ----

    /** The rows shown: every class, or those whose name holds the search text (headings kept). */
    public ObservableList<Row> rows() {
        return shown;
    }

    /** Every row, unfiltered. */
    public List<Row> allRows() {
        return List.copyOf(rows);
    }

    public StringProperty search() {
        return search;
    }

    public DoubleProperty alpha() {
        return alpha;
    }

    public DoubleProperty tau() {
        return tau;
    }

    public BooleanProperty calibrationOn() {
        return calibrationOn;
    }

    /** How the new classes' prototypes are made: as calibrated, or refined by a transductive head. */
    public ObjectProperty<PrototypeHead> head() {
        return head;
    }

    /** Accuracy over the evaluated images and the share of new-class images predicted as a base class. */
    public ReadOnlyStringProperty summary() {
        return summary.getReadOnlyProperty();
    }

    /** "N images selected", or how to select. */
    public ReadOnlyStringProperty selectionText() {
        return selectionText.getReadOnlyProperty();
    }

    /** Whether a slider is being dragged: its steps are one undo, and the state does not move it meanwhile. */
    public void setDragging(boolean dragging) {
        this.dragging = dragging;
    }

    public void setOnSuggest(Consumer<String> action) {
        onSuggest = action;
    }

    // ---- from the state ----

    private void refresh(WorkspaceState s) {
        if (s == null) {
            rows.clear();
            structure = List.of();
            summary.set("");
            return;
        }
        if (!commands.calibrating() && !dragging) {
            following = true;
            alpha.set(s.calibration().alpha());
            tau.set(s.calibration().tau());
            calibrationOn.set(s.calibrationEnabled());
            following = false;
        }
        following = true;
        head.set(s.head());
        following = false;
        List<Row> next = rowsOf(s);
        List<String> names = next.stream().map(r -> r.index() + ":" + r.name() + ":" + r.kind()).toList();
        if (names.equals(structure)) {
            // the same classes: rows whose numbers changed are replaced, the list stays
            for (int j = 0; j < next.size(); j++) {
                if (!next.get(j).equals(rows.get(j))) {
                    rows.set(j, next.get(j));
                }
            }
        } else {
            rows.setAll(next);
            structure = names;
        }
        double mean = s.classMeanAccuracy();
        double pooled = s.accuracy();
        double n2b = s.novelToBase();
        // the class mean is the accuracy shown; the pooled one beside it where the classes' sizes make them differ
        boolean differ = !Double.isNaN(pooled) && Math.abs(mean - pooled) >= 0.0005;
        summary.set(Messages.get("classes.summary", percent(mean), percent(n2b),
                differ ? Messages.get("classes.summary.pooled", percent(pooled)) : "")
                + (s.refining() ? Messages.get("classes.summary.refining", s.head()) : ""));
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** The rows for a state: base classes under their heading, then new ones. */
    static List<Row> rowsOf(WorkspaceState s) {
        List<Row> out = new ArrayList<>();
        List<Workspace.ClassStats> stats = s.classStats();
        for (boolean base : new boolean[] {true, false}) {
            boolean headed = false;
            for (int k = 0; k < s.classCount(); k++) {
                if (s.isBase(k) != base) {
                    continue;
                }
                if (!headed) {
                    out.add(new Row(-1, Messages.get(base ? "classes.group.base" : "classes.group.novel"), null, 0, 0, Double.NaN));
                    headed = true;
                }
                Workspace.ClassStats st = stats.get(k);
                out.add(new Row(k, s.classNames().get(k), s.kind(k), st.images(), st.shots(), st.accuracy()));
            }
        }
        return out;
    }

    private void filter() {
        String q = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        shown.setPredicate(q.isEmpty() ? null : r -> r.heading() || r.name().toLowerCase(Locale.ROOT).contains(q));
    }

    // ---- gestures ----

    private void calibrationChanged() {
        if (following || project.workspace().get() == null) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean continuing = dragging || now - lastStep < GESTURE_MILLIS;
        lastStep = now;
        commands.calibrate(new TeenCalibration(alpha.get(), tau.get()), calibrationOn.get(), continuing);
    }

    private void headChanged(PrototypeHead now) {
        if (following || now == null || project.workspace().get() == null || project.workspace().get().head() == now) {
            return;
        }
        commands.edit(History.head(now), true);
    }

    /** Sets alpha and tau together, calibration on: one undoable step of its own. */
    public void preset(double a, double t) {
        following = true;
        alpha.set(a);
        tau.set(t);
        calibrationOn.set(true);
        following = false;
        lastStep = 0;
        calibrationChanged();
    }

    /** Makes the new class {@code name} of a plan's shots and members (undoable). */
    public CompletableFuture<Void> newClass(String name, NewClassPlan.Result plan) {
        return commands.edit(History.newClass(name, plan.shots(), plan.members()));
    }

    /** What can be done to class {@code k} with the current selection, in menu order (null entries: separators). */
    public List<ClassAction> actionsFor(int k) {
        WorkspaceState s = project.workspace().get();
        List<ClassAction> out = new ArrayList<>();
        if (s == null || k >= s.classCount()) {
            return out;
        }
        String name = s.classNames().get(k);
        Workspace.Kind kind = s.kind(k);
        int[] sel = project.selection().get();
        int[] selectedShots = Arrays.stream(sel).filter(i -> i < s.imageCount() && s.label(i) == k && s.isShot(i)).toArray();
        out.add(new ClassAction(Messages.get("class.select"), true, () -> {
            project.selection().set(s.imagesOf(k));
            return null;
        }));
        out.add(new ClassAction(Messages.get("class.suggest"), true, () -> {
            onSuggest.accept(name);
            return null;
        }));
        out.add(null);
        out.add(new ClassAction(Messages.get("class.addShots", sel.length), kind == Workspace.Kind.NOVEL && sel.length > 0,
                () -> commands.edit(History.relabel(Messages.get("edit.addShots", sel.length, name), sel, name, true))));
        out.add(new ClassAction(Messages.get("class.dropShots", selectedShots.length), selectedShots.length > 0,
                () -> commands.edit(History.relabel(Messages.get("edit.dropShots", selectedShots.length, name), selectedShots, name,
                        false))));
        out.add(new ClassAction(Messages.get("class.label", name, sel.length), sel.length > 0,
                () -> commands.edit(History.relabel(Messages.get("edit.label", sel.length, name), sel, name, false))));
        out.add(new ClassAction(Messages.get("class.reject", name, sel.length), sel.length > 0,
                () -> commands.edit(History.reject(name, sel))));
        out.add(null);
        out.add(new ClassAction(Messages.get("class.remove"), kind != Workspace.Kind.BASE, () -> commands.edit(History.remove(name))));
        return out;
    }

    /** Whether class {@code k} can be renamed (a base class of the backbone keeps its name). */
    public boolean canRename(int k) {
        WorkspaceState s = project.workspace().get();
        return s != null && k < s.classCount() && s.kind(k) != Workspace.Kind.BASE;
    }

    /** Renames class {@code from} (undoable). */
    public CompletableFuture<Void> rename(String from, String to) {
        return commands.edit(History.rename(from, to));
    }
}
