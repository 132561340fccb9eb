package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
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

    @Test
    void theShortcutReportEmbedsTheDatasetAndWritesTheFiguresForBothPrototypes() throws IOException {
        Path data = dir.resolve("patches");
        assertEquals(0, CommandLineTest.run("make-shortcut-dataset", "--classes", "3", "--shortcut", "background-colour",
                "--core-predictivity", "0.9", "--shortcut-predictivity", "0.9", "--shortcut-size", "16", "--images-per-class", "20",
                "--out", data.toString()).code());
        Path report = dir.resolve("report.json");
        CommandLineTest.Run r = CommandLineTest.run("shortcut-report", "--backbone", TestResources.torchscript("tiny.pt").toString(),
                "--dataset", data.toString(), "--novel-classes", "triangle", "--shots", "3", "--out", report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| all | alpha = 0 |") && r.out().contains("| new classes | TEEN alpha = 0.50 |"), r.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(10 + 10 + 17, json.get("evaluated_images").asInt(), "halves of the base classes and the new class's non-shots");
        double reliance = json.get("alpha0").get("reliance").asDouble();
        double optimal = json.get("alpha0").get("optimal_reliance").asDouble();
        assertEquals(reliance - optimal, json.get("alpha0").get("bias").asDouble(), 1e-9);
        assertTrue(reliance >= -1 && reliance <= 1);
        assertEquals(json.get("alpha0").get("conflicts").asInt() + json.get("alpha0").get("aligned").asInt(), 37);

        CommandLineTest.Run bad = CommandLineTest.run("shortcut-report", "--backbone", TestResources.torchscript("tiny.pt").toString(),
                "--dataset", data.toString(), "--novel-classes", "hexagon", "--out", dir.resolve("r2.json").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("\"hexagon\" is not a class of the dataset"), bad.err());
    }
}
