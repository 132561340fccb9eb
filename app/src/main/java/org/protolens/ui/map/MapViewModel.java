package org.protolens.ui.map;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.protolens.core.map.MapLayout;
import org.protolens.core.project.ProjectMap;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Recompute;
import org.protolens.ui.common.Tasks;

/**
 * The map's state: the layout (PCA, t-SNE or UMAP, kept in the project), every image's position
 * (images added since the layout was computed are placed into it, in the background), where each
 * class's prototype lands (raw and calibrated), the colouring, and the viewport. The view draws
 * what this holds and turns gestures into calls here.
 */
public final class MapViewModel {
    /** What a point's colour says: its predicted class, its label, whether the prediction is right, or how sure it is (margin). */
    public enum Colouring { PREDICTION, LABEL, CORRECT, MARGIN, SIMILARITY }

    /** Where the prototypes land: per class, x and y of the raw prototype and of the one predicted with. */
    public record Prototypes(float[] raw, float[] now) {
        static final Prototypes NONE = new Prototypes(new float[0], new float[0]);
    }

    private final ProjectState project;
    private final Tasks tasks;
    private final MapViewport viewport = new MapViewport();
    private final ObjectProperty<Colouring> colouring = new SimpleObjectProperty<>(Colouring.PREDICTION);
    private final ReadOnlyObjectWrapper<MapLayout> layout = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<MapLayout.Method> method = new ReadOnlyObjectWrapper<>(MapLayout.Method.PCA);
    /** every method's latest map of the open project in this session: switching back to one is instant */
    private final Map<MapLayout.Method, MapLayout> computed = new EnumMap<>(MapLayout.Method.class);
    private final ReadOnlyBooleanWrapper provisional = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper computing = new ReadOnlyBooleanWrapper();
    /** increases whenever there is something new to draw */
    private final ReadOnlyIntegerWrapper changes = new ReadOnlyIntegerWrapper();
    private final BooleanProperty showsImages = new SimpleBooleanProperty();
    /** positions of the first images of the state, x and y interleaved; never written once published */
    private float[] xy = new float[0];
    private Prototypes prototypes = Prototypes.NONE;
    /** the state {@link #xy} and {@link #prototypes} were made for */
    private WorkspaceState drawn;
    private final Recompute<Placing, Placed> placing;
    private Tasks.Job<MapLayout> computation;
    /** an import finished before the first map of its images was placed */
    private boolean layOutWhenPlaced;

    /** @param xyState the state whose images {@code xy} holds the points of, or null when it is not known */
    private record Placing(MapLayout layout, float[] xy, WorkspaceState xyState, WorkspaceState state) {
    }

    /** Where a probe's edited copies landed: their originals and their places, x and y interleaved. */
    public record Marks(ProjectState.ProbeMarks marks, MapLayout layout, float[] xy) {
    }

    private final Recompute<Marks, Marks> markPlacing;
    private Marks marks;

    private record Placed(MapLayout layout, float[] xy, Prototypes prototypes, WorkspaceState state) {
    }

    public MapViewModel(ProjectState project, Tasks tasks) {
        this.project = project;
        this.tasks = tasks;
        this.placing = new Recompute<>(tasks, "Placing points", MapViewModel::place, this::placed);
        project.workspace().addListener((o, was, now) -> stateChanged(was, now));
        colouring.addListener((o, a, b) -> changed());
        project.selection().addListener((o, a, b) -> changed());
        project.inspected().addListener((o, a, b) -> changed());
        project.highlighted().addListener((o, a, b) -> changed());
        this.markPlacing = new Recompute<>(tasks, "Placing edited images",
                m -> new Marks(m.marks(), m.layout(), m.layout().place(m.marks().embeddings())), this::marksPlaced);
        project.probeMarks().addListener((o, a, b) -> placeMarks());
        layout.addListener((o, a, b) -> placeMarks());
    }

