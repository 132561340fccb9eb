package org.protolens.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.protolens.core.embed.BuiltinArchitecture;
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
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("the learning rate must be positive");
            }
        }
    }

    /** Progress of training, called on the training thread after every step. */
    public interface Listener {
        void step(int epoch, int step, int stepsPerEpoch, float loss, double imagesPerSecond);
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
     * without the head), ready for {@link org.protolens.core.embed.BuiltinBackbones#write}.
     *
     * @param manager owns the returned block's parameters
     */
    public Block train(NDManager manager, Listener listener, BooleanSupplier cancelled) throws IOException {
        Device device = Devices.preferred();
        Block backbone = settings.architecture().newBlock();
        SequentialBlock net = new SequentialBlock().add(backbone).add(new CosineHead(data.classNames().size(), 16));
        int stepsPerEpoch = data.size() / settings.batchSize();
        int totalSteps = stepsPerEpoch * settings.epochs();
        CosineTracker schedule = CosineTracker.builder()
                .setBaseValue(settings.learningRate())
                .optFinalValue(0)
                .setMaxUpdates(totalSteps)
                .build();
        Optimizer sgd = Optimizer.sgd()
                .setLearningRateTracker(schedule)
                .optMomentum(settings.momentum())
                .optWeightDecays(settings.weightDecay())
                .build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(sgd)
                .optInitializer(new XavierInitializer(), ai.djl.nn.Parameter.Type.WEIGHT)
                .optDevices(new Device[] {device});
        ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
        int h = preprocessing.height();
        int w = preprocessing.width();
        int per = preprocessing.valuesPerImage();
        Random rnd = new Random(settings.seed());
        try (Model model = Model.newInstance("training", device, "PyTorch")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(settings.batchSize(), 3, h, w));
                int[] order = java.util.stream.IntStream.range(0, data.size()).toArray();
                float[] input = new float[settings.batchSize() * per];
                float[] labels = new float[settings.batchSize()];
                for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                    shuffle(order, rnd);
                    long start = System.nanoTime();
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
                        if (listener != null) {
                            double secs = (System.nanoTime() - start) / 1e9;
                            listener.step(epoch, step, stepsPerEpoch, loss, (step + 1) * settings.batchSize() / secs);
                        }
                    }
                }
            }
            // the trained backbone's parameters move to the caller's manager, the head is dropped
            for (var p : backbone.getParameters().values()) {
                p.getArray().attach(manager);
            }
            model.setBlock(new SequentialBlock());
        }
        return backbone;
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
