package org.protolens.core.shortcut;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.embed.Preprocessing;
import org.protolens.core.proto.L2;

/**
 * Where in an image the similarity to a prototype comes from (occlusion sensitivity, Zeiler and
 * Fergus 2014, applied to the prototype's cosine): a square patch slides over the backbone's input
 * and each occluded copy is embedded; the drop of the cosine to the prototype, averaged over the
 * patches that cover a pixel, is that pixel's saliency. It needs only forward passes, so it works
 * for every backbone, TorchScript included.
 *
 * <p>The patch is laid on the backbone's input (after resizing), in its pixels, and filled with the
 * normalisation's mean (input value 0): the colour the backbone saw least contrast in. The copies
 * are embedded in batches.
 */
public final class OcclusionSaliency {
    private OcclusionSaliency() {
    }

    /** Progress: {@code done} of {@code total} occluded copies embedded. */
    public interface Listener {
        void progress(int done, int total);
    }

    /**
     * A saliency map at the backbone's input size.
     *
     * @param width      the backbone's input width
     * @param height     the backbone's input height
     * @param similarity the unoccluded image's cosine to the prototype
     * @param drop       per input pixel, row-major: the mean similarity drop of the patches covering it
     * @param grid       per patch position (rows x columns, row-major): its similarity drop
     */
    public record Map(int width, int height, int patch, int stride, double similarity, float[] drop, int gridRows, int gridCols,
                      float[] grid) implements SaliencyMap {
        /** The similarity drops: per input pixel, the mean drop of the patches covering it. */
        @Override
        public float[] values() {
            return drop;
        }
    }

    /** Patch positions along a side of {@code size}: 0, stride, ... and always one flush with the far edge. */
    static int[] positions(int size, int patch, int stride) {
        int n = (size - patch) / stride + 1;
        boolean flush = (size - patch) % stride != 0;
        int[] p = new int[n + (flush ? 1 : 0)];
        for (int k = 0; k < n; k++) {
            p[k] = k * stride;
        }
        if (flush) {
            p[n] = size - patch;
        }
        return p;
    }

    /** How many occluded copies {@link #compute} embeds for this backbone input, patch and stride. */
    public static int copies(Preprocessing p, int patch, int stride) {
        check(p, patch, stride);
        return positions(p.width(), patch, stride).length * positions(p.height(), patch, stride).length;
    }

    private static void check(Preprocessing p, int patch, int stride) {
        if (patch < 1 || patch > Math.min(p.width(), p.height())) {
            throw new IllegalArgumentException("the patch must be 1 to " + Math.min(p.width(), p.height())
                    + " pixels (the backbone's input is " + p.width() + " x " + p.height() + "), not " + patch);
        }
        if (stride < 1 || stride > patch) {
            throw new IllegalArgumentException("the stride must be 1 to the patch size (" + patch + "), not " + stride);
        }
    }

    /**
     * @param prototype the prototype (any length the backbone's embeddings have; its norm does not matter)
     * @param batch     occluded copies per forward pass
     */
    public static Map compute(Backbone backbone, RgbImage image, float[] prototype, int patch, int stride, int batch,
                              Listener listener, BooleanSupplier cancelled) {
        Preprocessing p = backbone.preprocessing();
        check(p, patch, stride);
        if (prototype.length != backbone.embeddingDim()) {
            throw new IllegalArgumentException("a prototype of " + prototype.length + " values does not fit the backbone's "
                    + backbone.embeddingDim() + "-value embeddings");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, not " + batch);
        }
        int w = p.width();
        int h = p.height();
        int per = p.valuesPerImage();
        float[] input = new float[per];
        ImageDecoder.writeInput(image, p, input, 0);
        FloatMatrix original = backbone.embed(input, 1);
        double base = L2.cosine(original.row(0), prototype);
        int[] xs = positions(w, patch, stride);
        int[] ys = positions(h, patch, stride);
        int total = xs.length * ys.length;
        float[] grid = new float[total];
        float[] buffer = new float[Math.min(batch, total) * per];
        for (int from = 0; from < total; from += batch) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            int n = Math.min(batch, total - from);
            for (int j = 0; j < n; j++) {
                int pos = from + j;
                int x0 = xs[pos % xs.length];
                int y0 = ys[pos / xs.length];
                int off = j * per;
                System.arraycopy(input, 0, buffer, off, per);
                for (int c = 0; c < 3; c++) {
                    for (int y = y0; y < y0 + patch; y++) {
                        int row = off + c * w * h + y * w;
                        Arrays.fill(buffer, row + x0, row + x0 + patch, 0f);
                    }
                }
            }
            FloatMatrix out = backbone.embed(n == buffer.length / per ? buffer : Arrays.copyOf(buffer, n * per), n);
            for (int j = 0; j < n; j++) {
                grid[from + j] = (float) (base - L2.cosine(out.row(j), prototype));
            }
            if (listener != null) {
                listener.progress(from + n, total);
            }
        }
        float[] sum = new float[w * h];
        int[] count = new int[w * h];
        for (int pos = 0; pos < total; pos++) {
            int x0 = xs[pos % xs.length];
            int y0 = ys[pos / xs.length];
            for (int y = y0; y < y0 + patch; y++) {
                for (int x = x0; x < x0 + patch; x++) {
                    sum[y * w + x] += grid[pos];
                    count[y * w + x]++;
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
        }
        return new Map(w, h, patch, stride, base, sum, ys.length, xs.length, grid);
    }
}
