package org.protolens.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.embed.EmbeddingCache;
import org.protolens.core.embed.Preprocessing;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.FolderFiles;
import org.protolens.core.io.JsonFiles;
import org.protolens.core.io.NpyFile;

/**
 * Another backbone becomes the project's own, with every label, shot, class and "not this class"
 * mark kept (they are the catalog's, which the switch does not touch): its folder is copied into
 * the project ({@code backbones/}), the project's images' rows and the base classes' prototypes
 * under it are stored beside it, and project.json names them. The backbone left behind keeps its
 * files and is recorded in {@code backbones/switched.json}, so that switching back restores them
 * exactly, base prototypes made from a whole training set included.
 *
 * <p>A backbone that has no files of the project yet gets them from its rows of every image: the
 * project's images' rows as they are, each base class's prototype the mean of its labelled images
 * under that backbone (the training set behind the old prototypes is not in the project), the
 * imported images' rows kept in the project's cache for that backbone. The map is made again at
 * the next open. The switch is written file by file, project.json last: a crash before that
 * leaves the project as it was.
 */
public final class BackboneSwitch {
    /** the folder of the backbones copied into the project and their files */
    public static final String FOLDER = "backbones";
    static final String RECORD = "switched.json";
    private static final String FORMAT = "protolens-switched-backbones";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BackboneSwitch() {
    }

    /** A backbone's files in the project: its folder, its rows of the project's images, its base prototypes, how many images made each. */
    record Stored(String backbone, String embeddings, String basePrototypes, Map<String, Integer> trainingImages) {
    }

    /**
     * What the switch did.
     *
     * @param backbone the project's backbone folder now (relative to the project)
     * @param previous the folder of the backbone it replaced
     * @param reused   whether the new backbone's files were there from an earlier switch (not made again)
     */
    public record Result(String backbone, String previous, boolean reused) {
    }

    /**
     * Makes {@code spec} the backbone of the closed project that {@code s} shows.
     *
     * @param spec a backbone folder, a TorchScript file (its preprocessing in MODEL.json beside it) or a model URL
     * @param rows every image of {@code s} embedded by that backbone, in image order
     * @throws IOException naming the problem: an image the backbone could not read, a base class
     *                     without labelled images to make its prototype from, a file that cannot be written
     */
    public static Result apply(WorkspaceState s, String spec, FloatMatrix rows) throws IOException {
        Path dir = s.dir();
        ProjectManifest m = s.manifest();
        if (rows.rows() != s.imageCount()) {
            throw new IOException(spec + ": " + rows.rows() + " rows for the project's " + s.imageCount() + " images");
        }
        List<String> unread = new ArrayList<>();
        for (int i = 0; i < rows.rows(); i++) {
            if (Float.isNaN(rows.get(i, 0))) {
                unread.add(s.imagePath(i));
            }
        }
        if (!unread.isEmpty()) {
            throw new IOException(spec + " could not read " + unread.size() + " of the project's images (" + String.join(", ",
                    unread.subList(0, Math.min(5, unread.size()))) + (unread.size() > 5 ? ", …" : "")
                    + "); the project keeps its backbone");
        }
        Map<String, Stored> record = read(dir);
        String own = m.backbone();
        record.put(own, new Stored(own, m.embeddings(), m.basePrototypes(), trainingImages(m)));

        Installed installed = install(dir, spec);
        String folder = installed.folder();
        Prepared prepared;
        try {
            prepared = prepare(dir, s, spec, rows, m, own, record, folder);
        } catch (IOException | RuntimeException e) {
            // a refused switch leaves no copy of the backbone behind
            if (installed.copied()) {
                AtomicFiles.deleteTree(dir.resolve(folder));
            }
            throw e;
        }
        // the switch itself: project.json names the new backbone and its files
        prepared.manifest().write(dir);

        // the Backbones tab lists the one left behind, to compare with or switch back to
        List<String> compared = new ArrayList<>(ComparedBackbones.read(dir));
        Path now = dir.resolve(folder).toAbsolutePath().normalize();
        compared.removeIf(c -> c.equals(spec) || c.equals(now.toString()));
        compared.add(dir.resolve(own).toAbsolutePath().normalize().toString());
        ComparedBackbones.write(dir, compared);
        return new Result(folder, own, prepared.reused());
    }

    /** What the switch writes last, and whether the backbone's files were there from an earlier switch. */
    private record Prepared(ProjectManifest manifest, boolean reused) {
    }

