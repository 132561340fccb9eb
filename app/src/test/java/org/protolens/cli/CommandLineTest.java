package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.fscil.FscilTuning;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.map.MapLayout;
import org.protolens.core.proto.TeenCalibration;

class CommandLineTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ProtoLensCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void calibrateWritesTeenPrototypes() throws IOException {
        Path base = TestResources.torchscript("reference/teen-base.npy");
        Path novel = TestResources.torchscript("reference/teen-novel.npy");
        Path out = dir.resolve("cal.npy");
        Run r = run("calibrate", "--base", base.toString(), "--novel", novel.toString(), "--alpha", "0.5", "--tau", "16",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/teen-calibrated.npy"));
        assertArrayEquals(expected.data(), NpyFile.readMatrix(out).data(), 1e-6f);
    }

    @Test
    void usageErrorsExitWithTwoAndFailuresWithOne() throws IOException {
        Path base = TestResources.torchscript("reference/teen-base.npy");
        Run alpha = run("calibrate", "--base", base.toString(), "--novel", base.toString(), "--alpha", "2", "--out", "x.npy");
        assertEquals(2, alpha.code());
        assertTrue(alpha.err().contains("--alpha must lie in [0, 1]"), alpha.err());
        assertEquals(2, run("calibrate", "--base", base.toString()).code());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run().code());
        // values outside an option's range are refused, never clamped or used
        Run threads = run("embed", "--backbone", dir.toString(), "--images", dir.toString(), "--out", dir.resolve("e").toString(),
                "--decode-threads", "0");
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--decode-threads must be at least 1"), threads.err());
        String[][] outOfRange = {{"--momentum", "1.5"}, {"--momentum", "-0.1"}, {"--weight-decay", "-1"}, {"--lr", "Infinity"}};
        for (String[] bad : outOfRange) {
            Run t = run("train-backbone", "--data", dir.toString(), "--arch", "smallcnn", "--base-classes", "a", "--epochs", "1",
                    "--out", dir.resolve("b").toString(), bad[0], bad[1]);
            assertEquals(2, t.code(), String.join(" ", bad) + ": " + t.err());
        }

