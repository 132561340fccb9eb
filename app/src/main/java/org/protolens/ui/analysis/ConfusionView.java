package org.protolens.ui.analysis;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.jfree.chart.fx.ChartViewer;
import org.protolens.core.analysis.NovelFlow;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ChartExport;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;

/**
 * Confusion matrices over every class with evaluated images, before calibration (alpha = 0) and
 * now, side by side: rows are the labels, columns the predictions, each cell the count, shaded by
 * its share of the row. A click on a cell selects its images. With many classes, the classes with
 * the most mistakes are drawn (rows: most images predicted as another class; columns: most images
 * of another class), then those with the most images.
 */
public final class ConfusionView extends AnalysisView<ConfusionView.Numbers> {
    /** At most this many rows and columns are drawn. */
    static final int MAX_CELLS = 30;

    /**
     * @param rows the classes of the rows, by class index
     * @param cols the classes of the columns, by class index
     */
    record Numbers(NovelFlow flow, List<Integer> rows, List<Integer> cols, List<String> rowNames, List<String> colNames,
                   int[][] before, int[][] after, String title, String summary) {
    }

    private final Heatmap raw = new Heatmap(Messages.get("confusion.raw"), Messages.get("confusion.rows"),
            Messages.get("confusion.columns"), new Color(0x3b6fb6));
    private final Heatmap now = new Heatmap(Messages.get("confusion.now"), Messages.get("confusion.rows"),
            Messages.get("confusion.columns"), new Color(0x3b6fb6));
    private final Label summary = new Label();
    /** text a labelled class's name must hold to get a row; empty: the classes with the most mistakes */
    private final TextField find;
    private Numbers shown;

    public ConfusionView(ProjectState project, Tasks tasks, Theme theme) {
        super(project, tasks, theme, "confusion-view");
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        summary.setId("confusion-summary");
        raw.viewer().setId("confusion-raw");
        now.viewer().setId("confusion-now");
        raw.onClick((r, c) -> select(r, c, false));
        ChartExport.offerSizes(raw.viewer(), project, tasks);
        ChartExport.offerSizes(now.viewer(), project, tasks);
        now.onClick((r, c) -> select(r, c, true));
        HBox charts = new HBox(8, raw.viewer(), now.viewer());
        for (var v : List.of(raw.viewer(), now.viewer())) {
            HBox.setHgrow(v, Priority.ALWAYS);
            v.setMinWidth(0);
            v.prefWidthProperty().bind(charts.widthProperty().divide(2));
        }
        VBox.setVgrow(charts, Priority.ALWAYS);
        find = classSearch("confusion-find", "confusion.find");
        getChildren().addAll(besideSearch(summary, find), charts);
        themed(theme.isDark());
        refresh();
    }

    /** The heatmap before calibration ({@code calibrated} false) or now, for tests. */
    public ChartViewer viewer(boolean calibrated) {
        return (calibrated ? now : raw).viewer();
    }

    /** Where cell ({@code row}, {@code column}) of a heatmap is drawn on its viewer's canvas, for tests; null before it was drawn. */
    public Point2D cellCentre(boolean calibrated, int row, int column) {
        return (calibrated ? now : raw).cellCentre(row, column);
    }

    /** The classes of the rows drawn, by class index. */
    public List<Integer> rowClasses() {
        return shown == null ? List.of() : shown.rows();
    }

    /** The classes of the columns drawn, by class index. */
    public List<Integer> columnClasses() {
        return shown == null ? List.of() : shown.cols();
    }

    private void select(int r, int c, boolean calibrated) {
        if (shown != null && shown.flow() != null && r < shown.rows().size() && c < shown.cols().size()) {
            project.selection().set(shown.flow().images(shown.rows().get(r), shown.cols().get(c), calibrated));
        }
    }

    @Override
    protected Supplier<Numbers> prepare(WorkspaceState s) {
        String text = find == null || find.getText() == null ? "" : find.getText().strip();
        return () -> numbersOf(s, text);
    }

    static Numbers numbersOf(WorkspaceState w) {
        return numbersOf(w, "");
    }

