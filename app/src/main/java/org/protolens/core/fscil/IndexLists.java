package org.protolens.core.fscil;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The field's fixed FSCIL splits, as TOPIC, CEC and TEEN publish them: a folder
 * ({@code index_list/<dataset>/}) with {@code session_1.txt} listing the base session's training
 * images and {@code session_2.txt} onwards each session's shots, one per line. A line is either a
 * row index into the training set (CIFAR-100's lists) or an image path (miniImageNet's and
 * CUB-200's, such as {@code MINI-ImageNet/train/n01532829/n0153282900000005.jpg}), matched
 * against the training set's paths by their ending: the class folder and file name, and more of
 * the path where that is not enough to tell two images apart.
 */
public final class IndexLists {
    /**
     * A split read from the lists.
     *
     * @param baseRows the training rows of the base session, whose means are the base prototypes
     * @param shots    for each novel class id, its training rows
     */
    public record Split(int[] baseRows, Map<Integer, int[]> shots) {
    }

    /**
     * Class ids taken from the lists: a class is its images' folder name, numbered in the order the
     * lists first name it (session_1.txt's classes first, as the protocol wants its base classes).
     *
     * @param names the class folder of each id
     */
    public record Labels(int[] trainY, int[] testY, List<String> names) {
    }

    private IndexLists() {
    }

    /**
     * The training and test images' class ids from their folder names, numbered as the lists of
     * {@code dir} first name the classes (their lines must be image paths).
     *
     * @throws IOException naming the list line that is no image path, or the image whose folder no list names
     */
    public static Labels labels(Path dir, int sessions, List<String> trainPaths, List<String> testPaths) throws IOException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (int s = 1; s <= sessions; s++) {
            Path file = dir.resolve("session_" + s + ".txt");
            if (!Files.isRegularFile(file)) {
                throw new IOException(dir + ": no session_" + s + ".txt (the protocol has " + sessions + " sessions)");
            }
            List<String> lines = lines(file);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] parts = parts(line);
                if (line.chars().allMatch(Character::isDigit) || parts.length < 2) {
                    throw new IOException(file + ":" + (n + 1) + ": \"" + line + "\" is no image path in a class folder: "
                            + "without --train-y the lists must name images by path");
                }
                ids.putIfAbsent(parts[parts.length - 2], ids.size());
            }
        }
        return new Labels(ids("training", trainPaths, ids), ids("test", testPaths, ids), List.copyOf(ids.keySet()));
    }

    private static int[] ids(String which, List<String> paths, Map<String, Integer> ids) throws IOException {
        int[] out = new int[paths.size()];
        for (int r = 0; r < out.length; r++) {
            String[] parts = parts(paths.get(r));
            Integer id = parts.length < 2 ? null : ids.get(parts[parts.length - 2]);
            if (id == null) {
                throw new IOException(which + " image " + paths.get(r) + ": its folder "
                        + (parts.length < 2 ? "(none)" : parts[parts.length - 2]) + " is a class no session list names");
            }
            out[r] = id;
        }
        return out;
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IOException(file + ": not UTF-8 text");
        }
    }

    /**
     * Reads {@code session_1.txt} to {@code session_S.txt} of {@code dir} for protocol {@code p}.
     *
     * @param trainY     every training row's class id
     * @param trainPaths every training row's image path, in the same order; null when the lists hold row indices only
     * @throws IOException naming the file and line of a line that names no training row, a row of
     *                     a class the session does not hold, or a session that misses one of its classes
     */
    public static Split read(Path dir, FscilProtocol p, int[] trainY, List<String> trainPaths) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a folder of session_N.txt lists");
        }
        if (trainPaths != null && trainPaths.size() != trainY.length) {
            throw new IOException("the training paths list " + trainPaths.size() + " images, but the training labels "
                    + trainY.length + " rows");
        }
        Map<String, List<Integer>> byEnding = trainPaths == null ? Map.of() : endings(trainPaths);
        int[] base = null;
        Map<Integer, int[]> shots = new TreeMap<>();
        for (int s = 1; s <= p.sessions(); s++) {
            Path file = dir.resolve("session_" + s + ".txt");
            if (!Files.isRegularFile(file)) {
                throw new IOException(dir + ": no session_" + s + ".txt (the protocol has " + p.sessions() + " sessions)");
            }
            int from = s == 1 ? 0 : p.baseClasses() + (s - 2) * p.ways();
            int to = s == 1 ? p.baseClasses() : from + p.ways();
            Map<Integer, List<Integer>> rowsOf = new TreeMap<>();
            List<String> lines = lines(file);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty()) {
                    continue;
                }
                int row = row(file, n + 1, line, trainY.length, trainPaths, byEnding);
                int cls = trainY[row];
                if (cls < from || cls >= to) {
                    throw new IOException(file + ":" + (n + 1) + ": " + line + " is an image of class " + cls + ", but session " + s
                            + " holds classes " + from + ".." + (to - 1));
                }
                rowsOf.computeIfAbsent(cls, c -> new ArrayList<>()).add(row);
            }
            for (int cls = from; cls < to; cls++) {
                if (!rowsOf.containsKey(cls)) {
                    throw new IOException(file + ": lists no image of class " + cls + ", which session " + s + " holds");
                }
            }
            if (s == 1) {
                base = rowsOf.values().stream().flatMap(List::stream).mapToInt(Integer::intValue).sorted().toArray();
            } else {
                rowsOf.forEach((cls, rows) -> shots.put(cls, rows.stream().mapToInt(Integer::intValue).sorted().toArray()));
            }
        }
        return new Split(base, shots);
    }

    private static int row(Path file, int lineNo, String line, int rows, List<String> trainPaths, Map<String, List<Integer>> byEnding)
            throws IOException {
        if (line.chars().allMatch(Character::isDigit)) {
            long r;
            try {
                r = Long.parseLong(line);
            } catch (NumberFormatException e) {
                r = Long.MAX_VALUE;
            }
            if (r >= rows) {
                throw new IOException(file + ":" + lineNo + ": row " + line + ", but the training set has rows 0.." + (rows - 1));
            }
            return (int) r;
        }
        if (trainPaths == null) {
            throw new IOException(file + ":" + lineNo + ": \"" + line + "\" is an image path: give the training images' paths "
                    + "(the .paths.txt that embed writes beside its .npy)");
        }
        String[] parts = parts(line);
        List<Integer> found = byEnding.getOrDefault(ending(parts, 2), List.of());
        if (found.size() > 1) {
            // two images end the same way: the longer ending that only one of them has
            List<Integer> narrowed = new ArrayList<>();
            for (int r : found) {
                if (endsWith(parts(trainPaths.get(r)), parts)) {
                    narrowed.add(r);
                }
            }
            found = narrowed;
        }
        if (found.isEmpty()) {
            throw new IOException(file + ":" + lineNo + ": no training image's path ends with " + ending(parts, 2));
        }
        if (found.size() > 1) {
            throw new IOException(file + ":" + lineNo + ": " + line + " matches " + found.size() + " training images");
        }
        return found.getFirst();
    }

    private static Map<String, List<Integer>> endings(List<String> paths) {
        Map<String, List<Integer>> out = new HashMap<>();
        for (int r = 0; r < paths.size(); r++) {
            out.computeIfAbsent(ending(parts(paths.get(r)), 2), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static String[] parts(String path) {
        return Arrays.stream(path.replace('\\', '/').split("/")).filter(x -> !x.isEmpty() && !x.equals(".")).toArray(String[]::new);
    }

    private static String ending(String[] parts, int n) {
        return String.join("/", Arrays.copyOfRange(parts, Math.max(0, parts.length - n), parts.length));
    }

    /** Whether {@code path} ends with all of {@code tail}, or {@code tail} ends with all of {@code path}. */
    private static boolean endsWith(String[] path, String[] tail) {
        int k = Math.min(path.length, tail.length);
        for (int j = 1; j <= k; j++) {
            if (!path[path.length - j].equals(tail[tail.length - j])) {
                return false;
            }
        }
        return true;
    }
}
