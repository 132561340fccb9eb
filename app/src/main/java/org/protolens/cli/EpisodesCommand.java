package org.protolens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.protolens.core.FloatMatrix;
import org.protolens.core.fscil.FewShotEpisodes;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.proto.TeenCalibration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "episodes", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Few-shot episodes on labelled embeddings, as few-shot papers report them: N-way K-shot episodes with Q",
            "queries per class, the mean accuracy and its 95%% confidence interval per prototype head (NCM; with --base, TEEN;",
            "the transductive soft k-means and TIM, whose unlabelled images are the episode's queries)."})
final class EpisodesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--x", required = true, paramLabel = "X.npy", description = "labelled embeddings, n x d")
    Path x;

    @Option(names = "--y", required = true, paramLabel = "Y.npy", description = "their labels, n (int32/int64)")
    Path y;

    @Option(names = "--classes", split = ",", paramLabel = "LABEL",
            description = "the labels episodes draw from, comma-separated (default: every label in --y)")
    int[] classes;

    @Option(names = "--base", paramLabel = "BASE.npy",
            description = "B x d base prototypes, for TEEN and the heads started from it (without it: NCM and soft k-means only)")
    Path base;

    @Option(names = "--ways", defaultValue = "5", paramLabel = "N", description = "classes per episode (default ${DEFAULT-VALUE})")
    int ways;

    @Option(names = "--shots", defaultValue = "1", paramLabel = "K", description = "shots per class (default ${DEFAULT-VALUE})")
    int shots;

    @Option(names = "--queries", defaultValue = "15", paramLabel = "Q", description = "queries per class (default ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--episodes", defaultValue = "600", paramLabel = "E", description = "episodes (default ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the episodes (default ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    CalibrationOptions calibrationOptions;

    @Option(names = "--out", required = true, paramLabel = "REPORT.json")
    Path out;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        TeenCalibration calibration = calibrationOptions.calibration(spec);
        FewShotEpisodes.Setting setting;
        try {
            setting = new FewShotEpisodes.Setting(ways, shots, queries, episodes, seed);
        } catch (IllegalArgumentException e) {
            throw CliArgs.usage(spec, e.getMessage());
        }
        FloatMatrix embeddings = NpyFile.readMatrix(x);
        int[] labels = NpyFile.readLabels(y);
        if (embeddings.rows() != labels.length) {
            throw new IllegalArgumentException(y + ": has " + labels.length + " labels, but " + x + " has " + embeddings.rows() + " rows");
        }
        FloatMatrix basePrototypes = null;
        if (base != null) {
            basePrototypes = NpyFile.readMatrix(base);
            if (basePrototypes.rows() == 0) {
                throw new IllegalArgumentException(base + ": has no base prototypes (0 rows)");
            }
            if (basePrototypes.cols() != embeddings.cols()) {
                throw new IllegalArgumentException(base + ": has " + basePrototypes.cols() + " dimensions, but " + x + " has "
                        + embeddings.cols());
            }
        }
        FewShotEpisodes.Report report;
        try {
            report = FewShotEpisodes.run(embeddings, labels, classes, basePrototypes, calibration, setting);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(y + ": " + e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.print(markdown(report, calibration, base != null));
        w.flush();
        AtomicFiles.writeString(out, JSON.writeValueAsString(json(report, calibration, base != null)) + "\n");
        return 0;
    }

    static String markdown(FewShotEpisodes.Report report, TeenCalibration calibration, boolean withBase) {
        FewShotEpisodes.Setting s = report.setting();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d-way %d-shot, %d queries per class, %d episodes (seed %d) "
                + "drawn from %d classes; accuracy %%, mean ± 95%% confidence interval (1.96 std / √episodes)%s.%n%n", s.ways(), s.shots(),
                s.queries(), s.episodes(), s.seed(), report.classes().length,
                withBase ? String.format(Locale.ROOT, "; TEEN at α %s, τ %s", FscilTables.num(calibration.alpha()),
                        FscilTables.num(calibration.tau())) : "; no base prototypes: no TEEN"));
        b.append("| head | accuracy | std |\n|---|---|---|\n");
        for (FewShotEpisodes.HeadResult h : report.heads()) {
            b.append(String.format(Locale.ROOT, "| %s | %.2f ± %.2f | %.2f |%n", h.head(), 100 * h.mean(), 100 * h.ci95(), 100 * h.std()));
        }
        return b.toString();
    }

    private static ObjectNode json(FewShotEpisodes.Report report, TeenCalibration calibration, boolean withBase) {
        FewShotEpisodes.Setting s = report.setting();
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "protolens-episodes").put("version", 1);
        o.put("ways", s.ways()).put("shots", s.shots()).put("queries", s.queries()).put("episodes", s.episodes()).put("seed", s.seed());
        ArrayNode drawn = o.putArray("classes");
        for (int c : report.classes()) {
            drawn.add(c);
        }
        if (withBase) {
            o.putObject("calibration").put("alpha", calibration.alpha()).put("tau", calibration.tau());
        }
        ObjectNode heads = o.putObject("heads");
        for (FewShotEpisodes.HeadResult h : report.heads()) {
            ObjectNode r = heads.putObject(h.head().name().toLowerCase(Locale.ROOT));
            r.put("label", h.head().toString()).put("mean", h.mean()).put("ci95", h.ci95()).put("std", h.std());
            ArrayNode each = r.putArray("per_episode");
            for (double a : h.accuracies()) {
                each.add(a);
            }
        }
        return o;
    }
}
