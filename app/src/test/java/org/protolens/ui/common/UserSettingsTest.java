package org.protolens.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of file chooser starts where the last of its kind ended, or in the home folder; never in a folder that is gone. */
class UserSettingsTest {
    private final Preferences prefs = Preferences.userRoot().node("org/protolens/test/" + System.nanoTime());
    private final UserSettings settings = new UserSettings(prefs);

    @TempDir
    Path dir;

    @AfterEach
    void forget() throws BackingStoreException {
        prefs.removeNode();
    }

    @Test
    void choosersStartWhereTheLastOfTheirKindEnded() throws IOException {
        assertEquals(new File(System.getProperty("user.home")), settings.startIn(UserSettings.Folder.IMPORT), "at first: home");
        assertNull(settings.lastUsed(UserSettings.Folder.IMPORT));
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path picked = Files.createFile(photos.resolve("cat.jpg"));
        settings.used(UserSettings.Folder.IMPORT, picked.toFile());
        assertEquals(photos.toFile(), settings.startIn(UserSettings.Folder.IMPORT), "a file chosen: its folder");
        assertEquals(new File(System.getProperty("user.home")), settings.startIn(UserSettings.Folder.EXPORT),
                "the other kinds keep their own place");
        Path project = Files.createDirectories(dir.resolve("projects/birds"));
        settings.usedBeside(UserSettings.Folder.PROJECT, project.toFile());
        assertEquals(project.getParent().toFile(), settings.startIn(UserSettings.Folder.PROJECT),
                "a project folder chosen: the folder that holds it, among its siblings");
        Files.delete(picked);
        Files.delete(photos);
        assertEquals(new File(System.getProperty("user.home")), settings.startIn(UserSettings.Folder.IMPORT),
                "a folder that is gone: home again");
    }
}
