package org.protolens.ui;

import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * A panel over the map that lists files that could not be used, each with the reason; it stays
 * until the person dismisses it, and the work it reports on goes on meanwhile.
 */
public final class ProblemsPanel extends VBox {
    private final Label title = new Label();
    private final ListView<String> lines = new ListView<>();

    public ProblemsPanel() {
        super(6);
        title.getStyleClass().add("problems-title");
        title.setId("problems-title");
        lines.setId("problems-list");
        lines.setPrefHeight(120);
        lines.setFocusTraversable(false);
        // long paths wrap instead of scrolling sideways; the full line is also the cell's tooltip
        lines.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            {
                setWrapText(true);
                prefWidthProperty().bind(v.widthProperty().subtract(24));
                setMaxWidth(Region.USE_PREF_SIZE);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty ? null : new javafx.scene.control.Tooltip(item));
            }
        });
        Button dismiss = new Button("Dismiss");
        dismiss.setId("problems-dismiss");
        dismiss.setOnAction(e -> hide());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(8, title, gap, dismiss);
        top.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(top, lines);
        setPadding(new Insets(8));
        setMaxWidth(640);
        setMaxHeight(Region.USE_PREF_SIZE);
    }

    /** Shows the panel with a title and one line per problem (the file and what is wrong). */
    public void show(String heading, List<String> problems) {
        title.setText(heading);
        lines.getItems().setAll(problems);
        lines.setPrefHeight(Math.min(4, Math.max(1, problems.size())) * 40 + 4);
        setVisible(true);
        setManaged(true);
    }

    public void hide() {
        setVisible(false);
        setManaged(false);
    }

    /** The listed problems. */
    public List<String> problems() {
        return List.copyOf(lines.getItems());
    }
}
