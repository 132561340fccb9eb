package org.protolens.core.embed;

/**
 * One image's last feature map (the activations a global average pool turns into its embedding)
 * and the gradient of the cosine between that embedding and a direction with respect to it: what
 * Grad-CAM needs.
 *
 * @param channels   feature channels C
 * @param height     feature map height H
 * @param width      feature map width W
 * @param activation C x H x W values, channel-major
 * @param gradient   d cos(embedding, direction) / d activation, laid out as {@code activation}
 * @param cosine     cos(embedding, direction)
 */
public record FeatureMapGradient(int channels, int height, int width, float[] activation, float[] gradient, double cosine) {
    public FeatureMapGradient {
        int n = channels * height * width;
        if (channels < 1 || height < 1 || width < 1 || activation.length != n || gradient.length != n) {
            throw new IllegalArgumentException("a " + channels + " x " + height + " x " + width + " feature map needs " + n
                    + " activations and gradients, not " + activation.length + " and " + gradient.length);
        }
    }
}