    private void placeMarks() {
        ProjectState.ProbeMarks m = project.probeMarks().get();
        MapLayout l = layout.get();
        if (m == null || l == null || m.images().length == 0) {
            marks = null;
            changed();
            return;
        }
        markPlacing.request(new Marks(m, l, null));
    }

    private void marksPlaced(Marks m) {
        if (m.marks() == project.probeMarks().get() && m.layout() == layout.get()) {
            marks = m;
            changed();
        }
    }

    /** The probe's edited copies as placed on the map drawn, or null. */
    public Marks marks() {
        return marks;
    }

    /** Shows a project's map (from opening it); null: too few images for one. */
    public void show(MapLayout opened) {
        cancelComputation();
        computed.clear();
        if (opened != null) {
            computed.put(opened.method(), opened);
        }
        layOutWhenPlaced = false;
        use(opened);
    }

    /**
     * Shows the map of {@code m}: the one computed already in this session, at once (images
     * imported since are placed beside their neighbours, and it becomes the project's stored
     * map), else a new one computed in the background.
     */
    public void switchTo(MapLayout.Method m) {
        MapLayout known = computed.get(m);
        WorkspaceState s = project.workspace().get();
        if (known == null || s == null || known.xy().length / 2 > s.imageCount()) {
            compute(m);
            return;
        }
        cancelComputation();
        use(known);
        Path dir = s.dir();
        tasks.run(Tasks.Lane.LAYOUT, Messages.get("map.storing", m), j -> {
            ProjectMap.store(dir, known);
            return null;
        }, v -> { });
    }

    private void use(MapLayout opened) {
        layout.set(opened);
        method.set(opened == null ? MapLayout.Method.PCA : opened.method());
        provisional.set(false);
        xy = opened == null ? new float[0] : opened.xy().clone();
        prototypes = Prototypes.NONE;
        drawn = null;
        viewport.setPoints(xy);
        viewport.reset();
        WorkspaceState s = project.workspace().get();
        if (s != null) {
            placing.request(new Placing(opened, xy, null, s));
        }
        changed();
    }

    private void stateChanged(WorkspaceState was, WorkspaceState now) {
        if (now == null) {
            cancelComputation();
            computed.clear();
            layout.set(null);
            xy = new float[0];
            prototypes = Prototypes.NONE;
            drawn = null;
            viewport.setPoints(xy);
            changed();
            return;
        }
        if (was != null && !was.dir().equals(now.dir())) {
            // another project: its map comes with show()
            return;
        }
        // the map is drawn once the state's prototypes (and any new images) are placed: one
        // picture per state, its colours and its prototypes together
        MapLayout l = layout.get();
        if (l != null && l.method() == MapLayout.Method.PCA && xy.length / 2 == now.imageCount()) {
            // a PCA map projects 2 x classes prototypes: at once, with no trip to another thread
            prototypes = prototypesOf(l, now);
            drawn = now;
            changed();
            return;
        }
        placing.request(new Placing(l, xy, drawn, now));
    }

    /** Positions for the state's images (new ones placed, removed ones dropped) and its prototypes: the VIEWS lane. */
    private static Placed place(Placing p) {
        WorkspaceState s = p.state();
        MapLayout l = p.layout();
        int n = s.imageCount();
        if (l == null) {
            // the first images of an empty project: a PCA map of them to start with
            if (n < 2) {
                return new Placed(null, new float[0], Prototypes.NONE, s);
            }
            l = ProjectMap.pca(s);
            return new Placed(l, l.xy().clone(), prototypesOf(l, s), s);
        }
        float[] xy = p.xy();
        int have = xy.length / 2;
        if (p.xyState() != null && p.xyState().sameImagesAs(s) < Math.min(p.xyState().imageCount(), n)) {
            // images were removed before others: each point stays with its image
            return new Placed(l, kept(l, xy, p.xyState(), s), prototypesOf(l, s), s);
        }
        if (have > n) {
            xy = Arrays.copyOf(xy, 2 * n);
        } else if (have < n) {
            float[] more = l.place(s.embeddings(have, n));
            float[] grown = Arrays.copyOf(xy, 2 * n);
            System.arraycopy(more, 0, grown, 2 * have, more.length);
            xy = grown;
        }
        return new Placed(l, xy, prototypesOf(l, s), s);
    }

