package org.protolens.core.project;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.FolderFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.proto.TeenCalibration;

/**
 * A project in text form, {@code project.json} in a project folder: its backbone, its classes, its
 * images with labels and shots, the base prototypes (computed over a full base training set that
 * the folder need not hold), and the embeddings of its images. The sample projects ship in this
 * form.
 * <pre>
 * {
 *   "format": "protolens-project", "version": 1,
 *   "name": "CIFAR-10 few-shot", "description": "...",
 *   "backbone": "backbone",                         (backbone folder, relative)
 *   "calibration": {"alpha": 0.5, "tau": 16},
 *   "classes": [{"name": "airplane", "kind": "base", "session": 0, "trainingImages": 5000},
 *               {"name": "frog", "kind": "novel", "session": 1}, ...],
 *   "basePrototypes": "base-prototypes.npy",        (one row per base class, in class order)
 *   "embeddings": "embeddings.npy",                 (one row per image, in image order)
 *   "images": [{"path": "images/frog/train-0412.jpg", "label": "frog", "shot": true}, ...],
 *   "provenance": { ... }
 * }
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectManifest(String format, int version, String name, String description, String backbone,
                              Calibration calibration, List<ClassEntry> classes, String basePrototypes, String embeddings,
                              List<ImageEntry> images, JsonNode provenance) {

    public static final String FILE_NAME = "project.json";
    public static final String FORMAT = "protolens-project";
    public static final String BASE = "base";
    public static final String NOVEL = "novel";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Calibration(double alpha, double tau) {
    }

    /** @param trainingImages base classes: how many training images their prototype averages */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClassEntry(String name, String kind, int session, Integer trainingImages) {
        @JsonIgnore
        public boolean isBase() {
            return BASE.equals(kind);
        }
    }

    /** @param label null for an unlabelled image */
    @JsonDeserialize(using = ImageEntryReader.class)
    public record ImageEntry(String path, String label, boolean shot) {
    }

    /**
     * Reads an image entry field by field from the parser: a project lists up to hundreds of
     * thousands of them, and Jackson's general record reading took most of a large project's open.
     * Unknown fields are skipped; a field of the wrong type is refused as any malformed JSON is.
     */
    static final class ImageEntryReader extends StdDeserializer<ImageEntry> {
        ImageEntryReader() {
            super(ImageEntry.class);
        }

        @Override
        public ImageEntry deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                return (ImageEntry) ctx.handleUnexpectedToken(ImageEntry.class, p);
            }
            String path = null;
            String label = null;
            boolean shot = false;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                switch (field) {
                    case "path" -> path = text(p, value, ctx, field);
                    case "label" -> label = text(p, value, ctx, field);
                    case "shot" -> {
                        if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                            shot = value == JsonToken.VALUE_TRUE;
                        } else if (value != JsonToken.VALUE_NULL) {
                            ctx.reportInputMismatch(ImageEntry.class,
                                    "\"shot\" of an image is " + kind(value) + ", expected true or false");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                return (ImageEntry) ctx.handleUnexpectedToken(ImageEntry.class, p);
            }
            return new ImageEntry(path, label, shot);
        }

        private static String text(JsonParser p, JsonToken value, DeserializationContext ctx, String field) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.VALUE_STRING) {
                ctx.reportInputMismatch(ImageEntry.class, "\"" + field + "\" of an image is " + kind(value) + ", expected text");
            }
            return p.getText();
        }

        private static String kind(JsonToken value) {
            return switch (value) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "true or false";
                case START_OBJECT -> "an object";
                case START_ARRAY -> "a list";
                case VALUE_STRING -> "text";
                default -> String.valueOf(value);
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @JsonIgnore
    public List<ClassEntry> baseClasses() {
        return classes.stream().filter(ClassEntry::isBase).toList();
    }

    /** The same project under another name. */
    public ProjectManifest withName(String newName) {
        return new ProjectManifest(format, version, newName, description, backbone, calibration, classes, basePrototypes,
                embeddings, images, provenance);
    }

    /** The same project with another backbone folder, its images' rows and base prototypes, and class entries. */
    public ProjectManifest withBackbone(String backboneFolder, List<ClassEntry> classEntries, String basePrototypesFile,
                                        String embeddingsFile) {
        return new ProjectManifest(format, version, name, description, backboneFolder, calibration, classEntries, basePrototypesFile,
                embeddingsFile, images, provenance);
    }

    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE_NAME), JSON.writeValueAsString(this) + "\n");
    }

    /**
     * Reads and checks {@code dir/project.json}; a problem is reported with the file and what is
     * wrong. Images whose files are not there are no problem here: see {@link #readChecked}.
     */
    public static ProjectManifest read(Path dir) throws IOException {
        return readChecked(dir).manifest();
    }

    /**
     * A project description, and the paths (as listed, in the list's order) of its images whose
     * files are not there: moved, deleted, or on a drive that is not mounted. Their embeddings,
     * labels and shots are in the project, so it opens without them.
     */
    public record Checked(ProjectManifest manifest, List<String> missingImages) {
    }

    /** {@link #read}, with the images whose files are missing. */
    public static Checked readChecked(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new IOException(dir + ": not a ProtoLens project (no " + FILE_NAME + ")");
        }
        ProjectManifest m;
        try {
            m = JSON.readValue(Files.readAllBytes(file), ProjectManifest.class);
        } catch (JacksonException e) {
            throw new IOException(file + ": not a valid project description (" + e.getOriginalMessage() + ")");
        } catch (CharConversionException e) {
            throw new IOException(file + ": not a valid project description (not UTF-8 text: " + e.getMessage() + ")");
        }
        return new Checked(m, m.check(file, dir));
    }

    /** Whether the image's file is there; its path, label and shot flag checked. */
    private static boolean checkImage(ImageEntry img, FolderFiles.Inside inside, Set<String> names, Set<String> baseNames, Path file)
            throws IOException {
        if (img == null) {
            throw new IOException(file + ": \"images\" holds an empty entry");
        }
        if (img.path() == null) {
            throw new IOException(file + ": an image has no \"path\"");
        }
        boolean there = inside.isFileInside(img.path(), file, "images[].path");
        if (img.label() != null && !names.contains(img.label())) {
            throw new IOException(file + ": image " + img.path() + " is labelled \"" + img.label() + "\", which is no class");
        }
        if (img.shot() && (img.label() == null || baseNames.contains(img.label()))) {
            throw new IOException(file + ": image " + img.path() + " is a shot but not of a novel class");
        }
        return there;
    }

    /** Checks everything; returns the paths of the images whose files are not there. */
    private List<String> check(Path file, Path dir) throws IOException {
        if (!FORMAT.equals(format)) {
            throw new IOException(file + ": \"format\" is " + format + ", expected " + FORMAT);
        }
        if (version != 1) {
            throw new IOException(file + ": project version " + version + " is newer than this ProtoLens reads (1)");
        }
        FolderFiles.requireInside(dir, backbone, file, "backbone");
        FolderFiles.requireInside(dir, basePrototypes, file, "basePrototypes");
        FolderFiles.requireInside(dir, embeddings, file, "embeddings");
        if (calibration != null) {
            try {
                new TeenCalibration(calibration.alpha(), calibration.tau());
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": \"calibration\": " + e.getMessage());
            }
        }
        if (backbone == null || !Files.isDirectory(dir.resolve(backbone))) {
            throw new IOException(file + ": backbone folder " + backbone + " is missing");
        }
        if (classes == null) {
            throw new IOException(file + ": lists no classes");
        }
        Set<String> names = new HashSet<>();
        for (ClassEntry c : classes) {
            if (c.name() == null || c.name().isBlank() || !names.add(c.name())) {
                throw new IOException(file + ": class name \"" + c.name() + "\" is empty or repeated");
            }
            if (!BASE.equals(c.kind()) && !NOVEL.equals(c.kind())) {
                throw new IOException(file + ": class \"" + c.name() + "\" has kind " + c.kind() + ", expected base or novel");
            }
            if (c.session() < 0 || (c.trainingImages() != null && c.trainingImages() < 0)) {
                throw new IOException(file + ": class \"" + c.name() + "\" has a negative session or number of training images");
            }
        }
        if (images == null) {
            throw new IOException(file + ": lists no images");
        }
        Set<String> baseNames = new HashSet<>();
        classes.stream().filter(ClassEntry::isBase).forEach(c -> baseNames.add(c.name()));
        // one look at the file system per image, in blocks on every core; the first problem in
        // the list's order is the one reported
        int block = 4096;
        IOException[] problems = new IOException[(images.size() + block - 1) / block];
        boolean[] missing = new boolean[images.size()];
        IntStream.range(0, problems.length).parallel().forEach(b -> {
            FolderFiles.Inside inside = new FolderFiles.Inside(dir);
            try {
                for (int i = b * block; i < Math.min(images.size(), (b + 1) * block); i++) {
                    missing[i] = !checkImage(images.get(i), inside, names, baseNames, file);
                }
            } catch (IOException e) {
                problems[b] = e;
            }
        });
        for (IOException problem : problems) {
            if (problem != null) {
                throw problem;
            }
        }
        List<String> missingImages = new ArrayList<>();
        for (int i = 0; i < missing.length; i++) {
            if (missing[i]) {
                missingImages.add(images.get(i).path());
            }
        }
        int base = baseClasses().size();
        if (base > 0) {
            FloatMatrix protos = basePrototypes(dir);
            if (protos.rows() != base) {
                throw new IOException(dir.resolve(basePrototypes) + ": has " + protos.rows() + " rows for " + base + " base classes");
            }
        }
        if (embeddings != null) {
            // the header says the shape; the values are read (and checked) once, when the project opens
            long rows = NpyFile.matrixShape(dir.resolve(embeddings))[0];
            if (rows != images.size()) {
                throw new IOException(dir.resolve(embeddings) + ": has " + rows + " rows for " + images.size() + " images");
            }
        }
        return List.copyOf(missingImages);
    }

    public FloatMatrix basePrototypes(Path dir) throws IOException {
        if (basePrototypes == null) {
            throw new IOException(dir.resolve(FILE_NAME) + ": names no base prototypes file");
        }
        return NpyFile.readMatrix(dir.resolve(basePrototypes));
    }

    /** The stored embeddings of the images, or null when the project stores none. */
    public FloatMatrix embeddings(Path dir) throws IOException {
        return embeddings == null ? null : NpyFile.readMatrix(dir.resolve(embeddings));
    }
}
