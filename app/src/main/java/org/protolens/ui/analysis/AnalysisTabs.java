package org.protolens.ui.analysis;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import org.protolens.core.analysis.SessionTable;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;

/**
 * The tabs under the map. A tab's view is made when the tab is first chosen and works only while
 * it is chosen: hidden tabs cost nothing.
 */
public final class AnalysisTabs {
    private final TabPane pane = new TabPane();
    private final SuggestionsViewModel suggestions;
    private final Tab suggestTab;

    /**
     * @param actions       labelling by key and the full-size viewer, as every view of images offers them
     * @param newClass      asks for a name and makes a new class of the given images
     * @param exportSessions saves the session table as CSV (asks where)
     */
    public AnalysisTabs(ProjectState project, Commands commands, Tasks tasks, Theme theme, Thumbnails thumbnails,
                        ImageActions actions, Consumer<int[]> newClass, Consumer<SessionTable.Result> exportSessions) {
        suggestions = new SuggestionsViewModel(commands);
        ImagesViewModel images = new ImagesViewModel(project, commands);
        Tab flow = tab("flow", () -> new FlowView(project, tasks, theme));
        Tab similarity = tab("similarity", () -> new SimilarityView(project, tasks, theme));
        Tab confusion = tab("confusion", () -> new ConfusionView(project, tasks, theme));
        Tab sessions = tab("sessions", () -> new SessionsView(project, tasks, theme, exportSessions));
        suggestTab = tab("suggestions", () -> new SuggestionsView(suggestions, project, tasks, theme, thumbnails, actions));
        Tab grid = tab("images", () -> new ImagesView(images, project, tasks, theme, thumbnails, actions, newClass));
        Tab gallery = tab("gallery", () -> new GalleryView(project, tasks, theme, thumbnails, actions));
        pane.getTabs().setAll(flow, similarity, confusion, sessions, suggestTab, grid, gallery);
        pane.setId("analysis");
        pane.getStyleClass().add("analysis-tabs");
    }

    public TabPane pane() {
        return pane;
    }

    /** Shows the Suggestions tab with the likely members of class {@code name}. */
    public void suggestLikelyMembers(String name) {
        suggestions.showLikelyMembers(name);
        pane.getSelectionModel().select(suggestTab);
    }

    /**
     * Adds a tab of another feature (its view made when the tab is first chosen); keys name the
     * tab's title and tooltip in the messages.
     */
    public void add(String key, Supplier<? extends Node> make) {
        pane.getTabs().add(tab(key, make));
    }

    private static Tab tab(String key, Supplier<? extends Node> make) {
        Tab tab = new Tab(Messages.get("tab." + key));
        tab.setId("tab-" + key);
        tab.setClosable(false);
        tab.setTooltip(new Tooltip(Messages.get("tab." + key + ".tip")));
        Runnable create = () -> {
            if (tab.getContent() == null) {
                Node view = make.get();
                if (view instanceof AnalysisView<?> analysis) {
                    analysis.shownProperty().bind(tab.selectedProperty());
                }
                tab.setContent(view);
            }
        };
        tab.selectedProperty().addListener((o, was, selected) -> {
            if (selected) {
                create.run();
            }
        });
        if (tab.isSelected()) {
            create.run();
        }
        return tab;
    }
}
