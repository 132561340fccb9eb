package org.protolens.ui;

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

    /** The image at most {@code size} pixels wide and high (small images are not enlarged here). */
    public Image get(Path file, int size) {
        String key = size + ":" + file;
        return cache.computeIfAbsent(key, k -> new Image(file.toUri().toString(), size, size, true, true, true));
    }
}
