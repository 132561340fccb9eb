package org.protolens.ui.common;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.protolens.core.project.WorkspaceState;

/**
 * Every text the window shows, from {@code i18n/messages.properties} (UTF-8). Keys name what a
 * text is for ({@code menu.file.open}); texts with numbers or names in them are
 * {@link MessageFormat} patterns ({0} and so on, with choice formats for singular and plural).
 */
public final class Messages {
    private static final String BUNDLE = "org.protolens.ui.i18n.messages";
    private static final ResourceBundle TEXTS = ResourceBundle.getBundle(BUNDLE, Locale.getDefault());

    private Messages() {
    }

    /** The bundle itself, for FXML files ({@code %key}). */
    public static ResourceBundle bundle() {
        return TEXTS;
    }

    /**
     * A view's name for the predictions as they are now ({@code now}: its own "α = …" or
     * "calibration off" text), followed by the transductive head where it refined the prototypes.
     */
    public static String now(WorkspaceState w, String now) {
        return w.refined() ? get("head.now", now, w.head()) : now;
    }

    /** The text for {@code key}, with {@code args} put in; a missing key shows as itself, so that it is seen and fixed. */
    public static String get(String key, Object... args) {
        String pattern;
        try {
            pattern = TEXTS.getString(key);
        } catch (MissingResourceException e) {
            return "!" + key + "!";
        }
        if (args.length == 0) {
            return pattern;
        }
        return new MessageFormat(pattern, Locale.ROOT).format(args);
    }

    /** Whether the bundle has a text for {@code key}. */
    public static boolean has(String key) {
        return TEXTS.containsKey(key);
    }
}
