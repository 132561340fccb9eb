package org.protolens.ui.classes;

import java.util.Locale;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Window;
import org.protolens.core.analysis.ProjectTuning;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.ui.common.Messages;

/**
 * Shows the alpha x tau grid the project's labels scored, as a small heatmap with the suggested
 * point framed and the project's setting marked; answers with the suggestion when the person
 * applies it.
 */
final class TuningDialog {
    private TuningDialog() {
    }

    static Optional<TeenCalibration> ask(Window owner, ProjectTuning.Result r) {
        GridPane grid = new GridPane(2, 2);
        grid.setId("tuning-grid");
        Label corner = new Label("α \\ τ");
        corner.getStyleClass().add("hint");
        grid.add(corner, 0, 0);
        for (int j = 0; j < r.taus().length; j++) {
            Label t = new Label(num(r.taus()[j]));
            t.getStyleClass().add("hint");
            t.setMinWidth(52);
            t.setAlignment(Pos.CENTER);
            grid.add(t, j + 1, 0);
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double[] row : r.score()) {
            for (double v : row) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        for (int i = 0; i < r.alphas().length; i++) {
            Label a = new Label(num(r.alphas()[i]));
            a.getStyleClass().add("hint");
            grid.add(a, 0, i + 1);
            for (int j = 0; j < r.taus().length; j++) {
                double v = r.score()[i][j];
                double shade = max > min ? (v - min) / (max - min) : 1;
                Label cell = new Label(String.format(Locale.ROOT, "%.1f", 100 * v));
                cell.setMinSize(52, 22);
                cell.setAlignment(Pos.CENTER);
                Color fill = Color.web("#f2f5f9").interpolate(Color.web("#2f5d9e"), shade);
                boolean best = r.alphas()[i] == r.best().alpha() && r.taus()[j] == r.best().tau();
                cell.setStyle("-fx-background-color: " + web(fill) + "; -fx-text-fill: " + (shade > 0.55 ? "white" : "#1b1f24") + ";"
                        + (best ? " -fx-border-color: #ffb000; -fx-border-width: 3;" : ""));
                if (best) {
                    cell.setId("tuning-best");
                }
                cell.setTooltip(new Tooltip(Messages.get("tuning.cell", num(r.alphas()[i]), num(r.taus()[j]),
                        pct(r.novel()[i][j]), pct(r.base()[i][j]), pct(v))));
                grid.add(cell, j + 1, i + 1);
            }
        }
        Label what = new Label(Messages.get("tuning.what", r.shotsLeftOut(), r.baseImages()));
        what.setWrapText(true);
        what.getStyleClass().add("hint");
        Label verdict = new Label(Messages.get("tuning.verdict", num(r.best().alpha()), num(r.best().tau()), pct(r.bestScore()),
                pct(r.current())));
        verdict.setWrapText(true);
        verdict.setId("tuning-verdict");
        VBox content = new VBox(10, what, grid, verdict);
        content.setPadding(new Insets(6, 4, 4, 4));
        content.setPrefWidth(470);
        Dialog<TeenCalibration> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(Messages.get("tuning.title"));
        d.setHeaderText(Messages.get("tuning.header"));
        d.getDialogPane().setContent(content);
        ButtonType apply = new ButtonType(Messages.get("tuning.apply", num(r.best().alpha()), num(r.best().tau())),
                ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().setAll(apply, ButtonType.CLOSE);
        ((Button) d.getDialogPane().lookupButton(apply)).setId("tuning-apply");
        d.setResultConverter(b -> b == apply ? r.best() : null);
        return d.showAndWait();
    }

    private static String web(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", (int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255),
                (int) Math.round(c.getBlue() * 255));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
