package org.protolens.ui.common;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.prefs.Preferences;

/**
 * What the window remembers between runs: the theme, the last and recent projects, where new
 * projects go, where each kind of file chooser was last used.
 */
public final class UserSettings {
    private static final String THEME = "theme";
    private static final String LAST_PROJECT = "lastProject";
    private static final String RECENT = "recentProjects";
    private static final String NEW_LOCATION = "newProjectLocation";
    /** how many projects File > Open Recent lists */
    public static final int RECENT_COUNT = 8;

    private final Preferences prefs;

    public UserSettings() {
        this(Preferences.userRoot().node("org/protolens/ui"));
    }

    UserSettings(Preferences prefs) {
        this.prefs = prefs;
    }

    /** Whether the dark theme was chosen; -Dprotolens.theme=dark|light overrides it. */
    public boolean dark() {
        return "dark".equals(System.getProperty("protolens.theme", prefs.get(THEME, "light")));
    }

    public void setDark(boolean dark) {
        prefs.put(THEME, dark ? "dark" : "light");
    }

    /** The project opened last, when it still exists. */
    public Path lastProject() {
        String last = prefs.get(LAST_PROJECT, null);
        return last != null && isProject(Path.of(last)) ? Path.of(last) : null;
    }

    /** Puts a project first among the recent ones and remembers it as the last. */
    public void opened(Path dir) {
        String d = dir.toAbsolutePath().toString();
        prefs.put(LAST_PROJECT, d);
        List<String> recent = new ArrayList<>(List.of(prefs.get(RECENT, "").split("\n")));
        recent.removeIf(r -> r.isBlank() || r.equals(d));
        recent.addFirst(d);
        prefs.put(RECENT, String.join("\n", recent.subList(0, Math.min(RECENT_COUNT, recent.size()))));
    }

    /** The recent projects that still exist, the latest first. */
    public List<Path> recentProjects() {
        List<Path> out = new ArrayList<>();
        for (String r : prefs.get(RECENT, "").split("\n")) {
            if (!r.isBlank() && isProject(Path.of(r))) {
                out.add(Path.of(r));
            }
        }
        return out;
    }

    /** Where new projects go unless the person picks another folder: the last one used, else ~/ProtoLens. */
    public Path newProjectLocation() {
        String last = prefs.get(NEW_LOCATION, null);
        return last != null ? Path.of(last) : Path.of(System.getProperty("user.home"), "ProtoLens");
    }

    public void setNewProjectLocation(Path folder) {
        prefs.put(NEW_LOCATION, folder.toAbsolutePath().toString());
    }

    /** What a file chooser is for: each starts where the last of its kind ended. */
    public enum Folder { IMPORT, PROJECT, EXPORT }

    /**
     * Where a chooser for {@code kind} starts: the folder used last for it while it exists, else
     * the home folder (never the toolkit's own "Recent" view).
     */
    public File startIn(Folder kind) {
        File last = lastUsed(kind);
        return last != null ? last : new File(System.getProperty("user.home"));
    }

    /** The folder a chooser for {@code kind} was last used in, while it exists; null: none. */
    public File lastUsed(Folder kind) {
        String last = prefs.get("folder." + kind.name().toLowerCase(Locale.ROOT), null);
        return last != null && Files.isDirectory(Path.of(last)) ? new File(last) : null;
    }

    /** Remembers where a chooser for {@code kind} ended: the folder chosen, or the folder of the file chosen. */
    public void used(Folder kind, File chosen) {
        if (chosen == null) {
            return;
        }
        File folder = chosen.isDirectory() ? chosen : chosen.getAbsoluteFile().getParentFile();
        if (folder != null) {
            prefs.put("folder." + kind.name().toLowerCase(Locale.ROOT), folder.getAbsolutePath());
        }
    }

    /** Remembers the folder that holds {@code folder}: the next chooser for {@code kind} shows it among its siblings. */
    public void usedBeside(Folder kind, File folder) {
        File parent = folder == null ? null : folder.getAbsoluteFile().getParentFile();
        used(kind, parent != null ? parent : folder);
    }

    private static boolean isProject(Path dir) {
        return Files.isRegularFile(dir.resolve("project.json"));
    }
}
