package org.protolens.ui.shell;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.protolens.ui.common.Messages;

/**
 * The analysis tabs' place under the map: it grows with the window, can take the map's height
 * too (maximised; a double-click on the tab headers or View > Maximise Analysis) and can move
 * into a window of its own (closing that window brings the tabs back).
 */
final class AnalysisArea {
    private static final double MAXIMISED = 0.0;
    private static final double OUT = 0.94;

    private final Window owner;
    private final SplitPane split;
    private final StackPane holder;
    private final TabPane tabs;
    private final HBox placeholder;
    private final ReadOnlyBooleanWrapper maximised = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper out = new ReadOnlyBooleanWrapper(false);
    private double before = 0.62;
    private Stage window;

    AnalysisArea(Window owner, SplitPane split, StackPane holder, TabPane tabs) {
        this.owner = owner;
        this.split = split;
        this.holder = holder;
        this.tabs = tabs;
        SplitPane.setResizableWithParent(holder, true);
        holder.getChildren().setAll(tabs);
        Label where = new Label(Messages.get("analysis.elsewhere"));
        where.getStyleClass().add("hint");
        Button back = new Button(Messages.get("analysis.back"));
        back.setId("analysis-back");
        back.getStyleClass().add("small");
        back.setOnAction(e -> bringBack());
        placeholder = new HBox(8, where, back);
        placeholder.setAlignment(Pos.CENTER_LEFT);
        placeholder.setPadding(new Insets(4, 10, 4, 10));
        placeholder.setId("analysis-placeholder");
        placeholder.getStyleClass().add("analysis-placeholder");
        // a double-click on the tab headers (not inside a tab's view) maximises the area or gives the map its place back
        tabs.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && inHeader(e.getPickResult().getIntersectedNode())) {
                toggleMaximised();
            }
        });
    }

    private boolean inHeader(Node n) {
        for (Node at = n; at != null && at != tabs; at = at.getParent()) {
            if (at.getStyleClass().contains("tab-header-area")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the tabs take the map's height too. */
    ReadOnlyBooleanProperty maximised() {
        return maximised.getReadOnlyProperty();
    }

    /** Whether the tabs are in a window of their own. */
    ReadOnlyBooleanProperty out() {
        return out.getReadOnlyProperty();
    }

    /** Gives the tabs the map's height too, or the map its place back. */
    void toggleMaximised() {
        if (out.get()) {
            return;
        }
        if (maximised.get()) {
            split.setDividerPositions(before);
            maximised.set(false);
        } else {
            before = split.getDividerPositions()[0];
            split.setDividerPositions(MAXIMISED);
            maximised.set(true);
        }
    }

    /** Moves the tabs into a window of their own, or back under the map. */
    void togglePoppedOut() {
        if (out.get()) {
            bringBack();
            return;
        }
        if (maximised.get()) {
            toggleMaximised();
        }
        before = split.getDividerPositions()[0];
        double w = Math.max(640, tabs.getWidth());
        double h = Math.max(420, tabs.getHeight() * 1.6);
        holder.getChildren().setAll(placeholder);
        window = new Stage();
        window.initOwner(owner);
        window.setTitle(Messages.get("analysis.window"));
        StackPane root = new StackPane(tabs);
        root.getStyleClass().add("analysis-window");
        window.setScene(new Scene(root, w, h));
        window.setOnHidden(e -> bringBack());
        out.set(true);
        split.setDividerPositions(OUT);
        window.show();
    }

    private void bringBack() {
        if (!out.get()) {
            return;
        }
        out.set(false);
        Stage w = window;
        window = null;
        if (w != null) {
            w.setOnHidden(null);
            ((StackPane) w.getScene().getRoot()).getChildren().clear();
            w.hide();
        }
        holder.getChildren().setAll(tabs);
        split.setDividerPositions(before);
    }

    /** The tabs' own window while they are out (for tests). */
    Stage window() {
        return window;
    }
}
