package org.protolens.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.protolens.core.embed.Preprocessing;

/**
 * A dataset as it comes, with its held-out part when it has one:
 * <ul>
 *   <li>a folder with Fashion-MNIST's IDX files (train-* for training, t10k-* held out);</li>
 *   <li>a folder with {@code train/} and {@code test/}, each a folder per class (CIFAR-10's JPEG release);</li>
 *   <li>a folder per class, with nothing held out.</li>
 * </ul>
 *
 * @param heldOut null when the dataset has no held-out part
 */
public record TrainingData(ImageDataset train, ImageDataset heldOut, String layout) {

    public static TrainingData open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder (expected Fashion-MNIST's IDX files, train/ and test/ "
                    + "folders per class, or a folder per class)");
        }
        if (Files.exists(root.resolve("train-images-idx3-ubyte.gz")) || Files.exists(root.resolve("train-images-idx3-ubyte"))) {
            String gz = Files.exists(root.resolve("train-images-idx3-ubyte.gz")) ? ".gz" : "";
            ImageDataset train = IdxDataset.open(root.resolve("train-images-idx3-ubyte" + gz),
                    root.resolve("train-labels-idx1-ubyte" + gz), IdxDataset.FASHION_MNIST_CLASSES);
            Path testImages = root.resolve("t10k-images-idx3-ubyte" + gz);
            ImageDataset test = Files.exists(testImages)
                    ? IdxDataset.open(testImages, root.resolve("t10k-labels-idx1-ubyte" + gz), IdxDataset.FASHION_MNIST_CLASSES)
                    : null;
            return new TrainingData(train, test, "Fashion-MNIST IDX files");
        }
        if (Files.isDirectory(root.resolve("train")) && Files.isDirectory(root.resolve("test"))) {
            FolderDataset train = FolderDataset.open(root.resolve("train"), null);
            return new TrainingData(train, FolderDataset.open(root.resolve("test"), null), "train/ and test/ folders per class");
        }
        return new TrainingData(FolderDataset.open(root, null), null, "a folder per class");
    }

    /** Both parts restricted to the named classes, labelled 0.. in the order given. */
    public TrainingData restrictTo(List<String> classes) {
        return new TrainingData(train.restrictTo(classes), heldOut == null ? null : heldOut.restrictTo(classes), layout);
    }

    /**
     * The normalisation the network trains with: per-channel mean and standard deviation of the
     * pixels (on [0, 1]) of {@code images}, as CIFAR's usual constants are computed.
     */
    public static Preprocessing normalisation(ImageDataset images, int width, int height)
            throws IOException {
        double[] sum = new double[3];
        double[] sq = new double[3];
        long n = 0;
        for (int i = 0; i < images.size(); i++) {
            int[] pixels = images.image(i).rgb();
            n += pixels.length;
            for (int rgb : pixels) {
                for (int c = 0; c < 3; c++) {
                    double v = ((rgb >> (16 - 8 * c)) & 0xFF) / 255.0;
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            double m = sum[c] / n;
            mean[c] = Math.round(m * 1e4) / 1e4f;
            std[c] = Math.max(Math.round(Math.sqrt(Math.max(sq[c] / n - m * m, 0)) * 1e4) / 1e4f, 1e-4f);
        }
        return new Preprocessing(width, height, mean, std);
    }
}
