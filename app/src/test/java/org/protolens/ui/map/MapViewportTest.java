package org.protolens.ui.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where map points land on the screen, worked out by hand. */
class MapViewportTest {
    /**
     * Points (0, 0), (10, 0), (0, 5) in a 224 x 124 view: with 24 px of margin the 10 x 5 map fits
     * 176 x 76 pixels, so 15.2 px per unit (76 / 5, the tighter way), centred: x from 36 to 188,
     * y from 100 (map y 0) up to 24 (map y 5).
     */
    @Test
    void pointsAreFittedIntoTheViewWithItsMarginAndCentred() {
        MapViewport v = new MapViewport();
        v.setPoints(new float[] {0, 0, 10, 0, 0, 5});
        v.resize(224, 124);
        assertEquals(15.2, v.pixelsPerUnit(), 1e-9);
        assertEquals(36, v.x(0), 1e-9);
        assertEquals(188, v.x(1), 1e-9);
        assertEquals(100, v.y(0), 1e-9);
        assertEquals(24, v.y(2), 1e-9);
    }

    @Test
    void zoomingKeepsThePointUnderTheCursorWhereItIsAndPanningMovesEverything() {
        MapViewport v = new MapViewport();
        v.setPoints(new float[] {0, 0, 10, 0, 0, 5});
        v.resize(224, 124);
        double x = v.x(1);
        double y = v.y(1);
        v.zoomAt(3, x, y);
        assertEquals(x, v.x(1), 1e-9, "the point under the cursor stays");
        assertEquals(y, v.y(1), 1e-9);
        assertEquals(3 * 15.2, v.pixelsPerUnit(), 1e-9);
        v.panBy(10, -4);
        assertEquals(x + 10, v.x(1), 1e-9);
        assertEquals(y - 4, v.y(1), 1e-9);
        v.zoomAt(1000, 0, 0);
        assertEquals(MapViewport.MAX_ZOOM, v.zoom(), 1e-9, "zoom stops at 200 times the fitted view");
        v.reset();
        assertEquals(36, v.x(0), 1e-9);
    }

    @Test
    void theNearestPointWithinEightPixelsIsPickedAndALassoTakesThePointsInside() {
        MapViewport v = new MapViewport();
        v.setPoints(new float[] {0, 0, 10, 0, 0, 5});
        v.resize(224, 124);
        assertEquals(1, v.pointAt(188 - 5, 100 + 5), "7.1 px away");
        assertEquals(-1, v.pointAt(188 - 6, 100 + 6), "8.5 px away");
        assertEquals(0, v.pointAt(38, 100));
        // a triangle on y = 110 with its tip at (110, 60): at y = 100 it spans x 38 to 182
        List<double[]> lasso = List.of(new double[] {20, 110}, new double[] {200, 110}, new double[] {110, 60});
        assertArrayEquals(new int[0], v.inside(lasso), "(36, 100) and (188, 100) lie just outside its sides");
        List<double[]> box = List.of(new double[] {20, 90}, new double[] {200, 90}, new double[] {200, 110}, new double[] {20, 110});
        assertArrayEquals(new int[] {0, 1}, v.inside(box));
    }

    /**
     * Zoom to selection: in the 224 x 124 view of points (0, 0), (10, 0), (0, 5), (1, 1), the
     * selected (0, 0) and (1, 1) fill 176 x 76 pixels: 76 px per unit (the tighter way), centred
     * on (0.5, 0.5), which lands in the middle of the view.
     */
    @Test
    void zoomToSelectionFitsTheSelectedPointsIntoTheViewCentred() {
        MapViewport v = new MapViewport();
        v.setPoints(new float[] {0, 0, 10, 0, 0, 5, 1, 1});
        v.resize(224, 124);
        v.fitTo(new int[] {0, 3});
        assertEquals(76, v.pixelsPerUnit(), 1e-9);
        assertEquals(112, (v.x(0) + v.x(3)) / 2, 1e-9, "centred across");
        assertEquals(62, (v.y(0) + v.y(3)) / 2, 1e-9, "and down");
        assertEquals(76, v.y(0) - v.y(3), 1e-9, "the pair spans the view's height less its margin");
        v.fitTo(new int[0]);
        assertEquals(76, v.pixelsPerUnit(), 1e-9, "no selection, no change");
        v.reset();
        assertEquals(15.2, v.pixelsPerUnit(), 1e-9);
    }
}
