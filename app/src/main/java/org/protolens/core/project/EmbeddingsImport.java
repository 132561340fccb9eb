package org.protolens.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;

/**
 * Embeddings made elsewhere ({@code protolens embed}, a script, the Spark job's rows exported as
 * .npy) joining a project as imported images, as if the window had embedded them: refused when
 * another backbone made them, each row kept in the project's embedding cache under its file's
 * SHA-256 (so that the project opens with it, and can embed the file again if the cache is lost),
 * and applied as one import, stored in the catalog with its name in the edit log. Labels of classes
 * the project does not have make base classes of their images.
 */
public final class EmbeddingsImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingsImport() {
    }

    /** What an import did: how many images joined, and each row left out with why. */
    public record Result(int added, List<String> skipped, String edit) {
    }

    /**
     * The text of {@code X.json} beside {@code X.npy}: which backbone made the rows, so that they are
     * never mixed with another backbone's ({@link #fingerprintBeside} reads it).
     */
    public static String describe(String backbone, String fingerprint, int dim, int rows) {
        return JSON.createObjectNode()
                .put("format", "protolens-embeddings")
                .put("version", 1)
                .put("backbone", backbone)
                .put("fingerprint", fingerprint)
                .put("dim", dim)
                .put("rows", rows)
                .toPrettyString() + "\n";
    }

    /** {@code X.json} for {@code X.npy}. */
    public static Path besides(Path npy) {
        String name = npy.getFileName().toString();
        return npy.resolveSibling((name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name) + ".json");
    }

    /**
     * The backbone fingerprint written beside {@code X.npy} in {@code X.json} (as {@code protolens
     * embed} writes it), or null when there is no such file.
     *
     * @throws IOException naming the file when it is there but unreadable
     */
    public static String fingerprintBeside(Path npy) throws IOException {
        Path about = besides(npy);
        if (!Files.isRegularFile(about)) {
            return null;
        }
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(about));
        } catch (IOException | RuntimeException e) {
            throw new IOException(about + ": not readable JSON (" + e.getMessage() + ")");
        }
        String fp = n == null ? null : n.path("fingerprint").asText(null);
        if (fp == null || fp.isBlank()) {
            throw new IOException(about + ": names no \"fingerprint\" of the backbone that made " + npy.getFileName());
        }
        return fp;
    }

    /**
     * Adds {@code rows} (one per file) to the open project {@code p} and stores it.
     *
     * @param source      the file the rows came from, for messages
     * @param labels      a label for some files (absolute, normalised paths), or none
     * @param fingerprint the fingerprint of the backbone that made the rows
     * @throws IOException naming {@code source} when the rows do not fit the project or another backbone made them
     */
    public static Result apply(OpenProject p, Path source, FloatMatrix rows, List<Path> files, Map<Path, String> labels,
                               String fingerprint) throws IOException {
        Workspace w = p.workspace();
        if (rows.rows() != files.size()) {
            throw new IOException(source + ": " + rows.rows() + " rows for " + files.size() + " image paths");
        }
        if (rows.cols() != w.dim()) {
            throw new IOException(source + ": rows of " + rows.cols() + " dimensions; this project's backbone makes " + w.dim());
        }
        String own = BackboneLoader.fingerprintOf(w.state().backboneDir());
        if (!own.equals(fingerprint)) {
            throw new IOException(source + ": made by another backbone (fingerprint " + abbreviated(fingerprint) + ", this project's is "
                    + abbreviated(own) + "); embeddings of two backbones cannot be compared: make a project for these");
        }
        Set<String> present = new HashSet<>(w.state().imagePaths());
        List<ImportPlan.Item> items = new ArrayList<>();
        List<byte[]> sha = new ArrayList<>();
        List<Integer> taken = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i).toAbsolutePath().normalize();
            if (!present.add(Workspace.storedPath(w.state().dir(), file))) {
                skipped.add(file + ": in the project already");
                continue;
            }
            byte[] key = EmbeddingPipeline.sha256Of(file);
            if (key == null) {
                skipped.add(file + ": cannot be read; the project keeps an image only with its file (to embed it again if need be)");
                continue;
            }
            p.cache().put(key, rows.row(i));
            String label = labels.get(file);
            Workspace.Kind kind = label == null ? null : w.classNames().contains(label)
                    ? w.kind(w.classNames().indexOf(label)) : Workspace.Kind.BASE;
            items.add(new ImportPlan.Item(file, label, kind, false));
            sha.add(key);
            taken.add(i);
        }
        if (items.isEmpty()) {
            return new Result(0, skipped, null);
        }
        History h = new History(w);
        h.apply(History.importBatch(new Object(), items, sha, rows.selectRows(taken.stream().mapToInt(Integer::intValue).toArray())));
        String edit = h.nextUndo().description();
        p.save(edit);
        return new Result(items.size(), skipped, edit);
    }

    private static String abbreviated(String fingerprint) {
        return fingerprint == null ? "none" : fingerprint.length() > 12 ? fingerprint.substring(0, 12) + "…" : fingerprint;
    }
}
