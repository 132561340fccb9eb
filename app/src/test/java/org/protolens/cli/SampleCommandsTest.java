package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.project.ProjectManifest;

/** train-backbone and make-sample on a tiny folder dataset, as the sample projects are made. */
class SampleCommandsTest {
    @TempDir
    Path dir;

    private static final int[][] COLOURS = {{220, 40, 40}, {40, 200, 40}, {40, 40, 220}, {210, 200, 40}};
    private static final String[] NAMES = {"red", "green", "blue", "yellow"};

    /** ROOT/train/CLASS and ROOT/test/CLASS with noisy PNGs of one colour per class. */
    private Path tinyDataset() throws IOException {
        Path root = dir.resolve("colours");
        Random rnd = new Random(5);
        for (String split : new String[] {"train", "test"}) {
            for (int c = 0; c < 4; c++) {
                Path classDir = Files.createDirectories(root.resolve(split).resolve(NAMES[c]));
                for (int i = 0; i < (split.equals("train") ? 24 : 8); i++) {
                    BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            int r = clamp(COLOURS[c][0] + rnd.nextInt(60) - 30);
                            int g = clamp(COLOURS[c][1] + rnd.nextInt(60) - 30);
                            int b = clamp(COLOURS[c][2] + rnd.nextInt(60) - 30);
                            img.setRGB(x, y, r << 16 | g << 8 | b);
                        }
                    }
                    ImageIO.write(img, "png", classDir.resolve(String.format("%04d.png", i)).toFile());
                }
            }
        }
        return root;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    @Test
    void trainBackboneThenMakeSampleGiveAProjectThatOpens() throws IOException {
        Path data = tinyDataset();
        Path backbone = dir.resolve("backbone");
        var train = CommandLineTest.run("train-backbone", "--arch", "smallcnn", "--data", data.toString(), "--base-classes",
                "red", "green", "--epochs", "2", "--batch-size", "8", "--out", backbone.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.err().contains("epoch 2/2 done"), train.err());
        assertTrue(train.err().contains("time left"), train.err());
        BackboneSpec spec = BackboneSpec.read(backbone.resolve(BackboneSpec.FILE_NAME));
        assertEquals("smallcnn", spec.architecture());
        assertEquals(List.of("red", "green"), spec.classNames());
        JsonNode p = spec.provenance();
        assertEquals(2, p.get("epochs").asInt());
        assertEquals(48, p.get("data").get("trainingImages").asInt());
        assertEquals(16, p.get("data").get("heldOutImages").asInt());
        assertTrue(p.get("data").get("fingerprint").asText().startsWith("sha256:"));
        assertTrue(p.get("heldOutBaseAccuracy").asDouble() >= 0);
        assertTrue(p.has("trainingSeconds") && p.has("device") && p.has("seed"));
        assertTrue(Files.notExists(Path.of(backbone + ".checkpoint")), "the checkpoint goes once the backbone is written");

        Path sample = dir.resolve("sample");
        Files.createDirectories(sample);
        Files.writeString(sample.resolve("README.md"), "# Colours\n\n<!-- fscil:start -->\nold\n<!-- fscil:end -->\nend\n");
        var make = CommandLineTest.run("make-sample", "--backbone", backbone.toString(), "--data", data.toString(),
                "--base-classes", "red", "green", "--novel-classes", "blue", "yellow", "--ways", "1", "--shots", "2",
                "--draws", "3", "--map-images", "4", "--name", "Colours", "--out", sample.toString());
        assertEquals(0, make.code(), make.err());
        ProjectManifest m = ProjectManifest.read(sample);
        assertEquals("Colours", m.name());
        assertEquals(2, m.baseClasses().size());
        assertEquals(24, m.classes().getFirst().trainingImages());
        assertEquals(2, m.classes().get(3).session(), "yellow comes in session 2");
        assertEquals(4 * 4 + 2 * 2, m.images().size(), "4 held-out images per class and 2 shots per novel class");
        assertEquals(4, m.images().stream().filter(ProjectManifest.ImageEntry::shot).count());
        FloatMatrix protos = m.basePrototypes(sample);
        assertEquals(2, protos.rows());
        assertEquals(64, protos.cols());
        assertEquals(m.images().size(), m.embeddings(sample).rows());

        JsonNode report = new ObjectMapper().readTree(sample.resolve("fscil.json").toFile());
        assertEquals(3, report.get("draws").asInt());
        assertEquals(3, report.get("results").size(), "base session and two sessions");
        String readme = Files.readString(sample.resolve("README.md"));
        assertTrue(readme.contains("| session | classes |") && !readme.contains("old") && readme.endsWith("<!-- fscil:end -->\nend\n"),
                readme);

        // the same command again gives the same draws and the same tables
        var again = CommandLineTest.run("make-sample", "--backbone", backbone.toString(), "--data", data.toString(),
                "--base-classes", "red", "green", "--novel-classes", "blue", "yellow", "--ways", "1", "--shots", "2",
                "--draws", "3", "--map-images", "4", "--name", "Colours", "--out", sample.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(make.out(), again.out());
    }

    @Test
    void trainBackboneRefusesUnknownClassesAndArchitectures() throws IOException {
        Path data = tinyDataset();
        var arch = CommandLineTest.run("train-backbone", "--arch", "vgg", "--data", data.toString(), "--base-classes", "red",
                "--epochs", "1", "--out", dir.resolve("b").toString());
        assertEquals(2, arch.code());
        var cls = CommandLineTest.run("train-backbone", "--arch", "smallcnn", "--data", data.toString(), "--base-classes",
                "red", "purple", "--epochs", "1", "--out", dir.resolve("b").toString());
        assertEquals(1, cls.code());
        assertTrue(cls.err().contains(data.toString()) && cls.err().contains("no class 'purple'"), cls.err());
        var missing = CommandLineTest.run("train-backbone", "--arch", "smallcnn", "--data", dir.resolve("nothing").toString(),
                "--base-classes", "red", "--epochs", "1", "--out", dir.resolve("b").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nothing: not a folder"), missing.err());
    }
}
