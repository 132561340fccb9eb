package org.protolens.core.map;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.proto.L2;

/**
 * Where each image sits on the map: its unit-length embedding projected by PCA ({@link PcaMap}), t-SNE
 * (Barnes-Hut, {@link BarnesHutTsne}) or UMAP ({@link Umap}). Deterministic: the same embeddings,
 * method and seed give the same map, bit for bit, on any number of cores.
 *
 * <p>t-SNE and UMAP run on the embeddings reduced to 50 principal components (t-SNE on raw
 * 512-d embeddings collapses). Both lay out every image, up to {@link #LAID_OUT_LIMIT}; beyond
 * that many they run on that many chosen at random with the seed. Images beyond those, and images
 * added later, are placed at the distance-weighted mean of their nearest
 * laid-out images (PCA projects them), found through a forest of random-projection trees
 * ({@link ProjectionForest}), so a layout never reshuffles: computing it again is an explicit
 * action. Every image gets a point.
 * A project stores its computed layout with the principal axes it was reduced by ({@link #write},
 * {@link #read}) and opens with it without fitting them again.
 */
public final class MapLayout {
    public enum Method {
        PCA("PCA"), TSNE("t-SNE"), UMAP("UMAP");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** t-SNE and UMAP lay out every image up to this many; beyond, this many and the rest are placed. */
    public static final int LAID_OUT_LIMIT = 250_000;
    /**
     * Up to this many laid-out images, a placed image's neighbours are found by measuring all of
     * them; prototypes search among this many evenly spaced ones.
     */
    static final int PLACE_SEARCH = 5_000;
    /** More laid-out images are searched through a forest of this many trees... */
    static final int PLACE_TREES = 12;
    /** ...with leaves of at most this many images: 95-98% of the true 5 nearest on real embeddings. */
    static final int PLACE_LEAF = 128;
    static final double PERPLEXITY = 30;
    /** PCA axes are fitted on at most this many rows: enough for stable axes at any project size. */
    static final int PCA_FIT_ROWS = 20_000;
    static final int REDUCED_DIMS = 50;
    static final int NEIGHBOURS = 5;

    private final Method method;
    private final long seed;
    private final PcaMap pca;
    /** t-SNE, UMAP: the laid-out images' embeddings (the first rows), reduced where they are searched */
    private final FloatMatrix laidOutEmbeddings;
    private final float[] laidOutXy;
    /** A fingerprint of each laid-out image's embedding ({@link #fingerprints}), stored with the map */
    private final int[] laidOutIds;
    private final int laidOut;
    private final int landmarks;
    private final double radius;
    private float[] xy;

    /** How many images a method lays out by default: every image, up to {@link #LAID_OUT_LIMIT}. */
    public static int defaultLandmarks(Method method) {
        return LAID_OUT_LIMIT;
    }

    private MapLayout(Method method, long seed, PcaMap pca, FloatMatrix embeddings, int[] ids, float[] xy, int landmarks) {
        this.method = method;
        this.seed = seed;
        this.pca = pca;
        this.laidOutEmbeddings = method == Method.PCA ? null : new FloatMatrix(xy.length / 2, embeddings.cols(), embeddings.data());
        this.laidOutXy = xy.clone();
        this.laidOutIds = ids;
        this.laidOut = xy.length / 2;
        this.landmarks = landmarks;
        this.radius = neighbourRadius(xy, laidOut);
        this.xy = xy;
    }

    /** Progress reports: a phrase for people and the share done (negative when unknown). */
    public interface Progress {
        void report(String what, double done);
    }

