package org.protolens.ui.shell;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.PopOver;
import org.controlsfx.control.StatusBar;
import org.controlsfx.control.TaskProgressView;
import org.protolens.Version;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;

/**
 * The status bar: what the project holds, the running job's message and progress, the backbone,
 * the device and the version. A button counts the running jobs and opens their list, each with
 * its progress and its own cancel button.
 */
final class StatusLine {
    private static final PseudoClass ERROR = PseudoClass.getPseudoClass("error");
    private final StatusBar bar;
    private final Label status = new Label(Messages.get("status.opening"));
    private final Label backbone = new Label();
    private final Label device = new Label(Messages.get("status.device.looking"));
    private final Label saved = new Label();
    private final Button jobs = new Button();
    private final TaskProgressView<Task<?>> list = new TaskProgressView<>();
    private PopOver popOver;

    StatusLine(StatusBar bar, ProjectState project, Tasks tasks) {
        this.bar = bar;
        status.setId("status");
        jobs.setId("jobs");
        jobs.getStyleClass().add("small");
        jobs.visibleProperty().bind(Bindings.isNotEmpty(tasks.shown()));
        jobs.managedProperty().bind(jobs.visibleProperty());
        jobs.textProperty().bind(Bindings.size(tasks.shown()).map(n -> Messages.get("status.jobs", n.intValue())));
        jobs.setOnAction(e -> showJobs());
        Bindings.bindContent(list.getTasks(), tasks.shown());
        list.setId("job-list");
        list.setPrefSize(420, 240);
        bar.setId("status-bar");
        bar.getLeftItems().setAll(status, new Separator(Orientation.VERTICAL));
        saved.setId("saved");
        saved.textProperty().bind(Bindings.createStringBinding(() -> project.workspace().get() == null ? ""
                        : project.saveProblem().get() != null ? Messages.get("status.notSaved")
                        : Messages.get(project.saved().get() ? "status.saved" : "status.saving"),
                project.saved(), project.saveProblem(), project.workspace()));
        saved.setTooltip(new Tooltip(Messages.get("status.saved.tip")));
        project.saveProblem().addListener((o, was, now) -> saved.pseudoClassStateChanged(ERROR, now != null));
        saved.getStyleClass().add("hint");
        bar.getRightItems().setAll(jobs, saved, new Separator(Orientation.VERTICAL), backbone, new Separator(Orientation.VERTICAL),
                device, new Separator(Orientation.VERTICAL), new Label(Version.lines()[0]));
        // the first running job speaks in the middle of the bar
        tasks.shown().addListener((ListChangeListener<Task<?>>) c -> follow(tasks));
        follow(tasks);
        project.workspace().addListener((o, was, now) -> counts(now));
        project.saveProblem().addListener((o, was, problem) -> {
            if (problem != null) {
                status.setText(problem);
            } else {
                counts(project.workspace().get());
            }
        });
    }

    private void follow(Tasks tasks) {
        bar.textProperty().unbind();
        bar.progressProperty().unbind();
        if (tasks.shown().isEmpty()) {
            bar.setText("");
            bar.setProgress(0);
            if (popOver != null) {
                popOver.hide();
            }
        } else {
            Task<?> first = tasks.shown().getFirst();
            bar.textProperty().bind(first.messageProperty());
            bar.progressProperty().bind(first.progressProperty());
        }
    }

    private void showJobs() {
        if (popOver == null) {
            popOver = new PopOver(list);
            popOver.setArrowLocation(PopOver.ArrowLocation.BOTTOM_RIGHT);
            popOver.setTitle(Messages.get("status.jobs.title"));
            popOver.setHeaderAlwaysVisible(true);
            popOver.setDetachable(false);
        }
        if (popOver.isShowing()) {
            popOver.hide();
        } else {
            popOver.show(jobs);
        }
    }

    /** Says what the project holds, or what happens. */
    void say(String text) {
        status.setText(text);
    }

    private void counts(WorkspaceState s) {
        if (s != null) {
            status.setText(Messages.get("status.counts", s.imageCount(), s.classCount()));
        }
    }

    void backbone(String name) {
        backbone.setText(name == null ? "" : Messages.get("status.backbone", name));
    }

    void device(String text) {
        device.setText(text);
    }

    /** The job list (for tests). */
    TaskProgressView<Task<?>> jobList() {
        return list;
    }
}
