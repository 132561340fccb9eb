package org.protolens.ui.common;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Window;

/** The small questions and answers every feature asks: a class name, an edit the workspace refused. */
public final class Dialogs {
    private Dialogs() {
    }

    /** The window a node belongs to (null while it is not shown). */
    public static Window windowOf(Node node) {
        return node == null || node.getScene() == null ? null : node.getScene().getWindow();
    }

    /** Asks for a class name; empty when the person cancels. */
    public static Optional<String> askName(Window owner, String title, String header, String initial) {
        TextInputDialog ask = new TextInputDialog(initial == null ? "" : initial);
        ask.initOwner(owner);
        ask.setTitle(title);
        ask.setHeaderText(header);
        ask.setContentText(Messages.get("dialog.name"));
        return ask.showAndWait().map(String::strip).filter(s -> !s.isEmpty());
    }

    /**
     * Says why an edit was refused, once it is known: the workspace did not change. (Other
     * failures are shown in the notice bar by {@link Commands}.)
     *
     * @param header what the explanation starts with ("Nothing was changed")
     */
    public static CompletableFuture<Void> explainRefusal(CompletableFuture<Void> edit, Node owner, String header) {
        return edit.whenComplete((v, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException) {
                Alert a = new Alert(Alert.AlertType.WARNING, cause.getMessage());
                a.initOwner(windowOf(owner));
                a.setHeaderText(header);
                a.show();
            }
        });
    }
}
