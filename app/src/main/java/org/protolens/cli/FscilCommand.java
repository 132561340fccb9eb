package org.protolens.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FscilDraws;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.fscil.FscilTuning;
import org.protolens.core.fscil.IndexLists;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.proto.CalibrationTuning;
import org.protolens.core.proto.TeenCalibration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fscil", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Few-shot class-incremental evaluation on embeddings, TEEN beside the alpha = 0 baseline.",
            "Classes 0..B-1 are base classes; session s = 1..S-1 adds classes B+(s-1)W .. B+sW-1.",
            "S counts the base session (TEEN's CIFAR-100 setting: B=60, W=5, K=5, S=9)."})
final class FscilCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--train-x", required = true, paramLabel = "X.npy", description = "training embeddings, n x d")
    Path trainX;

    @Option(names = "--train-y", paramLabel = "Y.npy",
            description = "training labels, n (int32/int64); without it (and --test-y), a --split folder's lists that name "
                    + "images by path give the classes: each image's folder, numbered in the order the lists first name it")
    Path trainY;

    @Option(names = "--test-x", required = true, paramLabel = "X.npy", description = "test embeddings, m x d")
    Path testX;

    @Option(names = "--test-y", paramLabel = "Y.npy", description = "test labels, m")
    Path testY;

    @Option(names = "--test-paths", paramLabel = "PATHS.txt",
            description = "the test images' paths, one per row of --test-x: their folders are their classes when --test-y is not given")
    Path testPaths;

    @Option(names = "--base-classes", required = true, paramLabel = "B")
    int baseClasses;

    @Option(names = "--ways", required = true, paramLabel = "W", description = "new classes per session")
    int ways;

    @Option(names = "--shots", required = true, paramLabel = "K", description = "shots per new class")
    int shots;

    @Option(names = "--sessions", required = true, paramLabel = "S", description = "sessions, the base session included")
    int sessions;

    @picocli.CommandLine.Mixin
    CalibrationOptions calibrationOptions;

    @Option(names = "--split", paramLabel = "SPLIT", description = "the shots: SPLIT.json, training row indices per novel "
            + "class ({\"6\": [12, 40, ...], ...}), or a folder of the field's fixed lists (TOPIC, CEC, TEEN: "
            + "index_list/<dataset>/ with session_1.txt, the base session's training images, to session_S.txt), each line a "
            + "training row index or an image path (with --train-paths); without it a class's shots are its first K "
            + "training rows in file order")
    Path split;

    @Option(names = "--train-paths", paramLabel = "PATHS.txt",
            description = "the training images' paths, one per row of --train-x (embed writes it as OUT.paths.txt): "
                    + "needed when a --split folder lists image paths")
    Path trainPaths;

    @Option(names = "--draws", paramLabel = "N",
            description = "repeat over N random draws of the shots and report mean and std per session")
    Integer draws;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the draws (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tune", description = "choose alpha and tau on the training data alone (leave-one-shot-out over the "
            + "shots, with up to 5,000 base training images), per draw with --draws; the report is for the chosen setting and "
            + "the last session's harmonic mean is compared with --alpha/--tau's")
    boolean tune;

    @Option(names = "--heads", description = "with --draws: compare the prototype heads, NCM, TEEN, soft k-means refinement "
            + "from either and TIM from TEEN (transductive: each session's test images, unlabelled, refine the new prototypes), "
            + "on the last session")
    boolean heads;

    @Option(names = "--out", required = true, paramLabel = "REPORT.json")
    Path out;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        TeenCalibration calibration = calibrationOptions.calibration(spec);
        FscilProtocol protocol;
        try {
            protocol = new FscilProtocol(baseClasses, ways, shots, sessions);
        } catch (IllegalArgumentException e) {
            throw CliArgs.usage(spec, e.getMessage());
        }
        FloatMatrix trX = NpyFile.readMatrix(trainX);
        FloatMatrix teX = NpyFile.readMatrix(testX);
        int[] trY;
        int[] teY;
        if (trainY != null && testY != null) {
            trY = NpyFile.readLabels(trainY);
            teY = NpyFile.readLabels(testY);
        } else if (trainY == null && testY == null && split != null && Files.isDirectory(split) && trainPaths != null
                && testPaths != null) {
            IndexLists.Labels labels = IndexLists.labels(split, protocol.sessions(), PathLines.read(trainPaths), PathLines.read(testPaths));
            trY = labels.trainY();
            teY = labels.testY();
            trainY = trainPaths;
            testY = testPaths;
        } else {
            throw CliArgs.usage(spec, "give --train-y and --test-y, or a --split folder of lists with --train-paths and --test-paths");
        }
        if (trX.rows() != trY.length) {
            throw new IllegalArgumentException(trainY + ": has " + trY.length + " labels, but " + trainX + " has " + trX.rows() + " rows");
        }
        if (teX.rows() != teY.length) {
            throw new IllegalArgumentException(testY + ": has " + teY.length + " labels, but " + testX + " has " + teX.rows() + " rows");
        }
        if (trX.cols() != teX.cols()) {
            throw new IllegalArgumentException(testX + ": has " + teX.cols() + " dimensions, but " + trainX + " has " + trX.cols());
        }
        if (heads && draws == null) {
            throw CliArgs.usage(spec, "--heads compares the heads over draws: give --draws N (1 or more)");
        }
        if (draws != null) {
            if (split != null) {
                throw CliArgs.usage(spec, "--split fixes the shots, --draws draws them: give one of the two");
            }
            if (draws < 1) {
                throw CliArgs.usage(spec, "--draws must be at least 1");
            }
            FscilDraws.Summary summary;
            FscilDraws.Summary given = null;
            List<TeenCalibration> tuned = new ArrayList<>();
            try {
                if (tune) {
                    summary = FscilDraws.run(trX, trY, teX, teY, protocol, calibration, draws, seed, sh -> {
                        TeenCalibration t = FscilTuning.tune(trX, trY, protocol, sh, null).best();
                        tuned.add(t);
                        return t;
                    });
                    given = FscilDraws.run(trX, trY, teX, teY, protocol, calibration, draws, seed);
                } else {
                    summary = FscilDraws.run(trX, trY, teX, teY, protocol, calibration, draws, seed);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(trainY + ": " + e.getMessage());
            }
            ObjectNode json = FscilTables.json(protocol, summary);
            PrintWriter w = spec.commandLine().getOut();
            if (heads) {
                Map<FscilEvaluation.Head, List<SessionResult>> last = new EnumMap<>(FscilEvaluation.Head.class);
                for (Map<Integer, int[]> sh : summary.splits()) {
                    FscilEvaluation.heads(trX, trY, teX, teY, protocol, calibration, sh, null)
                            .forEach((h, sessions) -> last.computeIfAbsent(h, x -> new ArrayList<>()).add(sessions.getLast()));
                }
                w.print(FscilTables.headsMarkdown(last, calibration, summary.draws()));
                w.println();
                json.set("heads", FscilTables.headsJson(last));
            }
            if (tune) {
                ArrayNode settings = json.putArray("tuned");
                for (TeenCalibration t : tuned) {
                    settings.addObject().put("alpha", t.alpha()).put("tau", t.tau());
                }
                w.printf(Locale.ROOT, "Tuned on each draw's training data (leave-one-shot-out): %s%n", String.join(", ",
                        tuned.stream().map(t -> String.format(Locale.ROOT, "α %.1f τ %s", t.alpha(), num(t.tau()))).toList()));
                w.printf(Locale.ROOT, "Last session's harmonic mean (class means, held-out test): tuned %s, α %s τ %s %s%n%n",
                        FscilTables.pct(summary.calibrated().getLast().classMeanHm()), num(calibration.alpha()),
                        num(calibration.tau()), FscilTables.pct(given.calibrated().getLast().classMeanHm()));
            }
            AtomicFiles.writeString(out, JSON.writeValueAsString(json) + "\n");
            w.print(FscilTables.markdown(protocol, summary, tune ? "TEEN, tuned per draw" : null));
            w.flush();
            return 0;
        }
        Map<Integer, int[]> shotsByClass = null;
        int[] baseRows = null;
        if (split != null && Files.isDirectory(split)) {
            List<String> paths = trainPaths == null ? null : PathLines.read(trainPaths);
            IndexLists.Split lists = IndexLists.read(split, protocol, trY, paths);
            shotsByClass = lists.shots();
            baseRows = lists.baseRows();
        } else if (split != null) {
            shotsByClass = readSplit(split);
        }
        FscilEvaluation.Report report;
        try {
            TeenCalibration given = calibration;
            CalibrationTuning.Grid grid = tune ? FscilTuning.tune(trX, trY, protocol, shotsByClass, baseRows) : null;
            if (grid != null) {
                calibration = grid.best();
            }
            report = FscilEvaluation.run(trX, trY, teX, teY, protocol, calibration, shotsByClass, baseRows);
            if (grid != null) {
                FscilEvaluation.Report atGiven = FscilEvaluation.run(trX, trY, teX, teY, protocol, given, shotsByClass, baseRows);
                PrintWriter w = spec.commandLine().getOut();
                w.printf(Locale.ROOT, "Leave-one-shot-out on the training data (%d shots, %d base images): harmonic mean (%%) "
                        + "for alpha (rows) and tau (columns)%n%n", grid.shotsLeftOut(), grid.baseImages());
                w.print(FscilTables.sweepMarkdown(grid.alphas(), grid.taus(), grid.score()));
                w.printf(Locale.ROOT, "%ntuned: alpha %s, tau %s; held-out last session's harmonic mean (class means): tuned %s, "
                                + "alpha %s tau %s %s%n%n", num(calibration.alpha()), num(calibration.tau()),
                        pct(report.calibrated().getLast().classMeanHm()), num(given.alpha()), num(given.tau()),
                        pct(atGiven.calibrated().getLast().classMeanHm()));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((split != null && e.getMessage().startsWith("split") ? split : trainY) + ": "
                    + e.getMessage());
        }
        AtomicFiles.writeString(out, JSON.writeValueAsString(toJson(report)) + "\n");
        printTable(spec.commandLine().getOut(), protocol, report);
        return 0;
    }

    static Map<Integer, int[]> readSplit(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (CharConversionException e) {
            throw new IOException(file + ": not valid JSON (not UTF-8 text: " + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": expected an object mapping class ids to lists of training row indices");
        }
        Map<Integer, int[]> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int cls;
            try {
                cls = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new IOException(file + ": key \"" + e.getKey() + "\" is not a class id");
            }
            if (!e.getValue().isArray()) {
                throw new IOException(file + ": class " + cls + " needs a list of row indices");
            }
            int[] rows = new int[e.getValue().size()];
            for (int i = 0; i < rows.length; i++) {
                JsonNode v = e.getValue().get(i);
                if (!v.canConvertToInt()) {
                    throw new IOException(file + ": class " + cls + ": \"" + v + "\" is not a row index");
                }
                rows[i] = v.asInt();
            }
            out.put(cls, rows);
        }
        return out;
    }

    static ArrayNode toJson(FscilEvaluation.Report report) {
        ArrayNode list = JSON.createArrayNode();
        List<SessionResult> teen = report.calibrated();
        for (int i = 0; i < teen.size(); i++) {
            SessionResult s = teen.get(i);
            ObjectNode o = metrics(s);
            o.put("alpha", report.calibration().alpha());
            o.put("tau", report.calibration().tau());
            ObjectNode baseline = metrics(report.baseline().get(i));
            baseline.remove("session");
            baseline.remove("classes");
            o.set("baseline", baseline);
            o.set("confusion", confusion(s.confusion()));
            baseline.set("confusion", confusion(report.baseline().get(i).confusion()));
            list.add(o);
        }
        return list;
    }

    private static ArrayNode confusion(int[][] counts) {
        ArrayNode out = JSON.createArrayNode();
        for (int[] row : counts) {
            ArrayNode r = out.addArray();
            for (int v : row) {
                r.add(v);
            }
        }
        return out;
    }

    /** One session's figures as fscil.json writes them (compare-backbones writes the same). */
    static ObjectNode metrics(SessionResult s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("session", s.session());
        o.put("classes", s.classes());
        o.put("acc", s.acc());
        o.put("acc_base", s.accBase());
        o.put("acc_novel", s.accNovel());
        o.put("hm", s.hm());
        o.put("novel_to_base", s.novelToBase());
        ObjectNode classMean = o.putObject("class_mean");
        classMean.put("acc", s.classMeanAcc());
        classMean.put("acc_base", s.classMeanAccBase());
        classMean.put("acc_novel", s.classMeanAccNovel());
        classMean.put("hm", s.classMeanHm());
        return o;
    }

    static void printTable(PrintWriter w, FscilProtocol p, FscilEvaluation.Report r) {
        w.printf(Locale.ROOT, "FSCIL: %d base classes, %d sessions of %d ways x %d shots; TEEN (alpha %.2f, tau %.4g) / alpha = 0%n",
                p.baseClasses(), p.sessions() - 1, p.ways(), p.shots(), r.calibration().alpha(), r.calibration().tau());
        w.printf(Locale.ROOT, "%-7s %-7s  %-13s  %-13s  %-13s  %-13s  %-13s%n", "session", "classes", "acc", "acc_base",
                "acc_novel", "hm", "novel->base");
        for (int i = 0; i < r.calibrated().size(); i++) {
            SessionResult t = r.calibrated().get(i);
            SessionResult b = r.baseline().get(i);
            w.printf(Locale.ROOT, "%-7d %-7d  %-13s  %-13s  %-13s  %-13s  %-13s%n", t.session(), t.classes(),
                    pair(t.acc(), b.acc()), pair(t.accBase(), b.accBase()), pair(t.accNovel(), b.accNovel()),
                    pair(t.hm(), b.hm()), pair(t.novelToBase(), b.novelToBase()));
        }
        w.printf(Locale.ROOT, "performance drop (acc, first session - last): TEEN %s, alpha = 0 %s%n",
                pct(FscilEvaluation.Report.drop(r.calibrated())), pct(FscilEvaluation.Report.drop(r.baseline())));
        w.printf(Locale.ROOT, "the accuracies above are pooled over test images; as class means (each class's recall, "
                + "averaged: TEEN's measure):%n");
        w.printf(Locale.ROOT, "%-7s %-7s  %-13s  %-13s  %-13s  %-13s%n", "session", "classes", "acc", "acc_base", "acc_novel", "hm");
        for (int i = 0; i < r.calibrated().size(); i++) {
            SessionResult t = r.calibrated().get(i);
            SessionResult b = r.baseline().get(i);
            w.printf(Locale.ROOT, "%-7d %-7d  %-13s  %-13s  %-13s  %-13s%n", t.session(), t.classes(),
                    pair(t.classMeanAcc(), b.classMeanAcc()), pair(t.classMeanAccBase(), b.classMeanAccBase()),
                    pair(t.classMeanAccNovel(), b.classMeanAccNovel()), pair(t.classMeanHm(), b.classMeanHm()));
        }
        w.printf(Locale.ROOT, "AVG over sessions (acc, class means): TEEN %s, alpha = 0 %s; performance drop: TEEN %s, "
                        + "alpha = 0 %s%n",
                pct(FscilEvaluation.Report.average(r.calibrated(), SessionResult::classMeanAcc)),
                pct(FscilEvaluation.Report.average(r.baseline(), SessionResult::classMeanAcc)),
                pct(FscilEvaluation.Report.drop(r.calibrated(), SessionResult::classMeanAcc)),
                pct(FscilEvaluation.Report.drop(r.baseline(), SessionResult::classMeanAcc)));
        w.flush();
    }

    private static String pair(Double teen, Double base) {
        return pct(teen) + " / " + pct(base);
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
