package org.protolens.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.protolens.Version;
import org.protolens.core.embed.BuiltinArchitecture;
import org.protolens.core.embed.BuiltinBackbones;
import org.protolens.core.embed.Preprocessing;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.train.BackboneTrainer;
import org.protolens.core.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train-backbone", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Trains a built-in backbone on base classes only, as TEEN trains its base model:",
            "cosine classifier head (scale 16), SGD with momentum, cosine learning-rate schedule,",
            "random crop and horizontal flip. Writes a backbone folder (weights + backbone.json with provenance).",
            "A checkpoint is kept after every epoch in OUT.checkpoint; running the same command again resumes there."})
final class TrainBackboneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--arch", required = true, paramLabel = "ARCH",
            description = "resnet20 (CIFAR ResNet-20, 32x32 colour, 64-d) or smallcnn (28x28, 64-d)")
    String arch;

    @Option(names = "--data", required = true, paramLabel = "DATASET",
            description = "a folder with Fashion-MNIST's IDX files, a folder with train/ and test/ folders per class "
                    + "(CIFAR-10 JPEGs), or a folder per class; the test part measures held-out base accuracy")
    Path data;

    @Option(names = "--base-classes", required = true, arity = "1..*", paramLabel = "NAME",
            description = "the classes to train on, in label order")
    List<String> baseClasses;

    @Option(names = "--epochs", required = true, paramLabel = "E")
    int epochs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the backbone folder to write")
    Path out;

    @Option(names = "--batch-size", defaultValue = "128", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.1", description = "initial learning rate (default ${DEFAULT-VALUE})")
    float learningRate;

    @Option(names = "--momentum", defaultValue = "0.9", description = "default ${DEFAULT-VALUE}")
    float momentum;

    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "default ${DEFAULT-VALUE}")
    float weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "fixes initial weights, order and augmentation (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--augment", negatable = true,
            description = "random crop (4 px padding) and horizontal flip; default on for resnet20, off for smallcnn")
    Boolean augment;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        BuiltinArchitecture architecture;
        try {
            architecture = BuiltinArchitecture.byId(arch);
        } catch (IllegalArgumentException e) {
            throw CliArgs.usage(spec, e.getMessage());
        }
        BackboneTrainer.Settings settings;
        try {
            settings = new BackboneTrainer.Settings(architecture, epochs, batchSize, learningRate, momentum, weightDecay,
                    seed, augment != null ? augment : architecture == BuiltinArchitecture.RESNET20);
        } catch (IllegalArgumentException e) {
            throw CliArgs.usage(spec, e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        TrainingData all = TrainingData.open(data);
        TrainingData base;
        try {
            base = all.restrictTo(baseClasses);
        } catch (IllegalArgumentException e) {
            throw new IOException(data + ": " + e.getMessage());
        }
        if (base.train().size() < batchSize) {
            throw new IOException(data + ": the base classes have " + base.train().size()
                    + " training images, fewer than one batch of " + batchSize);
        }
        err.printf(Locale.ROOT, "%s: %s; %d training images of %d base classes, %s%n", data, all.layout(),
                base.train().size(), baseClasses.size(),
                base.heldOut() == null ? "no held-out images" : base.heldOut().size() + " held out");
        int size = architecture.inputSize();
        Preprocessing preprocessing = TrainingData.normalisation(base.train(), size, size);
        err.printf(Locale.ROOT, "normalisation from the training images: mean %s, std %s%n",
                Arrays.toString(preprocessing.mean()), Arrays.toString(preprocessing.std()));
        err.flush();
        Path checkpoint = Path.of(out + ".checkpoint");
        Progress progress = new Progress(err, settings.epochs(), settings.batchSize());
        BackboneTrainer.Result result;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            result = new BackboneTrainer(base.train(), preprocessing, settings)
                    .train(manager, base.heldOut(), checkpoint, progress, null);
            ObjectNode provenance = provenance(settings, base, result);
            BuiltinBackbones.write(out, architecture, result.backbone(), preprocessing, baseClasses, provenance);
        }
        AtomicFiles.deleteTree(checkpoint);
        err.printf(Locale.ROOT, "wrote %s: %s, %d epochs in %s on %s, held-out base accuracy %s%n", out, architecture.id(),
                settings.epochs(), Progress.duration(result.trainingSeconds()), result.device(),
                Double.isNaN(result.heldOutAccuracy()) ? "not measured"
                        : String.format(Locale.ROOT, "%.2f%%", 100 * result.heldOutAccuracy()));
        return 0;
    }

    private ObjectNode provenance(BackboneTrainer.Settings settings, TrainingData base, BackboneTrainer.Result result) {
        ObjectNode p = JSON.createObjectNode();
        p.put("trainedBy", "ProtoLens " + Version.protolens() + " train-backbone");
        p.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode d = p.putObject("data");
        d.put("source", data.toString());
        d.put("layout", base.layout());
        d.put("trainingImages", base.train().size());
        d.put("fingerprint", "sha256:" + result.dataFingerprint());
        d.put("heldOutImages", base.heldOut() == null ? 0 : base.heldOut().size());
        p.put("epochs", settings.epochs());
        p.put("batchSize", settings.batchSize());
        p.put("learningRate", settings.learningRate());
        p.put("momentum", settings.momentum());
        p.put("weightDecay", settings.weightDecay());
        p.put("seed", settings.seed());
        p.put("augment", settings.augment());
        p.put("head", "cosine classifier, scale 16");
        if (Double.isNaN(result.heldOutAccuracy())) {
            p.putNull("heldOutBaseAccuracy");
        } else {
            p.put("heldOutBaseAccuracy", Math.round(result.heldOutAccuracy() * 1e4) / 1e4);
        }
        p.put("trainingSeconds", Math.round(result.trainingSeconds()));
        p.put("device", result.device());
        p.put("resumedFromEpoch", result.resumedFrom());
        return p;
    }

    /** Progress lines on stderr: at most one every two seconds, and one per epoch. */
    static final class Progress implements BackboneTrainer.Listener {
        private final PrintWriter err;
        private final int epochs;
        private final int batchSize;
        private long lastPrint;

        Progress(PrintWriter err, int epochs, int batchSize) {
            this.err = err;
            this.epochs = epochs;
            this.batchSize = batchSize;
        }

        @Override
        public void step(int epoch, int step, int steps, float loss, double imagesPerSecond) {
            long now = System.nanoTime();
            if (now - lastPrint < 2_000_000_000L && step + 1 < steps) {
                return;
            }
            lastPrint = now;
            long remainingImages = ((long) (epochs - epoch - 1) * steps + (steps - step - 1)) * batchSize;
            err.printf(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f  %.0f images/s  time left %s%n", epoch + 1, epochs,
                    step + 1, steps, loss, imagesPerSecond, duration(remainingImages / Math.max(imagesPerSecond, 1e-9)));
            err.flush();
        }

        @Override
        public void epochEnd(int epoch, int epochs, double meanLoss, double heldOutAccuracy, double trainingSeconds) {
            err.printf(Locale.ROOT, "epoch %d/%d done: mean loss %.4f, held-out base accuracy %s, %s so far%n", epoch + 1,
                    epochs, meanLoss, Double.isNaN(heldOutAccuracy) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * heldOutAccuracy),
                    duration(trainingSeconds));
            err.flush();
        }

        @Override
        public void resumed(int epochsDone) {
            err.printf(Locale.ROOT, "resuming from the checkpoint after epoch %d of %d%n", epochsDone, epochs);
            err.flush();
        }

        static String duration(double seconds) {
            long s = Math.round(seconds);
            if (s >= 3600) {
                return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s / 60 % 60);
            }
            return s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60) : s + "s";
        }
    }
}
