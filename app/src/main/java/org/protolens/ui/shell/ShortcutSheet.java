package org.protolens.ui.shell;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.stage.Window;
import org.protolens.ui.common.Messages;

/**
 * Help > Keyboard Shortcuts: every menu command that has a key, read from the menus themselves
 * (so the sheet cannot fall behind them), then the keys of the map, the views of images, the
 * suggestions and the full-size viewer.
 */
final class ShortcutSheet {
    /** One line of the sheet: under {@code section}, {@code keys} do {@code does}. */
    record Entry(String section, String keys, String does) {
    }

    /** The views whose keys are not menu commands, each a list of "keys TAB does" lines in the messages. */
    private static final List<String> VIEWS = List.of("map", "images", "suggestions", "viewer");

    private ShortcutSheet() {
    }

    /** The sheet's lines: the menus' commands with keys, in menu order, then each view's keys. */
    static List<Entry> entries(MenuBar bar) {
        List<Entry> out = new ArrayList<>();
        for (Menu m : bar.getMenus()) {
            collect(m.getText(), m, out);
        }
        for (String view : VIEWS) {
            String section = Messages.get("shortcuts." + view);
            for (String line : Messages.get("shortcuts." + view + ".keys").split("\n")) {
                String[] parts = line.split("\t", 2);
                if (parts.length == 2) {
                    out.add(new Entry(section, parts[0], parts[1]));
                }
            }
        }
        return out;
    }

    private static void collect(String section, Menu menu, List<Entry> out) {
        for (MenuItem item : menu.getItems()) {
            if (item instanceof Menu sub) {
                collect(section, sub, out);
            } else if (item.getAccelerator() != null && item.getText() != null) {
                out.add(new Entry(section, item.getAccelerator().getDisplayText(), item.getText().replace("…", "")));
            }
        }
    }

    /** Shows the sheet. */
    static void show(Window owner, MenuBar bar) {
        GridPane grid = new GridPane(16, 3);
        grid.setId("shortcut-sheet");
        grid.setPadding(new Insets(4, 8, 8, 8));
        int row = 0;
        String section = null;
        for (Entry e : entries(bar)) {
            if (!e.section().equals(section)) {
                section = e.section();
                Label title = new Label(section);
                title.getStyleClass().add("section-title");
                title.setPadding(new Insets(row == 0 ? 0 : 10, 0, 2, 0));
                grid.add(title, 0, row++, 2, 1);
            }
            Label keys = new Label(e.keys());
            keys.getStyleClass().add("shortcut-keys");
            keys.setMinWidth(Region.USE_PREF_SIZE);
            Label does = new Label(e.does());
            does.setWrapText(true);
            grid.addRow(row++, keys, does);
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setPrefSize(620, 560);
        Dialog<Void> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(Messages.get("shortcuts.title"));
        d.setHeaderText(null);
        d.getDialogPane().setContent(scroll);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.CLOSE);
        d.setResizable(true);
        d.show();
    }
}
