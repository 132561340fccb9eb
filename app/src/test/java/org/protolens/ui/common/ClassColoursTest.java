package org.protolens.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The class colours keep 50 and more classes apart, none looks unlabelled, and right and wrong differ for every eye. */
class ClassColoursTest {
    @Test
    void sixtyClassesAreApartFromEachOtherAndFromTheUnlabelledGrey() {
        int n = 60;
        double closest = Double.MAX_VALUE;
        double closestToGrey = Double.MAX_VALUE;
        for (int a = 0; a < n; a++) {
            closestToGrey = Math.min(closestToGrey, ClassColours.difference(ClassColours.rgb(a), ClassColours.UNLABELLED));
            double[] lab = ClassColours.lab(ClassColours.rgb(a));
            double chroma = Math.hypot(lab[1], lab[2]);
            assertTrue(chroma > 20, "class " + a + " is clearly coloured, not grey: chroma " + chroma);
            for (int b = a + 1; b < n; b++) {
                closest = Math.min(closest, ClassColours.difference(ClassColours.rgb(a), ClassColours.rgb(b)));
            }
        }
        // CIE76: about 2.3 is just noticeable; 10 and more is plainly another colour
        assertTrue(closest >= 10, "the two closest of 60 class colours differ by " + closest);
        assertTrue(closestToGrey >= 20, "the class colour closest to the unlabelled grey differs by " + closestToGrey);
        assertEquals(0x4e79a7, ClassColours.rgb(0), "the first classes keep Tableau's colours");
        assertEquals(ClassColours.UNLABELLED, ClassColours.rgb(-1));
    }

    @Test
    void rightAndWrongDifferInLightnessAndHueSoThatRedGreenBlindnessKeepsThemApart() {
        double[] right = ClassColours.lab(ClassColours.RIGHT);
        double[] wrong = ClassColours.lab(ClassColours.WRONG);
        // blue against vermillion: the b* (blue-yellow) axis, which red-green colour blindness keeps, separates them
        assertTrue(Math.abs(right[2] - wrong[2]) > 60, "b* differs by " + Math.abs(right[2] - wrong[2]));
        assertTrue(ClassColours.difference(ClassColours.RIGHT, ClassColours.WRONG) > 50);
    }
}