        Path missing = dir.resolve("missing.npy");
        Run m = run("calibrate", "--base", missing.toString(), "--novel", base.toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(1, m.code());
        assertTrue(m.err().contains(missing.toString()) && m.err().contains("no such file"), m.err());

        Path labels = dir.resolve("labels.npy");
        NpyFile.writeLabels(labels, new int[] {1, 2});
        Run dtype = run("calibrate", "--base", base.toString(), "--novel", labels.toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(1, dtype.code());
        assertTrue(dtype.err().contains(labels.toString()) && dtype.err().contains("expected float32 or float64"), dtype.err());

        Path narrow = dir.resolve("narrow.npy");
        NpyFile.writeMatrix(narrow, FloatMatrix.ofRows(new float[] {1, 2, 3}));
        Run dims = run("calibrate", "--base", base.toString(), "--novel", narrow.toString(), "--out", dir.resolve("o.npy").toString());
        assertEquals(1, dims.code());
        assertTrue(dims.err().contains("3 dimensions") && dims.err().contains("10"), dims.err());
    }

    @Test
    void helpAndVersionOnEveryCommand() {
        for (String cmd : List.of("embed", "calibrate", "fscil", "episodes")) {
            Run help = run(cmd, "--help");
            assertEquals(0, help.code());
            assertTrue(help.out().contains("Usage: protolens " + cmd), help.out());
            Run version = run(cmd, "--version");
            assertEquals(0, version.code());
            assertTrue(version.out().startsWith("ProtoLens "), version.out());
        }
        assertTrue(run("--version").out().contains("DJL 0.36.0"));
    }

    @Test
    void fscilReportMatchesTheEngineAndPrintsATable() throws IOException {
        Random rnd = new Random(3);
        int d = 8;
        int classes = 6;
        float[][] centers = new float[classes][d];
        for (float[] c : centers) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        FloatMatrix trainX = samples(rnd, centers, 20);
        int[] trainY = labels(classes, 20);
        FloatMatrix testX = samples(rnd, centers, 10);
        int[] testY = labels(classes, 10);
        NpyFile.writeMatrix(dir.resolve("trx.npy"), trainX);
        NpyFile.writeLabels(dir.resolve("try.npy"), trainY);
        NpyFile.writeMatrix(dir.resolve("tex.npy"), testX);
        NpyFile.writeLabels(dir.resolve("tey.npy"), testY);
        Path report = dir.resolve("report.json");
        Run r = run("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--train-y", dir.resolve("try.npy").toString(),
                "--test-x", dir.resolve("tex.npy").toString(), "--test-y", dir.resolve("tey.npy").toString(),
                "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3", "--alpha", "0.3", "--tau", "8",
                "--out", report.toString());
        assertEquals(0, r.code(), r.err());
        var expected = FscilEvaluation.run(trainX, trainY, testX, testY, new FscilProtocol(2, 2, 5, 3),
                new TeenCalibration(0.3, 8), null);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.isArray());
        assertEquals(3, json.size());
        for (int s = 0; s < 3; s++) {
            JsonNode o = json.get(s);
            var e = expected.calibrated().get(s);
            assertEquals(s, o.get("session").asInt());
            assertEquals(2 + 2 * s, o.get("classes").asInt());
            assertEquals(e.acc(), o.get("acc").asDouble(), 1e-12);
            assertEquals(e.accBase(), o.get("acc_base").asDouble(), 1e-12);
            if (s == 0) {
                assertTrue(o.get("acc_novel").isNull() && o.get("hm").isNull() && o.get("novel_to_base").isNull());
            } else {
                assertEquals(e.accNovel(), o.get("acc_novel").asDouble(), 1e-12);
                assertEquals(e.hm(), o.get("hm").asDouble(), 1e-12);
                assertEquals(e.novelToBase(), o.get("novel_to_base").asDouble(), 1e-12);
                double acc = o.get("acc").asDouble();
                assertTrue(acc >= 0 && acc <= 1);
            }
            assertEquals(expected.baseline().get(s).acc(), o.get("baseline").get("acc").asDouble(), 1e-12);
            assertEquals(2 + 2 * s, o.get("confusion").size());
        }
        assertTrue(r.out().contains("session") && r.out().contains("novel->base") && r.out().contains("performance drop"), r.out());

        Path split = dir.resolve("split.json");
        Files.writeString(split, "{\"2\": [40, 41], \"3\": [60]}");
        Run withSplit = run("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--train-y", dir.resolve("try.npy").toString(),
                "--test-x", dir.resolve("tex.npy").toString(), "--test-y", dir.resolve("tey.npy").toString(),
                "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3", "--split", split.toString(),
                "--out", report.toString());
        assertEquals(0, withSplit.code(), withSplit.err());
        Files.writeString(split, "{\"2\": [0]}");
        Run wrong = run("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--train-y", dir.resolve("try.npy").toString(),
                "--test-x", dir.resolve("tex.npy").toString(), "--test-y", dir.resolve("tey.npy").toString(),
                "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3", "--split", split.toString(),
                "--out", report.toString());
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains(split.toString()) && wrong.err().contains("labelled 0"), wrong.err());

        // --heads: NCM and TEEN as the draws' own tables give them, beside soft k-means from either
        Path headsReport = dir.resolve("heads.json");
        Run compared = run("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--train-y", dir.resolve("try.npy").toString(),
                "--test-x", dir.resolve("tex.npy").toString(), "--test-y", dir.resolve("tey.npy").toString(),
                "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3", "--draws", "3", "--heads",
                "--out", headsReport.toString());
        assertEquals(0, compared.code(), compared.err());
        JsonNode h = new ObjectMapper().readTree(headsReport.toFile());
        JsonNode lastSession = h.get("results").get(2);
        assertEquals(lastSession.get("baseline").get("class_mean").get("hm").get("mean").asDouble(),
                h.get("heads").get("ncm").get("class_mean_hm").get("mean").asDouble(), 1e-12, "NCM is the alpha = 0 baseline");
        assertEquals(lastSession.get("class_mean").get("hm").get("mean").asDouble(),
                h.get("heads").get("teen").get("class_mean_hm").get("mean").asDouble(), 1e-12, "TEEN is the report's calibration");
        assertTrue(h.get("heads").has("soft_kmeans_ncm") && h.get("heads").has("soft_kmeans_teen") && h.get("heads").has("tim_teen"));
        assertTrue(compared.out().contains("| soft k-means from NCM |"), compared.out());
        assertEquals(2, run("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--train-y", dir.resolve("try.npy").toString(),
                "--test-x", dir.resolve("tex.npy").toString(), "--test-y", dir.resolve("tey.npy").toString(),
                "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3", "--heads",
                "--out", headsReport.toString()).code(), "--heads needs --draws");

