package org.protolens.ui.common;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.event.EventHandler;
import javafx.scene.Scene;
import javafx.stage.PopupWindow;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

/**
 * The window's theme, one property the views observe: the style sheets follow it (the dark one
 * overrides the light one's looked-up colours), charts and the map draw their own colours from it.
 */
public final class Theme {
    private static final String LIGHT = "css/protolens.css";
    private static final String DARK = "css/protolens-dark.css";
    private final BooleanProperty dark = new SimpleBooleanProperty();

    public Theme(boolean dark) {
        this.dark.set(dark);
    }

    public BooleanProperty dark() {
        return dark;
    }

    public boolean isDark() {
        return dark.get();
    }

    /** Gives {@code scene} the style sheets, now and whenever the theme changes. */
    public void style(Scene scene) {
        scene.getStylesheets().add(url(LIGHT));
        ChangeListener<Boolean> apply = (o, was, now) -> follow(scene);
        follow(scene);
        dark.addListener(apply);
    }

    /**
     * Gives every other window the application opens (dialogs, windows of their own) the style
     * sheets while it is shown, so that a dialog is as dark as the window it came from; until
     * {@code main} is closed.
     */
    public void styleEveryWindow(Window main) {
        ListChangeListener<Window> opened = c -> {
            while (c.next()) {
                for (Window w : c.getAddedSubList()) {
                    Scene scene = w.getScene();
                    if (w == main || w instanceof PopupWindow || scene == null) {
                        continue;
                    }
                    // a window shown again (the image viewer) is styled again, its listener having gone when it was hidden
                    if (!scene.getStylesheets().contains(url(LIGHT))) {
                        scene.getStylesheets().add(url(LIGHT));
                    }
                    follow(scene);
                    ChangeListener<Boolean> apply = (o, was, now) -> follow(scene);
                    dark.addListener(apply);
                    once(w, () -> dark.removeListener(apply));
                }
            }
        };
        Window.getWindows().addListener(opened);
        once(main, () -> Window.getWindows().removeListener(opened));
    }

    /**
     * Runs {@code then} when {@code w} is next hidden, and lets go of it: a window shown again (or a
     * stage that outlives this window's contents) holds no handler of an earlier showing.
     */
    private static void once(Window w, Runnable then) {
        EventHandler<WindowEvent> hidden = new EventHandler<>() {
            @Override
            public void handle(WindowEvent e) {
                w.removeEventHandler(WindowEvent.WINDOW_HIDDEN, this);
                then.run();
            }
        };
        w.addEventHandler(WindowEvent.WINDOW_HIDDEN, hidden);
    }

    private void follow(Scene scene) {
        scene.getStylesheets().removeIf(u -> u.endsWith(DARK));
        if (dark.get()) {
            scene.getStylesheets().add(url(DARK));
        }
    }

    private static String url(String sheet) {
        var u = Theme.class.getResource("/org/protolens/ui/" + sheet);
        if (u == null) {
            throw new IllegalStateException("missing style sheet " + sheet);
        }
        return u.toExternalForm();
    }
}
