package org.protolens.core.embed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.protolens.core.FloatMatrix;

/**
 * Image files to embeddings. Worker threads read, hash, look up in the cache, decode and resize
 * whole batches into one float buffer each, a few batches ahead, while the calling thread runs the
 * backbone on the batch before: decoding overlaps inference. Files that cannot be read or decoded
 * are reported and skipped; the rest goes on.
 */
public final class EmbeddingPipeline {
    private final Backbone backbone;
    private final EmbeddingCache cache;
    private final int batchSize;
    private final int decodeThreads;

    /** A file that was skipped, and why. */
    public record Failure(Path file, String problem) {
    }

    /**
     * @param paths      the files embedded, in input order (failed files left out)
     * @param embeddings one row per entry of {@code paths}
     * @param cached     how many rows came from the cache
     * @param waitNanos  time the backbone waited for decoded batches
     * @param modelNanos time spent in the backbone
     */
    public record Result(List<Path> paths, FloatMatrix embeddings, List<Failure> failures, int cached, long waitNanos,
                         long modelNanos) {
    }

    /** Progress of a run; called on the thread that called {@link #embed}. */
    public interface Listener {
        void progress(int done, int total);

        default void failed(Failure failure) {
        }

        /**
         * Rows as they arrive, in input order, for views that show points as they come.
         *
         * @param sha256 each file's SHA-256 (its key in the cache); null when the run has no cache
         */
        default void embedded(List<Path> paths, List<byte[]> sha256, FloatMatrix rows) {
        }
    }

    /**
     * @param cache         the backbone's cache, or null to compute everything
     * @param batchSize     images per backbone call
     * @param decodeThreads the most worker threads that decode ahead of the backbone
     */
    public EmbeddingPipeline(Backbone backbone, EmbeddingCache cache, int batchSize, int decodeThreads) {
        if (batchSize < 1 || decodeThreads < 1) {
            throw new IllegalArgumentException("batch size and decode threads must be at least 1");
        }
        if (cache != null && cache.dim() != backbone.embeddingDim()) {
            throw new IllegalArgumentException("the cache holds " + cache.dim() + "-d embeddings, the backbone makes "
                    + backbone.embeddingDim());
        }
        this.backbone = backbone;
        this.cache = cache;
        this.batchSize = batchSize;
        this.decodeThreads = decodeThreads;
    }

    /**
     * Up to one decoder per core, at most 8. A run starts with one decoder and adds another each
     * time the model waited for a batch longer than 5% of that batch's model time: small images
     * keep one decoder and leave the cores to the model; camera photos (about 150 ms each to decode
     * and resize) are decode-bound and get more: ResNet-18 on 12-megapixel JPEGs ran at 10.8
     * images/s with two decoders against 6.7 with one.
     */
    public static int defaultDecodeThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /** One batch, prepared by a worker. */
    private static final class Prepared {
        final Path[] files;
        final byte[][] keys;
        final float[][] cachedRows;
        final int[] slotOf;
        final String[] problems;
        float[] input;
        int misses;

        Prepared(int n) {
            files = new Path[n];
            keys = new byte[n][];
            cachedRows = new float[n][];
            slotOf = new int[n];
            problems = new String[n];
        }
    }