    /**
     * Everything before project.json, once the backbone's folder is in the project: its files (made
     * or found), the imported images' rows in its cache, the record of the backbone left behind.
     */
    private static Prepared prepare(Path dir, WorkspaceState s, String spec, FloatMatrix rows, ProjectManifest m, String own,
                                    Map<String, Stored> record, String folder) throws IOException {
        String fingerprint = BackboneLoader.fingerprintOf(dir.resolve(folder));
        if (fingerprint.equals(BackboneLoader.fingerprintOf(dir.resolve(own)))) {
            throw new IOException(spec + ": is the project's backbone already");
        }
        int projectImages = s.projectImageCount();
        List<ProjectManifest.ClassEntry> base = m.baseClasses();
        Stored target = usable(dir, record.get(folder), projectImages, base.size(), rows.cols());
        boolean reused = target != null;
        if (target == null) {
            target = write(dir, s, folder, rows, base);
            record.put(folder, target);
        }
        // the imported images' rows, where the project looks for them when it opens with this backbone
        try (EmbeddingCache cache = EmbeddingCache.open(dir.resolve(OpenProject.CACHE_FOLDER), fingerprint, rows.cols())) {
            List<Workspace.ImportedImage> imported = s.imported();
            for (int j = 0; j < imported.size(); j++) {
                cache.put(imported.get(j).sha256(), rows.row(projectImages + j));
            }
        }
        writeRecord(dir, record);
        Files.deleteIfExists(dir.resolve(ProjectMap.FILE_NAME));
        List<ProjectManifest.ClassEntry> classes = new ArrayList<>();
        for (ProjectManifest.ClassEntry c : m.classes()) {
            Integer count = c.isBase() ? target.trainingImages().get(c.name()) : c.trainingImages();
            classes.add(new ProjectManifest.ClassEntry(c.name(), c.kind(), c.session(), count));
        }
        return new Prepared(m.withBackbone(folder, classes, target.basePrototypes(), target.embeddings()), reused);
    }

