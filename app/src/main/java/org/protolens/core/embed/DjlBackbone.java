package org.protolens.core.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import org.protolens.core.FloatMatrix;

/**
 * A backbone run by DJL's PyTorch engine: a TorchScript file, a built-in architecture with its
 * .params weights, or a model from DJL's model zoo. On load a dummy batch of two images checks that
 * the network returns a (batch, features) matrix.
 */
public final class DjlBackbone implements Backbone {
    private final String name;
    private final Model model;
    private final Predictor<BatchTranslator.Input, FloatMatrix> predictor;
    private final Preprocessing preprocessing;
    private final String fingerprint;
    private final String device;
    private final int dim;
    private long batches;

    DjlBackbone(String name, Model model, Preprocessing preprocessing, String fingerprint, Device device) {
        this.name = name;
        this.model = model;
        this.preprocessing = preprocessing;
        this.fingerprint = fingerprint;
        this.device = Devices.describe(device);
        this.predictor = model.newPredictor(new BatchTranslator());
        FloatMatrix probe;
        try {
            probe = run(new float[2 * preprocessing.valuesPerImage()], 2);
        } catch (RuntimeException e) {
            close();
            throw new BackboneException(name + ": a test batch of two " + preprocessing.width() + "x"
                    + preprocessing.height() + " images failed: " + rootMessage(e), e);
        }
        if (probe.rows() != 2) {
            close();
            throw new BackboneException(name + ": for a batch of 2 images the model returned " + probe.rows()
                    + " rows; ProtoLens needs one feature row per image");
        }
        this.dim = probe.cols();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m != null) {
            int nl = m.indexOf('\n');
            m = nl > 0 ? m.substring(0, nl) : m;
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    @Override
    public int embeddingDim() {
        return dim;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public FloatMatrix embed(float[] batch, int count) {
        if (count == 0) {
            return FloatMatrix.zeros(0, dim);
        }
        FloatMatrix out = run(batch, count);
        NativeMemory.afterBatch(++batches);
        if (out.rows() != count || out.cols() != dim) {
            throw new BackboneException(name + ": returned " + out.rows() + " x " + out.cols() + " for " + count
                    + " images, expected " + count + " x " + dim);
        }
        return out;
    }

    private FloatMatrix run(float[] batch, int count) {
        try {
            return predictor.predict(new BatchTranslator.Input(batch, count, preprocessing.height(), preprocessing.width()));
        } catch (TranslateException e) {
            throw new BackboneException(name + ": " + rootMessage(e), e);
        }
    }

    /** The underlying DJL model (for training and saving built-in architectures). */
    public Model model() {
        return model;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
