package org.protolens.ui.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.protolens.core.analysis.NovelFlow;
import org.protolens.core.project.Workspace;
import org.protolens.ui.WorkspaceModel;
import org.protolens.core.analysis.Suggestions;

/**
 * Confusion matrices over every class with labelled images (shots left out), before calibration
 * (alpha = 0) and now, side by side: rows are the labels, columns the predictions, each cell the
 * count, shaded by its share of the row. Clicking a cell selects its images.
 */
public final class ConfusionView extends AnalysisView {
    private final Heatmap raw = new Heatmap("α = 0 (raw prototypes)", "label", "predicted", new java.awt.Color(0x3b6fb6));
    private final Heatmap now = new Heatmap("now", "label", "predicted", new java.awt.Color(0x3b6fb6));
    private final Label summary = new Label();
    private NovelFlow flow;
    private List<Integer> rows = List.of();

    public ConfusionView(WorkspaceModel model) {
        super(model, "confusion-view");
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        summary.setId("confusion-summary");
        raw.viewer().setId("confusion-raw");
        now.viewer().setId("confusion-now");
        raw.onClick((r, c) -> select(r, c, false));
        now.onClick((r, c) -> select(r, c, true));
        HBox charts = new HBox(8, raw.viewer(), now.viewer());
        for (var v : List.of(raw.viewer(), now.viewer())) {
            HBox.setHgrow(v, Priority.ALWAYS);
            v.setMinWidth(0);
            v.prefWidthProperty().bind(charts.widthProperty().divide(2));
        }
        VBox.setVgrow(charts, Priority.ALWAYS);
        getChildren().addAll(summary, charts);
        refresh();
    }

    /** The heatmap before calibration ({@code calibrated} false) or now, for tests. */
    public org.jfree.chart.fx.ChartViewer viewer(boolean calibrated) {
        return (calibrated ? now : raw).viewer();
    }

    /** The classes of the rows, by class index. */
    public List<Integer> rowClasses() {
        return rows;
    }

    private void select(int r, int c, boolean calibrated) {
        if (flow != null && r < rows.size()) {
            model.selection().set(flow.images(rows.get(r), c, calibrated));
        }
    }


    @Override
    protected void refresh() {
        Workspace w = model.workspace().get();
        flow = w == null ? null : NovelFlow.of(w.state());
        if (flow == null) {
            rows = List.of();
            raw.set(List.of(), List.of(), new double[0][], new String[0][]);
            now.set(List.of(), List.of(), new double[0][], new String[0][]);
            summary.setText("");
            return;
        }
        int[][] before = flow.confusion(false);
        int[][] after = flow.confusion(true);
        List<Integer> labelled = new ArrayList<>();
        for (int k = 0; k < before.length; k++) {
            if (java.util.Arrays.stream(before[k]).sum() > 0) {
                labelled.add(k);
            }
        }
        rows = List.copyOf(labelled);
        List<String> rowNames = rows.stream().map(w.classNames()::get).toList();
        show(raw, rowNames, w.classNames(), before);
        show(now, rowNames, w.classNames(), after);
        now.chart().setTitle(!w.calibrationEnabled() ? "now (calibration off)"
                : String.format(Locale.ROOT, "now: α = %.2f, τ = %.0f", w.calibration().alpha(), w.calibration().tau()));
        now.setDark(dark);
        summary.setText(rows.isEmpty() ? "No labelled images besides shots: label some (import, Suggestions, Images) to see them here."
                : String.format(Locale.ROOT, "Accuracy %.1f%% before calibration, %.1f%% now, over %d labelled images. "
                        + "Click a cell to select its images.", 100 * accuracy(before), 100 * accuracy(after), total(before)));
    }

    private void show(Heatmap map, List<String> rowNames, List<String> cols, int[][] m) {
        double[][] shade = new double[rows.size()][cols.size()];
        String[][] text = new String[rows.size()][cols.size()];
        for (int r = 0; r < rows.size(); r++) {
            int[] row = m[rows.get(r)];
            int sum = java.util.Arrays.stream(row).sum();
            for (int c = 0; c < cols.size(); c++) {
                shade[r][c] = sum == 0 ? 0 : (double) row[c] / sum;
                text[r][c] = row[c] == 0 ? "" : Integer.toString(row[c]);
            }
        }
        map.set(rowNames, cols, shade, text);
    }

    private static int total(int[][] m) {
        return java.util.Arrays.stream(m).flatMapToInt(java.util.Arrays::stream).sum();
    }

    private static double accuracy(int[][] m) {
        int ok = 0;
        for (int k = 0; k < m.length; k++) {
            ok += m[k][k];
        }
        return (double) ok / Math.max(1, total(m));
    }

    private boolean dark;

    @Override
    public void setDark(boolean dark) {
        this.dark = dark;
        raw.setDark(dark);
        now.setDark(dark);
        refreshSoon();
    }
}
