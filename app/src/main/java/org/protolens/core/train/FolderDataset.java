package org.protolens.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageFiles;

/**
 * Images in a folder per class (ROOT/CLASS/*.jpg, as CIFAR-10's JPEG release and ImageNet-style
 * exports are laid out). Images are decoded when asked for.
 */
public final class FolderDataset implements ImageDataset {
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;

    private FolderDataset(List<String> classNames, List<Path> files, int[] labels) {
        this.classNames = classNames;
        this.files = files;
        this.labels = labels;
    }

    /**
     * @param classes the class folders to read, in label order; null for every sub-folder, sorted
     */
    public static FolderDataset open(Path root, List<String> classes) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder");
        }
        List<String> names = classes;
        if (names == null) {
            try (Stream<Path> s = Files.list(root)) {
                names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                        .sorted().toList();
            }
            if (names.isEmpty()) {
                throw new IOException(root + ": has no class folders (expected ROOT/CLASS/image files)");
            }
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            Path dir = root.resolve(names.get(c));
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + ": no folder for class '" + names.get(c) + "'");
            }
            List<Path> images = ImageFiles.under(dir);
            if (images.isEmpty()) {
                throw new IOException(dir + ": class '" + names.get(c) + "' has no image files");
            }
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) {
                labels.add(c);
            }
        }
        return new FolderDataset(List.copyOf(names), files, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public ImageDecoder.RgbImage image(int index) throws IOException {
        Path f = files.get(index);
        return ImageDecoder.decode(Files.readAllBytes(f), f.toString());
    }

    @Override
    public String source(int index) {
        return files.get(index).toString();
    }

    @Override
    public Path file(int index) {
        return files.get(index);
    }
}