    public Result embed(List<Path> files, Listener listener, BooleanSupplier cancelled) throws IOException {
        int total = files.size();
        int d = backbone.embeddingDim();
        List<Path> okPaths = new ArrayList<>(total);
        List<Failure> failures = new ArrayList<>();
        float[] out = new float[Math.multiplyExact(total, d)];
        int rows = 0;
        int cachedCount = 0;
        long waitNanos = 0;
        long modelNanos = 0;
        int batches = (total + batchSize - 1) / batchSize;
        ExecutorService workers = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "protolens-decode");
            t.setDaemon(true);
            return t;
        });
        Deque<Future<Prepared>> ahead = new ArrayDeque<>();
        // batch input buffers (batch x 3 x h x w floats, 19 MB at 224 px) are reused, not reallocated
        Queue<float[]> buffers = new ConcurrentLinkedQueue<>();
        try {
            int next = 0;
            int done = 0;
            int decoders = 1;
            for (int b = 0; b < batches; b++) {
                while (next < batches && ahead.size() <= decoders) {
                    int from = next * batchSize;
                    List<Path> slice = files.subList(from, Math.min(total, from + batchSize));
                    ahead.add(workers.submit(() -> prepare(slice, buffers)));
                    next++;
                }
                if (cancelled != null && cancelled.getAsBoolean()) {
                    throw new CancellationException("embedding cancelled after " + done + " of " + total + " images");
                }
                long t0 = System.nanoTime();
                Prepared p = await(ahead.removeFirst());
                long t1 = System.nanoTime();
                FloatMatrix computed = p.misses == 0 ? null : backbone.embed(p.input, p.misses);
                long t2 = System.nanoTime();
                if (computed != null) {
                    requireFinite(computed, p);
                }
                if (p.input != null) {
                    buffers.offer(p.input);
                }
                waitNanos += t1 - t0;
                modelNanos += t2 - t1;
                if (b > 0 && decoders < decodeThreads && t1 - t0 > (t2 - t1) / 20) {
                    decoders++;
                }
                List<Path> batchPaths = new ArrayList<>(p.files.length);
                List<byte[]> batchKeys = new ArrayList<>(p.files.length);
                int firstRow = rows;
                for (int i = 0; i < p.files.length; i++) {
                    if (p.problems[i] != null) {
                        Failure f = new Failure(p.files[i], p.problems[i]);
                        failures.add(f);
                        if (listener != null) {
                            listener.failed(f);
                        }
                        continue;
                    }
                    float[] row;
                    if (p.cachedRows[i] != null) {
                        row = p.cachedRows[i];
                        cachedCount++;
                    } else {
                        row = computed.row(p.slotOf[i]);
                        if (cache != null) {
                            cache.put(p.keys[i], row);
                        }
                    }
                    System.arraycopy(row, 0, out, rows * d, d);
                    okPaths.add(p.files[i]);
                    batchPaths.add(p.files[i]);
                    batchKeys.add(p.keys[i]);
                    rows++;
                }
                done += p.files.length;
                if (listener != null) {
                    if (!batchPaths.isEmpty()) {
                        listener.embedded(batchPaths, cache == null ? null : batchKeys, new FloatMatrix(rows - firstRow, d,
                                Arrays.copyOfRange(out, firstRow * d, rows * d)));
                    }
                    listener.progress(done, total);
                }
            }
        } finally {
            ahead.forEach(f -> f.cancel(true));
            workers.shutdownNow();
        }
        float[] exact = rows * d == out.length ? out : Arrays.copyOf(out, rows * d);
        return new Result(okPaths, new FloatMatrix(rows, d, exact), failures, cachedCount, waitNanos, modelNanos);
    }

    /**
     * Refuses a batch with a NaN or infinite value: such a model is broken (or its weights are),
     * and its embeddings would make every cosine meaningless. Nothing of the batch is cached.
     */
    private void requireFinite(FloatMatrix computed, Prepared p) throws IOException {
        float[] v = computed.data();
        for (int r = 0; r < p.misses; r++) {
            for (int j = r * computed.cols(), end = j + computed.cols(); j < end; j++) {
                if (!Float.isFinite(v[j])) {
                    Path file = null;
                    for (int i = 0; i < p.files.length; i++) {
                        if (p.problems[i] == null && p.cachedRows[i] == null && p.slotOf[i] == r) {
                            file = p.files[i];
                        }
                    }
                    throw new IOException("the backbone " + backbone.name() + " returned " + v[j] + " in its embedding of "
                            + file + ": the model is broken (check its weights and that it runs in eval mode); nothing was written");
                }
            }
        }
    }

    private static Prepared await(Future<Prepared> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("embedding interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Prepared prepare(List<Path> slice, Queue<float[]> buffers) throws IOException {
        Preprocessing pre = backbone.preprocessing();
        int per = pre.valuesPerImage();
        Prepared p = new Prepared(slice.size());
        MessageDigest sha = cache == null ? null : sha256();
        for (int i = 0; i < slice.size(); i++) {
            Path file = slice.get(i);
            p.files[i] = file;
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException | OutOfMemoryError e) {
                p.problems[i] = "cannot be read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
                continue;
            }
            if (cache != null) {
                p.keys[i] = sha.digest(bytes);
                float[] hit = cache.get(p.keys[i]);
                if (hit != null) {
                    p.cachedRows[i] = hit;
                    continue;
                }
            }
            try {
                ImageDecoder.RgbImage img = ImageDecoder.decode(bytes, file.toString());
                if (p.input == null) {
                    float[] reused = buffers.poll();
                    p.input = reused != null ? reused : new float[batchSize * per];
                }
                ImageDecoder.writeInput(img, pre, p.input, p.misses * per);
            } catch (ImageReadException e) {
                p.problems[i] = e.problem();
                continue;
            } catch (OutOfMemoryError e) {
                // one file's failure is that file's only: the rest of the batch goes on
                p.problems[i] = "is too large for the memory Java was given; give Java more memory (-Xmx)";
                continue;
            }
            p.slotOf[i] = p.misses++;
        }
        return p;
    }

    /** The SHA-256 of a file's bytes (its key in the cache), or null when it cannot be read. */
    public static byte[] sha256Of(Path file) {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (IOException e) {
            return null;
        }
    }

    /** A SHA-256 digest, as the cache keys images. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
