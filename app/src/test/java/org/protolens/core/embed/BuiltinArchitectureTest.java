package org.protolens.core.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;

/**
 * The built-in architectures, given fixed weights, compute what their PyTorch twins in
 * make_reference.py compute, after a save to a backbone folder and a load through BackboneLoader.
 */
class BuiltinArchitectureTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BuiltinArchitecture.class)
    void matchesThePyTorchTwinAfterSaveAndLoad(BuiltinArchitecture arch) throws IOException {
        String id = arch.id();
        FloatMatrix inputs = NpyFile.readMatrix(TestResources.torchscript("reference/" + id + "-inputs.npy"));
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/" + id + "-outputs.npy"));
        Path folder = ReferenceBackbones.write(arch, dir.resolve(id));
        assertTrue(Files.isRegularFile(folder.resolve("backbone.json")));
        try (Backbone b = BackboneLoader.open(folder.toString(), null, null)) {
            assertEquals(arch.embeddingDim(), b.embeddingDim());
            FloatMatrix actual = b.embed(inputs.data(), inputs.rows());
            assertArrayEquals(expected.data(), actual.data(), 2e-4f);
        }
    }

    @Test
    void refusesABrokenFolderWithAClearMessage() throws IOException {
        Path folder = dir.resolve("broken");
        Files.createDirectories(folder);
        var missing = assertThrows(IOException.class, () -> BackboneLoader.open(folder.toString(), null, null));
        assertTrue(missing.getMessage().contains("backbone.json is missing"), missing.getMessage());
        Files.writeString(folder.resolve("backbone.json"), "{\"format\": \"djl-builtin\", \"architecture\": \"vgg\", "
                + "\"weights\": \"w.params\", \"input\": {\"width\": 8, \"height\": 8, \"mean\": [0,0,0], \"std\": [1,1,1]}}");
        Files.writeString(folder.resolve("w.params"), "x");
        var unknown = assertThrows(IOException.class, () -> BackboneLoader.open(folder.toString(), null, null));
        assertTrue(unknown.getMessage().contains("unknown architecture 'vgg'"), unknown.getMessage());
        Files.writeString(folder.resolve("backbone.json"), "{\"format\": \"djl-builtin\", \"architecture\": \"smallcnn\", "
                + "\"weights\": \"w.params\", \"input\": {\"width\": 8, \"height\": 8, \"mean\": [0,0,0], \"std\": [1,1,1]}}");
        var corrupt = assertThrows(IOException.class, () -> BackboneLoader.open(folder.toString(), null, null));
        assertTrue(corrupt.getMessage().contains("w.params") && corrupt.getMessage().contains("cannot load smallcnn"),
                corrupt.getMessage());
        Files.writeString(folder.resolve("backbone.json"), "{\"format\": \"djl-builtin\"");
        var json = assertThrows(IOException.class, () -> BackboneLoader.open(folder.toString(), null, null));
        assertTrue(json.getMessage().contains("not a valid backbone description"), json.getMessage());
    }
}
