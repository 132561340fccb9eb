package org.protolens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

/**
 * The packaged application, started as a user starts it: the jar's manifest class path, the
 * bundled libtorch and DJL offline, from embedding image files to an FSCIL report.
 */
class JarCommandLineTest {
    @TempDir
    Path dir;

    @Test
    void embedsImagesThenEvaluatesFscilFromTheJar() throws Exception {
        Fixtures.Result version = Fixtures.protolens(dir, "--version");
        assertEquals(0, version.code(), version.err());
        assertTrue(version.out().startsWith("ProtoLens"), version.out());

        Fixtures.Result embed = Fixtures.protolens(dir, "embed", "--backbone", Fixtures.torchscript("tiny.pt").toString(),
                "--images", Fixtures.torchscript("images").toString(), "--out", dir.resolve("emb").toString(), "--no-cache");
        assertEquals(0, embed.code(), embed.err());
        assertTrue(embed.err().contains("on CPU") || embed.err().contains("on GPU"), embed.err());
        assertTrue(embed.err().contains("skipped") && embed.err().contains("truncated.jpg"), embed.err());
        FloatMatrix emb = NpyFile.readMatrix(dir.resolve("emb.npy"));
        List<String> paths = Files.readAllLines(dir.resolve("emb.paths.txt"));
        assertEquals(12, emb.rows());
        assertEquals(paths.size(), emb.rows());

        // 12 images: 4 "classes" of 3 (by file order); 2 base classes, then one session of 2 ways x 1 shot
        int[] labels = new int[12];
        for (int i = 0; i < 12; i++) {
            labels[i] = i / 3;
        }
        NpyFile.writeLabels(dir.resolve("y.npy"), labels);
        Fixtures.Result fscil = Fixtures.protolens(dir, "fscil", "--train-x", "emb.npy", "--train-y", "y.npy",
                "--test-x", "emb.npy", "--test-y", "y.npy", "--base-classes", "2", "--ways", "2", "--shots", "1",
                "--sessions", "2", "--out", "report.json");
        assertEquals(0, fscil.code(), fscil.err());
        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(2, report.size());
        assertEquals(4, report.get(1).get("classes").asInt());
        assertTrue(fscil.out().contains("performance drop"), fscil.out());

        Fixtures.Result bad = Fixtures.protolens(dir, "fscil", "--train-x", "y.npy", "--train-y", "y.npy",
                "--test-x", "emb.npy", "--test-y", "y.npy", "--base-classes", "2", "--ways", "2", "--shots", "1",
                "--sessions", "2", "--out", "report.json");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("y.npy") && bad.err().contains("float32 or float64"), bad.err());
        assertEquals(2, Fixtures.protolens(dir, "fscil", "--ways", "x").code());
    }
}
