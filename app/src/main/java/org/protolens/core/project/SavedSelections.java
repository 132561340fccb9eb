package org.protolens.core.project;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.protolens.core.io.AtomicFiles;

/**
 * Selections of images the person saved under a name, to come back to them (the images still to
 * review, a set to compare): {@code selections.json} in the project folder. An image is named by
 * its path in the project, as the catalog names it, so that a saved selection keeps its images
 * whatever images are added or removed before them; an image that is no longer in the project
 * is left out when the selection is recalled, and said so.
 *
 * <p>A received project's file is untrusted input: anything but a list of named selections of
 * paths is refused, naming the file and what is wrong; paths that name no image of the project
 * select nothing.
 */
public final class SavedSelections {
    public static final String FILE_NAME = "selections.json";
    private static final String FORMAT = "protolens-selections";
    /** The most selections, and the longest name, a file may hold. */
    static final int MOST = 1000;
    static final int LONGEST_NAME = 200;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A selection saved under {@code name}: its images' paths in the project, and when it was saved. */
    public record Selection(String name, List<String> images, String saved) {
        public Selection {
            images = List.copyOf(images);
        }
    }

    /** The file as JSON: its format, version and selections. */
    private record Stored(String format, int version, List<Selection> selections) {
    }

    /** What recalling a selection found: the images still in the project, in image order, and how many are gone. */
    public record Recalled(int[] images, int gone) {
    }

    private SavedSelections() {
    }

    /** The selections saved in project folder {@code dir}, in the order they were saved; none without the file. */
    public static List<Selection> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Stored f;
        try {
            f = JSON.readValue(Files.readAllBytes(file), Stored.class);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (JacksonException e) {
            throw new IOException(file + ": not a valid list of saved selections (" + e.getOriginalMessage() + ")");
        } catch (CharConversionException e) {
            throw new IOException(file + ": not a valid list of saved selections (not UTF-8 text: " + e.getMessage() + ")");
        }
        if (f == null || !FORMAT.equals(f.format()) || f.selections() == null) {
            throw new IOException(file + ": not a list of saved selections (\"format\" must be \"" + FORMAT + "\")");
        }
        if (f.version() != 1) {
            throw new IOException(file + ": saved selections version " + f.version() + " is newer than this ProtoLens reads (1)");
        }
        if (f.selections().size() > MOST) {
            throw new IOException(file + ": holds " + f.selections().size() + " selections, more than " + MOST);
        }
        Set<String> names = new HashSet<>();
        for (Selection s : f.selections()) {
            if (s == null || s.name() == null || s.name().isBlank() || s.name().length() > LONGEST_NAME || s.images() == null
                    || s.images().stream().anyMatch(p -> p == null)) {
                throw new IOException(file + ": a selection without a name of 1 to " + LONGEST_NAME + " characters or without its images");
            }
            if (!names.add(s.name())) {
                throw new IOException(file + ": two selections are named \"" + s.name() + "\"");
            }
        }
        return List.copyOf(f.selections());
    }

    /** Stores {@code selections} in project folder {@code dir}, atomically. */
    public static void write(Path dir, List<Selection> selections) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), out -> JSON.writeValue(out, new Stored(FORMAT, 1, selections)));
    }

    /**
     * Saves images {@code images} of {@code s} under {@code name} in its project folder (replacing a
     * selection of that name) and returns every saved selection.
     */
    public static List<Selection> save(WorkspaceState s, String name, int[] images) throws IOException {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > LONGEST_NAME) {
            throw new IllegalArgumentException("a saved selection needs a name of 1 to " + LONGEST_NAME + " characters");
        }
        List<String> paths = new ArrayList<>();
        for (int i : Arrays.stream(images).sorted().distinct().toArray()) {
            if (i >= 0 && i < s.imageCount()) {
                paths.add(s.imagePath(i));
            }
        }
        List<Selection> all = new ArrayList<>(read(s.dir()));
        all.removeIf(x -> x.name().equals(n));
        all.add(new Selection(n, paths, Instant.now().toString()));
        write(s.dir(), all);
        return List.copyOf(all);
    }

    /** Deletes the selection named {@code name} from {@code s}'s project folder and returns those left. */
    public static List<Selection> delete(WorkspaceState s, String name) throws IOException {
        List<Selection> all = new ArrayList<>(read(s.dir()));
        all.removeIf(x -> x.name().equals(name));
        write(s.dir(), all);
        return List.copyOf(all);
    }

    /** The images of {@code selection} that {@code s} holds, by their paths. */
    public static Recalled recall(WorkspaceState s, Selection selection) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < s.imageCount(); i++) {
            index.putIfAbsent(s.imagePath(i), i);
        }
        int gone = 0;
        List<Integer> found = new ArrayList<>();
        for (String p : selection.images()) {
            Integer i = index.get(p);
            if (i == null) {
                gone++;
            } else {
                found.add(i);
            }
        }
        return new Recalled(found.stream().mapToInt(Integer::intValue).sorted().distinct().toArray(), gone);
    }
}
