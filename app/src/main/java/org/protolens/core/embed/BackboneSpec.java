package org.protolens.core.embed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.protolens.core.io.AtomicFiles;

/**
 * The JSON sidecar that describes a backbone: {@code backbone.json} in a backbone folder, or
 * {@code MODEL.json} beside a TorchScript file {@code MODEL.pt}.
 * <pre>
 * {
 *   "format": "djl-builtin" | "torchscript",
 *   "architecture": "resnet20",               (djl-builtin only)
 *   "weights": "resnet20-0000.params",        (file beside the sidecar)
 *   "input": {"width": 32, "height": 32, "mean": [..3..], "std": [..3..]},
 *   "classNames": ["airplane", ...],          (the base classes it was trained on; optional)
 *   "provenance": { ... }                     (free-form: data, epochs, seed, accuracy, device)
 * }
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackboneSpec(String format, String architecture, String weights, Input input, List<String> classNames,
                           JsonNode provenance) {

    public static final String FORMAT_BUILTIN = "djl-builtin";
    public static final String FORMAT_TORCHSCRIPT = "torchscript";
    public static final String FILE_NAME = "backbone.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(int width, int height, float[] mean, float[] std) {
        public Preprocessing preprocessing() {
            return new Preprocessing(width, height, mean, std);
        }

        public static Input of(Preprocessing p) {
            return new Input(p.width(), p.height(), p.mean(), p.std());
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static BackboneSpec read(Path file) throws IOException {
        BackboneSpec spec;
        try {
            spec = JSON.readValue(Files.readAllBytes(file), BackboneSpec.class);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a valid backbone description (" + e.getOriginalMessage() + ")");
        } catch (CharConversionException e) {
            throw new IOException(file + ": not a valid backbone description (not UTF-8 text: " + e.getMessage() + ")");
        }
        if (spec.input() == null) {
            throw new IOException(file + ": \"input\" (width, height, mean, std) is missing");
        }
        try {
            spec.input().preprocessing();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": \"input\" is invalid: " + e.getMessage());
        }
        return spec;
    }

    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(this) + "\n");
    }
}
