package org.protolens.ui.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import org.protolens.core.project.History;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;

/**
 * The image grid's state: which images it lists (the latest selection, or all), the filters (by
 * label, by prediction, right or wrong, new-class images predicted as a base class, ranges of the
 * prediction's similarity and margin), and what can be done to the rows chosen in it. The rows are
 * made in the background from an immutable state.
 */
public final class ImagesViewModel {
    /** The label filter's entry for images without a label. */
    public static final String UNLABELLED = "\u0000unlabelled";

    public enum Result { ANY, RIGHT, WRONG, UNLABELLED }

    /**
     * A range of a figure, both ends included. An end at the whole range's end is open: the whole
     * {@link #SIMILARITY} or {@link #MARGIN} keeps every image, a similarity below 0 or a margin
     * above 1 included.
     */
    public record Range(double low, double high) {
        /** The similarities a person sets a range in (cosines to the predicted prototype). */
        public static final Range SIMILARITY = new Range(0, 1);
        /** The margins a person sets a range in (best minus runner-up cosine). */
        public static final Range MARGIN = new Range(0, 1);

        boolean keeps(double v, Range whole) {
            return (low <= whole.low || v >= low) && (high >= whole.high || v <= high);
        }
    }

    /** One image as the table shows it (plain values, so that sorting reads no state). */
    public record Row(int image, String file, String label, String predicted, float similarity, float margin, String correct) {
    }

    /** The rows of one state, and how many of how many images they are. */
    public record Rows(List<Row> rows, int of, boolean selection) {
    }

    private final ProjectState project;
    private final Commands commands;
    /** the images listed before filtering: the latest selection, or null for all */
    private final ObjectProperty<int[]> source = new SimpleObjectProperty<>();
    private final ObservableSet<String> labels = FXCollections.observableSet();
    private final ObservableSet<String> predicted = FXCollections.observableSet();
    private final ObjectProperty<Result> result = new SimpleObjectProperty<>(Result.ANY);
    private final BooleanProperty novelAsBase = new SimpleBooleanProperty();
    private final StringProperty search = new SimpleStringProperty("");
    private final ObjectProperty<Range> similarity = new SimpleObjectProperty<>(Range.SIMILARITY);
    private final ObjectProperty<Range> margin = new SimpleObjectProperty<>(Range.MARGIN);

    public ImagesViewModel(ProjectState project, Commands commands) {
        this.project = project;
        this.commands = commands;
        int[] selected = project.selection().get();
        source.set(selected == null || selected.length == 0 ? null : selected.clone());
        project.selection().addListener((o, a, sel) -> {
            // an edit clears the selection; the grid keeps listing what was chosen
            if (sel != null && sel.length > 0) {
                source.set(sel.clone());
            }
        });
        project.workspace().addListener((o, was, now) -> {
            if (now == null || was == null || !now.dir().equals(was.dir())) {
                source.set(null);
            }
        });
    }

    /** The images listed before filtering: the latest selection, or null for all. */
    public ObjectProperty<int[]> source() {
        return source;
    }

    /** Lists every image again. */
    public void showAll() {
        source.set(null);
    }

    /** The labels shown (class names, {@link #UNLABELLED}); empty: any. */
    public ObservableSet<String> labels() {
        return labels;
    }

    /** The predictions shown (class names); empty: any. */
    public ObservableSet<String> predicted() {
        return predicted;
    }

    public ObjectProperty<Result> result() {
        return result;
    }

    /** Only images labelled with a new class and predicted as a base class: what TEEN sets out to fix. */
    public BooleanProperty novelAsBase() {
        return novelAsBase;
    }

    /** Text the image's path in the project must hold (any case); empty: any path. */
    public StringProperty search() {
        return search;
    }

    /**
     * The prediction's similarity (cosine to the predicted class's prototype) an image must have;
     * {@link Range#SIMILARITY}: any.
     */
    public ObjectProperty<Range> similarity() {
        return similarity;
    }

