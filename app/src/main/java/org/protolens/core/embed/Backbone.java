package org.protolens.core.embed;

import org.protolens.core.FloatMatrix;

/**
 * A frozen network that turns preprocessed images into embeddings. Implementations are not
 * thread-safe: one thread runs {@link #embed} at a time.
 */
public interface Backbone extends AutoCloseable {

    /** A short name for people: architecture or file name. */
    String name();

    /** Input size and normalisation. */
    Preprocessing preprocessing();

    /** Length of one embedding. */
    int embeddingDim();

    /**
     * SHA-256 over the weights and the preprocessing: two backbones with equal fingerprints give
     * equal embeddings, so cached embeddings are keyed by it.
     */
    String fingerprint();

    /** The device the network runs on, for people ("CPU", or the GPU). */
    String device();

    /**
     * Embeds {@code count} images laid out in {@code batch} as count x 3 x height x width floats.
     *
     * @return a count x {@link #embeddingDim()} matrix
     */
    FloatMatrix embed(float[] batch, int count);

    /**
     * Whether {@link #featureMapGradient} runs: the network is made of DJL blocks (a built-in
     * architecture), so its last feature map can be read and differentiated. TorchScript files and
     * zoo models are opaque and cannot.
     */
    default boolean differentiable() {
        return false;
    }

    /**
     * For one preprocessed image (3 x height x width floats): the last feature map before the global
     * average pool, and the gradient of cos(embedding, {@code direction}) with respect to it.
     *
     * @throws UnsupportedOperationException when the backbone is not {@link #differentiable()}
     */
    default FeatureMapGradient featureMapGradient(float[] image, float[] direction) {
        throw new UnsupportedOperationException(name() + ": a TorchScript or model-zoo network cannot be differentiated here; "
                + "only built-in architectures can");
    }

    @Override
    void close();
}
