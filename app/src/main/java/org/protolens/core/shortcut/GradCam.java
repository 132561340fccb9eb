package org.protolens.core.shortcut;

import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.FeatureMapGradient;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageDecoder.RgbImage;

/**
 * Grad-CAM of a prototype similarity (Selvaraju et al., ICCV 2017, with the cosine to the
 * prototype in place of a class score): each channel of the backbone's last feature map is weighted
 * by the mean gradient of cos(embedding, prototype) over its cells, and the map is the ReLU of
 * the weighted sum of the channels. One forward and one backward pass, at the feature map's
 * resolution (8 x 8 for ResNet-20 at 32 px); only backbones made of DJL blocks (the built-in
 * architectures) can be differentiated.
 *
 * <p>With a global average pool before the embedding, the gradient is the same for every cell of a
 * channel: d cos / d e_k divided by the number of cells, so the map is the feature map projected on
 * the cosine's gradient in embedding space (CAM, Zhou et al. 2016).
 */
public final class GradCam {
    private GradCam() {
    }

    /**
     * @param width      feature map columns
     * @param height     feature map rows
     * @param similarity the image's cosine to the prototype
     * @param cam        per cell, row-major: ReLU(sum_k weight_k * activation_k)
     * @param weights    per channel: the mean gradient over its cells
     */
    public record Map(int width, int height, double similarity, float[] cam, float[] weights) implements SaliencyMap {
        @Override
        public float[] values() {
            return cam;
        }
    }

    /** Whether Grad-CAM can run with this backbone. */
    public static boolean supports(Backbone backbone) {
        return backbone.differentiable();
    }

    /**
     * @param prototype the prototype (the backbone's embedding length; its norm does not matter)
     * @throws UnsupportedOperationException when the backbone cannot be differentiated
     */
    public static Map compute(Backbone backbone, RgbImage image, float[] prototype) {
        if (prototype.length != backbone.embeddingDim()) {
            throw new IllegalArgumentException("a prototype of " + prototype.length + " values does not fit the backbone's "
                    + backbone.embeddingDim() + "-value embeddings");
        }
        float[] input = new float[backbone.preprocessing().valuesPerImage()];
        ImageDecoder.writeInput(image, backbone.preprocessing(), input, 0);
        return of(backbone.featureMapGradient(input, prototype));
    }

    /** Grad-CAM from a feature map and its gradient. */
    static Map of(FeatureMapGradient f) {
        int cells = f.height() * f.width();
        float[] weights = new float[f.channels()];
        float[] cam = new float[cells];
        for (int k = 0; k < f.channels(); k++) {
            double sum = 0;
            for (int i = 0; i < cells; i++) {
                sum += f.gradient()[k * cells + i];
            }
            weights[k] = (float) (sum / cells);
            for (int i = 0; i < cells; i++) {
                cam[i] += weights[k] * f.activation()[k * cells + i];
            }
        }
        for (int i = 0; i < cells; i++) {
            cam[i] = Math.max(0, cam[i]);
        }
        return new Map(f.width(), f.height(), f.cosine(), cam, weights);
    }
}
