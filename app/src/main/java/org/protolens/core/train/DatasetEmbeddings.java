package org.protolens.core.train;

import java.io.IOException;
import java.util.function.IntConsumer;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.Preprocessing;

/** Embeddings of every image of a dataset, in dataset order. */
public final class DatasetEmbeddings {
    private DatasetEmbeddings() {
    }

    /** @param progress told the number of images embedded so far, after every batch; may be null */
    public static FloatMatrix embed(Backbone backbone, ImageDataset data, int batchSize, IntConsumer progress) throws IOException {
        Preprocessing pre = backbone.preprocessing();
        int per = pre.valuesPerImage();
        int d = backbone.embeddingDim();
        float[] input = new float[batchSize * per];
        float[] out = new float[data.size() * d];
        for (int from = 0; from < data.size(); from += batchSize) {
            int n = Math.min(batchSize, data.size() - from);
            for (int i = 0; i < n; i++) {
                ImageDecoder.writeInput(data.image(from + i), pre, input, i * per);
            }
            FloatMatrix e = backbone.embed(input, n);
            System.arraycopy(e.data(), 0, out, from * d, n * d);
            if (progress != null) {
                progress.accept(from + n);
            }
        }
        return new FloatMatrix(data.size(), d, out);
    }
}
