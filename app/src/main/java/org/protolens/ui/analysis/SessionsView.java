package org.protolens.ui.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.analysis.SessionTable;
import org.protolens.core.project.Workspace;
import org.protolens.ui.WorkspaceModel;

/**
 * The project's classes in FSCIL sessions: acc, acc_base, acc_novel and their harmonic mean after
 * each session, before calibration (alpha = 0, dashed) and now (solid), as a line chart with the
 * table beside it. The table exports as CSV.
 */
public final class SessionsView extends AnalysisView {
    /** One session as the table shows it. */
    public record Row(SessionResult raw, SessionResult now, String added) {
    }

    private static final String[] MEASURES = {"acc", "acc_base", "acc_novel", "hm"};
    private static final Color[] COLOURS = {new Color(0x3c4858), new Color(0x3b6fb6), new Color(0xc7642c), new Color(0x3a9a5b)};

    private final DefaultCategoryDataset data = new DefaultCategoryDataset();
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final TableView<Row> table = new TableView<>();
    private final Label summary = new Label();
    private final java.util.function.Consumer<SessionTable.Result> export;
    private SessionTable.Result result;

    /** @param export saves the table as CSV (asks where) */
    public SessionsView(WorkspaceModel model, java.util.function.Consumer<SessionTable.Result> export) {
        super(model, "sessions-view");
        this.export = export;
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        summary.setId("sessions-summary");
        Button csv = new Button("Export CSV…");
        csv.getStyleClass().add("small");
        csv.setMinWidth(Region.USE_PREF_SIZE);
        csv.setId("sessions-export");
        csv.setOnAction(e -> {
            if (result != null) {
                export.accept(result);
            }
        });
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(8, summary, gap, csv);
        top.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(summary, Priority.SOMETIMES);
        chart = chart();
        viewer = new ChartViewer(chart);
        viewer.setId("sessions-chart");
        viewer.setMinWidth(0);
        table.setId("sessions-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(text("session", r -> Integer.toString(r.now().session()), 60));
        table.getColumns().add(text("classes", r -> Integer.toString(r.now().classes()), 60));
        for (String m : MEASURES) {
            table.getColumns().add(text(m, r -> pair(value(r.raw(), m), value(r.now(), m)), 95));
        }
        table.getColumns().add(text("added", Row::added, 120));
        table.setPlaceholder(new Label(""));
        table.setMinWidth(0);
        HBox body = new HBox(8, viewer, table);
        viewer.prefWidthProperty().bind(body.widthProperty().multiply(0.42));
        HBox.setHgrow(table, Priority.ALWAYS);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(top, body);
        refresh();
    }

    /** The measures shown (for tests and export). */
    public SessionTable.Result result() {
        return result;
    }

    public TableView<Row> table() {
        return table;
    }

    private static Double value(SessionResult s, String measure) {
        return switch (measure) {
            case "acc" -> s.acc();
            case "acc_base" -> s.accBase();
            case "acc_novel" -> s.accNovel();
            default -> s.hm();
        };
    }

    private static String pair(Double raw, Double now) {
        return raw == null && now == null ? "–" : String.format(Locale.ROOT, "%s → %s", pct(raw), pct(now));
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static TableColumn<Row, String> text(String title, java.util.function.Function<Row, String> value, double width) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(width * 0.85);
        c.setSortable(false);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.apply(r.getValue())));
        return c;
    }


    @Override
    protected void refresh() {
        Workspace w = model.workspace().get();
        data.clear();
        table.getItems().clear();
        result = w == null || w.classNames().isEmpty() ? null : SessionTable.of(w.state());
        if (result == null) {
            summary.setText("");
            return;
        }
        String now = !w.calibrationEnabled() ? "now (calibration off)"
                : String.format(Locale.ROOT, "α=%.2f", w.calibration().alpha());
        for (int s = 0; s < result.now().size(); s++) {
            SessionResult raw = result.raw().get(s), cal = result.now().get(s);
            String session = Integer.toString(raw.session());
            for (int m = 0; m < MEASURES.length; m++) {
                Double a = value(raw, MEASURES[m]), b = value(cal, MEASURES[m]);
                data.addValue(b == null ? null : 100 * b, MEASURES[m] + " " + now, session);
                data.addValue(a == null ? null : 100 * a, MEASURES[m] + " α=0", session);
            }
            table.getItems().add(new Row(raw, cal, String.join(", ", result.classesBySession().get(s))));
        }
        LineAndShapeRenderer r = (LineAndShapeRenderer) chart.getCategoryPlot().getRenderer();
        for (int series = 0; series < data.getRowCount(); series++) {
            r.setSeriesPaint(series, COLOURS[series / 2]);
            r.setSeriesStroke(series, series % 2 == 0 ? new BasicStroke(2f)
                    : new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f));
        }
        SessionResult last = result.now().getLast(), lastRaw = result.raw().getLast();
        summary.setText(result.now().size() < 2
                ? "All classes belong to one session: new classes made here form the next one."
                : String.format(Locale.ROOT, "%% of the labelled images (shots left out), α=0 → %s (dashed → solid). "
                        + "Last session: hm %s → %s.", now, pct(lastRaw.hm()), pct(last.hm())));
    }

    private JFreeChart chart() {
        NumberAxis pct = new NumberAxis("%");
        pct.setRange(0, 100);
        CategoryAxis sessions = new CategoryAxis("session");
        LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
        r.setDefaultToolTipGenerator((ds, row, col) -> String.format(Locale.ROOT, "session %s, %s: %.1f%%",
                ds.getColumnKey(col), ds.getRowKey(row), ds.getValue(row, col).doubleValue()));
        CategoryPlot plot = new CategoryPlot(data, sessions, pct, r);
        plot.setOutlineVisible(false);
        // the legend names the measures by colour; the summary says which lines are dashed
        org.jfree.chart.LegendItemCollection key = new org.jfree.chart.LegendItemCollection();
        for (int m = 0; m < MEASURES.length; m++) {
            org.jfree.chart.LegendItem item = new org.jfree.chart.LegendItem(MEASURES[m], null, null, null,
                    new java.awt.geom.Line2D.Double(-7, 0, 7, 0), new BasicStroke(2f), COLOURS[m]);
            key.add(item);
        }
        plot.setFixedLegendItems(key);
        JFreeChart c = new JFreeChart(null, new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 11), plot, true);
        c.getLegend().setPosition(org.jfree.chart.ui.RectangleEdge.RIGHT);
        org.protolens.ui.ChartThemes.apply(c, false);
        return c;
    }

    @Override
    public void setDark(boolean dark) {
        org.protolens.ui.ChartThemes.apply(chart, dark);
    }
}
