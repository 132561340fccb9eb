package org.protolens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.ProjectManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "import-embeddings", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Adds images embedded elsewhere to a project, without embedding them again: X.npy (one row per image),",
            "X.paths.txt (the images, same order) and X.json (the backbone's fingerprint), as `protolens embed` writes them.",
            "Refused when another backbone made them. Each file is read once (its SHA-256 keys its row in the project's",
            "cache); unreadable files and images already in the project are left out and listed. Labels from a CSV",
            "(path,label) label them; a label the project has no class for makes a base class of its images."})
final class ImportEmbeddingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, paramLabel = "DIR", description = "the project folder (with project.json)")
    Path project;

    @Option(names = "--embeddings", required = true, paramLabel = "X.npy", description = "the rows (float32 or float64)")
    Path embeddings;

    @Option(names = "--paths", paramLabel = "PATHS.txt", description = "the images, one per row (default: X.paths.txt)")
    Path paths;

    @Option(names = "--labels", paramLabel = "CSV", description = "labels: a CSV with path and label columns (the app's labels export)")
    Path labels;

    @Option(names = "--fingerprint", paramLabel = "SHA256",
            description = "the fingerprint of the backbone that made the rows, where X.json does not say it")
    String fingerprint;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(project.resolve(ProjectManifest.FILE_NAME))) {
            throw CliArgs.usage(spec, project + ": not a project folder (project.json is missing)");
        }
        String prefix = embeddings.toString().endsWith(".npy")
                ? embeddings.toString().substring(0, embeddings.toString().length() - 4) : embeddings.toString();
        Path pathsFile = paths != null ? paths : Path.of(prefix + ".paths.txt");
        String made = fingerprint != null ? fingerprint : EmbeddingsImport.fingerprintBeside(embeddings);
        if (made == null) {
            throw new IOException(embeddings + ": which backbone made these rows is not known ("
                    + EmbeddingsImport.besides(embeddings).getFileName()
                    + " is missing); give --fingerprint, so that another backbone's embeddings are never mixed into the project");
        }
        FloatMatrix rows = NpyFile.readMatrix(embeddings);
        List<Path> files = PathLines.read(pathsFile).stream().map(s -> Path.of(s).toAbsolutePath().normalize()).toList();
        Map<Path, String> byFile = labels == null ? Map.of() : readLabels(labels);
        PrintWriter err = spec.commandLine().getErr();
        try (OpenProject p = OpenProject.open(project)) {
            EmbeddingsImport.Result r = EmbeddingsImport.apply(p, embeddings, rows, files, byFile, made);
            r.skipped().forEach(s -> err.println("left out " + s));
            err.printf(Locale.ROOT, "%d of %d images added to %s%s%n", r.added(), files.size(), project,
                    r.edit() == null ? "" : " (" + r.edit() + ")");
            err.flush();
        }
        return 0;
    }

    /** path,label rows; paths relative to the CSV's folder or absolute. */
    private static Map<Path, String> readLabels(Path csv) throws IOException {
        Map<Path, String> out = new HashMap<>();
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            if (!parser.getHeaderMap().containsKey("path") || !parser.getHeaderMap().containsKey("label")) {
                throw new IOException(csv + ": needs the columns path and label (it has " + parser.getHeaderNames() + ")");
            }
            for (CSVRecord r : parser) {
                String label = r.get("label");
                if (label != null && !label.isBlank()) {
                    out.put(csv.toAbsolutePath().getParent().resolve(r.get("path")).normalize(), label.strip());
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new IOException(csv + ": not a CSV ProtoLens can read (" + e.getMessage() + ")");
        }
        return out;
    }
}
