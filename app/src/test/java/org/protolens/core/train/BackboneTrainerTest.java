package org.protolens.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.BuiltinArchitecture;
import org.protolens.core.embed.BuiltinBackbones;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.Preprocessing;

class BackboneTrainerTest {
    private static final Preprocessing PRE = new Preprocessing(16, 16, new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.25f, 0.25f, 0.25f});

    @TempDir
    Path dir;

    /** Class 0: reddish noise; class 1: bluish noise. */
    static ImageDataset twoColours(int perClass, long seed) {
        Random rnd = new Random(seed);
        List<ImageDecoder.RgbImage> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < 2 * perClass; i++) {
            int cls = i % 2;
            int[] rgb = new int[16 * 16];
            for (int p = 0; p < rgb.length; p++) {
                int strong = 140 + rnd.nextInt(100);
                int weak = rnd.nextInt(120);
                int other = rnd.nextInt(120);
                rgb[p] = cls == 0 ? strong << 16 | other << 8 | weak : weak << 16 | other << 8 | strong;
            }
            images.add(new ImageDecoder.RgbImage(16, 16, rgb));
            labels.add(cls);
        }
        return new ImageDataset() {
            public List<String> classNames() { return List.of("red", "blue"); }
            public int size() { return images.size(); }
            public int label(int index) { return labels.get(index); }
            public ImageDecoder.RgbImage image(int index) { return images.get(index); }
            public String source(int index) { return "#" + index; }
        };
    }

    @Test
    void trainingLowersTheLossAndTheSavedBackboneReloadsToIdenticalOutputs() throws IOException {
        ImageDataset data = twoColours(32, 1);
        var settings = new BackboneTrainer.Settings(BuiltinArchitecture.SMALLCNN, 4, 16, 0.05f, 0.9f, 5e-4f, 7, true);
        List<Float> losses = new ArrayList<>();
        Path folder = dir.resolve("trained");
        float[] input = new float[4 * PRE.valuesPerImage()];
        for (int i = 0; i < 4; i++) {
            ImageDecoder.writeInput(data.image(i), PRE, input, i * PRE.valuesPerImage());
        }
        float[] direct;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block backbone = new BackboneTrainer(data, PRE, settings).train(manager, null, null,
                    (epoch, step, steps, loss, rate) -> losses.add(loss), null).backbone();
            NDArray x = manager.create(input, new Shape(4, 3, 16, 16));
            direct = backbone.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            BuiltinBackbones.write(folder, BuiltinArchitecture.SMALLCNN, backbone, PRE, data.classNames(), null);
        }
        assertEquals(4 * 4, losses.size(), "4 epochs of 4 steps");
        double first = (losses.get(0) + losses.get(1) + losses.get(2) + losses.get(3)) / 4;
        double last = (losses.get(12) + losses.get(13) + losses.get(14) + losses.get(15)) / 4;
        assertTrue(last < 0.7 * first, "loss fell from " + first + " to " + last + ": " + losses);
        try (Backbone b = BackboneLoader.open(folder.toString(), null, null)) {
            FloatMatrix reloaded = b.embed(input, 4);
            assertEquals(64, reloaded.cols());
            assertArrayEquals(direct, reloaded.data(), 1e-5f);
        }
    }

    @Test
    void anInterruptedRunResumesFromItsLastEpochAndReportsHeldOutAccuracy() throws IOException {
        ImageDataset data = twoColours(32, 1);
        ImageDataset heldOut = twoColours(16, 99);
        var settings = new BackboneTrainer.Settings(BuiltinArchitecture.SMALLCNN, 4, 16, 0.05f, 0.9f, 5e-4f, 7, true);
        Path checkpoint = dir.resolve("run.checkpoint");
        List<Float> firstRun = new ArrayList<>();
        boolean[] stop = {false};
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            var listener = new BackboneTrainer.Listener() {
                public void step(int epoch, int step, int steps, float loss, double rate) {
                    firstRun.add(loss);
                }

                public void epochEnd(int epoch, int epochs, double meanLoss, double accuracy, double secs) {
                    stop[0] = epoch == 1;
                }
            };
            assertThrows(CancellationException.class,
                    () -> new BackboneTrainer(data, PRE, settings).train(manager, heldOut, checkpoint, listener, () -> stop[0]));
        }
        TrainingCheckpoint saved = TrainingCheckpoint.read(checkpoint);
        assertEquals(2, saved.epochsDone());
        assertTrue(saved.heldOutAccuracy() >= 0 && saved.heldOutAccuracy() <= 1);

        List<Integer> epochsSeen = new ArrayList<>();
        List<Float> resumedLosses = new ArrayList<>();
        int[] resumedAt = {-1};
        BackboneTrainer.Result result;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            result = new BackboneTrainer(data, PRE, settings).train(manager, heldOut, checkpoint, new BackboneTrainer.Listener() {
                public void step(int epoch, int step, int steps, float loss, double rate) {
                    epochsSeen.add(epoch);
                    resumedLosses.add(loss);
                }

                public void resumed(int epochsDone) {
                    resumedAt[0] = epochsDone;
                }
            }, null);
        }
        assertEquals(2, resumedAt[0]);
        assertEquals(2, result.resumedFrom());
        assertEquals(List.of(2, 2, 2, 2, 3, 3, 3, 3), epochsSeen, "only the two remaining epochs run");
        // the resumed run starts from the trained weights, not from scratch
        assertTrue(resumedLosses.get(0) < 0.7 * firstRun.get(0), "resumed loss " + resumedLosses.get(0)
                + " vs first loss of a fresh run " + firstRun.get(0));
        assertTrue(result.heldOutAccuracy() > 0.9, "held-out accuracy " + result.heldOutAccuracy());
        assertTrue(result.trainingSeconds() > saved.trainingSeconds());
        assertEquals(data.fingerprint(), result.dataFingerprint());

        var other = new BackboneTrainer.Settings(BuiltinArchitecture.SMALLCNN, 4, 16, 0.1f, 0.9f, 5e-4f, 7, true);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            IOException e = assertThrows(IOException.class,
                    () -> new BackboneTrainer(data, PRE, other).train(manager, heldOut, checkpoint, null, null));
            assertTrue(e.getMessage().contains("other settings") && e.getMessage().contains(checkpoint.toString()), e.getMessage());
        }
    }
}
