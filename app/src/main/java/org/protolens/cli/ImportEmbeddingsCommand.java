package org.protolens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.ProjectManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "import-embeddings", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Adds images embedded elsewhere to a project, without embedding them again: X.npy (one row per image),",
            "X.paths.txt (the images, same order), X.json (the backbone's fingerprint) and X.labels.csv (if any are labelled),",
            "as `protolens embed`, the Spark job's --npy and the app's File > Export > Embeddings write them; or Parquet rows",
            "(the Spark job's output folder, its job.json, or .parquet files with path and embedding columns),",
            "into a project, or into a new one of the backbone that made them (--new-backbone).",
            "Refused when another backbone made them. Each file is read once (its SHA-256 keys its row in the project's",
            "cache); unreadable files and images already in the project are left out and listed. Labels from a CSV",
            "(path,label) label them; a label the project has no class for makes a base class of its images."})
final class ImportEmbeddingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--project", required = true, paramLabel = "DIR",
            description = "the project folder (with project.json); with --new-backbone, a new folder for a new project")
    Path project;

    @Option(names = "--new-backbone", paramLabel = "BACKBONE_DIR",
            description = "make --project a new, empty project of this backbone (a folder with backbone.json, as a project's"
                    + " backbone/ or the Spark job's --backbone) first; the rows then join it")
    Path newBackbone;

    @Option(names = "--name", paramLabel = "NAME", description = "the new project's name (default: the folder's)")
    String name;

    @Option(names = "--embeddings", required = true, paramLabel = "X.npy|PARQUET",
            description = "the rows: X.npy (float32 or float64), or Parquet (a Spark job's output folder, its job.json, a .parquet file)")
    Path embeddings;

    @Option(names = "--images-root", paramLabel = "DIR",
            description = "Parquet rows: where the job's images are on this computer (each row's relative_path below it),"
                    + " when the paths it wrote are a cluster's")
    Path imagesRoot;

    @Option(names = "--paths", paramLabel = "PATHS.txt", description = "the images, one per row (default: X.paths.txt)")
    Path paths;

    @Option(names = "--labels", paramLabel = "CSV",
            description = "labels: a CSV with path and label columns (default: X.labels.csv where there is one)")
    Path labels;

    @Option(names = "--fingerprint", paramLabel = "SHA256",
            description = "the fingerprint of the backbone that made the rows, where X.json does not say it")
    String fingerprint;

    @Override
    public Integer call() throws Exception {
        if (newBackbone == null && !Files.isRegularFile(project.resolve(ProjectManifest.FILE_NAME))) {
            throw CliArgs.usage(spec, project + ": not a project folder (project.json is missing); --new-backbone makes one");
        }
        if (newBackbone != null && !Files.isDirectory(newBackbone)) {
            throw CliArgs.usage(spec, newBackbone + ": not a backbone folder");
        }
        if (!Files.exists(embeddings)) {
            throw CliArgs.usage(spec, embeddings + ": no such file or folder");
        }
        boolean parquet = EmbeddingsImport.isParquet(embeddings);
        if (parquet && paths != null) {
            throw CliArgs.usage(spec, "--paths is for X.npy; Parquet rows name their images");
        }
        if (!parquet && imagesRoot != null) {
            throw CliArgs.usage(spec, "--images-root is for Parquet rows; X.npy's images are listed in X.paths.txt");
        }
        if (!parquet && fingerprint == null && EmbeddingsImport.fingerprintBeside(embeddings) == null) {
            throw new IOException(embeddings + ": which backbone made these rows is not known ("
                    + EmbeddingsImport.besides(embeddings).getFileName()
                    + " is missing); give --fingerprint, so that another backbone's embeddings are never mixed into the project");
        }
        EmbeddingsImport.Source source = parquet ? EmbeddingsImport.readParquet(embeddings, imagesRoot, labels, fingerprint)
                : EmbeddingsImport.read(embeddings, paths, labels, fingerprint);
        PrintWriter err = spec.commandLine().getErr();
        if (newBackbone != null) {
            // the rows are read and their backbone known before anything is made
            String made = BackboneLoader.fingerprintOf(newBackbone);
            if (!made.equals(source.fingerprint())) {
                throw new IOException(embeddings + ": made by another backbone than " + newBackbone + " (fingerprints "
                        + source.fingerprint() + " and " + made + ")");
            }
            OpenProject.createWithBackbone(project, name != null ? name : String.valueOf(project.toAbsolutePath().getFileName()),
                    newBackbone, null);
            err.println("made the project " + project + " of " + newBackbone);
        }
        try (OpenProject p = OpenProject.open(project)) {
            EmbeddingsImport.Result r = EmbeddingsImport.apply(p, source);
            r.skipped().forEach(s -> err.println("left out " + s));
            err.printf(Locale.ROOT, "%d of %d images added to %s%s%n", r.added(), source.files().size() + source.leftOut().size(), project,
                    r.edit() == null ? "" : " (" + r.edit() + ")");
            err.flush();
        }
        return 0;
    }
}
