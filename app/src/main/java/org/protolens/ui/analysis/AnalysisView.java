package org.protolens.ui.analysis;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.layout.VBox;
import org.protolens.ui.WorkspaceModel;

/**
 * A tab under the map. It is drawn again when predictions, the project or its visibility change:
 * of quick changes (a dragged slider) once per frame, and only while it shows.
 */
abstract class AnalysisView extends VBox {
    protected final WorkspaceModel model;
    private boolean pending;

    AnalysisView(WorkspaceModel model, String id) {
        this.model = model;
        setId(id);
        getStyleClass().add("analysis");
        setPadding(new Insets(6, 10, 6, 10));
        setSpacing(4);
        model.revision().addListener((o, a, b) -> refreshSoon());
        model.workspace().addListener((o, a, b) -> refreshSoon());
        visibleProperty().addListener((o, a, b) -> refreshSoon());
    }

    /** Draws the view again at the next pulse, unless it is hidden or already due. */
    protected final void refreshSoon() {
        if (pending || !isVisible()) {
            return;
        }
        pending = true;
        Platform.runLater(() -> {
            pending = false;
            refresh();
        });
    }

    /** Draws the view from the workspace as it is now. */
    protected abstract void refresh();
}
