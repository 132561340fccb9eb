package org.protolens.ui.common;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;

/** Table columns as the analysis tabs make them. */
public final class Tables {
    private Tables() {
    }

    /**
     * A column of text, not sortable, whose header is the message {@code key} with the message
     * {@code key.tip} as its tooltip.
     */
    public static <R> TableColumn<R, String> column(String key, Function<R, String> value, double width) {
        TableColumn<R, String> c = new TableColumn<>();
        Label header = new Label(Messages.get(key));
        header.setTooltip(new Tooltip(Messages.get(key + ".tip")));
        c.setGraphic(header);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }
}
