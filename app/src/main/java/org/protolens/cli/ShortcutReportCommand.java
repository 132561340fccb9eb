package org.protolens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.core.shortcut.ShortcutBias;
import org.protolens.core.shortcut.ShortcutDataset;
import org.protolens.core.shortcut.ShortcutReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "shortcut-report", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {
            "Measures how far a backbone's prototypes follow a shortcut rather than the shape, on a dataset made by make-shortcut-dataset:",
            "accuracy on aligned and conflict images, the share of conflicts predicted as the shortcut's class and as the shape's,",
            "reliance and bias against the Bayes-optimal classifier, at alpha = 0 and with TEEN; writes REPORT.json and prints a table."})
final class ShortcutReportCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--backbone", required = true, paramLabel = "MODEL",
            description = "MODEL.pt (TorchScript, preprocessing in MODEL.json) or a backbone folder with backbone.json")
    String backbone;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "a folder with manifest.csv")
    Path dataset;

    @Option(names = "--novel-classes", arity = "0..*", paramLabel = "NAME",
            description = "classes made from --shots shots (the others are base classes; default: none)")
    List<String> novel = new ArrayList<>();

    @Option(names = "--shots", defaultValue = "5", paramLabel = "K", description = "shots per new class (default 5)")
    int shots;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "draws the shots and base halves (default 1)")
    long seed;

    @CommandLine.Mixin
    CalibrationOptions calibrationOptions;

    @Option(names = "--out", required = true, paramLabel = "REPORT.json", description = "the report")
    Path out;

    @Override
    public Integer call() throws Exception {
        TeenCalibration calibration = calibrationOptions.calibration(spec);
        PrintWriter err = spec.commandLine().getErr();
        List<ShortcutDataset.Item> items = ShortcutDataset.readManifest(dataset);
        if (items.isEmpty()) {
            throw new IOException(dataset.resolve(ShortcutDataset.MANIFEST) + ": lists no images");
        }
        List<Path> files = items.stream().map(i -> dataset.resolve(i.path())).toList();
        FloatMatrix embeddings;
        try (Backbone b = BackboneLoader.open(backbone, null, null)) {
            EmbeddingPipeline.Result r = new EmbeddingPipeline(b, null, 32, EmbeddingPipeline.defaultDecodeThreads())
                    .embed(files, new EmbeddingPipeline.Listener() {
                        @Override
                        public void progress(int done, int total) {
                        }
                    }, null);
            if (!r.failures().isEmpty()) {
                EmbeddingPipeline.Failure f = r.failures().getFirst();
                throw new IOException(f.file() + ": " + f.problem() + (r.failures().size() > 1
                        ? " (and " + (r.failures().size() - 1) + " more images could not be read)" : ""));
            }
            if (!r.paths().equals(files)) {
                throw new IllegalStateException("the embeddings came back in another order than " + ShortcutDataset.MANIFEST + " lists");
            }
            embeddings = r.embeddings();
        }
        ShortcutReport.Result result;
        try {
            result = ShortcutReport.of(items, embeddings, new LinkedHashSet<>(novel), shots, seed, calibration);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("dataset", dataset.toString());
        json.put("backbone", backbone);
        json.setAll(ShortcutReport.json(result));
        AtomicFiles.writeString(out, JSON.writeValueAsString(json) + "\n");

        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%,d images predicted; shape predictivity %.3f, shortcut predictivity %.3f (as drawn)%n",
                result.evaluated(), result.coreP(), result.shortcutQ());
        o.println("| images | prototypes | aligned acc | conflict acc | to shortcut | to shape | reliance | optimal | bias |");
        o.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        row(o, "all", "alpha = 0", result.raw());
        row(o, "all", String.format(Locale.ROOT, "TEEN alpha = %.2f", calibration.alpha()), result.calibrated());
        if (result.rawNovel() != null) {
            row(o, "new classes", "alpha = 0", result.rawNovel());
            row(o, "new classes", String.format(Locale.ROOT, "TEEN alpha = %.2f", calibration.alpha()), result.calibratedNovel());
        }
        o.flush();
        err.flush();
        return 0;
    }

    private static void row(PrintWriter o, String images, String prototypes, ShortcutBias.Report r) {
        o.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %+.0f | %s |%n", images, prototypes, pct(r.alignedAccuracy()),
                pct(r.conflictAccuracy()), pct(r.shortcutShare()), pct(r.coreShare()), signed(r.reliance()), r.optimalReliance(),
                signed(r.bias()));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.3f", v);
    }
}
