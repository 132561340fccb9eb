package org.protolens.ui.common;

import javafx.scene.paint.Color;

/** One colour per class: Tableau's ten, then golden-angle hues. */
public final class ClassColours {
    private static final String[] TABLEAU = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
        "#ff9da7", "#9c755f", "#bab0ac"};

    private ClassColours() {
    }

    public static Color of(int k) {
        if (k < 0) {
            return Color.gray(0.6);
        }
        return k < TABLEAU.length ? Color.web(TABLEAU[k]) : Color.hsb((k * 137.508) % 360, 0.55, 0.85);
    }

    /** The colour of class {@code k} as 0xRRGGBB (for pixel buffers and charts). */
    public static int rgb(int k) {
        return rgb(of(k));
    }

    /** A colour as 0xRRGGBB. */
    public static int rgb(Color c) {
        return ((int) Math.round(c.getRed() * 255) << 16) | ((int) Math.round(c.getGreen() * 255) << 8)
                | (int) Math.round(c.getBlue() * 255);
    }
}
