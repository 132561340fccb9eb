package org.protolens.ui.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.image.Image;

/** Small images for hover, the inspector and neighbour lists, loaded in the background and kept (LRU). */
public final class Thumbnails {
    private static final int KEEP = 512;
    private final Map<String, Image> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
            return size() > KEEP;
        }
    };

    /**
     * The image at most {@code size} pixels wide and high. Small files (thumbnail-sized datasets
     * such as CIFAR's 32x32) load at their own size, so that views enlarge them pixel by pixel
     * instead of blurring them.
     */
    public Image get(Path file, int size) {
        String key = size + ":" + file;
        return cache.computeIfAbsent(key, k -> {
            long bytes;
            try {
                bytes = Files.size(file);
            } catch (IOException e) {
                bytes = Long.MAX_VALUE;
            }
            return bytes < SMALL_FILE ? new Image(file.toUri().toString(), true)
                    : new Image(file.toUri().toString(), size, size, true, true, true);
        });
    }

    private static final long SMALL_FILE = 16 * 1024;
}
