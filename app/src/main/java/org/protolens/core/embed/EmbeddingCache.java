package org.protolens.core.embed;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.protolens.core.io.AtomicFiles;

/**
 * Embeddings on disk, keyed by the SHA-256 of an image file's bytes, one folder per backbone
 * fingerprint: embedding the same images again with the same backbone computes nothing.
 *
 * <p>Each folder holds {@code vectors.f32}, the embeddings as one flat little-endian float32 file
 * (row i at byte i * d * 4), read through a memory mapping, and {@code keys.sha256}, the 32-byte
 * image hash of each row in the same order. Rows are appended vector first, key second; on open,
 * a row counts only if both are complete, so a crash mid-write loses at most that row. One
 * process at a time holds a cache folder (a file lock); another gets an IOException saying so.
 * Thread-safe.
 */
public final class EmbeddingCache implements AutoCloseable {
    private static final String VECTORS = "vectors.f32";
    private static final String KEYS = "keys.sha256";
    private static final String IDENTITY = "backbone.txt";

    private final Path dir;
    private final int dim;
    private final FileChannel vectors;
    private final FileChannel keys;
    private final FileLock lock;
    private final Map<Key, Integer> index = new HashMap<>();
    private int rows;
    private Arena arena;
    private MemorySegment mapped;
    private int mappedRows;

    private record Key(long a, long b, long c, long d) {
        static Key of(byte[] sha) {
            ByteBuffer bb = ByteBuffer.wrap(sha);
            return new Key(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
        }
    }

    private EmbeddingCache(Path dir, int dim) throws IOException {
        this.dir = dir;
        this.dim = dim;
        this.vectors = FileChannel.open(dir.resolve(VECTORS), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.keys = FileChannel.open(dir.resolve(KEYS), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = keys.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            vectors.close();
            keys.close();
            throw new IOException(dir + ": the embedding cache is in use by another ProtoLens process");
        }
        this.lock = held;
        long complete = Math.min(keys.size() / 32, vectors.size() / (4L * dim));
        rows = (int) complete;
        keys.truncate(complete * 32);
        vectors.truncate(complete * 4L * dim);
        ByteBuffer all = ByteBuffer.allocate(rows * 32);
        keys.read(all, 0);
        all.flip();
        byte[] sha = new byte[32];
        for (int r = 0; r < rows; r++) {
            all.get(sha);
            index.putIfAbsent(Key.of(sha), r);
        }
    }

    /**
     * Opens (or creates) the cache of one backbone under {@code root}.
     *
     * @param fingerprint the backbone's {@link Backbone#fingerprint()}
     * @param dim         the backbone's embedding length
     */
    public static EmbeddingCache open(Path root, String fingerprint, int dim) throws IOException {
        Path dir = root.resolve(fingerprint.length() > 32 ? fingerprint.substring(0, 32) : fingerprint);
        Files.createDirectories(dir);
        markAsCache(root);
        Path identity = dir.resolve(IDENTITY);
        String expected = fingerprint + " " + dim + "\n";
        if (Files.exists(identity)) {
            String found = Files.readString(identity, StandardCharsets.UTF_8);
            if (!found.equals(expected)) {
                throw new IOException(dir + ": this cache belongs to another backbone (" + found.strip() + ")");
            }
        } else {
            AtomicFiles.writeString(identity, expected);
        }
        return new EmbeddingCache(dir, dim);
    }

    /**
     * The Cache Directory Tagging Standard's signature: backup tools that follow it (tar
     * --exclude-caches, Borg, restic --exclude-caches) leave a folder holding it out.
     */
    static final String CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# This file is a cache directory tag created by ProtoLens.\n"
            + "# For information about cache directory tags, see https://bford.info/cachedir/\n";

    /**
     * Tells people and backup tools that {@code root} holds derived data: a CACHEDIR.TAG and a
     * README. A folder that cannot be written is left as it is.
     */
    private static void markAsCache(Path root) {
        try {
            if (Files.notExists(root.resolve("CACHEDIR.TAG"))) {
                AtomicFiles.writeString(root.resolve("CACHEDIR.TAG"), CACHEDIR_TAG);
            }
            if (Files.notExists(root.resolve("README.txt"))) {
                AtomicFiles.writeString(root.resolve("README.txt"),
                        "Embeddings of images, computed by ProtoLens from the image files (one folder per backbone).\n"
                        + "This is derived data: deleting it loses nothing. ProtoLens embeds the images again from\n"
                        + "their files when it needs them. Backups may leave this folder out (see CACHEDIR.TAG).\n"
                        + "Labels, classes and shots are kept in the project's catalog.db, never here.\n");
            }
        } catch (IOException e) {
            // a read-only cache folder is still a cache
        }
    }

    public Path folder() {
        return dir;
    }

    public int dim() {
        return dim;
    }

    public synchronized int size() {
        return rows;
    }

    public synchronized boolean contains(byte[] sha256) {
        return index.containsKey(Key.of(sha256));
    }

    /** The cached embedding of an image with this SHA-256, or null. */
    public synchronized float[] get(byte[] sha256) throws IOException {
        Integer row = index.get(Key.of(sha256));
        if (row == null) {
            return null;
        }
        if (row >= mappedRows) {
            remap();
        }
        float[] out = new float[dim];
        MemorySegment.copy(mapped, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                (long) row * dim * 4, out, 0, dim);
        return out;
    }

    /** Stores an embedding; an image already cached keeps its first embedding. */
    public synchronized void put(byte[] sha256, float[] embedding) throws IOException {
        if (embedding.length != dim) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " values, cache holds " + dim);
        }
        Key key = Key.of(sha256);
        if (index.containsKey(key)) {
            return;
        }
        ByteBuffer v = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        v.asFloatBuffer().put(embedding);
        writeFully(vectors, v, (long) rows * dim * 4);
        writeFully(keys, ByteBuffer.wrap(sha256), (long) rows * 32);
        index.put(key, rows);
        rows++;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            position += ch.write(b, position);
        }
    }

    private void remap() throws IOException {
        if (arena != null) {
            arena.close();
        }
        arena = Arena.ofShared();
        mapped = vectors.map(FileChannel.MapMode.READ_ONLY, 0, (long) rows * dim * 4, arena);
        mappedRows = rows;
    }

    /** Releases the cache; closing it again does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (!vectors.isOpen()) {
            return;
        }
        if (arena != null) {
            arena.close();
            arena = null;
        }
        lock.release();
        vectors.close();
        keys.close();
    }
}
