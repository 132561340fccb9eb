package org.protolens.ui.common;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * What the window tells the person and keeps in view until they dismiss it: a problem (files that
 * could not be read, a project that was not saved) or a note (a copy was opened). The main window
 * shows the latest in a bar over the map; the work it reports on goes on meanwhile.
 */
public final class Notices {
    public enum Kind { PROBLEM, NOTE }

    /**
     * @param title  one line saying what happened
     * @param lines  the details, one per file or fact (may be empty)
     * @param action the text of a button that offers the way on (null: none)
     * @param run    what that button does (the notice is dismissed first)
     */
    public record Notice(Kind kind, String title, List<String> lines, String action, Runnable run) {
        public Notice {
            lines = List.copyOf(lines);
        }

        public Notice(Kind kind, String title, List<String> lines) {
            this(kind, title, lines, null, null);
        }
    }

    private final ObjectProperty<Notice> current = new SimpleObjectProperty<>();

    /** The notice shown, or null (the JavaFX thread). */
    public ReadOnlyObjectProperty<Notice> current() {
        return current;
    }

    public void problem(String title, List<String> lines) {
        current.set(new Notice(Kind.PROBLEM, title, lines));
    }

    /** A problem with a button that offers the way on ({@code action}: its text, {@code run}: what it does). */
    public void problem(String title, List<String> lines, String action, Runnable run) {
        current.set(new Notice(Kind.PROBLEM, title, lines, action, run));
    }

    public void note(String title, List<String> lines) {
        current.set(new Notice(Kind.NOTE, title, lines));
    }

    public void dismiss() {
        current.set(null);
    }
}
