package org.protolens.ui.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.protolens.core.analysis.SessionTable;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ChartExport;
import org.protolens.ui.common.ChartThemes;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;

/**
 * The project's classes in FSCIL sessions: acc, acc_base, acc_novel and their harmonic mean after
 * each session, before calibration (alpha = 0, dashed) and now (solid), as a line chart with the
 * table beside it; class means (each class's recall averaged, as TEEN reports them) unless the
 * person asks for accuracies pooled over images. The table exports as CSV.
 */
public final class SessionsView extends AnalysisView<SessionsView.Numbers> {
    /** One session as the table shows it; {@code classMeans}: its accuracies are class means, else pooled. */
    public record Row(SessionResult raw, SessionResult now, String added, boolean classMeans) {
    }

    /** The table, the chart's dataset and the words above them. */
    record Numbers(SessionTable.Result result, List<Row> rows, DefaultCategoryDataset data, String summary) {
    }

    private static final String[] MEASURES = {"acc", "acc_base", "acc_novel", "hm"};
    private static final Color[] COLOURS = {new Color(0x3c4858), new Color(0x3b6fb6), new Color(0xc7642c), new Color(0x3a9a5b)};

    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final TableView<Row> table = new TableView<>();
    private final Label summary = new Label();
    private final ChoiceBox<Boolean> measure = new ChoiceBox<>();
    private final Consumer<SessionTable.Result> export;
    private SessionTable.Result result;

