package org.protolens.ui.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ClassColours;

/** The margin colouring: unsure images stand out in bright yellow, sure ones recede, on light and dark maps alike. */
class MarginColoursTest {
    private static double luminance(int rgb) {
        return 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
    }

    @Test
    void unsureIsBrightYellowSureIsDarkVioletAndTheScaleRunsInOrder() {
        assertEquals(0xfde725, MapColours.marginRgb(0f, false), "margin 0: the two best classes tie");
        assertEquals(0x440154, MapColours.marginRgb(MapColours.MARGIN_SCALE, false));
        assertEquals(0x440154, MapColours.marginRgb(1f, false), "larger margins take the end of the scale");
        assertEquals(ClassColours.UNLABELLED, MapColours.marginRgb(Float.NaN, false), "no prediction: grey");
        double last = Double.MAX_VALUE;
        for (int p = 0; p <= 20; p++) {
            double l = luminance(MapColours.marginRgb(MapColours.MARGIN_SCALE * p / 20f, false));
            assertTrue(l <= last + 1e-9, "darker as the prediction gets surer, at step " + p);
            last = l;
        }
    }

    @Test
    void onADarkMapTheSureEndStaysVisible() {
        int sureDark = MapColours.marginRgb(MapColours.MARGIN_SCALE, true);
        assertNotEquals(0x440154, sureDark);
        assertTrue(luminance(sureDark) > luminance(0x1b1f24) + 40, "stands off the dark map's background");
        assertEquals(0xfde725, MapColours.marginRgb(0f, true), "unsure stays bright yellow");
    }

    @Test
    void similarityRunsFromTheFarthestImagesToTheClosestAcrossTheProjectsOwnRange() throws IOException {
        WorkspaceState s = Workspace.open(TestResources.samples().resolve("fashion-fewshot")).state();
        float[] range = MapColours.similarityRange(s);
        float[] scores = new float[s.imageCount()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = s.score(i);
        }
        Arrays.sort(scores);
        assertEquals(scores[(int) (0.05 * (scores.length - 1))], range[0], 1e-6, "the 5th percentile");
        assertEquals(scores[(int) Math.ceil(0.95 * (scores.length - 1))], range[1], 1e-6, "the 95th percentile");
        assertEquals(0x440154, MapColours.similarityRgb(range[0], range, false), "far from every prototype: dark violet");
        assertEquals(0xfde725, MapColours.similarityRgb(range[1], range, false), "the closest: bright yellow");
        assertEquals(0xfde725, MapColours.similarityRgb(1f, range, false));
        assertEquals(ClassColours.UNLABELLED, MapColours.similarityRgb(Float.NaN, range, false));
        int farthest = 0;
        for (int i = 1; i < s.imageCount(); i++) {
            farthest = s.score(i) < s.score(farthest) ? i : farthest;
        }
        assertEquals(0x440154, MapColours.rgbOf(s, MapViewModel.Colouring.SIMILARITY, s.predictedClasses(), null, farthest, false),
                "the map colours the image farthest from its class violet");
    }
}
