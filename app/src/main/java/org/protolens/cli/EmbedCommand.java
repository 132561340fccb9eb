package org.protolens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingCache;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.embed.ImageFiles;
import org.protolens.core.embed.Preprocessing;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.PathLines;
import org.protolens.core.project.EmbeddingsImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "embed", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Embeds images with a frozen backbone.",
            "Writes OUT.npy (n x d float32), OUT.paths.txt (one image path per row, same order)",
            "and OUT.json (the backbone's name, fingerprint and dimension).",
            "Unreadable images are listed on stderr and skipped; progress goes to stderr."})
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backbone", required = true, paramLabel = "MODEL",
            description = "MODEL.pt (TorchScript, preprocessing in MODEL.json), a backbone folder with backbone.json, "
                    + "a model URL (djl://, https://, file://), or " + BackboneLoader.IMAGENET_RESNET18)
    String backbone;

    @Option(names = "--images", required = true, arity = "1..*", paramLabel = "DIR_OR_FILE",
            description = "image files, or folders searched recursively for JPEG, PNG, GIF, BMP, TIFF and WebP files")
    List<Path> images;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "output prefix: writes OUT.npy and OUT.paths.txt")
    Path out;

    @Option(names = "--input-size", paramLabel = "WxH", description = "network input size (overrides the sidecar), e.g. 224 or 224x224")
    String inputSize;

    @Option(names = "--mean", split = ",", paramLabel = "R,G,B", description = "normalisation mean on [0, 1] (with --input-size)")
    float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "R,G,B", description = "normalisation std on [0, 1] (with --input-size)")
    float[] std;

    @Option(names = "--batch-size", defaultValue = "32", description = "images per forward pass (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--decode-threads", description = "most threads decoding ahead of the model; more start only while the model waits "
            + "(default: one per core, at most 8)")
    Integer decodeThreads;

    @Option(names = "--cache", paramLabel = "DIR", description = "embedding cache folder (default: ${DEFAULT-VALUE})",
            defaultValue = "${sys:user.home}/.cache/protolens/embeddings")
    Path cache;

    @Option(names = "--no-cache", description = "compute every embedding, read and write no cache")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) {
            throw CliArgs.usage(spec, "--batch-size must be at least 1");
        }
        if (decodeThreads != null && decodeThreads < 1) {
            throw CliArgs.usage(spec, "--decode-threads must be at least 1, got " + decodeThreads);
        }
        Preprocessing override = preprocessingOverride();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files = new ArrayList<>();
        for (Path p : images) {
            if (Files.isDirectory(p)) {
                files.addAll(ImageFiles.under(p));
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new IOException(p + ": no such file or folder");
            }
        }
        if (files.isEmpty()) {
            throw new IOException(String.join(", ", images.stream().map(Path::toString).toList()) + ": no image files found");
        }
        String prefix = out.toString().endsWith(".npy") ? out.toString().substring(0, out.toString().length() - 4) : out.toString();
        try (Backbone b = BackboneLoader.open(backbone, override,
                (what, done, total) -> err.printf(Locale.ROOT, "downloading %s: %s%n", what,
                        total > 0 ? (100 * done / total) + "%" : done + " bytes"))) {
            err.printf(Locale.ROOT, "backbone %s (%d-d, input %dx%d) on %s%n", b.name(), b.embeddingDim(),
                    b.preprocessing().width(), b.preprocessing().height(), b.device());
            err.flush();
            EmbeddingCache c = null;
            if (!noCache) {
                try {
                    c = EmbeddingCache.open(cache, b.fingerprint(), b.embeddingDim());
                } catch (IOException e) {
                    err.println("embedding without the cache: " + e.getMessage());
                }
            }
            try {
                int threads = decodeThreads == null ? EmbeddingPipeline.defaultDecodeThreads() : decodeThreads;
                long start = System.nanoTime();
                long[] lastPrint = {0};
                var result = new EmbeddingPipeline(b, c, batchSize, threads).embed(files, new EmbeddingPipeline.Listener() {
                    @Override
                    public void progress(int done, int total) {
                        long now = System.nanoTime();
                        if (done == total || now - lastPrint[0] > 1_000_000_000L) {
                            lastPrint[0] = now;
                            double secs = (now - start) / 1e9;
                            err.printf(Locale.ROOT, "embedded %d/%d images (%.1f images/s)%n", done, total, done / Math.max(secs, 1e-9));
                            err.flush();
                        }
                    }

                    @Override
                    public void failed(EmbeddingPipeline.Failure f) {
                        err.println("skipped " + f.file() + ": " + f.problem());
                        err.flush();
                    }
                }, null);
                if (result.paths().isEmpty()) {
                    throw new IOException("none of the " + files.size() + " files could be read as an image");
                }
                NpyFile.writeMatrix(Path.of(prefix + ".npy"), result.embeddings());
                PathLines.write(Path.of(prefix + ".paths.txt"),
                        result.paths().stream().map(Path::toString).toList());
                // which backbone made them, so that they are never mixed with another backbone's
                AtomicFiles.writeString(EmbeddingsImport.besides(Path.of(prefix + ".npy")), EmbeddingsImport.describe(b.name(),
                        b.fingerprint(), b.embeddingDim(), result.embeddings().rows()));
                err.printf(Locale.ROOT, "wrote %s.npy (%d x %d), %s.paths.txt and %s.json; %d from cache, %d skipped%n", prefix,
                        result.embeddings().rows(), result.embeddings().cols(), prefix, prefix, result.cached(),
                        result.failures().size());
            } finally {
                if (c != null) {
                    c.close();
                }
            }
        }
        return 0;
    }

    private Preprocessing preprocessingOverride() {
        if (inputSize == null) {
            if (mean != null || std != null) {
                throw CliArgs.usage(spec, "--mean and --std go with --input-size");
            }
            return null;
        }
        String[] parts = inputSize.toLowerCase(Locale.ROOT).split("x");
        int w;
        int h;
        try {
            w = Integer.parseInt(parts[0].strip());
            h = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : w;
        } catch (NumberFormatException e) {
            throw CliArgs.usage(spec, "--input-size must be N or WxH, got '" + inputSize + "'");
        }
        float[] m = mean == null ? Preprocessing.IMAGENET_MEAN : mean;
        float[] s = std == null ? Preprocessing.IMAGENET_STD : std;
        try {
            return new Preprocessing(w, h, m, s);
        } catch (IllegalArgumentException e) {
            throw CliArgs.usage(spec, e.getMessage());
        }
    }
}
