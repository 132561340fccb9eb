package org.protolens.ui.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
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
}
