package org.protolens.ui.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** What the window remembers between runs: the theme, the last and recent projects, where new projects go. */
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

    private static boolean isProject(Path dir) {
        return Files.isRegularFile(dir.resolve("project.json"));
    }
}
