package org.protolens.ui.analysis;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.layout.VBox;
import org.protolens.ui.WorkspaceModel;

/**
 * A tab under the map. It is drawn again when predictions or the project change, or when its tab
 * is chosen: of quick changes (a dragged slider) once per frame, and only while its tab shows.
 */
public abstract class AnalysisView extends VBox {
    protected final WorkspaceModel model;
    private final javafx.beans.property.BooleanProperty shown = new javafx.beans.property.SimpleBooleanProperty(true);
    private boolean pending;

    AnalysisView(WorkspaceModel model, String id) {
        this.model = model;
        setId(id);
        getStyleClass().add("analysis");
        setPadding(new Insets(6, 10, 6, 10));
        setSpacing(4);
        model.revision().addListener((o, a, b) -> refreshSoon());
        model.workspace().addListener((o, a, b) -> refreshSoon());
        shown.addListener((o, a, b) -> refreshSoon());
    }

    /**
     * Whether the view's tab is the chosen one (bind it to the tab's selected property): a view
     * behind another tab does no work until it is chosen.
     */
    public javafx.beans.property.BooleanProperty shownProperty() {
        return shown;
    }

    /** Draws the view again at the next pulse, unless it is hidden or already due. */
    protected final void refreshSoon() {
        if (pending || !shown.get()) {
            return;
        }
        pending = true;
        Platform.runLater(() -> {
            pending = false;
            refresh();
        });
    }

    /** Chart colours for the dark theme; views without charts follow the style sheet alone. */
    public void setDark(boolean dark) {
    }

    /** Draws the view from the workspace as it is now. */
    protected abstract void refresh();
}