    /**
     * The prediction's margin (best minus runner-up cosine: how sure it is) an image must have;
     * {@link Range#MARGIN}: any. A low upper end lists the predictions that nearly went another way.
     */
    public ObjectProperty<Range> margin() {
        return margin;
    }

    /** The rows for {@code s} with the current filters, to be made in the background. */
    Supplier<Rows> prepare(WorkspaceState s) {
        int[] from = source.get();
        Set<String> l = Set.copyOf(labels);
        Set<String> p = Set.copyOf(predicted);
        Result r = result.get();
        boolean nb = novelAsBase.get();
        String text = search.get() == null ? "" : search.get().strip();
        Range sim = similarity.get();
        Range mar = margin.get();
        return () -> rows(s, from, l, p, r, nb, text, sim, mar);
    }

    /** The rows of the images in {@code from} (null: all) that pass the filters, whose path holds {@code search}. */
    static Rows rows(WorkspaceState w, int[] from, Set<String> labels, Set<String> predicted, Result result, boolean novelAsBase,
                     String search) {
        return rows(w, from, labels, predicted, result, novelAsBase, search, Range.SIMILARITY, Range.MARGIN);
    }

    /** As {@link #rows(WorkspaceState, int[], Set, Set, Result, boolean, String)}, within ranges of similarity and margin. */
    static Rows rows(WorkspaceState w, int[] from, Set<String> labels, Set<String> predicted, Result result, boolean novelAsBase,
                     String search, Range similarity, Range margin) {
        String needle = search == null ? "" : search.toLowerCase(Locale.ROOT);
        if (w == null) {
            return new Rows(List.of(), 0, false);
        }
        boolean selection = from != null && Arrays.stream(from).allMatch(i -> i < w.imageCount());
        int[] images = selection ? from : IntStream.range(0, w.imageCount()).toArray();
        List<Row> rows = new ArrayList<>();
        for (int i : images) {
            if (!needle.isEmpty() && !w.imagePath(i).toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            int l = w.label(i);
            int p = w.predicted(i);
            if (!labels.isEmpty() && !labels.contains(l < 0 ? UNLABELLED : w.classNames().get(l))) {
                continue;
            }
            if (!predicted.isEmpty() && (p < 0 || !predicted.contains(w.classNames().get(p)))) {
                continue;
            }
            boolean evaluated = w.isEvaluated(i);
            boolean keep = switch (result) {
                case ANY -> true;
                case RIGHT -> evaluated && p == l;
                case WRONG -> evaluated && p != l;
                case UNLABELLED -> l < 0;
            };
            if (!keep || (novelAsBase && !(evaluated && !w.isBase(l) && p >= 0 && w.isBase(p)))) {
                continue;
            }
            if (!similarity.keeps(p < 0 ? Double.NaN : w.score(i), Range.SIMILARITY) || !margin.keeps(w.margin(i), Range.MARGIN)) {
                continue;
            }
            String lab = l < 0 ? "" : w.isShot(i) ? Messages.get("images.shot", w.classNames().get(l)) : w.classNames().get(l);
            rows.add(new Row(i, w.imagePath(i), lab, p < 0 ? "" : w.classNames().get(p), p < 0 ? Float.NaN : w.score(i),
                    w.margin(i), !evaluated ? "" : p == l ? "✓" : "✗"));
        }
        return new Rows(List.copyOf(rows), images.length, selection);
    }

    /** Labels {@code images} as class {@code name} (undoable). */
    public CompletableFuture<Void> label(int[] images, String name) {
        return commands.edit(History.relabel(Messages.get("edit.label", images.length, name), images, name, false));
    }

    /** Marks {@code images} as not of class {@code name} (undoable). */
    public CompletableFuture<Void> reject(int[] images, String name) {
        return commands.edit(History.reject(name, images));
    }

    /** Takes the labels of {@code images} away (undoable). */
    public CompletableFuture<Void> unlabel(int[] images) {
        return commands.edit(History.relabel(Messages.get("edit.unlabel", images.length), images, null, false));
    }

    /** Makes {@code images} the map's selection. */
    public void select(int[] images) {
        project.selection().set(Arrays.stream(images).sorted().toArray());
    }
}