    /** @param export saves the table as CSV (asks where) */
    public SessionsView(ProjectState project, Tasks tasks, Theme theme, Consumer<SessionTable.Result> export) {
        super(project, tasks, theme, "sessions-view");
        this.export = export;
        summary.getStyleClass().add("hint");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        summary.setMinWidth(0);
        summary.setId("sessions-summary");
        Button csv = new Button(Messages.get("sessions.export"));
        csv.getStyleClass().add("small");
        csv.setMinWidth(Region.USE_PREF_SIZE);
        csv.setId("sessions-export");
        csv.setOnAction(e -> {
            if (result != null) {
                export.accept(result);
            }
        });
        // class means by default, as TEEN reports accuracy; pooled over images on request
        measure.getItems().setAll(true, false);
        measure.setValue(true);
        measure.setId("sessions-measure");
        measure.setConverter(new StringConverter<>() {
            @Override
            public String toString(Boolean classMeans) {
                return classMeans == null ? "" : Messages.get(classMeans ? "sessions.measure.classMean" : "sessions.measure.pooled");
            }

            @Override
            public Boolean fromString(String text) {
                return null;
            }
        });
        measure.setTooltip(new Tooltip(Messages.get("sessions.measure.tip")));
        measure.setMinWidth(Region.USE_PREF_SIZE);
        measure.valueProperty().addListener((o, a, b) -> refresh());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(8, summary, gap, measure, csv);
        top.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(summary, Priority.SOMETIMES);
        chart = chart();
        viewer = new ChartViewer(chart);
        viewer.setId("sessions-chart");
        ChartExport.offerSizes(viewer, project, tasks);
        viewer.setMinWidth(0);
        table.setId("sessions-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(text(Messages.get("sessions.column.session"), r -> Integer.toString(r.now().session()), 74));
        table.getColumns().add(text(Messages.get("sessions.column.classes"), r -> Integer.toString(r.now().classes()), 74));
        for (String m : MEASURES) {
            table.getColumns().add(text(m, r -> pair(value(r.raw(), m, r.classMeans()), value(r.now(), m, r.classMeans())), 95));
        }
        table.getColumns().add(text(Messages.get("sessions.column.added"), Row::added, 120));
        table.setPlaceholder(new Label(""));
        table.setMinWidth(0);
        HBox body = new HBox(8, viewer, table);
        viewer.prefWidthProperty().bind(body.widthProperty().multiply(0.42));
        HBox.setHgrow(table, Priority.ALWAYS);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(top, body);
        ChartThemes.apply(chart, theme.isDark());
        refresh();
    }

    /** The measures shown (for tests and export). */
    public SessionTable.Result result() {
        return result;
    }

    public TableView<Row> table() {
        return table;
    }

    private static Double value(SessionResult s, String measure, boolean classMeans) {
        return switch (measure) {
            case "acc" -> classMeans ? s.classMeanAcc() : s.acc();
            case "acc_base" -> classMeans ? s.classMeanAccBase() : s.accBase();
            case "acc_novel" -> classMeans ? s.classMeanAccNovel() : s.accNovel();
            default -> classMeans ? s.classMeanHm() : s.hm();
        };
    }

    private static String pair(Double raw, Double now) {
        return raw == null && now == null ? "–" : String.format(Locale.ROOT, "%s → %s", pct(raw), pct(now));
    }

    private static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static TableColumn<Row, String> text(String title, Function<Row, String> value, double width) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(width * 0.85);
        c.setSortable(false);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.apply(r.getValue())));
        return c;
    }


    @Override
    protected Supplier<Numbers> prepare(WorkspaceState s) {
        boolean classMeans = measure.getValue() == null || measure.getValue();
        return () -> numbersOf(s, classMeans);
    }

    static Numbers numbersOf(WorkspaceState w, boolean classMeans) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        SessionTable.Result result = w == null || w.classNames().isEmpty() ? null : SessionTable.of(w);
        if (result == null) {
            return new Numbers(null, List.of(), data, "");
        }
        String now = Messages.now(w, !w.calibrationEnabled() ? Messages.get("sessions.now.off")
                : String.format(Locale.ROOT, "α=%.2f", w.calibration().alpha()));
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < result.now().size(); s++) {
            SessionResult raw = result.raw().get(s), cal = result.now().get(s);
            String session = Integer.toString(raw.session());
            for (String m : MEASURES) {
                Double a = value(raw, m, classMeans), b = value(cal, m, classMeans);
                data.addValue(b == null ? null : 100 * b, m + " " + now, session);
                data.addValue(a == null ? null : 100 * a, m + " α=0", session);
            }
            rows.add(new Row(raw, cal, String.join(", ", result.classesBySession().get(s)), classMeans));
        }
        SessionResult last = result.now().getLast(), lastRaw = result.raw().getLast();
        String text = result.now().size() < 2 ? Messages.get("sessions.one")
                : Messages.get("sessions.summary", now, pct(value(lastRaw, "hm", classMeans)), pct(value(last, "hm", classMeans)),
                        classMeans ? 1 : 0);
        return new Numbers(result, rows, data, text);
    }

    @Override
    protected void show(Numbers n) {
        result = n.result();
        table.getItems().setAll(n.rows());
        LineAndShapeRenderer r = (LineAndShapeRenderer) chart.getCategoryPlot().getRenderer();
        for (int series = 0; series < n.data().getRowCount(); series++) {
            r.setSeriesPaint(series, COLOURS[series / 2], false);
            r.setSeriesStroke(series, series % 2 == 0 ? new BasicStroke(2f)
                    : new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f), false);
        }
        chart.getCategoryPlot().setDataset(n.data());
        summary.setText(n.summary());
    }

    private JFreeChart chart() {
        NumberAxis pct = new NumberAxis("%");
        pct.setRange(0, 100);
        CategoryAxis sessions = new CategoryAxis("session");
        LineAndShapeRenderer r = new LineAndShapeRenderer(true, true);
        r.setDefaultToolTipGenerator((ds, row, col) -> String.format(Locale.ROOT, "session %s, %s: %.1f%%",
                ds.getColumnKey(col), ds.getRowKey(row), ds.getValue(row, col).doubleValue()));
        CategoryPlot plot = new CategoryPlot(new DefaultCategoryDataset(), sessions, pct, r);
        plot.setOutlineVisible(false);
        // the legend names the measures by colour; the summary says which lines are dashed
        LegendItemCollection key = new LegendItemCollection();
        for (int m = 0; m < MEASURES.length; m++) {
            LegendItem item = new LegendItem(MEASURES[m], null, null, null,
                    new Line2D.Double(-7, 0, 7, 0), new BasicStroke(2f), COLOURS[m]);
            key.add(item);
        }
        plot.setFixedLegendItems(key);
        JFreeChart c = new JFreeChart(null, new Font("SansSerif", Font.PLAIN, 11), plot, true);
        c.getLegend().setPosition(RectangleEdge.RIGHT);
        return c;
    }

    @Override
    protected void themed(boolean dark) {
        ChartThemes.apply(chart, dark);
    }
}
