package org.protolens.core.embed;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.Locale;

/**
 * Backbones defined in Java with DJL blocks, each ending in a global average pool so that the
 * output is the embedding.
 */
public enum BuiltinArchitecture {
    /**
     * The CIFAR ResNet-20 of TEEN's CIFAR setting: a 3x3 stem of 16 filters, three stages of three
     * basic blocks with 16, 32 and 64 filters (stride 2 entering stages 2 and 3, 1x1 projection
     * shortcuts where the shape changes), global average pooling: a 64-d embedding.
     */
    RESNET20("resnet20", 32, 64) {
        @Override
        public Block newBlock() {
            SequentialBlock net = new SequentialBlock()
                    .add(conv(16, 3, 1))
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
            int in = 16;
            for (int stage = 0; stage < 3; stage++) {
                int filters = 16 << stage;
                for (int b = 0; b < 3; b++) {
                    int stride = stage > 0 && b == 0 ? 2 : 1;
                    net.add(basicBlock(filters, stride, in != filters || stride != 1));
                    in = filters;
                }
            }
            return net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        }
    },
    /**
     * A small CNN for 28x28 images such as Fashion-MNIST: three 3x3 convolutions (32, 64, 64
     * filters) with batch norm and ReLU, 2x2 max pooling after the first two, global average
     * pooling: a 64-d embedding.
     */
    SMALLCNN("smallcnn", 28, 64) {
        @Override
        public Block newBlock() {
            return new SequentialBlock()
                    .add(conv(32, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(conv(64, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(conv(64, 3, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                    .add(Pool.globalAvgPool2dBlock())
                    .add(Blocks.batchFlattenBlock());
        }
    };

    /** Every architecture's last two blocks: the global average pool and the flatten that make the embedding. */
    public static final int POOLING_BLOCKS = 2;

    private final String id;
    private final int inputSize;
    private final int embeddingDim;

    BuiltinArchitecture(String id, int inputSize, int embeddingDim) {
        this.id = id;
        this.inputSize = inputSize;
        this.embeddingDim = embeddingDim;
    }

    /** A new, uninitialised block of this architecture. */
    public abstract Block newBlock();

    public String id() {
        return id;
    }

    /** The square input size the architecture was designed for. */
    public int inputSize() {
        return inputSize;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    public static BuiltinArchitecture byId(String id) {
        for (BuiltinArchitecture a : values()) {
            if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + id + "' (known: resnet20, smallcnn)");
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
    }

    private static Block basicBlock(int filters, int stride, boolean project) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(filters, 3, stride))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(filters, 3, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = project
                ? new SequentialBlock().add(conv(filters, 1, stride)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(
                        outs -> new NDList(outs.get(0).singletonOrThrow().add(outs.get(1).singletonOrThrow())),
                        List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }
}
