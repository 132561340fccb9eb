package org.protolens.ui;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import org.protolens.core.project.History;

/** Applies a labelling edit from a view; an edit the workspace refuses is explained and changes nothing. */
public final class EditRefusal {
    private EditRefusal() {
    }

    /**
     * @param owner  a node of the window the explanation belongs to
     * @param header what the explanation starts with ("Nothing was changed")
     * @return whether the edit was applied
     */
    public static boolean apply(WorkspaceModel model, History.Edit edit, Node owner, String header) {
        try {
            model.edit(edit);
            return true;
        } catch (IllegalArgumentException ex) {
            Alert a = new Alert(Alert.AlertType.WARNING, ex.getMessage());
            a.initOwner(owner == null || owner.getScene() == null ? null : owner.getScene().getWindow());
            a.setHeaderText(header);
            a.showAndWait();
            return false;
        }
    }
}
