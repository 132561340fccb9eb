package org.protolens.core.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.protolens.core.embed.ImageDecoder;

/**
 * Labelled training images, read as they come: Fashion-MNIST's IDX files or a folder per class.
 * Labels are indices into {@link #classNames()}.
 */
public interface ImageDataset {

    List<String> classNames();

    int size();

    int label(int index);

    /** The image, upright and opaque RGB. */
    ImageDecoder.RgbImage image(int index) throws IOException;

    /** Where an image comes from, for messages ("train-images-idx3-ubyte.gz #41" or a path). */
    String source(int index);

    /** The image's own file when it has one (a folder dataset), else null (images inside IDX files). */
    default Path file(int index) {
        return null;
    }

    /**
     * SHA-256 (hex) over the class names, and every image's label and decoded pixels in order:
     * the same images with the same labels give the same fingerprint whatever their file format.
     */
    default String fingerprint() throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(String.join("\n", classNames()).getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(0);
        for (int i = 0; i < size(); i++) {
            ImageDecoder.RgbImage img = image(i);
            int need = 12 + 4 * img.rgb().length;
            if (buf.capacity() < need) {
                buf = ByteBuffer.allocate(need);
            }
            buf.clear();
            buf.putInt(label(i)).putInt(img.width()).putInt(img.height());
            buf.asIntBuffer().put(img.rgb());
            md.update(buf.array(), 0, need);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The images of the named classes only, relabelled 0..names.size()-1 in the order given.
     *
     * @throws IllegalArgumentException naming a class the dataset does not have
     */
    default ImageDataset restrictTo(List<String> names) {
        List<String> all = classNames();
        int[] newLabel = new int[all.size()];
        Arrays.fill(newLabel, -1);
        for (int i = 0; i < names.size(); i++) {
            int old = all.indexOf(names.get(i));
            if (old < 0) {
                throw new IllegalArgumentException("no class '" + names.get(i) + "' in this dataset (it has: "
                        + String.join(", ", all) + ")");
            }
            if (newLabel[old] >= 0) {
                throw new IllegalArgumentException("class '" + names.get(i) + "' is named twice");
            }
            newLabel[old] = i;
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (newLabel[label(i)] >= 0) {
                keep.add(i);
            }
        }
        ImageDataset parent = this;
        List<String> kept = List.copyOf(names);
        return new ImageDataset() {
            @Override
            public List<String> classNames() {
                return kept;
            }

            @Override
            public int size() {
                return keep.size();
            }

            @Override
            public int label(int index) {
                return newLabel[parent.label(keep.get(index))];
            }

            @Override
            public ImageDecoder.RgbImage image(int index) throws IOException {
                return parent.image(keep.get(index));
            }

            @Override
            public String source(int index) {
                return parent.source(keep.get(index));
            }

            @Override
            public Path file(int index) {
                return parent.file(keep.get(index));
            }
        };
    }
}
