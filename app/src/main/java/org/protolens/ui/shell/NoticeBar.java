package org.protolens.ui.shell;

import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.action.Action;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.Notices;

/**
 * The bar over the map that shows the latest notice: a problem (files that were not imported, a
 * project that was not saved) or a note (a copy was opened), with its details listed under it.
 * It stays until it is dismissed; a newer notice takes its place.
 */
final class NoticeBar {
    /** The width Dismiss and the close mark take beside the details. */
    private static final int BUTTONS = 160;
    private final NotificationPane pane;
    private final ListView<String> lines = new ListView<>();
    private final Label title = new Label();
    private final Button action = new Button();
    private final VBox body = new VBox(6, title, lines, action);
    private final Notices notices;

    NoticeBar(NotificationPane pane, Notices notices) {
        this.pane = pane;
        this.notices = notices;
        pane.setId("problems");
        lines.setId("problems-list");
        lines.setFocusTraversable(false);
        lines.getStyleClass().add("notice-lines");
        title.setId("notice-title");
        title.getStyleClass().add("notice-title");
        title.setWrapText(true);
        action.setId("notice-action");
        action.setVisible(false);
        action.setManaged(false);
        body.setFillWidth(true);
        // the details take the bar's width, less the room its buttons need
        body.prefWidthProperty().bind(pane.widthProperty().subtract(BUTTONS));
        body.setMaxWidth(Region.USE_PREF_SIZE);
        // long paths wrap instead of scrolling sideways; the full line is also the cell's tooltip
        lines.setCellFactory(v -> new ListCell<>() {
            {
                setWrapText(true);
                prefWidthProperty().bind(v.widthProperty().subtract(24));
                setMaxWidth(Region.USE_PREF_SIZE);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty ? null : new Tooltip(item));
            }
        });
        notices.current().addListener((o, was, now) -> show(now));
        pane.setOnHidden(e -> {
            if (notices.current().get() != null && !pane.isShowing()) {
                notices.dismiss();
            }
        });
    }

    private void show(Notices.Notice n) {
        if (n == null) {
            pane.hide();
            return;
        }
        pane.getStyleClass().removeAll("notice-problem", "notice-note");
        pane.getStyleClass().add(n.kind() == Notices.Kind.PROBLEM ? "notice-problem" : "notice-note");
        lines.getItems().setAll(n.lines());
        // up to six rows in view (a long line wraps onto more, about 7 px a character), the rest by scrolling
        int perRow = (int) Math.max(40, (pane.getWidth() - BUTTONS - 40) / 7);
        int rows = n.lines().stream().mapToInt(l -> Math.max(1, (l.length() + perRow - 1) / perRow)).sum();
        lines.setPrefHeight(Math.min(6, Math.max(1, rows)) * 19 + 8 * Math.min(5, Math.max(1, n.lines().size())) + 4);
        lines.setVisible(!n.lines().isEmpty());
        lines.setManaged(!n.lines().isEmpty());
        title.setText(n.title());
        Action dismiss = new Action(Messages.get("notice.dismiss"), e -> notices.dismiss());
        if (pane.isShowing()) {
            pane.hide();
        }
        // show(text, graphic, actions) adds its actions to those there: a notice that replaces another
        // would get a second Dismiss button
        pane.getActions().setAll(dismiss);
        // the way on, where the notice offers one: a button under the details (its own width, whatever its text)
        boolean wayOn = n.action() != null && n.run() != null;
        action.setText(wayOn ? n.action() : "");
        action.setOnAction(wayOn ? e -> {
            notices.dismiss();
            n.run().run();
        } : null);
        action.setVisible(wayOn);
        action.setManaged(wayOn);
        pane.setText("");
        pane.setGraphic(body);
        pane.show();
    }

    /** Whether a notice shows. */
    boolean showing() {
        return pane.isShowing();
    }

    /** The title of the notice shown. */
    String title() {
        return title.getText();
    }

    /** The details of the notice shown. */
    List<String> lines() {
        return List.copyOf(lines.getItems());
    }
}
