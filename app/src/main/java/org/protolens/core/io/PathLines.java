package org.protolens.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A text file with one path per line, line i for row i of an array beside it ({@code OUT.paths.txt}).
 * A file name may hold any character but '/' and NUL, line breaks included; such a path, and one
 * that starts with a double quote, is written as a JSON string (quoted, escaped), so that every
 * row stays on its own line. Every other path is written as it is. To read it elsewhere:
 * {@code [json.loads(l) if l.startswith('"') else l for l in f.read().split('\n')[:-1]]}.
 */
public final class PathLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PathLines() {
    }

    /** The line for one path, without its line break. */
    static String line(String path) {
        boolean plain = !path.startsWith("\"") && path.chars().noneMatch(c -> c == '\n' || c == '\r' || c == '\u2028'
                || c == '\u2029' || c == '\u0085' || c == '\u000b' || c == '\u000c');
        if (plain) {
            return path;
        }
        try {
            return JSON.writeValueAsString(path);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(Path file, List<String> paths) throws IOException {
        AtomicFiles.writeString(file, text(paths));
    }

    /** The file's text for {@code paths}, for storage that is not a local file (a cluster's file system). */
    public static String text(List<String> paths) {
        StringBuilder text = new StringBuilder();
        for (String p : paths) {
            text.append(line(p)).append('\n');
        }
        return text.toString();
    }

    public static List<String> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e + ")", e);
        }
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            String l = text.substring(from, nl);
            try {
                out.add(l.startsWith("\"") ? JSON.readValue(l, String.class) : l);
            } catch (JsonProcessingException e) {
                throw new IOException(file + ":" + (out.size() + 1) + ": a quoted path that is not a JSON string", e);
            }
            from = nl + 1;
        }
        if (from < text.length()) {
            throw new IOException(file + ": the last line has no line break (the file was cut off)");
        }
        return out;
    }
}
