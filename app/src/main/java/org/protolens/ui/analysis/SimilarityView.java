package org.protolens.ui.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.protolens.core.project.Workspace;
import org.protolens.core.proto.L2;
import org.protolens.ui.WorkspaceModel;

/**
 * Prototype similarity: for each new class (rows) and base class (columns), the cosine between the
 * new class's raw prototype (the mean of its shots) and the base prototype, and beside it TEEN's
 * softmax weights at the current tau: which base classes the calibrated prototype borrows from,
 * and how much.
 */
public final class SimilarityView extends AnalysisView {
    private final Heatmap cosines = new Heatmap("cos(new prototype, base prototype)", "new class", "base class",
            new java.awt.Color(0x3b6fb6));
    private final Heatmap weights = new Heatmap("TEEN weight", "new class", "base class", new java.awt.Color(0xc7642c));
    private final Label summary = new Label();
    private double[][] cos = new double[0][];
    private double[][] weight = new double[0][];

    public SimilarityView(WorkspaceModel model) {
        super(model, "similarity-view");
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        summary.setId("similarity-summary");
        cosines.viewer().setId("similarity-cosines");
        weights.viewer().setId("similarity-weights");
        HBox charts = new HBox(8, cosines.viewer(), weights.viewer());
        HBox.setHgrow(cosines.viewer(), Priority.ALWAYS);
        HBox.setHgrow(weights.viewer(), Priority.ALWAYS);
        cosines.viewer().setMinWidth(0);
        weights.viewer().setMinWidth(0);
        cosines.viewer().prefWidthProperty().bind(charts.widthProperty().divide(2));
        weights.viewer().prefWidthProperty().bind(charts.widthProperty().divide(2));
        VBox.setVgrow(charts, Priority.ALWAYS);
        getChildren().addAll(summary, charts);
        refresh();
    }

    /** The cosines drawn, rows: new classes, columns: base classes (for tests). */
    public double[][] cosines() {
        return cos;
    }

    /** TEEN's weights drawn, rows: new classes, columns: base classes (for tests). */
    public double[][] weights() {
        return weight;
    }


    @Override
    protected void refresh() {
        Workspace w = model.workspace().get();
        List<Integer> novel = new ArrayList<>();
        List<Integer> base = new ArrayList<>();
        if (w != null) {
            for (int k = 0; k < w.classNames().size(); k++) {
                (w.isBase(k) ? base : novel).add(k);
            }
        }
        if (w == null || novel.isEmpty() || base.isEmpty()) {
            cos = new double[0][];
            weight = new double[0][];
            cosines.set(List.of(), List.of(), new double[0][], new String[0][]);
            weights.set(List.of(), List.of(), new double[0][], new String[0][]);
            summary.setText("TEEN calibrates new classes towards base classes: make a new class from a selection "
                    + "(Ctrl+N) in a project with base classes to see what it borrows.");
            return;
        }
        double[][] units = new double[base.size()][];
        for (int b = 0; b < base.size(); b++) {
            units[b] = L2.normalized(w.rawPrototype(base.get(b)), 0, w.dim());
        }
        cos = new double[novel.size()][base.size()];
        weight = new double[novel.size()][];
        String[][] cosText = new String[novel.size()][base.size()];
        String[][] weightText = new String[novel.size()][base.size()];
        double[][] weightShade = new double[novel.size()][base.size()];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        StringBuilder borrows = new StringBuilder();
        for (int r = 0; r < novel.size(); r++) {
            double[] c = L2.normalized(w.rawPrototype(novel.get(r)), 0, w.dim());
            weight[r] = w.calibrationWeights(novel.get(r));
            double most = 0;
            int from = -1;
            for (int b = 0; b < base.size(); b++) {
                cos[r][b] = L2.dot(c, units[b]);
                lo = Math.min(lo, cos[r][b]);
                hi = Math.max(hi, cos[r][b]);
                cosText[r][b] = String.format(Locale.ROOT, "%.2f", cos[r][b]);
                weightShade[r][b] = weight[r][b];
                weightText[r][b] = String.format(Locale.ROOT, "%.0f%%", 100 * weight[r][b]);
                if (weight[r][b] > most) {
                    most = weight[r][b];
                    from = b;
                }
            }
            borrows.append(r == 0 ? "" : "; ").append(w.classNames().get(novel.get(r))).append(" → ")
                    .append(w.classNames().get(base.get(from))).append(String.format(Locale.ROOT, " %.0f%%", 100 * most));
        }
        // cosines shaded over their own range, so that small differences between classes show
        double[][] cosShade = new double[novel.size()][base.size()];
        for (int r = 0; r < novel.size(); r++) {
            for (int b = 0; b < base.size(); b++) {
                cosShade[r][b] = hi - lo < 1e-9 ? 0.5 : (cos[r][b] - lo) / (hi - lo);
            }
        }
        List<String> rows = novel.stream().map(w.classNames()::get).toList();
        List<String> cols = base.stream().map(w.classNames()::get).toList();
        cosines.set(rows, cols, cosShade, cosText);
        weights.chart().setTitle(String.format(Locale.ROOT, "TEEN weight w = softmax(τ·cos), τ = %.0f", w.calibration().tau()));
        weights.setDark(dark);
        weights.set(rows, cols, weightShade, weightText);
        summary.setText(String.format(Locale.ROOT, "The calibrated prototype is (1−α)·c + α·normalize(Σ w·b), α = %.2f%s. "
                        + "Largest weight: %s.", w.calibration().alpha(), w.calibrationEnabled() ? "" : " (calibration off)",
                borrows));
    }

    private boolean dark;

    @Override
    public void setDark(boolean dark) {
        this.dark = dark;
        cosines.setDark(dark);
        weights.setDark(dark);
        refreshSoon();
    }
}
