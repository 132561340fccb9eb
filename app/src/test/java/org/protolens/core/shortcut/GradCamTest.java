package org.protolens.core.shortcut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.BuiltinArchitecture;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.embed.ReferenceBackbones;
import org.protolens.core.io.NpyFile;

/** Grad-CAM of a prototype similarity, checked against PyTorch's autograd on the built-in architectures' twins. */
class GradCamTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BuiltinArchitecture.class)
    void matchesPyTorchsGradCamOfTheSameWeightsInputsAndDirections(BuiltinArchitecture arch) throws IOException {
        FloatMatrix inputs = NpyFile.readMatrix(TestResources.torchscript("reference/" + arch.id() + "-inputs.npy"));
        FloatMatrix directions = NpyFile.readMatrix(TestResources.torchscript("reference/" + arch.id() + "-gradcam-direction.npy"));
        FloatMatrix expected = NpyFile.readMatrix(TestResources.torchscript("reference/" + arch.id() + "-gradcam.npy"));
        try (Backbone b = BackboneLoader.open(ReferenceBackbones.write(arch, dir.resolve(arch.id())).toString(), null, null)) {
            assertTrue(b.differentiable(), "a built-in architecture can be differentiated");
            assertTrue(GradCam.supports(b));
            for (int i = 0; i < inputs.rows(); i++) {
                GradCam.Map m = GradCam.of(b.featureMapGradient(inputs.row(i), directions.row(i)));
                float[] want = Arrays.copyOfRange(expected.row(i), 1, expected.cols());
                assertEquals(want.length, m.width() * m.height(), "the last feature map's cells");
                assertEquals(expected.row(i)[0], m.similarity(), 1e-4, "the cosine to the direction, input " + i);
                float max = 0;
                for (float v : want) {
                    max = Math.max(max, v);
                }
                assertTrue(max > 0, "a reference map with something in it");
                for (int c = 0; c < want.length; c++) {
                    assertEquals(want[c], m.values()[c], 2e-3 * max, arch.id() + " input " + i + ", cell " + c);
                }
                assertEquals(want.length > 0, m.max() > 0);
            }
        }
    }

    @Test
    void aTorchScriptBackboneCannotBeDifferentiatedAndSaysSo() throws IOException {
        try (Backbone b = BackboneLoader.open(TestResources.torchscript("tiny.pt").toString(), null, null)) {
            assertFalse(b.differentiable());
            assertFalse(GradCam.supports(b));
            RgbImage img = new RgbImage(32, 32, new int[32 * 32]);
            var e = assertThrows(UnsupportedOperationException.class, () -> GradCam.compute(b, img, new float[b.embeddingDim()]));
            assertTrue(e.getMessage().contains("tiny.pt") && e.getMessage().contains("built-in"), e.getMessage());
        }
    }
}
