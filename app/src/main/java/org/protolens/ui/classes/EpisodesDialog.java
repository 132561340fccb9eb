package org.protolens.ui.classes;

import java.awt.Color;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.protolens.core.analysis.ProjectEpisodes;
import org.protolens.core.fscil.FewShotEpisodes;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ChartExport;
import org.protolens.ui.common.ChartThemes;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;

/**
 * Few-shot episodes over the project's labelled images, as few-shot papers report them: the
 * person sets ways, shots, queries, episodes and which classes may be drawn, runs them in the
 * background (listed, cancellable), and sees each prototype head's mean accuracy with its 95%
 * confidence interval as bars with error bars, and the figures as text.
 */
final class EpisodesDialog {
    private final ProjectState project;
    private final Tasks tasks;
    private final DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    private final Label summary = new Label();
    private final Spinner<Integer> ways = new Spinner<>(2, 50, 5);
    private final Spinner<Integer> shots = new Spinner<>(1, 50, 1);
    private final Spinner<Integer> queries = new Spinner<>(1, 200, 15);
    private final Spinner<Integer> episodes = new Spinner<>(10, 10_000, 600, 100);
    private final RadioButton newOnly = new RadioButton(Messages.get("episodes.classes.new"));
    private final Button run = new Button(Messages.get("episodes.run"));
    private Tasks.Job<ProjectEpisodes> running;

    private EpisodesDialog(ProjectState project, Tasks tasks) {
        this.project = project;
        this.tasks = tasks;
    }

    static void show(Window owner, ProjectState project, Tasks tasks, boolean dark) {
        new EpisodesDialog(project, tasks).open(owner, dark);
    }

    private void open(Window owner, boolean dark) {
        WorkspaceState s = project.workspace().get();
        long novel = s == null ? 0 : IntStream.range(0, s.classCount()).filter(k -> !s.isBase(k)).count();
        ways.getValueFactory().setValue((int) Math.max(2, Math.min(5, novel)));
        for (Spinner<Integer> sp : List.of(ways, shots, queries, episodes)) {
            sp.setEditable(true);
            sp.setPrefWidth(84);
        }
        ways.setId("episodes-ways");
        shots.setId("episodes-shots");
        queries.setId("episodes-queries");
        episodes.setId("episodes-count");
        ToggleGroup which = new ToggleGroup();
        RadioButton every = new RadioButton(Messages.get("episodes.classes.all"));
        newOnly.setToggleGroup(which);
        every.setToggleGroup(which);
        newOnly.setSelected(novel >= 2);
        every.setSelected(novel < 2);
        every.setTooltip(new Tooltip(Messages.get("episodes.classes.all.tip")));
        run.setId("episodes-run");
        run.setDefaultButton(true);
        run.setOnAction(e -> start());
        FlowPane form = new FlowPane(14, 8, field("episodes.ways", ways), field("episodes.shots", shots),
                field("episodes.queries", queries), field("episodes.count", episodes), new HBox(8, newOnly, every), run);
        form.setAlignment(Pos.CENTER_LEFT);

        StatisticalBarRenderer bars = new StatisticalBarRenderer();
        bars.setSeriesPaint(0, new Color(0x4e79a7));
        bars.setErrorIndicatorPaint(dark ? Color.WHITE : Color.BLACK);
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setMaximumBarWidth(0.12);
        CategoryAxis heads = new CategoryAxis(null);
        heads.setMaximumCategoryLabelLines(2);
        CategoryPlot plot = new CategoryPlot(data, heads, new NumberAxis(Messages.get("episodes.axis")), bars);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        ChartThemes.apply(chart, dark);
        ChartViewer viewer = new ChartViewer(chart);
        viewer.setId("episodes-chart");
        ChartExport.offerSizes(viewer, project, tasks);
        viewer.setPrefSize(640, 320);
        VBox.setVgrow(viewer, Priority.ALWAYS);
        summary.setId("episodes-summary");
        summary.setWrapText(true);
        summary.setText(Messages.get("episodes.what"));
        summary.setPrefWidth(700);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        VBox content = new VBox(10, form, viewer, summary);
        content.setPadding(new Insets(6, 4, 4, 4));
        content.setPrefWidth(720);

        Dialog<Void> d = new Dialog<>();
        d.initOwner(owner);
        d.initModality(Modality.NONE);
        d.setResizable(true);
        d.setTitle(Messages.get("episodes.title"));
        d.setHeaderText(Messages.get("episodes.header"));
        d.getDialogPane().setContent(content);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);
        d.setOnHidden(e -> {
            if (running != null) {
                running.cancel();
            }
        });
        d.show();
    }

    private static HBox field(String key, Spinner<Integer> spinner) {
        Label l = new Label(Messages.get(key));
        l.setLabelFor(spinner);
        HBox box = new HBox(6, l, spinner);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private void start() {
        WorkspaceState s = project.workspace().get();
        if (s == null || running != null) {
            return;
        }
        FewShotEpisodes.Setting setting = new FewShotEpisodes.Setting(ways.getValue(), shots.getValue(), queries.getValue(),
                episodes.getValue(), 1);
        boolean newClasses = newOnly.isSelected();
        run.setDisable(true);
        summary.setText(Messages.get("episodes.running"));
        running = tasks.start(tasks.job(Tasks.Lane.VIEWS, Messages.get("episodes.job"), j -> {
            j.say(Messages.get("episodes.job"));
            return ProjectEpisodes.of(s, setting, newClasses, j::isCancelled);
        }).onDone(this::show).onFailure(e -> summary.setText(e instanceof IllegalArgumentException ? e.getMessage() : String.valueOf(e)))
                .onCancel(() -> summary.setText(Messages.get("episodes.cancelled")))
                .andFinally(() -> {
                    running = null;
                    run.setDisable(false);
                }), true);
    }

    private void show(ProjectEpisodes r) {
        data.clear();
        StringBuilder text = new StringBuilder();
        for (FewShotEpisodes.HeadResult h : r.report().heads()) {
            data.add(100 * h.mean(), 100 * h.ci95(), Messages.get("episodes.series"), h.head().toString());
            text.append(String.format(Locale.ROOT, "%s %.2f ± %.2f   ", h.head(), 100 * h.mean(), 100 * h.ci95()));
        }
        FewShotEpisodes.Setting s = r.report().setting();
        summary.setText(Messages.get("episodes.summary", s.ways(), s.shots(), s.queries(), s.episodes(), r.report().classes().length,
                String.format(Locale.ROOT, "%.2f", r.calibration().alpha()), String.format(Locale.ROOT, "%.0f", r.calibration().tau()))
                + "\n" + text.toString().strip());
    }
}
