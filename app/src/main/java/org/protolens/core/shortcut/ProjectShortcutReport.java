package org.protolens.core.shortcut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.protolens.core.FloatMatrix;
import org.protolens.core.project.WorkspaceState;

/**
 * The shortcut bias report on an open project whose images come from a shortcut dataset (one
 * with {@code manifest.csv}): the embeddings are the project's own (nothing is embedded again).
 * Two readings:
 *
 * <ul>
 * <li>the protocol of {@code protolens shortcut-report}, with the project's new classes, shots and
 *     calibration: the same figures the command prints for the same dataset and backbone;</li>
 * <li>the project as it predicts now (its own prototypes, at alpha = 0 and as calibrated), over its
 *     labelled images that are no shots.</li>
 * </ul>
 */
public final class ProjectShortcutReport {
    private ProjectShortcutReport() {
    }

    /**
     * @param manifestDir the dataset's folder
     * @param matched     manifest images found in the project
     * @param missing     manifest images the project does not hold
     * @param protocol    the command line's protocol (null when it cannot run: the reason is in {@code problem})
     * @param nowRaw      the project's predictions at alpha = 0
     * @param now         the project's predictions as calibrated now
     */
    public record Result(Path manifestDir, int matched, int missing, ShortcutReport.Result protocol, String problem,
                         ShortcutBias.Report nowRaw, ShortcutBias.Report now, int shots, long seed) {
    }

    /** The dataset folder of a project: the nearest folder holding manifest.csv above its images, or null. */
    public static Path findManifest(WorkspaceState s) {
        if (Files.isRegularFile(s.dir().resolve(ShortcutDataset.MANIFEST))) {
            return s.dir();
        }
        Set<Path> tried = new LinkedHashSet<>();
        int n = s.imageCount();
        for (int i = 0; i < n; i += Math.max(1, n / 16)) {
            Path top = s.dir().toAbsolutePath().normalize();
            Path p = s.imageFile(i).toAbsolutePath().normalize().getParent();
            while (p != null && p.startsWith(top)) {
                if (tried.add(p) && Files.isRegularFile(p.resolve(ShortcutDataset.MANIFEST))) {
                    return p;
                }
                p = p.getParent();
            }
        }
        return null;
    }

    /** The manifests read last, by folder, with the file's size and time then: read again only when the file changed. */
    private static final Map<Path, Read> READ = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Read> eldest) {
            return size() > 4;
        }
    };

    private record Read(long size, FileTime modified, List<ShortcutDataset.Item> items) {
    }

    /** {@code dir}'s manifest.csv, read once while the file stays as it is (a report is made again at every alpha step). */
    static List<ShortcutDataset.Item> manifest(Path dir) throws IOException {
        Path key = dir.toAbsolutePath().normalize();
        Path file = key.resolve(ShortcutDataset.MANIFEST);
        long size = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        synchronized (READ) {
            Read r = READ.get(key);
            if (r != null && r.size() == size && r.modified().equals(modified)) {
                return r.items();
            }
        }
        List<ShortcutDataset.Item> items = List.copyOf(ShortcutDataset.readManifest(dir));
        synchronized (READ) {
            READ.put(key, new Read(size, modified, items));
        }
        return items;
    }

    /**
     * @param shots for the protocol: shots per new class; 0: as many as the project's first new class has
     */
    public static Result of(WorkspaceState s, Path manifestDir, int shots, long seed) throws IOException {
        List<ShortcutDataset.Item> items = manifest(manifestDir);
        Map<Path, Integer> index = new HashMap<>();
        for (int i = 0; i < s.imageCount(); i++) {
            index.putIfAbsent(s.imageFile(i).toAbsolutePath().normalize(), i);
        }
        List<ShortcutDataset.Item> found = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (ShortcutDataset.Item it : items) {
            Integer i = index.get(manifestDir.resolve(it.path()).toAbsolutePath().normalize());
            if (i != null) {
                found.add(it);
                rows.add(i);
            }
        }
        int missing = items.size() - found.size();
        if (found.isEmpty()) {
            throw new IOException(manifestDir.resolve(ShortcutDataset.MANIFEST) + ": none of its " + items.size()
                    + " images is in the project");
        }
        int classes = 0;
        for (ShortcutDataset.Item it : items) {
            classes = Math.max(classes, Math.max(it.label(), Math.max(it.core(), it.shortcut())) + 1);
        }
        double p = items.stream().filter(i -> i.core() == i.label()).count() / (double) items.size();
        double q = items.stream().filter(i -> i.shortcut() == i.label()).count() / (double) items.size();

        // the project as it predicts now, over its evaluated images
        List<String> names = s.classNames();
        int[] toShape = new int[names.size()];
        for (int k = 0; k < names.size(); k++) {
            int c = ShortcutDataset.SHAPES.indexOf(names.get(k));
            toShape[k] = c < classes ? c : -1;
        }
        int[] raw = s.rawPredictions();
        List<int[]> evaluated = new ArrayList<>();
        for (int j = 0; j < found.size(); j++) {
            int i = rows.get(j);
            if (s.isEvaluated(i)) {
                ShortcutDataset.Item it = found.get(j);
                evaluated.add(new int[] {it.label(), it.core(), it.shortcut(), toShape[s.predicted(i)], toShape[raw[i]]});
            }
        }
        int m = evaluated.size();
        int[][] cols = new int[5][m];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < 5; c++) {
                cols[c][j] = evaluated.get(j)[c];
            }
        }
        ShortcutBias.Report now = ShortcutBias.of(cols[0], cols[1], cols[2], cols[3], p, q, classes);
        ShortcutBias.Report nowRaw = ShortcutBias.of(cols[0], cols[1], cols[2], cols[4], p, q, classes);

        // the command line's protocol on the same embeddings
        Set<String> novel = new LinkedHashSet<>();
        int firstShots = 0;
        for (int k = 0; k < names.size(); k++) {
            if (!s.isBase(k) && ShortcutDataset.SHAPES.indexOf(names.get(k)) >= 0) {
                novel.add(names.get(k));
                if (firstShots == 0) {
                    firstShots = s.stats(k).shots();
                }
            }
        }
        int k = shots > 0 ? shots : Math.max(1, firstShots);
        ShortcutReport.Result protocol = null;
        String problem = null;
        float[] x = new float[found.size() * s.dim()];
        for (int j = 0; j < found.size(); j++) {
            System.arraycopy(s.embedding(rows.get(j)), 0, x, j * s.dim(), s.dim());
        }
        try {
            protocol = ShortcutReport.of(found, new FloatMatrix(found.size(), s.dim(), x), novel, k, seed, s.calibration());
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        return new Result(manifestDir, found.size(), missing, protocol, problem, nowRaw, now, k, seed);
    }
}
