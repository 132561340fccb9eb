package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.protolens.core.map.MapLayout;

/**
 * The project's map: the layout it was last shown with, kept in {@code map-layout.bin} with its
 * method and seed, so that the project opens on the same picture.
 */
public final class ProjectMap {
    public static final String FILE_NAME = "map-layout.bin";
    /** Every map is computed with this seed, which the map file records: the same project gives the same map. */
    public static final long SEED = 42;

    private ProjectMap() {
    }

    /**
     * The map the project was last shown with, its images imported since placed into it; else a
     * PCA map, stored, so that the project opens on it next time without fitting it again (when
     * none is stored or the stored one does not fit: then {@code problems} says why); null with
     * fewer than two images.
     */
    public static MapLayout open(WorkspaceState s, List<String> problems) {
        if (s.imageCount() < 2) {
            return null;
        }
        Path file = s.dir().resolve(FILE_NAME);
        if (Files.exists(file)) {
            try {
                return MapLayout.read(file, s.embeddings());
            } catch (IOException | RuntimeException e) {
                problems.add(e.getMessage() + "; the map is computed again");
            }
        }
        MapLayout map = pca(s);
        try {
            map.write(file);
        } catch (IOException e) {
            problems.add(file + ": the map cannot be stored (" + e.getMessage() + "); it is computed again at the next open");
        }
        return map;
    }

    /**
     * Lays the images out with {@code method} and stores the map in the project.
     *
     * @throws CancellationException when {@code cancelled} says so
     * @throws IOException naming the map file when it cannot be written
     */
    public static MapLayout compute(WorkspaceState s, MapLayout.Method method, MapLayout.Progress progress,
                                    BooleanSupplier cancelled) throws IOException {
        MapLayout layout = MapLayout.compute(s.embeddings(), method, SEED, MapLayout.defaultLandmarks(method), progress, cancelled);
        layout.write(s.dir().resolve(FILE_NAME));
        return layout;
    }

    /** Stores a map again (its images changed since it was computed). */
    public static void store(Path dir, MapLayout layout) throws IOException {
        layout.write(dir.resolve(FILE_NAME));
    }

    /** A PCA map, not stored: what a project shows before its map is computed (the first images of an empty project). */
    public static MapLayout pca(WorkspaceState s) {
        return MapLayout.compute(s.embeddings(), MapLayout.Method.PCA, SEED, MapLayout.LAID_OUT_LIMIT, (what, done) -> { },
                () -> false);
    }
}
