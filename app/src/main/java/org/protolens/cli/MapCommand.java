package org.protolens.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.map.MapLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "map", mixinStandardHelpOptions = true, versionProvider = ProtoLensCommand.Versions.class,
        description = {"Lays embeddings out in two dimensions with the window's own code: PCA, t-SNE or UMAP.",
            "Writes an n x 2 float32 array, one row per input row; the same input and seed give the same map. Progress goes to stderr.",
            "t-SNE (Barnes-Hut) and UMAP lay out every row up to " + MapLayout.LAID_OUT_LIMIT + " (--landmarks changes it); "
                    + "beyond, that many rows chosen with the seed, and every other row is placed at the distance-weighted mean of "
                    + "its nearest laid-out rows."})
final class MapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--method", required = true, paramLabel = "pca|tsne|umap")
    String method;

    @Option(names = "--embeddings", required = true, paramLabel = "X.npy", description = "n x d embeddings (float32/float64)")
    Path embeddings;

    @Option(names = "--seed", defaultValue = "42", description = "seed (default ${DEFAULT-VALUE}, the window's)")
    long seed;

    @Option(names = "--landmarks", description = "rows laid out by t-SNE or UMAP (default: all, up to " + MapLayout.LAID_OUT_LIMIT + ")")
    Integer landmarks;

    @Option(names = "--out", required = true, paramLabel = "XY.npy")
    Path out;

    @Override
    public Integer call() throws Exception {
        MapLayout.Method m = switch (method.toLowerCase(Locale.ROOT)) {
            case "pca" -> MapLayout.Method.PCA;
            case "tsne", "t-sne" -> MapLayout.Method.TSNE;
            case "umap" -> MapLayout.Method.UMAP;
            default -> throw CliArgs.usage(spec, "--method must be pca, tsne or umap, got \"" + method + "\"");
        };
        if (landmarks == null) {
            landmarks = MapLayout.defaultLandmarks(m);
        }
        if (landmarks < 2) {
            throw CliArgs.usage(spec, "--landmarks must be at least 2, got " + landmarks);
        }
        FloatMatrix x = NpyFile.readMatrix(embeddings);
        if (x.rows() < 2) {
            throw new IllegalArgumentException(embeddings + ": has " + x.rows() + " rows; a map needs at least 2");
        }
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        MapLayout layout = MapLayout.compute(x, m, seed, landmarks, progressTo(err, start), () -> false);
        NpyFile.writeMatrix(out, new FloatMatrix(x.rows(), 2, layout.xy()));
        err.printf(Locale.ROOT, "wrote %s (%d x 2, %s, seed %d) in %.2f s%n", out, x.rows(), m, seed, (System.nanoTime() - start) / 1e9);
        err.flush();
        return 0;
    }

    /** Progress on stderr: each new stage, and every tenth of a stage that reports its share. */
    private static MapLayout.Progress progressTo(PrintWriter err, long start) {
        String[] last = {""};
        int[] tenth = {-1};
        return (what, done) -> {
            int t = done < 0 ? -1 : (int) Math.floor(done * 10);
            if (!what.equals(last[0]) || t > tenth[0]) {
                err.printf(Locale.ROOT, "%6.1f s  %s%s%n", (System.nanoTime() - start) / 1e9, what,
                        done < 0 ? "" : String.format(Locale.ROOT, " (%d%%)", Math.round(done * 100)));
                err.flush();
                last[0] = what;
                tenth[0] = t;
            }
        };
    }
}
