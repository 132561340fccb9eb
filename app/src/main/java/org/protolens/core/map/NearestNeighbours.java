package org.protolens.core.map;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Each point's k nearest other points (Euclidean) and their squared distances, nearest first,
 * ties by index, in {@code index[i * k + t]} and {@code squared[i * k + t]}.
 *
 * <p>Up to {@link #EXACT_LIMIT} points the neighbours are exact (a vantage-point tree); beyond, a
 * vantage-point tree in 50 dimensions prunes little and costs nearly n^2, so they are found by
 * NN-descent (Dong, Charikar and Li, 2011) started from a random-projection forest, as
 * pynndescent and openTSNE do for large inputs. Both are deterministic for a seed: every point's
 * list is built by one thread from the previous round's lists only.
 */
record NearestNeighbours(int k, int[] index, double[] squared) {
    static final int EXACT_LIMIT = 20_000;
    private static final int CHUNK = 256;
    private static final int BUCKET = 16;
    /** Random-projection trees that seed NN-descent */
    private static final int TREES = 8;
    /** NN-descent: how many of a point's nearest (and reverse) neighbours each round explores */
    private static final int EXPLORED = 30;
    private static final int ROUNDS = 12;
    /** NN-descent stops when a round changes fewer than this share of the lists' entries */
    private static final double SETTLED = 0.001;

    static NearestNeighbours of(float[] x, int n, int d, int k, long seed, BooleanSupplier cancelled) {
        return n <= EXACT_LIMIT ? exact(x, n, d, k, seed, cancelled) : approximate(x, n, d, k, seed, cancelled);
    }

    /** The exact neighbours, by a vantage-point tree (Yianilos, 1993) whose vantage points the seed picks. */
    static NearestNeighbours exact(float[] x, int n, int d, int k, long seed, BooleanSupplier cancelled) {
        VpTree tree = new VpTree(x, n, d, new Random(seed));
        int[] index = new int[n * k];
        double[] squared = new double[n * k];
        IntStream.range(0, chunks(n)).parallel().forEach(c -> {
            if (cancelled.getAsBoolean()) {
                return;
            }
            Heap heap = new Heap(k);
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                heap.clear();
                tree.search(i, heap);
                heap.sortedInto(index, squared, i * k, true);
            }
        });
        check(cancelled);
        return new NearestNeighbours(k, index, squared);
    }

    /**
     * Approximate neighbours: each point starts with the points that share a leaf with it in a
     * forest of random-projection trees, then each round looks among its neighbours' neighbours
     * and reverse neighbours, until the lists settle.
     */
    static NearestNeighbours approximate(float[] x, int n, int d, int k, long seed, BooleanSupplier cancelled) {
        ProjectionForest forest = ProjectionForest.grow(x, n, d, TREES, Math.max(2 * k, 64), seed);
        int[][] leafOf = new int[TREES][];
        int[][] members = new int[TREES][];
        int[][] leafStart = new int[TREES][];
        IntStream.range(0, TREES).parallel().forEach(t -> {
            int[] items = forest.members(t);
            int[] bounds = forest.leafStart(t);
            int[] of = new int[n];
            for (int l = 0; l + 1 < bounds.length; l++) {
                for (int p = bounds[l]; p < bounds[l + 1]; p++) {
                    of[items[p]] = l;
                }
            }
            leafOf[t] = of;
            members[t] = items;
            leafStart[t] = bounds;
        });
        check(cancelled);
        int[] index = new int[n * k];
        double[] squared = new double[n * k];
        ThreadLocal<int[]> marks = ThreadLocal.withInitial(() -> new int[n]);
        IntStream.range(0, chunks(n)).parallel().forEach(c -> {
            Heap heap = new Heap(k);
            int[] mark = marks.get();
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                heap.clear();
                int stamp = stamp(i, 0, n);
                mark[i] = stamp;
                for (int t = 0; t < TREES; t++) {
                    int l = leafOf[t][i];
                    for (int p = leafStart[t][l]; p < leafStart[t][l + 1]; p++) {
                        int j = members[t][p];
                        if (mark[j] != stamp) {
                            mark[j] = stamp;
                            heap.offer(j, squaredDistance(x, i * d, j * d, d));
                        }
                    }
                }
                // a leaf smaller than k + 1 (possible at the forest's edges) is topped up with the next points
                for (int j = (i + 1) % n; heap.size < k; j = (j + 1) % n) {
                    if (mark[j] != stamp) {
                        mark[j] = stamp;
                        heap.offer(j, squaredDistance(x, i * d, j * d, d));
                    }
                }
                heap.sortedInto(index, squared, i * k, false);
            }
        });
        int explored = Math.min(EXPLORED, k);
        for (int round = 1; round <= ROUNDS; round++) {
            check(cancelled);
            int[] reverse = reverse(index, n, k, explored);
            int[] oldIndex = index.clone();
            double[] oldSquared = squared.clone();
            int[] changed = new int[chunks(n)];
            int r = round;
            IntStream.range(0, chunks(n)).parallel().forEach(c -> {
                Heap heap = new Heap(k);
                int[] mark = marks.get();
                int changes = 0;
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    heap.clear();
                    int stamp = stamp(i, r, n);
                    mark[i] = stamp;
                    for (int t = 0; t < k; t++) {
                        int j = oldIndex[i * k + t];
                        mark[j] = stamp;
                        heap.offer(j, oldSquared[i * k + t]);
                    }
                    for (int a = 0; a < 2 * explored; a++) {
                        int j = a < explored ? oldIndex[i * k + a] : reverse[i * explored + a - explored];
                        if (j < 0) {
                            continue;
                        }
                        for (int b = 0; b < 2 * explored; b++) {
                            int l = b < explored ? oldIndex[j * k + b] : reverse[j * explored + b - explored];
                            if (l >= 0 && mark[l] != stamp) {
                                mark[l] = stamp;
                                double dd = squaredDistance(x, i * d, l * d, d);
                                if (dd < heap.worst()) {
                                    heap.offer(l, dd);
                                    changes++;
                                }
                            }
                        }
                    }
                    heap.sortedInto(index, squared, i * k, false);
                }
                changed[c] = changes;
            });
            if (Arrays.stream(changed).asLongStream().sum() < SETTLED * n * (double) k) {
                break;
            }
        }
        check(cancelled);
        return new NearestNeighbours(k, index, squared);
    }

    /** Unique per point and round, never 0 (the marks' initial value). */
    private static int stamp(int i, int round, int n) {
        return round * n + i + 1;
    }

    /**
     * The first {@code explored} points that have i among their first {@code explored}
     * neighbours, in index order (-1 where fewer).
     */
    private static int[] reverse(int[] index, int n, int k, int explored) {
        int[] out = new int[n * explored];
        Arrays.fill(out, -1);
        int[] filled = new int[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < explored; t++) {
                int j = index[i * k + t];
                if (filled[j] < explored) {
                    out[j * explored + filled[j]++] = i;
                }
            }
        }
        return out;
    }

    /** The k best so far: a max-heap on distance. */
    static final class Heap {
        final int[] item;
        final double[] dist;
        int size;

        Heap(int k) {
            item = new int[k];
            dist = new double[k];
        }

        void clear() {
            size = 0;
        }

        double worst() {
            return size < item.length ? Double.POSITIVE_INFINITY : dist[0];
        }

        void offer(int it, double dd) {
            if (size < item.length) {
                int c = size++;
                while (c > 0) {
                    int parent = (c - 1) / 2;
                    if (dist[parent] >= dd) {
                        break;
                    }
                    item[c] = item[parent];
                    dist[c] = dist[parent];
                    c = parent;
                }
                item[c] = it;
                dist[c] = dd;
            } else if (dd < dist[0]) {
                int c = 0;
                while (true) {
                    int l = 2 * c + 1;
                    if (l >= size) {
                        break;
                    }
                    int r = l + 1;
                    int big = r < size && dist[r] > dist[l] ? r : l;
                    if (dist[big] <= dd) {
                        break;
                    }
                    item[c] = item[big];
                    dist[c] = dist[big];
                    c = big;
                }
                item[c] = it;
                dist[c] = dd;
            }
        }

        /** Writes the heap nearest first, ties by index, as squared distances (squaring what it holds when asked). */
        void sortedInto(int[] index, double[] squared, int offset, boolean square) {
            Integer[] order = new Integer[size];
            for (int t = 0; t < size; t++) {
                order[t] = t;
            }
            Arrays.sort(order, (a, b) -> dist[a] != dist[b] ? Double.compare(dist[a], dist[b]) : Integer.compare(item[a], item[b]));
            for (int t = 0; t < size; t++) {
                index[offset + t] = item[order[t]];
                squared[offset + t] = square ? dist[order[t]] * dist[order[t]] : dist[order[t]];
            }
        }
    }

    /**
     * A vantage-point tree (Yianilos 1993) over the rows of x: each node splits its points at the
     * median distance from a vantage point chosen at random; small sets are scanned.
     */
    static final class VpTree {
        private final float[] x;
        private final int d;
        private final int[] items;
        /** per node: vantage item, threshold, inside child, outside child; leaves: -(start+1), end */
        private int[] vantage = new int[64];
        private double[] threshold = new double[64];
        private int[] inside = new int[64];
        private int[] outside = new int[64];
        private int nodes;
        private final int root;

        VpTree(float[] x, int n, int d, Random rnd) {
            this.x = x;
            this.d = d;
            this.items = IntStream.range(0, n).toArray();
            this.root = build(0, n, rnd, new double[n]);
        }

        private int newNode() {
            if (nodes == vantage.length) {
                vantage = Arrays.copyOf(vantage, 2 * nodes);
                threshold = Arrays.copyOf(threshold, 2 * nodes);
                inside = Arrays.copyOf(inside, 2 * nodes);
                outside = Arrays.copyOf(outside, 2 * nodes);
            }
            return nodes++;
        }

        private double distance(int a, int b) {
            return Math.sqrt(squaredDistance(x, a * d, b * d, d));
        }

        private int build(int lo, int hi, Random rnd, double[] scratch) {
            int node = newNode();
            if (hi - lo <= BUCKET) {
                vantage[node] = -(lo + 1);
                inside[node] = hi;
                return node;
            }
            swap(lo, lo + rnd.nextInt(hi - lo));
            int v = items[lo];
            for (int t = lo + 1; t < hi; t++) {
                scratch[t] = distance(v, items[t]);
            }
            int median = (lo + 1 + hi) >>> 1;
            select(scratch, lo + 1, hi - 1, median);
            vantage[node] = v;
            threshold[node] = scratch[median];
            int in = build(lo + 1, median, rnd, scratch);
            int out = build(median, hi, rnd, scratch);
            inside[node] = in;
            outside[node] = out;
            return node;
        }

        private void swap(int a, int b) {
            int t = items[a];
            items[a] = items[b];
            items[b] = t;
        }

        /** Quickselect on scratch[lo..hi] carrying items along: afterwards scratch[m] is the m-th smallest. */
        private void select(double[] s, int lo, int hi, int m) {
            while (lo < hi) {
                double pivot = s[(lo + hi) >>> 1];
                int i = lo, j = hi;
                while (i <= j) {
                    while (s[i] < pivot) {
                        i++;
                    }
                    while (s[j] > pivot) {
                        j--;
                    }
                    if (i <= j) {
                        double t = s[i];
                        s[i] = s[j];
                        s[j] = t;
                        swap(i, j);
                        i++;
                        j--;
                    }
                }
                if (m <= j) {
                    hi = j;
                } else if (m >= i) {
                    lo = i;
                } else {
                    return;
                }
            }
        }

        void search(int query, Heap heap) {
            search(root, query, heap);
        }

        private void search(int node, int query, Heap heap) {
            int v = vantage[node];
            if (v < 0) {
                for (int t = -v - 1, end = inside[node]; t < end; t++) {
                    int it = items[t];
                    if (it != query) {
                        heap.offer(it, distance(query, it));
                    }
                }
                return;
            }
            double dv = distance(query, v);
            if (v != query) {
                heap.offer(v, dv);
            }
            double th = threshold[node];
            if (dv < th) {
                if (dv - heap.worst() < th) {
                    search(inside[node], query, heap);
                }
                if (dv + heap.worst() >= th) {
                    search(outside[node], query, heap);
                }
            } else {
                if (dv + heap.worst() >= th) {
                    search(outside[node], query, heap);
                }
                if (dv - heap.worst() < th) {
                    search(inside[node], query, heap);
                }
            }
        }
    }

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("layout cancelled");
        }
    }

    /** The squared distance of rows starting at a and b (the sum as {@link ProjectionForest#squaredDistanceBelow} makes it). */
    static float squaredDistance(float[] x, int a, int b, int d) {
        return ProjectionForest.squaredDistanceBelow(x, a, x, b, d, Double.POSITIVE_INFINITY);
    }
}
