package org.protolens.core.embed;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import java.util.List;
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
    /** how many of the block's last children pool the feature map into the embedding; 0: not differentiable */
    private final int poolingBlocks;
    private long batches;

    DjlBackbone(String name, Model model, Preprocessing preprocessing, String fingerprint, Device device) {
        this(name, model, preprocessing, fingerprint, device, 0);
    }

    /**
     * @param poolingBlocks for a network of DJL blocks in one sequence: how many of its last blocks
     *                      turn the last feature map into the embedding (global pool, flatten); 0
     *                      for an opaque network
     */
    DjlBackbone(String name, Model model, Preprocessing preprocessing, String fingerprint, Device device, int poolingBlocks) {
        this.name = name;
        this.poolingBlocks = poolingBlocks;
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

    @Override
    public boolean differentiable() {
        return poolingBlocks > 0 && model.getBlock() instanceof SequentialBlock seq && seq.getChildren().size() > poolingBlocks;
    }

    @Override
    public FeatureMapGradient featureMapGradient(float[] image, float[] direction) {
        if (!differentiable()) {
            return Backbone.super.featureMapGradient(image, direction);
        }
        if (image.length != preprocessing.valuesPerImage() || direction.length != dim) {
            throw new IllegalArgumentException(name + ": needs one image of " + preprocessing.valuesPerImage()
                    + " values and a direction of " + dim + ", not " + image.length + " and " + direction.length);
        }
        List<Block> blocks = ((SequentialBlock) model.getBlock()).getChildren().values();
        int split = blocks.size() - poolingBlocks;
        // every array of this call lives in the sub-manager and is freed when it closes
        try (NDManager m = model.getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDList x = new NDList(m.create(image, new Shape(1, 3, preprocessing.height(), preprocessing.width())));
            for (int b = 0; b < split; b++) {
                x = blocks.get(b).forward(store, x, false);
            }
            NDArray features = x.singletonOrThrow();
            long[] shape = features.getShape().getShape();
            if (shape.length != 4) {
                throw new BackboneException(name + ": its last feature map has shape " + features.getShape()
                        + ", not (1, channels, height, width)");
            }
            features.setRequiresGradient(true);
            float[] activation = features.toType(DataType.FLOAT32, false).toFloatArray();
            try (GradientCollector collector = m.getEngine().newGradientCollector()) {
                NDList y = new NDList(features);
                for (int b = split; b < blocks.size(); b++) {
                    y = blocks.get(b).forward(store, y, false);
                }
                NDArray e = y.singletonOrThrow().reshape(-1);
                NDArray d = m.create(direction);
                NDArray cos = e.dot(d).div(e.norm().mul(d.norm()).add(1e-12f));
                double cosine = cos.toType(DataType.FLOAT64, false).getDouble();
                collector.backward(cos);
                float[] gradient = features.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
                return new FeatureMapGradient((int) shape[1], (int) shape[2], (int) shape[3], activation, gradient, cosine);
            }
        } catch (RuntimeException e) {
            if (e instanceof BackboneException) {
                throw e;
            }
            throw new BackboneException(name + ": the feature map's gradient failed: " + rootMessage(e), e);
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
