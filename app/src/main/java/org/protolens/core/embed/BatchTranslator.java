package org.protolens.core.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.protolens.core.FloatMatrix;

/**
 * Feeds one float buffer (already decoded and normalised in plain Java) to the network and reads
 * back a (batch, d) feature matrix. Every NDArray lives in the predictor context's manager, which
 * DJL closes after each call, so native memory is freed batch by batch.
 */
final class BatchTranslator implements NoBatchifyTranslator<BatchTranslator.Input, FloatMatrix> {

    record Input(float[] data, int count, int height, int width) {
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Input in) {
        int values = in.count() * 3 * in.height() * in.width();
        NDArray array = ctx.getNDManager().create(FloatBuffer.wrap(in.data(), 0, values),
                new Shape(in.count(), 3, in.height(), in.width()));
        return new NDList(array);
    }

    @Override
    public FloatMatrix processOutput(TranslatorContext ctx, NDList list) {
        if (list.size() != 1) {
            throw new IllegalStateException("the model returned " + list.size()
                    + " outputs; ProtoLens needs one (batch, features) matrix");
        }
        NDArray out = list.singletonOrThrow();
        long[] shape = out.getShape().getShape();
        long[] squeezed = squeezeTrailingOnes(shape);
        if (squeezed.length != 2) {
            throw new IllegalStateException("the model's output has shape " + Arrays.toString(shape)
                    + "; ProtoLens needs a 2-D (batch, features) matrix");
        }
        float[] values = out.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        return new FloatMatrix((int) squeezed[0], (int) squeezed[1], values);
    }

    /** (n, d, 1, 1), the output of a pooled convolutional network, counts as (n, d). */
    static long[] squeezeTrailingOnes(long[] shape) {
        int len = shape.length;
        while (len > 2 && shape[len - 1] == 1) {
            len--;
        }
        return Arrays.copyOf(shape, len);
    }
}