    /** The points of {@code s}'s images: each imported image's from {@code xy} (of {@code old}'s images) by its path, the others placed. */
    private static float[] kept(MapLayout l, float[] xy, WorkspaceState old, WorkspaceState s) {
        int n = s.imageCount();
        int own = s.projectImageCount();
        float[] out = new float[2 * n];
        System.arraycopy(xy, 0, out, 0, Math.min(2 * own, xy.length));
        Map<String, Integer> at = new HashMap<>();
        for (int j = 0; j < old.imported().size(); j++) {
            at.put(old.imported().get(j).path(), old.projectImageCount() + j);
        }
        List<Integer> placeThese = new ArrayList<>();
        for (int i = own; i < n; i++) {
            Integer o = at.get(s.imported().get(i - own).path());
            if (o != null && 2 * o + 1 < xy.length) {
                out[2 * i] = xy[2 * o];
                out[2 * i + 1] = xy[2 * o + 1];
            } else {
                placeThese.add(i);
            }
        }
        if (!placeThese.isEmpty()) {
            float[] more = l.place(s.embeddings().selectRows(placeThese.stream().mapToInt(Integer::intValue).toArray()));
            for (int t = 0; t < placeThese.size(); t++) {
                out[2 * placeThese.get(t)] = more[2 * t];
                out[2 * placeThese.get(t) + 1] = more[2 * t + 1];
            }
        }
        return out;
    }

    private static Prototypes prototypesOf(MapLayout l, WorkspaceState s) {
        int k = s.classCount();
        float[] raw = new float[2 * k];
        float[] now = new float[2 * k];
        for (int c = 0; c < k; c++) {
            float[] r = l.placePrototype(s.rawPrototype(c));
            float[] p = s.isBase(c) ? r : l.placePrototype(s.prototype(c));
            raw[2 * c] = r[0];
            raw[2 * c + 1] = r[1];
            now[2 * c] = p[0];
            now[2 * c + 1] = p[1];
        }
        return new Prototypes(raw, now);
    }

    private void placed(Placed p) {
        WorkspaceState s = project.workspace().get();
        if (s == null || !s.dir().equals(p.state().dir())) {
            return;
        }
        if (layout.get() != null && p.layout() != layout.get()) {
            // placed into a map that has been replaced since
            return;
        }
        if (drawn == s && p.xy().length == xy.length) {
            // the latest state is drawn already
            return;
        }
        boolean first = layout.get() == null && p.layout() != null;
        if (first) {
            layout.set(p.layout());
            method.set(p.layout().method());
            provisional.set(true);
            viewport.reset();
        }
        boolean moved = p.xy().length != xy.length;
        xy = p.xy();
        prototypes = p.prototypes();
        drawn = p.state();
        if (moved) {
            viewport.setPoints(xy);
        }
        changed();
        if (first && layOutWhenPlaced) {
            layOutWhenPlaced = false;
            recompute();
        }
    }

