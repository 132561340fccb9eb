package org.protolens.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small JSON files someone may send (the project's side files): read whole, refused by name when they are not JSON. */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFiles() {
    }

    /**
     * The JSON tree of {@code file}; a missing node for an empty file.
     *
     * @throws java.nio.file.NoSuchFileException when it is not there
     * @throws IOException naming the file when it cannot be read as JSON (malformed, an encoding Jackson cannot decode)
     */
    public static JsonNode readTree(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not readable JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException | RuntimeException e) {
            // a byte order or an encoding Jackson cannot decode
            throw new IOException(file + ": not readable JSON (" + e.getMessage() + ")");
        }
    }
}