    /**
     * Lays out the embeddings (at least 2 rows).
     *
     * @param maxLandmarks t-SNE and UMAP: how many images they run on; the rest are placed
     * @param cancelled    polled between stages and during t-SNE; a cancelled layout throws CancellationException
     */
    public static MapLayout compute(FloatMatrix embeddings, Method method, long seed, int maxLandmarks, Progress progress,
                                    BooleanSupplier cancelled) {
        int n = embeddings.rows();
        if (n < 2) {
            throw new IllegalArgumentException("a map needs at least 2 embeddings, got " + n);
        }
        Random rnd = new Random(seed);
        if (method == Method.PCA) {
            PcaMap two = PcaMap.fit(fitRows(embeddings, n, rnd), 2);
            return new MapLayout(method, seed, two, embeddings, fingerprints(embeddings, n), two.projectUnit(embeddings), 0);
        }
        progress.report("Reducing to " + REDUCED_DIMS + " dimensions", -1);
        PcaMap reduce = PcaMap.fit(fitRows(embeddings, n, rnd), REDUCED_DIMS);
        int r = reduce.components();
        float[] reduced = reduce.projectUnit(embeddings);
        check(cancelled);
        int[] chosen = n <= maxLandmarks ? IntStream.range(0, n).toArray() : sample(n, maxLandmarks, rnd);
        float[] landmarkReduced = new float[chosen.length * r];
        for (int i = 0; i < chosen.length; i++) {
            System.arraycopy(reduced, chosen[i] * r, landmarkReduced, i * r, r);
        }
        progress.report(method + " of " + chosen.length + " images", -1);
        float[] landmarkXy;
        if (method == Method.TSNE) {
            landmarkXy = BarnesHutTsne.layout(landmarkReduced, chosen.length, r, Math.min(PERPLEXITY, (chosen.length - 1) / 3.0),
                    seed, progress, cancelled);
        } else {
            landmarkXy = Umap.layout(landmarkReduced, chosen.length, r, seed, progress, cancelled);
        }
        check(cancelled);
        float[] xy = new float[2 * n];
        if (chosen.length == n) {
            System.arraycopy(landmarkXy, 0, xy, 0, xy.length);
        } else {
            progress.report("Placing " + (n - chosen.length) + " images by their nearest neighbours", -1);
            boolean[] isLandmark = new boolean[n];
            for (int i = 0; i < chosen.length; i++) {
                isLandmark[chosen[i]] = true;
                xy[2 * chosen[i]] = landmarkXy[2 * i];
                xy[2 * chosen[i] + 1] = landmarkXy[2 * i + 1];
            }
            int[] rest = IntStream.range(0, n).filter(i -> !isLandmark[i]).toArray();
            Neighbourhood among = Neighbourhood.of(new Landmarks(landmarkReduced, landmarkXy, chosen.length), r, seed);
            check(cancelled);
            float[] placed = among.place(reduced, rest, neighbourRadius(landmarkXy, chosen.length));
            for (int t = 0; t < rest.length; t++) {
                xy[2 * rest[t]] = placed[2 * t];
                xy[2 * rest[t] + 1] = placed[2 * t + 1];
            }
        }
        return new MapLayout(method, seed, reduce, embeddings, fingerprints(embeddings, n), xy, chosen.length);
    }