        // --tune: alpha and tau chosen on the training data, the report made with them
        Path tuned = dir.resolve("tuned.json");
        Run tune = run("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--train-y", dir.resolve("try.npy").toString(),
                "--test-x", dir.resolve("tex.npy").toString(), "--test-y", dir.resolve("tey.npy").toString(),
                "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3", "--tune", "--out", tuned.toString());
        assertEquals(0, tune.code(), tune.err());
        FscilProtocol protocol = new FscilProtocol(2, 2, 5, 3);
        TeenCalibration best = FscilTuning.tune(trainX, trainY, protocol, null, null).best();
        JsonNode t = new ObjectMapper().readTree(tuned.toFile());
        assertEquals(best.alpha(), t.get(2).get("alpha").asDouble(), 1e-12);
        assertEquals(best.tau(), t.get(2).get("tau").asDouble(), 1e-12);
        assertEquals(FscilEvaluation.run(trainX, trainY, testX, testY, protocol, best, null).calibrated().get(2).acc(),
                t.get(2).get("acc").asDouble(), 1e-12);
        assertTrue(tune.out().contains("Leave-one-shot-out on the training data (20 shots, 40 base images)") && tune.out().contains(
                "tuned: alpha"), tune.out());
    }

    /**
     * The field's fixed split lists: session_1.txt names the base session's training images by
     * path (as miniImageNet's and CUB-200's lists do, relative to another root than the paths the
     * embeddings were made from), session_2.txt by path, session_3.txt by row index (as
     * CIFAR-100's do). The report is the engine's run on exactly those rows; a line naming an
     * image of another session's class is refused with the file and line.
     */
    @Test
    void episodesReportEveryHeadWithItsIntervalAndRefuseTooFewClasses() throws IOException {
        Random rnd = new Random(4);
        float[][] centers = new float[6][8];
        for (float[] c : centers) {
            for (int j = 0; j < c.length; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        NpyFile.writeMatrix(dir.resolve("x.npy"), samples(rnd, centers, 12));
        NpyFile.writeLabels(dir.resolve("y.npy"), labels(6, 12));
        NpyFile.writeMatrix(dir.resolve("base.npy"), samples(rnd, Arrays.copyOf(centers, 2), 1));
        Path report = dir.resolve("episodes.json");
        Run r = run("episodes", "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
                "--base", dir.resolve("base.npy").toString(), "--classes", "2,3,4,5", "--ways", "3", "--shots", "2",
                "--queries", "5", "--episodes", "30", "--out", report.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3-way 2-shot, 5 queries per class, 30 episodes (seed 1) drawn from 4 classes"), r.out());
        assertTrue(r.out().contains("| TIM from TEEN | "), r.out());
        JsonNode j = new ObjectMapper().readTree(report.toFile());
        assertEquals(5, j.get("heads").size(), "NCM, TEEN, soft k-means from either, TIM");
        JsonNode ncm = j.get("heads").get("ncm");
        assertEquals(30, ncm.get("per_episode").size());
        assertEquals(1.96 * ncm.get("std").asDouble() / Math.sqrt(30), ncm.get("ci95").asDouble(), 1e-12);

        Run tooFew = run("episodes", "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
                "--ways", "3", "--shots", "5", "--queries", "10", "--out", report.toString());
        assertEquals(1, tooFew.code());
        assertTrue(tooFew.err().contains("y.npy: 3-way episodes need 3 classes with at least 15 images"), tooFew.err());
        assertEquals(2, run("episodes", "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
                "--ways", "1", "--out", report.toString()).code(), "one way is no episode");
    }

    @Test
    void fscilReadsTheFieldsFixedSplitListsByPathOrRowIndex() throws IOException {
        Random rnd = new Random(5);
        int d = 8;
        int classes = 6;
        float[][] centers = new float[classes][d];
        for (float[] c : centers) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        FloatMatrix trainX = samples(rnd, centers, 20);
        int[] trainY = labels(classes, 20);
        FloatMatrix testX = samples(rnd, centers, 10);
        int[] testY = labels(classes, 10);
        NpyFile.writeMatrix(dir.resolve("trx.npy"), trainX);
        NpyFile.writeLabels(dir.resolve("try.npy"), trainY);
        NpyFile.writeMatrix(dir.resolve("tex.npy"), testX);
        NpyFile.writeLabels(dir.resolve("tey.npy"), testY);
        List<String> paths = new ArrayList<>();
        for (int r = 0; r < trainY.length; r++) {
            // every class folder holds files of the same names: the class folder tells them apart
            paths.add("/data/mini/train/n0" + trainY[r] + "/img" + (r % 20) + ".jpg");
        }
        Files.write(dir.resolve("train.paths.txt"), paths);
        Path lists = Files.createDirectories(dir.resolve("index_list/mini"));
        int[] baseRows = {0, 1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 23, 24, 25};
        List<String> session1 = new ArrayList<>();
        for (int r : baseRows) {
            session1.add("MINI-ImageNet/train/n0" + trainY[r] + "/img" + (r % 20) + ".jpg");
        }
        Files.write(lists.resolve("session_1.txt"), session1);
        int[] shots2 = {45, 47, 49, 51, 53, 60, 61, 62, 63, 64};
        List<String> session2 = new ArrayList<>();
        for (int r : shots2) {
            session2.add("MINI-ImageNet/train/n0" + trainY[r] + "/img" + (r % 20) + ".jpg");
        }
        Files.write(lists.resolve("session_2.txt"), session2);
        Files.writeString(lists.resolve("session_3.txt"), "80\n81\n82\n83\n84\n\n100\n101\n102\n103\n104\n");
        Path report = dir.resolve("fixed.json");
        List<String> args = new ArrayList<>(List.of("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--train-y",
                dir.resolve("try.npy").toString(), "--test-x", dir.resolve("tex.npy").toString(), "--test-y",
                dir.resolve("tey.npy").toString(), "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3",
                "--split", lists.toString(), "--train-paths", dir.resolve("train.paths.txt").toString(), "--out", report.toString()));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        Map<Integer, int[]> shots = Map.of(2, new int[] {45, 47, 49, 51, 53}, 3, new int[] {60, 61, 62, 63, 64},
                4, new int[] {80, 81, 82, 83, 84}, 5, new int[] {100, 101, 102, 103, 104});
        var expected = FscilEvaluation.run(trainX, trainY, testX, testY, new FscilProtocol(2, 2, 5, 3), TeenCalibration.defaults(),
                shots, baseRows);
        var everyBaseRow = FscilEvaluation.run(trainX, trainY, testX, testY, new FscilProtocol(2, 2, 5, 3),
                TeenCalibration.defaults(), shots, null);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        for (int s = 0; s < 3; s++) {
            assertEquals(expected.calibrated().get(s).acc(), json.get(s).get("acc").asDouble(), 1e-12);
            assertEquals(expected.baseline().get(s).acc(), json.get(s).get("baseline").get("acc").asDouble(), 1e-12);
        }
        double apart = 0;
        for (int s = 0; s < 3; s++) {
            apart += Math.abs(json.get(s).get("baseline").get("acc").asDouble() - everyBaseRow.baseline().get(s).acc())
                    + Math.abs(json.get(s).get("acc").asDouble() - everyBaseRow.calibrated().get(s).acc());
        }
        assertTrue(apart > 0, "the base prototypes are made of session_1's images, not of every base training image");

        // without label files: the lists name the classes by their folders, base classes first
        Path named = Files.createDirectories(dir.resolve("index_list/named"));
        Files.copy(lists.resolve("session_1.txt"), named.resolve("session_1.txt"));
        Files.copy(lists.resolve("session_2.txt"), named.resolve("session_2.txt"));
        List<String> session3 = new ArrayList<>();
        for (int row : new int[] {80, 81, 82, 83, 84, 100, 101, 102, 103, 104}) {
            session3.add("MINI-ImageNet/train/n0" + trainY[row] + "/img" + (row % 20) + ".jpg");
        }
        Files.write(named.resolve("session_3.txt"), session3);
        List<String> testPaths = new ArrayList<>();
        for (int row = 0; row < testY.length; row++) {
            testPaths.add("/data/mini/test/n0" + testY[row] + "/t" + row + ".jpg");
        }
        Files.write(dir.resolve("test.paths.txt"), testPaths);
        Path byFolders = dir.resolve("folders.json");
        Run folders = run("fscil", "--train-x", dir.resolve("trx.npy").toString(), "--test-x", dir.resolve("tex.npy").toString(),
                "--base-classes", "2", "--ways", "2", "--shots", "5", "--sessions", "3", "--split", named.toString(),
                "--train-paths", dir.resolve("train.paths.txt").toString(), "--test-paths", dir.resolve("test.paths.txt").toString(),
                "--out", byFolders.toString());
        assertEquals(0, folders.code(), folders.err());
        JsonNode fromFolders = new ObjectMapper().readTree(byFolders.toFile());
        for (int s = 0; s < 3; s++) {
            assertEquals(expected.calibrated().get(s).acc(), fromFolders.get(s).get("acc").asDouble(), 1e-12,
                    "the classes from the folders are numbered as the label files number them");
        }

        Files.writeString(lists.resolve("session_3.txt"), "80\n81\n45\n");
        Run wrong = run(args.toArray(String[]::new));
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("session_3.txt:3") && wrong.err().contains("class 2"), wrong.err());
        Files.writeString(lists.resolve("session_3.txt"), "MINI-ImageNet/train/n09/img1.jpg\n");
        Run missing = run(args.toArray(String[]::new));
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("session_3.txt:1") && missing.err().contains("n09/img1.jpg"), missing.err());
    }

    /** map writes one point per row, the window's own layout, the same for the same seed; a bad method is a usage error. */
    @Test
    void mapLaysEmbeddingsOutAsTheWindowDoesAndTheSameForTheSameSeed() throws IOException {
        Random rnd = new Random(9);
        float[][] centers = new float[4][12];
        for (float[] c : centers) {
            for (int j = 0; j < c.length; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        FloatMatrix x = samples(rnd, centers, 30);
        NpyFile.writeMatrix(dir.resolve("x.npy"), x);
        for (String method : List.of("pca", "tsne", "umap")) {
            Path a = dir.resolve(method + "-a.npy");
            Path b = dir.resolve(method + "-b.npy");
            Run r = run("map", "--method", method, "--embeddings", dir.resolve("x.npy").toString(), "--seed", "7", "--out", a.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(0, run("map", "--method", method, "--embeddings", dir.resolve("x.npy").toString(), "--seed", "7", "--out",
                    b.toString()).code());
            FloatMatrix xy = NpyFile.readMatrix(a);
            assertEquals(120, xy.rows(), "one point per row");
            assertEquals(2, xy.cols());
            assertTrue(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), method + ": the same seed, the same map");
            MapLayout.Method m = switch (method) {
                case "pca" -> MapLayout.Method.PCA;
                case "tsne" -> MapLayout.Method.TSNE;
                default -> MapLayout.Method.UMAP;
            };
            assertArrayEquals(MapLayout.compute(x, m, 7, MapLayout.defaultLandmarks(m), (w, d) -> { }, () -> false).xy(), xy.data(),
                    "the window's layout");
        }
        Run bad = run("map", "--method", "mds", "--embeddings", dir.resolve("x.npy").toString(), "--out", dir.resolve("z.npy").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("pca, tsne or umap"), bad.err());
    }

    @Test
    void embedWritesEmbeddingsAndPathsAndListsSkippedFiles() throws IOException {
        Path out = dir.resolve("emb");
        Run r = run("embed", "--backbone", TestResources.torchscript("tiny.pt").toString(), "--images",
                TestResources.torchscript("images").toString(), "--out", out.toString(), "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.code(), r.err());
        FloatMatrix emb = NpyFile.readMatrix(dir.resolve("emb.npy"));
        List<String> paths = Files.readAllLines(dir.resolve("emb.paths.txt"));
        assertEquals(12, emb.rows());
        assertEquals(16, emb.cols());
        assertEquals(12, paths.size());
        assertTrue(paths.getFirst().endsWith("alpha.png"), paths.getFirst());
        assertTrue(r.err().contains("skipped") && r.err().contains("not-an-image.jpg") && r.err().contains("truncated.jpg"), r.err());
        assertTrue(r.err().contains("embedded 14/14"), r.err());
        // the backbone that made them is named beside them, so another backbone's embeddings are never mixed in
        JsonNode about = new ObjectMapper().readTree(dir.resolve("emb.json").toFile());
        try (var tiny = BackboneLoader.torchScript(TestResources.torchscript("tiny.pt"), null)) {
            assertEquals(tiny.fingerprint(), about.get("fingerprint").asText());
        }
        assertEquals(16, about.get("dim").asInt());
        assertEquals(12, about.get("rows").asInt());

        Run none = run("embed", "--backbone", TestResources.torchscript("tiny.pt").toString(), "--images",
                TestResources.torchscript("images/not-an-image.jpg").toString(), "--out", out.toString(), "--no-cache");
        assertEquals(1, none.code());
        assertTrue(none.err().contains("none of the 1 files"), none.err());
    }

    @Test
    void thePathsFileStaysAlignedWithItsRowsForAnyFileName() throws IOException {
        // file names a Linux file system allows: a line break, a carriage return, a leading quote, a backslash
        Path images = Files.createDirectories(dir.resolve("odd"));
        List<String> names = List.of("a\nb.png", "\"quoted\".png", "back\\slash.png", "cr\rx.png", "plain.png");
        Path source = TestResources.torchscript("images/alpha.png");
        for (String n : names) {
            Files.copy(source, images.resolve(n));
        }
        Path out = dir.resolve("odd-emb");
        Run r = run("embed", "--backbone", TestResources.torchscript("tiny.pt").toString(), "--images", images.toString(),
                "--out", out.toString(), "--no-cache");
        assertEquals(0, r.code(), r.err());
        FloatMatrix emb = NpyFile.readMatrix(dir.resolve("odd-emb.npy"));
        String text = Files.readString(dir.resolve("odd-emb.paths.txt"));
        assertEquals(emb.rows(), text.split("\n", -1).length - 1, "one line per row: " + text);
        List<String> read = PathLines.read(dir.resolve("odd-emb.paths.txt"));
        assertEquals(names.stream().map(n -> images.resolve(n).toString()).sorted().toList(), read.stream().sorted().toList());
    }

    private static FloatMatrix samples(Random rnd, float[][] centers, int per) {
        int d = centers[0].length;
        float[] x = new float[centers.length * per * d];
        for (int c = 0; c < centers.length; c++) {
            for (int i = 0; i < per; i++) {
                for (int j = 0; j < d; j++) {
                    x[((c * per) + i) * d + j] = centers[c][j] + 0.9f * (float) rnd.nextGaussian();
                }
            }
        }
        return new FloatMatrix(centers.length * per, d, x);
    }

    private static int[] labels(int classes, int per) {
        int[] y = new int[classes * per];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / per;
        }
        return y;
    }

    @Test
    void compareBackbonesPrintsEachBackboneOnTheProjectsImagesAndSaysWhatIsWrong(@TempDir Path temp) throws Exception {
        Path project = TestResources.sampleCopy("fashion-fewshot", temp.resolve("fashion"));
        Path other = TestResources.samples().resolve("omniglot-manyclass").resolve("backbone");
        Path json = temp.resolve("report.json");
        Run r = run("compare-backbones", "--project", project.toString(), "--backbone", other.toString(), "--out", json.toString());
        assertEquals(0, r.code(), r.err());
        // the first table: a row per backbone; then the per-session and per-new-class tables, a column per backbone
        List<String> rows = r.out().lines().takeWhile(l -> !l.startsWith("Per session"))
                .filter(l -> l.startsWith("| ") && !l.startsWith("| backbone | dim")).toList();
        assertEquals(2, rows.size(), r.out());
        assertTrue(r.out().contains("| session | backbone (the project's) | " + other + " |"), r.out());
        assertEquals(3, r.out().lines().filter(l -> l.matches("\\| [0-9]+ \\|.*")).count(), "a row per session: " + r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| Ankle boot |")), r.out());
        assertTrue(rows.get(0).startsWith("| backbone (the project's) | 64 |"), rows.get(0));
        assertTrue(rows.get(1).startsWith("| " + other + " | 64 |"), rows.get(1));
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        JsonNode own = report.get("backbones").get(0), omniglot = report.get("backbones").get(1);
        assertEquals(own.get("measured_images").asInt(), omniglot.get("measured_images").asInt(), "the same images measured");
        assertTrue(own.get("teen").at("/class_mean/hm").asDouble() > omniglot.get("teen").at("/class_mean/hm").asDouble(),
                "the backbone trained on clothes separates clothes better than the one trained on characters: " + r.out());

        Run notProject = run("compare-backbones", "--project", temp.toString(), "--backbone", other.toString());
        assertEquals(2, notProject.code());
        assertTrue(notProject.err().contains(temp + ": not a project folder"), notProject.err());
        Path missing = temp.resolve("no-such-model.pt");
        Run noModel = run("compare-backbones", "--project", project.toString(), "--backbone", missing.toString());
        assertEquals(1, noModel.code());
        assertTrue(noModel.err().contains(missing + ": no such file or folder"), noModel.err());
    }
}
