package org.protolens.core.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.protolens.core.FloatMatrix;

/**
 * Feeds one float buffer (already decoded and normalised in plain Java) to the network and reads
 * back a (batch, d) feature matrix. Every NDArray lives in the predictor context's manager, which
 * DJL closes after each call, so native tensors are freed batch by batch.
 *
 * <p>The input goes through one direct buffer that this translator owns and reuses: given a heap
 * array, DJL would copy it into a new direct buffer per batch that only the garbage collector
 * frees, and resident memory would climb by gigabytes before it ran. Not thread-safe, like the
 * predictor that uses it.
 */
final class BatchTranslator implements NoBatchifyTranslator<BatchTranslator.Input, FloatMatrix> {
    private ByteBuffer staging;

    record Input(float[] data, int count, int height, int width) {
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Input in) {
        int values = in.count() * 3 * in.height() * in.width();
        if (staging == null || staging.capacity() < values * 4) {
            staging = ByteBuffer.allocateDirect(values * 4).order(ByteOrder.nativeOrder());
        }
        ByteBuffer buf = staging.clear().limit(values * 4);
        buf.asFloatBuffer().put(in.data(), 0, values);
        NDArray array = ctx.getNDManager().create(buf, new Shape(in.count(), 3, in.height(), in.width()),
                DataType.FLOAT32);
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
        float[] values = out.toType(DataType.FLOAT32, false).toFloatArray();
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
