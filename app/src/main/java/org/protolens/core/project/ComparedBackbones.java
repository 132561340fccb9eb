package org.protolens.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.JsonFiles;

/**
 * The other backbones a person added to a project's Backbones tab, so that the comparison is there
 * again when the project opens next time: {@code compared-backbones.json} in the project folder,
 * one entry per backbone in the order added. A backbone inside the project folder is stored by its
 * path relative to it (the project can move), any other by its absolute path or its model URL.
 *
 * <pre>
 * {"format": "protolens-compared-backbones", "version": 1, "backbones": ["backbones/resnet", "/models/mobilenet.pt"]}
 * </pre>
 */
public final class ComparedBackbones {
    public static final String FILE_NAME = "compared-backbones.json";
    private static final String FORMAT = "protolens-compared-backbones";
    private static final int MOST = 64;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ComparedBackbones() {
    }

    /**
     * The backbones remembered for the project in {@code dir}, as specs the loader takes (relative
     * paths resolved against {@code dir}); none when the file is absent.
     *
     * @throws IOException naming the file and the problem when it is damaged or not this format
     */
    public static List<String> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        JsonNode root;
        try {
            root = JsonFiles.readTree(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText(null))) {
            throw new IOException(file + ": not a list of compared backbones (\"format\" is not " + FORMAT + ")");
        }
        if (root.path("version").asInt(0) != 1) {
            throw new IOException(file + ": version " + root.path("version") + " is newer than this ProtoLens reads (1)");
        }
        JsonNode list = root.path("backbones");
        if (!list.isArray()) {
            throw new IOException(file + ": \"backbones\" is not a list");
        }
        LinkedHashSet<String> specs = new LinkedHashSet<>();
        for (JsonNode n : list) {
            if (!n.isTextual() || n.asText().isBlank()) {
                throw new IOException(file + ": an entry of \"backbones\" is " + n.getNodeType().name().toLowerCase(Locale.ROOT)
                        + ", expected a path or a model URL");
            }
            if (specs.size() == MOST) {
                throw new IOException(file + ": lists more than " + MOST + " backbones");
            }
            try {
                specs.add(resolved(dir, n.asText()));
            } catch (InvalidPathException e) {
                throw new IOException(file + ": \"" + n.asText() + "\" is not a path here (" + e.getReason() + ")");
            }
        }
        return List.copyOf(specs);
    }

    /** Remembers {@code specs} (paths or model URLs, in the order added) for the project in {@code dir}. */
    public static void write(Path dir, List<String> specs) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        ArrayNode list = root.putArray("backbones");
        for (String s : new LinkedHashSet<>(specs)) {
            list.add(stored(dir, s));
        }
        AtomicFiles.write(dir.resolve(FILE_NAME), out -> JSON.writeValue(out, root));
    }

    private static boolean isUrl(String spec) {
        return spec.matches("(?i)[a-z][a-z0-9+.-]*://.*");
    }

    private static String stored(Path dir, String spec) {
        if (isUrl(spec)) {
            return spec;
        }
        Path base = dir.toAbsolutePath().normalize();
        Path p = Path.of(spec).toAbsolutePath().normalize();
        return p.startsWith(base) ? base.relativize(p).toString().replace('\\', '/') : p.toString();
    }

    private static String resolved(Path dir, String stored) {
        if (isUrl(stored)) {
            return stored;
        }
        Path p = Path.of(stored);
        return p.isAbsolute() ? p.toString() : dir.toAbsolutePath().normalize().resolve(p).normalize().toString();
    }
}
