package org.protolens.ui.analysis;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.protolens.core.analysis.PrototypeSimilarity;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;

/**
 * Prototype similarity: for each new class (rows) and base class (columns), the cosine between the
 * new class's raw prototype (the mean of its shots) and the base prototype, and beside it TEEN's
 * softmax weights at the current tau: which base classes the calibrated prototype borrows from,
 * and how much. With many classes, the base classes with the largest weights are drawn.
 */
public final class SimilarityView extends AnalysisView<SimilarityView.Numbers> {
    /** At most this many rows and columns are drawn. */
    static final int MAX_CELLS = 30;

    /** The matrices drawn and the words above them. */
    record Numbers(PrototypeSimilarity similarity, List<String> rows, List<String> cols, double[][] cosShade,
                   String[][] cosText, double[][] weights, String[][] weightText, double tau, String summary) {
    }

    private final Heatmap cosines = new Heatmap(Messages.get("similarity.cosines"), Messages.get("similarity.rows"),
            Messages.get("similarity.columns"), new Color(0x3b6fb6));
    private final Heatmap weights = new Heatmap(Messages.get("similarity.weights"), Messages.get("similarity.rows"),
            Messages.get("similarity.columns"), new Color(0xc7642c));
    private final Label summary = new Label();
    private PrototypeSimilarity shown;

    public SimilarityView(ProjectState project, Tasks tasks, Theme theme) {
        super(project, tasks, theme, "similarity-view");
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        summary.setId("similarity-summary");
        cosines.viewer().setId("similarity-cosines");
        weights.viewer().setId("similarity-weights");
        HBox charts = new HBox(8, cosines.viewer(), weights.viewer());
        for (var v : List.of(cosines.viewer(), weights.viewer())) {
            HBox.setHgrow(v, Priority.ALWAYS);
            v.setMinWidth(0);
            v.prefWidthProperty().bind(charts.widthProperty().divide(2));
        }
        VBox.setVgrow(charts, Priority.ALWAYS);
        getChildren().addAll(summary, charts);
        themed(theme.isDark());
        refresh();
    }

    /** The cosines behind the view, rows: new classes, columns: base classes (for tests). */
    public double[][] cosines() {
        return shown == null ? new double[0][] : shown.cosines();
    }

    /** TEEN's weights behind the view, rows: new classes, columns: base classes (for tests). */
    public double[][] weights() {
        return shown == null ? new double[0][] : shown.weights();
    }

    @Override
    protected Supplier<Numbers> prepare(WorkspaceState s) {
        return () -> numbersOf(s);
    }

    static Numbers numbersOf(WorkspaceState w) {
        PrototypeSimilarity p = w == null ? null : PrototypeSimilarity.of(w);
        if (p == null || p.novel().isEmpty() || p.base().isEmpty()) {
            return new Numbers(p, List.of(), List.of(), new double[0][], new String[0][], new double[0][], new String[0][], 0,
                    Messages.get("similarity.none"));
        }
        int[] rows = IntStream.range(0, Math.min(MAX_CELLS, p.novel().size())).toArray();
        // the base classes the drawn new classes borrow most from
        int[] cols = IntStream.range(0, p.base().size()).boxed()
                .sorted(Comparator.comparingDouble((Integer b) -> -IntStream.of(rows).mapToDouble(r -> p.weights()[r][b]).max().orElse(0))
                        .thenComparingInt(b -> b)).limit(MAX_CELLS).sorted().mapToInt(Integer::intValue).toArray();
        double[] range = p.cosineRange();
        double[][] cosShade = new double[rows.length][cols.length];
        String[][] cosText = new String[rows.length][cols.length];
        double[][] wShade = new double[rows.length][cols.length];
        String[][] wText = new String[rows.length][cols.length];
        List<String> borrows = new ArrayList<>();
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < cols.length; c++) {
                double v = p.cosines()[rows[r]][cols[c]];
                // shaded over their own range, so that small differences between classes show
                cosShade[r][c] = range[1] - range[0] < 1e-9 ? 0.5 : (v - range[0]) / (range[1] - range[0]);
                cosText[r][c] = String.format(Locale.ROOT, "%.2f", v);
                wShade[r][c] = p.weights()[rows[r]][cols[c]];
                wText[r][c] = String.format(Locale.ROOT, "%.0f%%", 100 * wShade[r][c]);
            }
            int from = p.strongest(rows[r]);
            borrows.add(w.classNames().get(p.novel().get(rows[r])) + " → " + w.classNames().get(p.base().get(from))
                    + String.format(Locale.ROOT, " %.0f%%", 100 * p.weights()[rows[r]][from]));
        }
        List<String> rowNames = IntStream.of(rows).mapToObj(r -> w.classNames().get(p.novel().get(r))).toList();
        List<String> colNames = IntStream.of(cols).mapToObj(c -> w.classNames().get(p.base().get(c))).toList();
        String text = Messages.get("similarity.summary", String.format(Locale.ROOT, "%.2f", w.calibration().alpha()),
                w.calibrationEnabled() ? 1 : 0, String.join("; ", borrows));
        if (rows.length < p.novel().size() || cols.length < p.base().size()) {
            text += " " + Messages.get("similarity.limited", rows.length, p.novel().size(), cols.length, p.base().size());
        }
        return new Numbers(p, rowNames, colNames, cosShade, cosText, wShade, wText, w.calibration().tau(), text);
    }

    @Override
    protected void show(Numbers n) {
        shown = n.similarity();
        cosines.set(n.rows(), n.cols(), n.cosShade(), n.cosText(), null);
        weights.set(n.rows(), n.cols(), n.weights(), n.weightText(),
                Messages.get("similarity.weights.tau", String.format(Locale.ROOT, "%.0f", n.tau())));
        summary.setText(n.summary());
    }

    @Override
    protected void themed(boolean dark) {
        cosines.setDark(dark);
        weights.setDark(dark);
    }
}
