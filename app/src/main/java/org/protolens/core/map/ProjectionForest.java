package org.protolens.core.map;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A forest of random-projection trees over the rows of x (Dasgupta and Freund 2008; the index of
 * Annoy and of pynndescent's search): each tree splits its points by a hyperplane halfway between
 * two of them, chosen at random, until every leaf holds at most {@code leafSize} points. Points that
 * share a leaf are likely near each other, so a point's leaves in all trees give a short list of
 * candidates for its nearest neighbours; a new point finds its leaves by descending each tree.
 *
 * <p>Deterministic: tree t is grown from {@code new Random(seed * 31 + t)} alone, so the same
 * rows and seed give the same trees on any number of cores.
 */
final class ProjectionForest {
    private final float[] x;
    private final int d;
    private final Tree[] trees;

    /** One tree: its points leaf by leaf, where each leaf starts, and its splits. */
    private record Tree(int[] members, int[] leafStart, int root, int[] children, double[] normal, double[] offset) {
        int leaves() {
            return leafStart.length - 1;
        }

        /** The leaf a point falls in: its position in leafStart. */
        int leafOf(float[] q, int qOff, int d) {
            int node = root;
            while (node >= 0) {
                double s = -offset[node];
                int o = node * d;
                for (int j = 0; j < d; j++) {
                    s += normal[o + j] * q[qOff + j];
                }
                node = children[2 * node + (s < 0 ? 0 : 1)];
            }
            return -node - 1;
        }
    }

    private ProjectionForest(float[] x, int d, Tree[] trees) {
        this.x = x;
        this.d = d;
        this.trees = trees;
    }

    /** Queries searched by one task: a chunk of rows in the order of their first leaves */
    private static final int CHUNK = 256;

    /** Grows {@code count} trees over the first n rows of x (d coordinates each), in parallel; with leafSize >= n, one leaf. */
    static ProjectionForest grow(float[] x, int n, int d, int count, int leafSize, long seed) {
        Tree[] trees = new Tree[count];
        IntStream.range(0, count).parallel().forEach(t -> trees[t] = new Grower(x, n, d, leafSize, new Random(seed * 31 + t)).tree());
        return new ProjectionForest(x, d, trees);
    }

    /** Tree t's points, leaf after leaf. */
    int[] members(int t) {
        return trees[t].members();
    }

    /** Where each of tree t's leaves starts in {@link #members}, and (last) the point count. */
    int[] leafStart(int t) {
        return trees[t].leafStart();
    }

    /** Each query's nearest rows: {@code index[q * k + t]}, {@code squared[q * k + t]}, nearest first, ties by index. */
    record Found(int k, int[] index, float[] squared) {
        /** How many neighbours query q has: fewer than k where its leaves hold fewer rows. */
        int count(int q) {
            int c = 0;
            while (c < k && index[q * k + c] >= 0) {
                c++;
            }
            return c;
        }
    }

    /**
     * The k nearest candidates (see {@link #offerCandidates}) of each of the given rows of q (d
     * coordinates each), in the order of {@code rows}; -1 pads a list with fewer. The rows are
     * searched in the order of their leaves in the first tree, so that rows searched one after
     * another read mostly the same rows of x; each row's answer does not depend on that order.
     */
    Found nearest(float[] q, int[] rows, int k) {
        int m = rows.length;
        int n = trees[0].members().length;
        Tree first = trees[0];
        int[] leaf = new int[m];
        IntStream.range(0, m).parallel().forEach(i -> leaf[i] = first.leafOf(q, rows[i] * d, d));
        int[] start = new int[first.leaves() + 1];
        for (int l : leaf) {
            start[l + 1]++;
        }
        for (int l = 0; l < first.leaves(); l++) {
            start[l + 1] += start[l];
        }
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[start[leaf[i]]++] = i;
        }
        int[] index = new int[m * k];
        float[] squared = new float[m * k];
        Arrays.fill(index, -1);
        Arrays.fill(squared, Float.POSITIVE_INFINITY);
        IntStream.range(0, (m + CHUNK - 1) / CHUNK).parallel().forEach(c -> {
            Seen seen = new Seen(n);
            NearestNeighbours.Heap heap = new NearestNeighbours.Heap(k);
            int[] found = new int[k];
            double[] dist = new double[k];
            for (int p = c * CHUNK, end = Math.min(m, p + CHUNK); p < end; p++) {
                int i = order[p];
                heap.clear();
                offerCandidates(q, rows[i] * d, heap, seen);
                seen.clear();
                int size = heap.size;
                heap.sortedInto(found, dist, 0, false);
                for (int t = 0; t < size; t++) {
                    index[i * k + t] = found[t];
                    squared[i * k + t] = (float) dist[t];
                }
            }
        });
        return new Found(k, index, squared);
    }

    /**
     * Rows measured for one query: one bit per row (small enough to stay in the cache, where an int
     * per row would not), cleared row by row afterwards.
     */
    private static final class Seen {
        private final long[] bits;
        private int[] rows = new int[1024];
        private int count;

        Seen(int n) {
            bits = new long[(n + 63) >>> 6];
        }

        /** Marks row j; false when it was marked already. */
        boolean add(int j) {
            long bit = 1L << j;
            if ((bits[j >>> 6] & bit) != 0) {
                return false;
            }
            bits[j >>> 6] |= bit;
            if (count == rows.length) {
                rows = Arrays.copyOf(rows, 2 * count);
            }
            rows[count++] = j;
            return true;
        }

        void clear() {
            for (int t = 0; t < count; t++) {
                bits[rows[t] >>> 6] = 0;
            }
            count = 0;
        }
    }

    /**
     * Offers {@code heap} every row that shares a leaf with the point q[qOff..qOff+d) in some tree
     * and is not in {@code seen} yet (those offered are added to it), by squared distance.
     */
    private void offerCandidates(float[] q, int qOff, NearestNeighbours.Heap heap, Seen seen) {
        for (Tree tree : trees) {
            int leaf = tree.leafOf(q, qOff, d);
            for (int p = tree.leafStart()[leaf], end = tree.leafStart()[leaf + 1]; p < end; p++) {
                int j = tree.members()[p];
                if (seen.add(j)) {
                    float dd = squaredDistanceBelow(q, qOff, x, j * d, d, heap.worst());
                    if (dd < heap.worst()) {
                        heap.offer(j, dd);
                    }
                }
            }
        }
    }

    /**
     * The squared distance of two rows, or some value at least {@code limit} once the sum reaches it.
     * The sum is the same as without the early stop (the partial sums only grow), so which rows a
     * search keeps does not depend on it; the rows are principal components, largest first, so
     * most far rows stop after a few coordinates.
     */
    static float squaredDistanceBelow(float[] a, int ao, float[] b, int bo, int d, double limit) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        while (j + 3 < d) {
            for (int end = Math.min(d - 3, j + 8); j < end; j += 4) {
                float d0 = a[ao + j] - b[bo + j];
                float d1 = a[ao + j + 1] - b[bo + j + 1];
                float d2 = a[ao + j + 2] - b[bo + j + 2];
                float d3 = a[ao + j + 3] - b[bo + j + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            float partial = (s0 + s1) + (s2 + s3);
            if (partial >= limit) {
                return partial;
            }
        }
        for (; j < d; j++) {
            float d0 = a[ao + j] - b[bo + j];
            s0 += d0 * d0;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Grows one tree: splits depth first, the lower side first, leaves numbered in that order. */
    private static final class Grower {
        private final float[] x;
        private final int d;
        private final int leafSize;
        private final Random rnd;
        private final int[] items;
        private int[] leafStart;
        private int leaves;
        private int[] children;
        private double[] normal;
        private double[] offset;
        private int nodes;

        Grower(float[] x, int n, int d, int leafSize, Random rnd) {
            this.x = x;
            this.d = d;
            this.leafSize = leafSize;
            this.rnd = rnd;
            this.items = IntStream.range(0, n).toArray();
            int capacity = Math.max(2, 4 * n / leafSize + 2);
            leafStart = new int[capacity];
            children = new int[2 * capacity];
            normal = new double[d * capacity];
            offset = new double[capacity];
        }

        Tree tree() {
            int root = split(0, items.length);
            int[] starts = Arrays.copyOf(leafStart, leaves + 1);
            starts[leaves] = items.length;
            return new Tree(items, starts, root, Arrays.copyOf(children, 2 * nodes), Arrays.copyOf(normal, d * nodes),
                    Arrays.copyOf(offset, nodes));
        }

        /** Splits items[lo..hi); a node's number, or -(leaf + 1) for a leaf. */
        private int split(int lo, int hi) {
            if (hi - lo <= leafSize) {
                if (leaves == leafStart.length) {
                    leafStart = Arrays.copyOf(leafStart, 2 * leafStart.length);
                }
                leafStart[leaves] = lo;
                return -(leaves++) - 1;
            }
            int me = nodes++;
            if (me == offset.length) {
                children = Arrays.copyOf(children, 4 * me);
                normal = Arrays.copyOf(normal, 2 * d * me);
                offset = Arrays.copyOf(offset, 2 * me);
            }
            int a = items[lo + rnd.nextInt(hi - lo)];
            int b = items[lo + rnd.nextInt(hi - lo)];
            int o = me * d;
            double off = 0;
            for (int j = 0; j < d; j++) {
                normal[o + j] = x[a * d + j] - x[b * d + j];
                off += normal[o + j] * (x[a * d + j] + x[b * d + j]) / 2;
            }
            offset[me] = off;
            int i = lo, e = hi - 1;
            while (i <= e) {
                double s = -off;
                int at = items[i] * d;
                for (int j = 0; j < d; j++) {
                    s += normal[o + j] * x[at + j];
                }
                if (s < 0) {
                    i++;
                } else {
                    int t = items[i];
                    items[i] = items[e];
                    items[e] = t;
                    e--;
                }
            }
            int mid = i;
            if (mid - lo < 1 || hi - mid < 1) {
                // the two points coincide, or all lie on one side: split in half (a new point goes
                // to the side its hyperplane says, which then holds the half it was put in)
                mid = (lo + hi) >>> 1;
            }
            int lower = split(lo, mid);
            int upper = split(mid, hi);
            children[2 * me] = lower;
            children[2 * me + 1] = upper;
            return me;
        }
    }
}
