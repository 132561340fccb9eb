package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.shortcut.ShortcutDataset;

class MakeShortcutDatasetCommandTest {
    @TempDir
    Path dir;

    @Test
    void drawsTheDatasetAndSaysWhatItDrew() throws IOException {
        Path out = dir.resolve("shapes");
        CommandLineTest.Run r = CommandLineTest.run("make-shortcut-dataset", "--classes", "3", "--core", "shape", "--shortcut",
                "background-colour", "--core-predictivity", "0.95", "--shortcut-predictivity", "0.8", "--core-size", "12",
                "--shortcut-size", "4", "--images-per-class", "10", "--seed", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("30 images in " + out), r.out());
        assertEquals(30, ShortcutDataset.readManifest(out).size());
        try (var pngs = Files.list(out.resolve("triangle"))) {
            assertEquals(10, pngs.count());
        }
    }

    @Test
    void aValueOutsideItsRangeIsAUsageErrorThatNamesIt() {
        CommandLineTest.Run r = CommandLineTest.run("make-shortcut-dataset", "--classes", "3", "--shortcut", "patch",
                "--core-predictivity", "1.2", "--shortcut-predictivity", "0.8", "--images-per-class", "10", "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("core predictivity must be in [0, 1], not 1.2"), r.err());
        r = CommandLineTest.run("make-shortcut-dataset", "--classes", "3", "--shortcut", "watermark", "--core-predictivity", "1",
                "--shortcut-predictivity", "0.8", "--images-per-class", "10", "--out", dir.resolve("y").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown shortcut \"watermark\""), r.err());
        assertTrue(!Files.exists(dir.resolve("x")) && !Files.exists(dir.resolve("y")), "nothing is written");
    }
}
