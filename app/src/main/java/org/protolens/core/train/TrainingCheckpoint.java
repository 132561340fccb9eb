package org.protolens.core.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.protolens.core.io.AtomicFiles;

/**
 * What training has done so far, written after every epoch to a checkpoint folder:
 * {@code state.json} and the network's weights (backbone and head) in {@code net-EEEE.params}.
 * The state is replaced atomically after its weights file is complete, so a crash at any moment
 * leaves the previous epoch's checkpoint readable.
 *
 * @param epochsDone       epochs completed
 * @param settings         the settings training was started with; resuming requires the same
 * @param dataFingerprint  {@link ImageDataset#fingerprint()} of the training data
 * @param trainingSeconds  time spent training over all runs so far
 * @param heldOutAccuracy  accuracy on the held-out base images after the last epoch (NaN: none)
 * @param weights          the weights file's name in the checkpoint folder
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingCheckpoint(int epochsDone, BackboneTrainer.Settings settings, String dataFingerprint,
                                 double trainingSeconds, double heldOutAccuracy, String weights) {

    static final String STATE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The checkpoint in {@code dir}, or null when there is none. */
    public static TrainingCheckpoint read(Path dir) throws IOException {
        Path state = dir.resolve(STATE);
        if (!Files.exists(state)) {
            return null;
        }
        TrainingCheckpoint c;
        try {
            c = JSON.readValue(Files.readAllBytes(state), TrainingCheckpoint.class);
        } catch (JacksonException e) {
            throw new IOException(state + ": not a training checkpoint (" + e.getOriginalMessage()
                    + "); delete the folder to start afresh");
        }
        if (c.settings() == null || c.weights() == null || !Files.exists(dir.resolve(c.weights()))) {
            throw new IOException(state + ": incomplete training checkpoint; delete the folder to start afresh");
        }
        return c;
    }

    /**
     * Why training with {@code settings} on data with {@code fingerprint} cannot resume from this
     * checkpoint, or null when it can.
     */
    String mismatch(BackboneTrainer.Settings settings, String fingerprint) {
        if (!this.settings.equals(settings)) {
            return "it was made with other settings (" + this.settings + ")";
        }
        if (!dataFingerprint.equals(fingerprint)) {
            return "it was made on other training data";
        }
        return null;
    }

    /** Writes the weights, then the state; removes older weights files. */
    void write(Path dir, AtomicFiles.Writer weightsWriter) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(weights), weightsWriter);
        AtomicFiles.writeString(dir.resolve(STATE), JSON.writeValueAsString(this));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith("net-") && n.endsWith(".params") && !n.equals(weights)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String weightsName(int epochsDone) {
        return String.format(Locale.ROOT, "net-%04d.params", epochsDone);
    }
}
