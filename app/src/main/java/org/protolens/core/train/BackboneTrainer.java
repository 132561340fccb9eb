package org.protolens.core.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.protolens.core.embed.BuiltinArchitecture;
import org.protolens.core.embed.BuiltinBackbones;
import org.protolens.core.embed.Devices;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.Preprocessing;

/**
 * Trains a built-in architecture on base classes as TEEN trains its base model: a cosine
 * classifier head (scale 16) over the embedding, cross-entropy, SGD with momentum and weight
 * decay, a cosine learning-rate schedule, and for colour images a random crop (4 pixels of
 * padding) and horizontal flip. The seed fixes the shuffling, the augmentation and the initial weights.
 */
public final class BackboneTrainer {

    /**
     * @param augment random crop and horizontal flip (CIFAR); off for greyscale 28x28 data
     */
    public record Settings(BuiltinArchitecture architecture, int epochs, int batchSize, float learningRate, float momentum,
                           float weightDecay, long seed, boolean augment) {
        public Settings {
            if (epochs < 1 || batchSize < 1) {
                throw new IllegalArgumentException("epochs and batch size must be at least 1");
            }
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new IllegalArgumentException("the learning rate must be positive, not " + learningRate);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("the momentum must lie in [0, 1), not " + momentum);
            }
            if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("the weight decay must be 0 or more, not " + weightDecay);
            }
        }
    }

    /** Progress of training, called on the training thread. */
    public interface Listener {
        /** After every step; {@code imagesPerSecond} over the epoch so far. */
        void step(int epoch, int step, int stepsPerEpoch, float loss, double imagesPerSecond);

        /** After every epoch (0-based {@code epoch}); accuracy is NaN without held-out images. */
        default void epochEnd(int epoch, int epochs, double meanLoss, double heldOutAccuracy, double trainingSeconds) {
        }

        /** Training goes on from a checkpoint after {@code epochsDone} epochs. */
        default void resumed(int epochsDone) {
        }
    }

    /**
     * @param backbone         the trained backbone without the head, its weights owned by the caller's manager
     * @param heldOutAccuracy  accuracy of the cosine head on the held-out base images (NaN: none given)
     * @param trainingSeconds  time spent training, over every run that resumed the same checkpoint
     * @param dataFingerprint  {@link ImageDataset#fingerprint()} of the training data
     * @param resumedFrom      epochs taken from a checkpoint (0: started afresh)
     * @param device           where it trained ("cpu()", "gpu(0)")
     */
    public record Result(Block backbone, double heldOutAccuracy, double trainingSeconds, String dataFingerprint,
                         int resumedFrom, String device) {
    }

    private final ImageDataset data;
    private final Preprocessing preprocessing;
    private final Settings settings;

    public BackboneTrainer(ImageDataset data, Preprocessing preprocessing, Settings settings) {
        if (data.size() < settings.batchSize()) {
            throw new IllegalArgumentException("the training set has " + data.size() + " images, fewer than one batch of "
                    + settings.batchSize());
        }
        this.data = data;
        this.preprocessing = preprocessing;
        this.settings = settings;
    }

    /**
     * Trains a new block of the architecture and returns it with its weights (the backbone only,
     * without the head), ready for {@link BuiltinBackbones#write}.
     *
     * @param manager    owns the returned block's parameters
     * @param heldOut    base-class images not trained on, labelled as the training data; null for none
     * @param checkpoint folder for a checkpoint after every epoch, resumed from when it holds one
     *                   made with the same settings and data; null for none
     */
    public Result train(NDManager manager, ImageDataset heldOut, Path checkpoint, Listener listener,
                        BooleanSupplier cancelled) throws IOException {
        if (heldOut != null && !heldOut.classNames().equals(data.classNames())) {
            throw new IllegalArgumentException("the held-out images' classes " + heldOut.classNames()
                    + " differ from the training classes " + data.classNames());
        }
        String fingerprint = data.fingerprint();
        TrainingCheckpoint previous = checkpoint == null ? null : TrainingCheckpoint.read(checkpoint);
        if (previous != null) {
            String why = previous.mismatch(settings, fingerprint);
            if (why != null) {
                throw new IOException(checkpoint + ": cannot resume from this checkpoint: " + why
                        + "; delete the folder to start afresh");
            }
        }
        Device device = Devices.preferred();
        Block backbone = settings.architecture().newBlock();
        SequentialBlock net = new SequentialBlock().add(backbone).add(new CosineHead(data.classNames().size(), 16));
        int stepsPerEpoch = data.size() / settings.batchSize();
        int totalSteps = stepsPerEpoch * settings.epochs();
        int firstEpoch = previous == null ? 0 : previous.epochsDone();
        CosineTracker schedule = CosineTracker.builder()
                .setBaseValue(settings.learningRate())
                .optFinalValue(0)
                .setMaxUpdates(totalSteps)
                .build();
        Optimizer sgd = Optimizer.sgd()
                .setLearningRateTracker(schedule)
                .optMomentum(settings.momentum())
                .optWeightDecays(settings.weightDecay())
                .optBeginNumUpdate(firstEpoch * stepsPerEpoch)
                .build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(sgd)
                .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT)
                .optDevices(new Device[] {device});
        Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
        int h = preprocessing.height();
        int w = preprocessing.width();
        int per = preprocessing.valuesPerImage();
        double seconds = previous == null ? 0 : previous.trainingSeconds();
        double accuracy = previous == null ? Double.NaN : previous.heldOutAccuracy();
        try (Model model = Model.newInstance("training", device, "PyTorch")) {
            model.setBlock(net);
            Shape inputShape = new Shape(settings.batchSize(), 3, h, w);
            if (previous != null) {
                // the weights must be in place before the trainer takes hold of the parameters
                net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
                net.initialize(model.getNDManager(), DataType.FLOAT32, inputShape);
                loadWeights(net, model.getNDManager(), checkpoint.resolve(previous.weights()));
                if (listener != null) {
                    listener.resumed(firstEpoch);
                }
            }
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(inputShape);
                int[] order = new int[data.size()];
                float[] input = new float[settings.batchSize() * per];
                float[] labels = new float[settings.batchSize()];
                for (int epoch = firstEpoch; epoch < settings.epochs(); epoch++) {
                    // each epoch's order and augmentation follow from the seed and the epoch alone,
                    // so a resumed run sees the same batches as an uninterrupted one
                    Random rnd = new Random(settings.seed() * 1_000_003L + epoch);
                    for (int i = 0; i < order.length; i++) {
                        order[i] = i;
                    }
                    shuffle(order, rnd);
                    long start = System.nanoTime();
                    double lossSum = 0;
                    for (int step = 0; step < stepsPerEpoch; step++) {
                        if (cancelled != null && cancelled.getAsBoolean()) {
                            throw new CancellationException("training cancelled in epoch " + (epoch + 1));
                        }
                        for (int i = 0; i < settings.batchSize(); i++) {
                            int idx = order[step * settings.batchSize() + i];
                            ImageDecoder.RgbImage img = data.image(idx);
                            if (settings.augment()) {
                                img = Augmentation.cropAndFlip(img, 4, rnd);
                            }
                            ImageDecoder.writeInput(img, preprocessing, input, i * per);
                            labels[i] = data.label(idx);
                        }
                        float loss;
                        try (NDManager batch = trainer.getManager().newSubManager()) {
                            NDArray x = batch.create(input, new Shape(settings.batchSize(), 3, h, w));
                            NDArray y = batch.create(labels);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList out = trainer.forward(new NDList(x));
                                NDArray l = trainer.getLoss().evaluate(new NDList(y), out);
                                gc.backward(l);
                                loss = l.getFloat();
                            }
                            trainer.step();
                        }
                        lossSum += loss;
                        if (listener != null) {
                            double secs = (System.nanoTime() - start) / 1e9;
                            listener.step(epoch, step, stepsPerEpoch, loss, (step + 1) * settings.batchSize() / secs);
                        }
                    }
                    seconds += (System.nanoTime() - start) / 1e9;
                    accuracy = heldOut == null ? Double.NaN : accuracy(trainer, heldOut, cancelled);
                    if (checkpoint != null) {
                        new TrainingCheckpoint(epoch + 1, settings, fingerprint, seconds, accuracy,
                                TrainingCheckpoint.weightsName(epoch + 1))
                                .write(checkpoint, out -> net.saveParameters(new DataOutputStream(out)));
                    }
                    if (listener != null) {
                        listener.epochEnd(epoch, settings.epochs(), lossSum / stepsPerEpoch, accuracy, seconds);
                    }
                }
                if (previous != null && firstEpoch >= settings.epochs() && heldOut != null && Double.isNaN(accuracy)) {
                    accuracy = accuracy(trainer, heldOut, cancelled);
                }
            }
            // the trained backbone's parameters move to the caller's manager, the head is dropped
            for (var p : backbone.getParameters().values()) {
                p.getArray().attach(manager);
            }
            model.setBlock(new SequentialBlock());
        }
        return new Result(backbone, accuracy, seconds, fingerprint, firstEpoch, device.toString());
    }

    private static void loadWeights(Block net, NDManager manager, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            net.loadParameters(manager, in);
        } catch (MalformedModelException | RuntimeException e) {
            throw new IOException(file + ": cannot load the checkpoint's weights (" + e.getMessage()
                    + "); delete the checkpoint folder to start afresh", e);
        }
    }

    /** Share of {@code images} whose best cosine-head logit is their label, in inference mode. */
    private double accuracy(Trainer trainer, ImageDataset images, BooleanSupplier cancelled) throws IOException {
        int per = preprocessing.valuesPerImage();
        int bs = settings.batchSize();
        float[] input = new float[bs * per];
        int correct = 0;
        for (int from = 0; from < images.size(); from += bs) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("training cancelled while measuring held-out accuracy");
            }
            int n = Math.min(bs, images.size() - from);
            for (int i = 0; i < n; i++) {
                ImageDecoder.writeInput(images.image(from + i), preprocessing, input, i * per);
            }
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray x = batch.create(Arrays.copyOf(input, n * per),
                        new Shape(n, 3, preprocessing.height(), preprocessing.width()));
                long[] predicted = trainer.evaluate(new NDList(x)).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (predicted[i] == images.label(from + i)) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / images.size();
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
