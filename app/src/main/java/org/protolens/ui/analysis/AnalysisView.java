package org.protolens.ui.analysis;

import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.textfield.TextFields;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Recompute;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;

/**
 * A tab under the map. Its numbers are computed in the background from the workspace's latest
 * state whenever it changes (of quick changes, the latest), and only while its tab is chosen; the
 * JavaFX thread only shows them.
 *
 * @param <D> the numbers the view shows
 */
public abstract class AnalysisView<D> extends VBox {
    protected final ProjectState project;
    protected final Theme theme;
    private final BooleanProperty shown = new SimpleBooleanProperty(true);
    private final Recompute<Supplier<D>, D> numbers;
    private boolean stale = true;

    AnalysisView(ProjectState project, Tasks tasks, Theme theme, String id) {
        this.project = project;
        this.theme = theme;
        setId(id);
        getStyleClass().add("analysis");
        setPadding(new Insets(6, 10, 6, 10));
        setSpacing(4);
        numbers = new Recompute<>(tasks, id, Supplier::get, this::show);
        project.workspace().addListener((o, a, b) -> refresh());
        shown.addListener((o, a, now) -> {
            if (now && stale) {
                refresh();
            }
        });
        theme.dark().addListener((o, a, dark) -> themed(dark));
    }

    /**
     * Whether the view's tab is the chosen one (bind it to the tab's selected property): a view
     * behind another tab computes nothing until it is chosen.
     */
    public BooleanProperty shownProperty() {
        return shown;
    }

    /** Computes the numbers again (the state or one of the view's own choices changed). */
    protected final void refresh() {
        if (!shown.get()) {
            stale = true;
            return;
        }
        stale = false;
        WorkspaceState s = project.workspace().get();
        numbers.request(prepare(s));
    }

    /**
     * What to compute for {@code s} (null: no project), read on the JavaFX thread with the view's
     * choices; the supplier runs in the background and must touch nothing but what it captured.
     */
    protected abstract Supplier<D> prepare(WorkspaceState s);

    /** Shows the numbers (the JavaFX thread). */
    protected abstract void show(D numbers);

    /** The theme changed: charts take its colours. */
    protected void themed(boolean dark) {
    }

    /**
     * A search field for a chart with more classes than it draws: hidden until the view shows it,
     * each change drawn again.
     */
    protected TextField classSearch(String id, String promptKey) {
        TextField find = TextFields.createClearableTextField();
        find.setId(id);
        find.setPromptText(Messages.get(promptKey));
        find.setTooltip(new Tooltip(Messages.get(promptKey + ".tip")));
        find.setPrefColumnCount(12);
        find.setMinWidth(Region.USE_PREF_SIZE);
        find.textProperty().addListener((o, a, b) -> refresh());
        find.setVisible(false);
        find.managedProperty().bind(find.visibleProperty());
        return find;
    }

    /** The summary above a chart with the chart's search field at its right, the summary taking the room. */
    protected static HBox besideSearch(Label summary, TextField find) {
        HBox top = new HBox(10, summary, find);
        top.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(summary, Priority.ALWAYS);
        summary.setMaxWidth(Double.MAX_VALUE);
        return top;
    }
}
