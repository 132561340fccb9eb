package org.protolens.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.ParquetEmbeddings;
import org.protolens.core.io.PathLines;
import org.protolens.core.project.EmbeddingsImport;

/**
 * Reading a Spark job's output as File > Import Embeddings does before it hashes any image: the
 * Parquet (every column the import uses) against the same rows as the job's --npy files (the
 * matrix and its paths), in alternating rounds in this JVM (the first round of each is a warm-up).
 * Prints each round, the medians, their ratio and the rate in MB of embeddings per second. The
 * .npy copy is written from the Parquet on the first run.
 *
 * <pre>  ParquetReadBenchmark OUT [ROUNDS]</pre>
 */
public final class ParquetReadBenchmark {
    private ParquetReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path npy = out.resolve("embeddings.npy");
        Path paths = out.resolve("embeddings.paths.txt");
        if (!Files.exists(npy)) {
            ParquetEmbeddings.Table t = ParquetEmbeddings.read(EmbeddingsImport.parquetParts(out));
            NpyFile.writeMatrix(npy, t.embeddings());
            PathLines.write(paths, t.paths());
        }
        long parquetBytes;
        try (Stream<Path> s = Files.list(out.resolve("embeddings"))) {
            parquetBytes = s.filter(f -> f.toString().endsWith(".parquet")).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("Parquet %,d bytes in %s; .npy %,d bytes%n", parquetBytes, out.resolve("embeddings"), Files.size(npy));
        List<Double> parquet = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        long bytes = 0;
        for (int r = 0; r <= rounds; r++) {
            long t0 = System.nanoTime();
            ParquetEmbeddings.Table t = ParquetEmbeddings.read(EmbeddingsImport.parquetParts(out));
            double p = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            FloatMatrix m = NpyFile.readMatrix(npy);
            List<String> listed = PathLines.read(paths);
            double n = (System.nanoTime() - t0) / 1e6;
            if (t.embeddings().rows() != m.rows() || listed.size() != m.rows()) {
                throw new IllegalStateException("the Parquet and the .npy hold different rows");
            }
            bytes = 4L * m.rows() * m.cols();
            System.out.printf("round %d%s: Parquet %.0f ms, .npy + paths %.0f ms (%,d x %d)%n", r, r == 0 ? " (warm-up)" : "", p, n,
                    m.rows(), m.cols());
            if (r > 0) {
                parquet.add(p);
                plain.add(n);
            }
        }
        double mp = median(parquet);
        double mn = median(plain);
        System.out.printf("median: Parquet %.0f ms (%.0f MB/s of embeddings), .npy + paths %.0f ms (%.0f MB/s); Parquet / .npy = %.2f%n",
                mp, bytes / 1e3 / mp, mn, bytes / 1e3 / mn, mp / mn);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }
}
