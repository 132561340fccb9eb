package org.protolens.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The classifier head TEEN trains base models with: logits = scale * cos(embedding, w_k), one
 * learned vector w_k per base class. Used only while training; the saved backbone ends at the
 * embedding.
 */
final class CosineHead extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Parameter weight;
    private final int classes;
    private final float scale;

    CosineHead(int classes, float scale) {
        super(VERSION);
        this.classes = classes;
        this.scale = scale;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray xn = x.div(x.norm(new int[] {1}, true).add(1e-12f));
        NDArray wn = w.div(w.norm(new int[] {1}, true).add(1e-12f));
        return new NDList(xn.matMul(wn.transpose()).mul(scale));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(classes, inputShapes[0].get(1)));
    }
}