    /**
     * Lays the images out again with {@code m}, in the background (listed with progress and cancel);
     * the map changes when it is done and is kept in the project.
     */
    public void compute(MapLayout.Method m) {
        WorkspaceState s = project.workspace().get();
        if (s == null || s.imageCount() < 2) {
            return;
        }
        cancelComputation();
        computing.set(true);
        method.set(m);
        Tasks.Job<MapLayout> job = tasks.job(Tasks.Lane.LAYOUT, Messages.get("map.computing", m, s.imageCount()), j -> {
            j.say(Messages.get("map.computing", m, s.imageCount()));
            return ProjectMap.compute(s, m, (what, done) -> {
                j.say(what + "\u2026");
                j.progress(done < 0 ? -1 : Math.round(done * 1000), done < 0 ? -1 : 1000);
            }, j::isCancelled);
        });
        computation = job;
        job.onDone(l -> {
            WorkspaceState now = project.workspace().get();
            if (now != null && now.dir().equals(s.dir())) {
                computed.put(l.method(), l);
                layout.set(l);
                method.set(l.method());
                provisional.set(false);
                xy = l.xy().clone();
                viewport.setPoints(xy);
                viewport.reset();
                placing.request(new Placing(l, xy, s, now));
                changed();
            }
        }).onFailure(e -> project.notices().problem(Messages.get("map.failed"), List.of(String.valueOf(e.getMessage()))))
                .andFinally(() -> {
                    if (computation == job) {
                        computation = null;
                        computing.set(false);
                        // the toolbar shows the method of the map that is drawn
                        method.set(layout.get() == null ? MapLayout.Method.PCA : layout.get().method());
                    }
                });
        tasks.start(job, true);
    }

    /** Lays out again with the current method (imported images included). */
    public void recompute() {
        compute(method.get());
    }

    /** An import finished: a map made from an empty project's first images is made again from all of them. */
    public void importFinished() {
        if (provisional.get()) {
            recompute();
        } else if (layout.get() == null) {
            // the first map is still being placed: it is laid out again once it is there
            layOutWhenPlaced = true;
        }
    }

    public void cancelComputation() {
        if (computation != null) {
            computation.cancel();
            computation = null;
            computing.set(false);
        }
    }

    private void changed() {
        changes.set(changes.get() + 1);
    }

    // ---- what the view reads (the JavaFX thread) ----

    public MapViewport viewport() {
        return viewport;
    }

    /** Positions of the images, x and y interleaved (may lag behind the state by the images being placed). */
    public float[] xy() {
        return xy;
    }

    public Prototypes prototypes() {
        return prototypes;
    }

    /** The state the prototypes were placed for (null before the first placing). */
    public WorkspaceState placedFor() {
        return drawn;
    }

    public ObjectProperty<Colouring> colouring() {
        return colouring;
    }

    /** The layout drawn, or null. */
    public ReadOnlyObjectProperty<MapLayout> layout() {
        return layout.getReadOnlyProperty();
    }

    /** The method of the map drawn, or being computed. */
    public ReadOnlyObjectProperty<MapLayout.Method> method() {
        return method.getReadOnlyProperty();
    }

    /** Whether the map was made from the first images imported into an empty project only. */
    public ReadOnlyBooleanProperty provisional() {
        return provisional.getReadOnlyProperty();
    }

    /** Whether a map is being computed. */
    public ReadOnlyBooleanProperty computing() {
        return computing.getReadOnlyProperty();
    }

    /** Increases whenever the map should be drawn again. */
    public ReadOnlyIntegerProperty changes() {
        return changes.getReadOnlyProperty();
    }

    public BooleanProperty showsImages() {
        return showsImages;
    }

    /** The images whose points are inside a lasso drawn on the screen; they become the selection. */
    public void lasso(List<double[]> polygon) {
        project.selection().set(viewport.inside(polygon));
    }

    /** The image under the screen point (x, y), or -1. */
    public int imageAt(double x, double y) {
        int i = viewport.pointAt(x, y);
        WorkspaceState s = project.workspace().get();
        return s == null || i >= s.imageCount() ? -1 : i;
    }

    /** A click on the map: inspects the image under it (none: -1). */
    public void click(double x, double y) {
        project.inspected().set(imageAt(x, y));
    }

    /** Where image {@code i} is drawn, in the view's coordinates ({NaN, NaN} while it is not placed yet). */
    public double[] pointOf(int i) {
        return i < viewport.count() ? new double[] {viewport.x(i), viewport.y(i)} : new double[] {Double.NaN, Double.NaN};
    }
}