    private static Map<String, Integer> trainingImages(ProjectManifest m) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ProjectManifest.ClassEntry c : m.baseClasses()) {
            counts.put(c.name(), c.trainingImages());
        }
        return counts;
    }

    /** A backbone's recorded files when they are there and fit the project as it is; else null. */
    private static Stored usable(Path dir, Stored f, int images, int baseClasses, int dim) {
        if (f == null || f.embeddings() == null) {
            return null;
        }
        try {
            long[] e = NpyFile.matrixShape(dir.resolve(f.embeddings()));
            if (e[0] != images || e[1] != dim) {
                return null;
            }
            if (baseClasses > 0) {
                long[] p = f.basePrototypes() == null ? null : NpyFile.matrixShape(dir.resolve(f.basePrototypes()));
                if (p == null || p[0] != baseClasses || p[1] != dim) {
                    return null;
                }
            }
            return f;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes a backbone's rows of the project's images and its base prototypes (the means of the labelled base images). */
    private static Stored write(Path dir, WorkspaceState s, String folder, FloatMatrix rows, List<ProjectManifest.ClassEntry> base)
            throws IOException {
        int d = rows.cols();
        String stem = FOLDER + "/" + Path.of(folder).getFileName();
        String embeddings = stem + ".embeddings.npy";
        String prototypes = base.isEmpty() ? null : stem + ".base-prototypes.npy";
        float[] sums = new float[base.size() * d];
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> empty = new ArrayList<>();
        for (int b = 0; b < base.size(); b++) {
            String name = base.get(b).name();
            int k = s.classNames().indexOf(name);
            int count = 0;
            for (int i = 0; k >= 0 && i < s.imageCount(); i++) {
                if (s.label(i) == k) {
                    for (int j = 0; j < d; j++) {
                        sums[b * d + j] += rows.get(i, j);
                    }
                    count++;
                }
            }
            if (count == 0) {
                empty.add(name);
            }
            for (int j = 0; j < d; j++) {
                sums[b * d + j] /= Math.max(1, count);
            }
            counts.put(name, count);
        }
        if (!empty.isEmpty()) {
            throw new IOException("the base " + (empty.size() == 1 ? "class " : "classes ") + String.join(", ", empty)
                    + (empty.size() == 1 ? " has" : " have") + " no labelled images in the project to make "
                    + (empty.size() == 1 ? "its prototype" : "their prototypes") + " from with another backbone; the project keeps"
                    + " its backbone");
        }
        Files.createDirectories(dir.resolve(FOLDER));
        NpyFile.writeMatrix(dir.resolve(embeddings), rows.selectRows(IntStream.range(0, s.projectImageCount()).toArray()));
        if (prototypes != null) {
            NpyFile.writeMatrix(dir.resolve(prototypes), new FloatMatrix(base.size(), d, sums));
        }
        return new Stored(folder, embeddings, prototypes, counts);
    }

    /** A backbone's folder in the project (relative), and whether this switch copied it there. */
    record Installed(String folder, boolean copied) {
    }

    /**
     * The backbone's folder in the project: a folder already inside it as it is; otherwise a copy
     * in {@code backbones/NAME-FINGERPRINT}, made whole before it takes that name.
     */
    static Installed install(Path dir, String spec) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!spec.matches("(?i)[a-z][a-z0-9+.-]*://.*") && !spec.equals(BackboneLoader.IMAGENET_RESNET18)) {
            Path p = Path.of(spec).toAbsolutePath().normalize();
            if (Files.isDirectory(p) && p.startsWith(root) && !p.equals(root)) {
                return new Installed(root.relativize(p).toString().replace('\\', '/'), false);
            }
        }
        Path tmp = root.resolve(FOLDER).resolve(".installing");
        AtomicFiles.deleteTree(tmp);
        Files.createDirectories(tmp);
        String name;
        try {
            if (spec.matches("(?i)(djl|https?|file|jar|s3)://.*") || spec.equals(BackboneLoader.IMAGENET_RESNET18)) {
                String url = spec.equals(BackboneLoader.IMAGENET_RESNET18) ? BackboneLoader.IMAGENET_RESNET18_URL : spec;
                Preprocessing p = Preprocessing.imagenet(224);
                torchScript(BackboneLoader.zooModelFile(url, p, null), p, tmp, url);
                name = url.replaceAll(".*/", "");
            } else {
                Path p = Path.of(spec);
                if (Files.isDirectory(p)) {
                    OpenProject.copyTree(p, tmp, rel -> true);
                    name = p.getFileName().toString().equals("backbone") && p.getParent() != null
                            && p.getParent().getFileName() != null ? p.getParent().getFileName().toString() : p.getFileName().toString();
                } else if (Files.isRegularFile(p)) {
                    Path sidecar = BackboneLoader.sidecarOf(p);
                    if (!Files.isRegularFile(sidecar)) {
                        throw new IOException(p + ": its preprocessing is not known (" + sidecar.getFileName() + " is missing)");
                    }
                    torchScript(p, BackboneSpec.read(sidecar).input().preprocessing(), tmp, p.toAbsolutePath().toString());
                    name = p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                } else {
                    throw new IOException(spec + ": no such backbone file or folder");
                }
            }
            String fingerprint = BackboneLoader.fingerprintOf(tmp);
            String folder = FOLDER + "/" + name.replaceAll("[^A-Za-z0-9._-]+", "-").toLowerCase(Locale.ROOT)
                    + "-" + fingerprint.substring(0, 8);
            Path target = root.resolve(folder);
            if (Files.exists(target)) {
                return new Installed(folder, false);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return new Installed(folder, true);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    private static void torchScript(Path model, Preprocessing p, Path folder, String from) throws IOException {
        String weights = model.getFileName().toString().endsWith(".pt") ? model.getFileName().toString() : "model.pt";
        Files.copy(model, folder.resolve(weights));
        ObjectNode provenance = JsonNodeFactory.instance.objectNode().put("importedFrom", from);
        new BackboneSpec(BackboneSpec.FORMAT_TORCHSCRIPT, null, weights, BackboneSpec.Input.of(p), null, provenance)
                .write(folder.resolve(BackboneSpec.FILE_NAME));
    }

    /**
     * The backbone folders (relative to the project) whose files {@code backbones/switched.json}
     * keeps, to switch back to.
     *
     * @throws IOException naming the file when it is there but not such a record
     */
    public static List<String> switchedFrom(Path dir) throws IOException {
        return List.copyOf(read(dir).keySet());
    }

    /**
     * The backbones the project was switched away from, by folder: {@code backbones/switched.json}.
     *
     * @throws IOException naming the file when it is there but not such a record (its paths must lie inside the project)
     */
    static Map<String, Stored> read(Path dir) throws IOException {
        Path file = dir.resolve(FOLDER).resolve(RECORD);
        Map<String, Stored> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        JsonNode root = JsonFiles.readTree(file);
        if ( !FORMAT.equals(root.path("format").asText(null)) || !root.path("backbones").isArray()) {
            throw new IOException(file + ": not a record of switched backbones (\"format\" is not " + FORMAT + ")");
        }
        for (JsonNode n : root.path("backbones")) {
            String backbone = n.path("backbone").asText(null);
            String embeddings = n.path("embeddings").asText(null);
            String prototypes = n.path("basePrototypes").isTextual() ? n.path("basePrototypes").asText() : null;
            if (backbone == null || embeddings == null) {
                throw new IOException(file + ": an entry names no \"backbone\" or \"embeddings\"");
            }
            FolderFiles.requireInside(dir, backbone, file, "backbone");
            FolderFiles.requireInside(dir, embeddings, file, "embeddings");
            FolderFiles.requireInside(dir, prototypes, file, "basePrototypes");
            Map<String, Integer> counts = new LinkedHashMap<>();
            n.path("trainingImages").properties().forEach(e -> counts.put(e.getKey(), e.getValue().isInt() && e.getValue().asInt() >= 0
                    ? e.getValue().asInt() : null));
            out.put(backbone, new Stored(backbone, embeddings, prototypes, counts));
        }
        return out;
    }

    private static void writeRecord(Path dir, Map<String, Stored> record) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        ArrayNode list = root.putArray("backbones");
        for (Stored f : record.values()) {
            ObjectNode n = list.addObject();
            n.put("backbone", f.backbone());
            n.put("embeddings", f.embeddings());
            if (f.basePrototypes() != null) {
                n.put("basePrototypes", f.basePrototypes());
            }
            ObjectNode counts = n.putObject("trainingImages");
            f.trainingImages().forEach((k, v) -> {
                if (v != null) {
                    counts.put(k, v);
                }
            });
        }
        Files.createDirectories(dir.resolve(FOLDER));
        AtomicFiles.writeString(dir.resolve(FOLDER).resolve(RECORD), JSON.writeValueAsString(root) + "\n");
    }
}
