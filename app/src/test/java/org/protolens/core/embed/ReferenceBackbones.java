package org.protolens.core.embed;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.protolens.TestResources;
import org.protolens.core.io.NpyFile;

/** Backbone folders of the built-in architectures with the weights of their PyTorch twins in make_reference.py. */
public final class ReferenceBackbones {
    private ReferenceBackbones() {
    }

    /**
     * Writes {@code arch} with the twin's weights (reference/ID-params.npy) into {@code folder}, its
     * input the architecture's size with no normalisation (mean 0, std 1), so that the reference
     * inputs go in as they are.
     */
    public static Path write(BuiltinArchitecture arch, Path folder) throws IOException {
        float[] flat = NpyFile.readMatrix(TestResources.torchscript("reference/" + arch.id() + "-params.npy")).data();
        int size = arch.inputSize();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block block = arch.newBlock();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            int offset = 0;
            for (Parameter p : block.getParameters().values()) {
                int n = (int) p.getArray().size();
                p.getArray().set(Arrays.copyOfRange(flat, offset, offset + n));
                offset += n;
            }
            if (offset != flat.length) {
                throw new IllegalStateException(flat.length + " PyTorch values for " + offset + " DJL parameter values");
            }
            BuiltinBackbones.write(folder, arch, block, new Preprocessing(size, size, new float[] {0, 0, 0}, new float[] {1, 1, 1}),
                    List.of("a", "b"), null);
        }
        return folder;
    }
}
