package org.protolens.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.protolens.core.project.OpenProject;
import org.protolens.core.proto.L2;

/**
 * Opening a large project, as the window does before its first frame: {@code OpenProject.open} of
 * a synthetic project (N embeddings of D dimensions, 60 base and 40 new classes) whose catalog
 * exists, in this fresh JVM. Prints the time of each open; the first is what a person waits for.
 *
 * <pre>  OpenBenchmark DIR [N] [D] [OPENS]</pre>
 */
public final class OpenBenchmark {
    private OpenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int d = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int opens = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        if (!Files.exists(dir.resolve("embeddings.npy"))) {
            SyntheticProject.write(dir, n, d, 60, 40, 11);
            try (OpenProject created = OpenProject.open(dir)) {
                System.out.printf("made %s (catalog written on its first open)%n", dir);
            }
        }
        for (int r = 0; r < opens; r++) {
            long t0 = System.nanoTime();
            try (OpenProject p = OpenProject.open(dir)) {
                double ms = (System.nanoTime() - t0) / 1e6;
                System.out.printf("open %d: %,d images, %d classes in %.0f ms (float kernels: %s)%n", r + 1,
                        p.workspace().imageCount(), p.workspace().state().classNames().size(), ms, L2.kernels());
            }
        }
    }
}
