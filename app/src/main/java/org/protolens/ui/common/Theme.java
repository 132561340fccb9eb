package org.protolens.ui.common;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;

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
        Runnable apply = () -> {
            scene.getStylesheets().removeIf(u -> u.endsWith(DARK));
            if (dark.get()) {
                scene.getStylesheets().add(url(DARK));
            }
        };
        apply.run();
        dark.addListener((o, was, now) -> apply.run());
    }

    private static String url(String sheet) {
        var u = Theme.class.getResource("/org/protolens/ui/" + sheet);
        if (u == null) {
            throw new IllegalStateException("missing style sheet " + sheet);
        }
        return u.toExternalForm();
    }
}
