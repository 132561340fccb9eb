package org.protolens.core.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.protolens.core.embed.ImageDecoder;

/**
 * Greyscale images and labels in the IDX format of MNIST and Fashion-MNIST (gzip-compressed or
 * not), held in memory (60,000 images of 28x28 are 47 MB). Malformed files are refused with a
 * message naming the file and the problem.
 */
public final class IdxDataset implements ImageDataset {
    /** Fashion-MNIST's classes, in label order. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private final String name;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;
    private final List<String> classNames;

    private IdxDataset(String name, int rows, int cols, byte[] pixels, byte[] labels, List<String> classNames) {
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
        this.classNames = classNames;
    }

    /** Fashion-MNIST's training or test set from Debian's folder (/usr/share/datasets/fashion-mnist). */
    public static IdxDataset fashionMnist(Path folder, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        return open(folder.resolve(prefix + "-images-idx3-ubyte.gz"), folder.resolve(prefix + "-labels-idx1-ubyte.gz"),
                FASHION_MNIST_CLASSES);
    }

    public static IdxDataset open(Path imagesFile, Path labelsFile, List<String> classNames) throws IOException {
        int n;
        int rows;
        int cols;
        byte[] pixels;
        try (DataInputStream in = new DataInputStream(open(imagesFile))) {
            int magic = readInt(in, imagesFile, "the header");
            if (magic != IMAGES_MAGIC) {
                throw new IOException(imagesFile + ": not an IDX image file (magic number 0x" + Integer.toHexString(magic)
                        + ", expected 0x803: unsigned bytes, 3 dimensions)");
            }
            n = readInt(in, imagesFile, "the header");
            rows = readInt(in, imagesFile, "the header");
            cols = readInt(in, imagesFile, "the header");
            if (n < 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols > Integer.MAX_VALUE - 16) {
                throw new IOException(imagesFile + ": implausible shape " + n + " x " + rows + " x " + cols);
            }
            pixels = new byte[n * rows * cols];
            readFully(in, pixels, imagesFile, n + " images of " + rows + "x" + cols);
        }
        byte[] labels;
        try (DataInputStream in = new DataInputStream(open(labelsFile))) {
            int magic = readInt(in, labelsFile, "the header");
            if (magic != LABELS_MAGIC) {
                throw new IOException(labelsFile + ": not an IDX label file (magic number 0x" + Integer.toHexString(magic)
                        + ", expected 0x801: unsigned bytes, 1 dimension)");
            }
            int count = readInt(in, labelsFile, "the header");
            if (count != n) {
                throw new IOException(labelsFile + ": has " + count + " labels, but " + imagesFile + " has " + n + " images");
            }
            labels = new byte[n];
            readFully(in, labels, labelsFile, n + " labels");
        }
        for (int i = 0; i < n; i++) {
            if ((labels[i] & 0xff) >= classNames.size()) {
                throw new IOException(labelsFile + ": label " + (labels[i] & 0xff) + " at index " + i + " is not a class id (0.."
                        + (classNames.size() - 1) + ")");
            }
        }
        return new IdxDataset(imagesFile.getFileName().toString(), rows, cols, pixels, labels, List.copyOf(classNames));
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            try {
                return new GZIPInputStream(raw, 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new IOException(file + ": not a gzip file (" + e.getMessage() + ")");
            }
        }
        return new BufferedInputStream(raw, 1 << 16);
    }

    private static int readInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated in " + what);
        }
    }

    private static void readFully(DataInputStream in, byte[] into, Path file, String what) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated: the header announces " + what + ", the file ends before");
        }
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index] & 0xff;
    }

    @Override
    public ImageDecoder.RgbImage image(int index) {
        int n = rows * cols;
        int[] rgb = new int[n];
        for (int i = 0; i < n; i++) {
            int v = pixels[index * n + i] & 0xff;
            rgb[i] = v << 16 | v << 8 | v;
        }
        return new ImageDecoder.RgbImage(cols, rows, rgb);
    }

    @Override
    public String source(int index) {
        return name + " #" + index;
    }
}