    /**
     * As {@link #numbersOf(WorkspaceState)}; with {@code find}, the rows are the labelled classes
     * whose names hold it (any case) and the columns the classes their images were predicted as most.
     */
    static Numbers numbersOf(WorkspaceState w, String find) {
        NovelFlow flow = w == null ? null : NovelFlow.of(w);
        if (flow == null) {
            return new Numbers(null, List.of(), List.of(), List.of(), List.of(), new int[0][], new int[0][], "", "");
        }
        int[][] before = flow.confusion(false);
        int[][] after = flow.confusion(true);
        int classes = before.length;
        int[] labelled = IntStream.range(0, classes).map(k -> IntStream.of(before[k]).sum()).toArray();
        // with too many classes, those with the most mistakes (before and now): a row's images predicted as
        // another class, a column's images of another class; then the most images
        int[] predicted = new int[classes];
        int[] missed = new int[classes];
        int[] taken = new int[classes];
        for (int[][] m : new int[][][] {before, after}) {
            for (int r = 0; r < classes; r++) {
                for (int c = 0; c < classes; c++) {
                    predicted[c] += m[r][c];
                    if (r != c) {
                        missed[r] += m[r][c];
                        taken[c] += m[r][c];
                    }
                }
            }
        }
        String needle = find == null ? "" : find.strip().toLowerCase(Locale.ROOT);
        List<Integer> rows = IntStream.range(0, classes).filter(k -> labelled[k] > 0)
                .filter(k -> needle.isEmpty() || w.classNames().get(k).toLowerCase(Locale.ROOT).contains(needle)).boxed()
                .sorted(Comparator.comparingInt((Integer k) -> -missed[k]).thenComparingInt(k -> -labelled[k]).thenComparingInt(k -> k))
                .limit(MAX_CELLS).sorted().toList();
        if (!needle.isEmpty()) {
            // the columns: where the found rows' images went, most first, and the rows' own classes
            int[] went = new int[classes];
            for (int[][] m : new int[][][] {before, after}) {
                for (int r : rows) {
                    for (int c = 0; c < classes; c++) {
                        went[c] += m[r][c] + (r == c ? 1 : 0);
                    }
                }
            }
            System.arraycopy(went, 0, taken, 0, classes);
            System.arraycopy(went, 0, predicted, 0, classes);
        }
        List<Integer> cols = classes <= MAX_CELLS ? IntStream.range(0, classes).boxed().toList()
                : IntStream.range(0, classes).boxed().filter(k -> needle.isEmpty() || taken[k] > 0)
                        .sorted(Comparator.comparingInt((Integer k) -> -taken[k]).thenComparingInt(k -> -predicted[k])
                                .thenComparingInt(k -> k))
                        .limit(MAX_CELLS).sorted().toList();
        String title = Messages.now(w, !w.calibrationEnabled() ? Messages.get("confusion.now.off")
                : Messages.get("confusion.now.at", String.format(Locale.ROOT, "%.2f", w.calibration().alpha()),
                        String.format(Locale.ROOT, "%.0f", w.calibration().tau())));
        String text = rows.isEmpty() ? Messages.get("confusion.none")
                : Messages.get("confusion.summary", String.format(Locale.ROOT, "%.1f", 100 * accuracy(before)),
                        String.format(Locale.ROOT, "%.1f", 100 * accuracy(after)), total(before));
        long shownRows = IntStream.range(0, classes).filter(k -> labelled[k] > 0).count();
        if (!needle.isEmpty()) {
            text = rows.isEmpty() ? Messages.get("confusion.noneFound", find.strip())
                    : text + " " + Messages.get("confusion.found", rows.size(), find.strip(), cols.size());
        } else if (rows.size() < shownRows || cols.size() < classes) {
            text += " " + Messages.get("confusion.limited", rows.size(), shownRows, cols.size(), classes);
        }
        return new Numbers(flow, rows, cols, rows.stream().map(w.classNames()::get).toList(),
                cols.stream().map(w.classNames()::get).toList(), before, after, title, text);
    }

    @Override
    protected void show(Numbers n) {
        shown = n;
        draw(raw, n, n.before(), null);
        draw(now, n, n.after(), n.title());
        summary.setText(n.summary());
        find.setVisible(n.before().length > MAX_CELLS || !find.getText().isEmpty());
    }

    private static void draw(Heatmap map, Numbers n, int[][] m, String title) {
        List<Integer> rows = n.rows();
        List<Integer> cols = n.cols();
        double[][] shade = new double[rows.size()][cols.size()];
        String[][] text = new String[rows.size()][cols.size()];
        for (int r = 0; r < rows.size(); r++) {
            int[] row = m[rows.get(r)];
            int sum = IntStream.of(row).sum();
            for (int c = 0; c < cols.size(); c++) {
                int v = row[cols.get(c)];
                shade[r][c] = sum == 0 ? 0 : (double) v / sum;
                text[r][c] = v == 0 ? "" : Integer.toString(v);
            }
        }
        map.set(new ArrayList<>(n.rowNames()), new ArrayList<>(n.colNames()), shade, text, title);
    }

    private static int total(int[][] m) {
        return Arrays.stream(m).flatMapToInt(Arrays::stream).sum();
    }

    private static double accuracy(int[][] m) {
        int ok = 0;
        for (int k = 0; k < m.length; k++) {
            ok += m[k][k];
        }
        return (double) ok / Math.max(1, total(m));
    }

    @Override
    protected void themed(boolean dark) {
        raw.setDark(dark);
        now.setDark(dark);
    }
}