    /**
     * A fingerprint of each of the first n rows (a hash of the bits of up to 32 of its values, evenly
     * spaced: embeddings of two different images differ in all of them): what tells, when a stored
     * map is opened again, which of the images it was computed on are still there.
     */
    static int[] fingerprints(FloatMatrix embeddings, int n) {
        int[] ids = new int[n];
        int d = embeddings.cols();
        int step = Math.max(1, d / FINGERPRINT_VALUES);
        IntStream rows = IntStream.range(0, n);
        (n > 4096 ? rows.parallel() : rows).forEach(r -> {
            int off = embeddings.offset(r);
            long h = 0x9e3779b97f4a7c15L;
            for (int j = 0; j < d; j += step) {
                h = (h ^ Float.floatToIntBits(embeddings.data()[off + j])) * 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            ids[r] = (int) h;
        });
        return ids;
    }

    private static final int FINGERPRINT_VALUES = 32;

    /** The rows the principal axes are fitted on, unit length: all of the first n, or PCA_FIT_ROWS drawn with rnd. */
    private static FloatMatrix fitRows(FloatMatrix embeddings, int n, Random rnd) {
        FloatMatrix first = new FloatMatrix(n, embeddings.cols(), embeddings.data());
        return L2.normalizeRows(n <= PCA_FIT_ROWS ? first : first.selectRows(sample(n, PCA_FIT_ROWS, rnd)));
    }

    /**
     * A layout stored earlier, for these embeddings: its first rows are the images it was computed
     * on; images added since are placed into it. A layout stored with its principal axes opens
     * without fitting them again; one stored before they were (an older file) fits them.
     *
     * @throws IOException naming the file when it is damaged or belongs to other embeddings
     */
    public static MapLayout read(Path file, FloatMatrix embeddings) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int magic = b.getInt();
            if (magic != MAGIC && magic != MAGIC_WITHOUT_AXES) {
                throw new IOException(file + ": not a ProtoLens map layout");
            }
            int ordinal = b.getInt();
            if (ordinal < 0 || ordinal >= Method.values().length) {
                throw new IOException(file + ": damaged map layout (no map method " + ordinal + ")");
            }
            Method method = Method.values()[ordinal];
            long seed = b.getLong();
            int n = b.getInt();
            int landmarks = b.getInt();
            int d = embeddings.cols();
            int components = Math.min(method == Method.PCA ? 2 : REDUCED_DIMS, d);
            boolean withAxes = magic == MAGIC;
            long more = withAxes ? 4L * n + 8 + 8L * d * (1 + components) : 0;
            if (n < 2 || (!withAxes && n > embeddings.rows()) || b.remaining() != 8L * n + more) {
                throw new IOException(file + ": a map of " + n + " points that does not fit the project's " + embeddings.rows()
                        + " images of " + d + " dimensions");
            }
            float[] stored = new float[2 * n];
            b.asFloatBuffer().get(stored);
            b.position(b.position() + 8 * n);
            for (float v : stored) {
                if (!Float.isFinite(v)) {
                    throw new IOException(file + ": damaged map layout (a point that is not a finite number)");
                }
            }
            int[] ids;
            float[] xy;
            if (withAxes) {
                int[] storedIds = new int[n];
                b.asIntBuffer().get(storedIds);
                b.position(b.position() + 4 * n);
                ids = fingerprints(embeddings, Math.min(n, embeddings.rows()));
                xy = stillThere(stored, storedIds, ids);
                if (xy.length / 2 < 2) {
                    throw new IOException(file + ": fewer than 2 of the images it was computed on are in the project");
                }
                ids = Arrays.copyOf(ids, xy.length / 2);
            } else {
                ids = fingerprints(embeddings, n);
                xy = stored;
            }
            int kept = xy.length / 2;
            PcaMap pca;
            if (withAxes) {
                try {
                    pca = PcaMap.read(b, d, components);
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": damaged map layout (" + e.getMessage() + ")", e);
                }
            } else {
                pca = PcaMap.fit(fitRows(embeddings, n, new Random(seed)), components);
            }
            MapLayout layout = new MapLayout(method, seed, pca, embeddings, ids, xy, Math.max(0, Math.min(landmarks, kept)));
            if (kept < embeddings.rows()) {
                layout.extend(layout.place(embeddings.selectRows(IntStream.range(kept, embeddings.rows()).toArray())));
            }
            return layout;
        } catch (BufferUnderflowException | ArrayIndexOutOfBoundsException e) {
            throw new IOException(file + ": damaged map layout", e);
        }
    }

    /**
     * The points of the stored images that are still the project's, in order: images are only ever
     * taken out (the rest keep their order) or added after the others, so the project's first
     * images are the stored ones that are left. An image is known by its fingerprint.
     */
    private static float[] stillThere(float[] stored, int[] storedIds, int[] ids) {
        float[] out = new float[stored.length];
        int kept = 0;
        for (int t = 0; t < storedIds.length && kept < ids.length; t++) {
            if (storedIds[t] == ids[kept]) {
                out[2 * kept] = stored[2 * t];
                out[2 * kept + 1] = stored[2 * t + 1];
                kept++;
            }
        }
        return Arrays.copyOf(out, 2 * kept);
    }

    /**
     * Stores the computed part of this layout (the images it was computed on, as far as they are
     * still there), each image's fingerprint and the principal axes, atomically.
     */
    public void write(Path file) throws IOException {
        int count = Math.min(laidOut, xy.length / 2);
        ByteBuffer b = ByteBuffer.allocate(24 + 12 * count + pca.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(method.ordinal()).putLong(seed).putInt(count).putInt(Math.min(landmarks, count));
        b.asFloatBuffer().put(laidOutXy, 0, 2 * count);
        b.position(b.position() + 8 * count);
        b.asIntBuffer().put(laidOutIds, 0, count);
        b.position(b.position() + 4 * count);
        pca.write(b);
        AtomicFiles.write(file, out -> out.write(b.array()));
    }

    /** "PLM2": a layout, its images' fingerprints and its principal axes */
    private static final int MAGIC = 0x504c4d32;
    /** "PLM1": a layout alone, as stored before the axes were */
    private static final int MAGIC_WITHOUT_AXES = 0x504c4d31;

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("layout cancelled");
        }
    }

    private static int[] sample(int n, int k, Random rnd) {
        int[] all = IntStream.range(0, n).toArray();
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, k);
        Arrays.sort(out);
        return out;
    }

    public Method method() {
        return method;
    }

    public long seed() {
        return seed;
    }

    /** How many images t-SNE or UMAP ran on (0 for PCA). */
    public int landmarks() {
        return landmarks;
    }

    /**
     * x, y of every laid-out image, interleaved. The array is never written again: {@link #extend}
     * and {@link #truncate} make a new one, so another thread may go on drawing this one.
     */
    public float[] xy() {
        return xy;
    }

    /**
     * Positions for more embeddings, without moving anything already laid out: x, y interleaved.
     * Their neighbours are searched among the laid-out images (at most {@link #LAID_OUT_LIMIT},
     * evenly spaced, when more were placed) through a forest grown at the first call.
     */
    public float[] place(FloatMatrix embeddings) {
        float[] reduced = pca.projectUnit(embeddings);
        if (method == Method.PCA) {
            return reduced;
        }
        return later().place(reduced, IntStream.range(0, embeddings.rows()).toArray(), radius);
    }

    private synchronized Neighbourhood later() {
        if (later == null) {
            later = Neighbourhood.of(landmarks(LAID_OUT_LIMIT), pca.components(), seed);
        }
        return later;
    }

    /**
     * Where a prototype goes on the map: projected (PCA), or placed by its nearest laid-out images,
     * searched among at most {@link #PLACE_SEARCH} of them so that a redraw with many classes stays quick.
     */
    public float[] placePrototype(float[] prototype) {
        float[] reduced = pca.projectUnit(new FloatMatrix(1, prototype.length, prototype));
        if (method == Method.PCA) {
            return reduced;
        }
        return prototypes().place(reduced, new int[] {0}, radius);
    }

    private synchronized Neighbourhood prototypes() {
        if (prototypes == null) {
            prototypes = Neighbourhood.of(landmarks(PLACE_SEARCH), pca.components(), seed);
        }
        return prototypes;
    }

    /**
     * Every step-th laid-out image, at most {@code most} of them (all when they are fewer): their
     * positions, and their embeddings reduced to the principal components.
     */
    private Landmarks landmarks(int most) {
        int step = laidOut <= most ? 1 : (laidOut + most - 1) / most;
        int[] rows = IntStream.iterate(0, i -> i < laidOut, i -> i + step).toArray();
        float[] pos = new float[2 * rows.length];
        for (int t = 0; t < rows.length; t++) {
            pos[2 * t] = laidOutXy[2 * rows[t]];
            pos[2 * t + 1] = laidOutXy[2 * rows[t] + 1];
        }
        return new Landmarks(pca.projectUnit(laidOutEmbeddings, rows), pos, rows.length);
    }

    /** Laid-out images to search among: their reduced rows and positions. */
    record Landmarks(float[] reduced, float[] xy, int count) {
    }

    private Neighbourhood prototypes;
    private Neighbourhood later;

    /**
     * Laid-out images to place others among, and how their neighbours are found: all of them
     * measured when they are at most {@link #PLACE_SEARCH} (a forest of one leaf), otherwise a
     * forest of {@link #PLACE_TREES} random-projection trees.
     */
    private record Neighbourhood(Landmarks landmarks, ProjectionForest forest) {
        static Neighbourhood of(Landmarks l, int r, long seed) {
            return new Neighbourhood(l, l.count() <= PLACE_SEARCH
                    ? ProjectionForest.grow(l.reduced(), l.count(), r, 1, l.count(), seed)
                    : ProjectionForest.grow(l.reduced(), l.count(), r, PLACE_TREES, PLACE_LEAF, seed));
        }

        /**
         * The distance-weighted mean position of each row's nearest laid-out images (Euclidean in
         * the reduced space), leaving out those that the layout put farther than {@code radius}
         * from the nearest one.
         */
        float[] place(float[] reduced, int[] rows, double radius) {
            float[] xy = landmarks.xy();
            ProjectionForest.Found found = forest.nearest(reduced, rows, Math.min(NEIGHBOURS, landmarks.count()));
            int k = found.k();
            float[] out = new float[2 * rows.length];
            for (int t = 0; t < rows.length; t++) {
                // a point no distance could be measured to (not a number) goes where the first laid-out image is
                int first = Math.max(0, found.index()[t * k]);
                double bx = xy[2 * first];
                double by = xy[2 * first + 1];
                double wx = 0, wy = 0, ws = 0;
                for (int q = 0, c = found.count(t); q < c; q++) {
                    int at = found.index()[t * k + q];
                    double px = xy[2 * at];
                    double py = xy[2 * at + 1];
                    // neighbours in another cluster of the map would put the image in the empty space between
                    if (q > 0 && Math.hypot(px - bx, py - by) > radius) {
                        continue;
                    }
                    double w = 1 / (Math.sqrt(found.squared()[t * k + q]) + 1e-6);
                    wx += w * px;
                    wy += w * py;
                    ws += w;
                }
                out[2 * t] = (float) (ws > 0 ? wx / ws : bx);
                out[2 * t + 1] = (float) (ws > 0 ? wy / ws : by);
            }
            return out;
        }
    }

    /**
     * How far from the nearest laid-out image other neighbours may lie and still count: 5% of the
     * larger side of the box around the first {@code count} points.
     */
    private static double neighbourRadius(float[] xy, int count) {
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            minX = Math.min(minX, xy[2 * i]);
            maxX = Math.max(maxX, xy[2 * i]);
            minY = Math.min(minY, xy[2 * i + 1]);
            maxY = Math.max(maxY, xy[2 * i + 1]);
        }
        return 0.05 * Math.max(maxX - minX, maxY - minY);
    }

    /** Keeps the positions of the first {@code count} images only (the last ones imported were taken out). */
    public void truncate(int count) {
        if (count < xy.length / 2) {
            xy = Arrays.copyOf(xy, 2 * count);
        }
    }

    /** Appends positions of added images (from {@link #place}) to {@link #xy}; the array {@link #xy} gave before is not changed. */
    public void extend(float[] more) {
        float[] grown = Arrays.copyOf(xy, xy.length + more.length);
        System.arraycopy(more, 0, grown, xy.length, more.length);
        xy = grown;
    }
}
