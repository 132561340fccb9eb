package org.protolens.ui.map;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleToIntFunction;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ClassColours;
import org.protolens.ui.common.Messages;

/**
 * What colour each image has on the map under each colouring (its predicted class, its label,
 * right or wrong, its margin, its similarity), and the keys drawn on the map for the colourings
 * that need one.
 */
final class MapColours {
    private MapColours() {
    }

    /** Margins from 0 to this (cosine units) run through the whole colour scale; larger ones take its end. */
    static final float MARGIN_SCALE = 0.25f;

    /** Viridis at five stops, read from the sure end (0: margin {@link #MARGIN_SCALE} or more) to the unsure (1: margin 0). */
    private static final int[] VIRIDIS = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

    /**
     * The colour (0xRRGGBB) of image {@code i} as {@code c} colours it; {@code classRgb} caches the
     * class colours (or null); on a dark map the margin scale stops short of its darkest violet.
     */
    static int rgbOf(WorkspaceState s, MapViewModel.Colouring c, int[] predicted, int[] classRgb, int i, boolean dark) {
        int label = s.label(i);
        return switch (c) {
            case PREDICTION -> classRgb != null ? classRgb[predicted[i] + 1] : ClassColours.rgb(predicted[i]);
            case LABEL -> classRgb != null ? classRgb[label + 1] : ClassColours.rgb(label);
            case CORRECT -> label < 0 ? ClassColours.UNLABELLED : predicted[i] == label ? ClassColours.RIGHT : ClassColours.WRONG;
            case MARGIN -> marginRgb(s.margin(i), dark);
            case SIMILARITY -> similarityRgb(s.score(i), similarityRange(s), dark);
        };
    }

    /** The state whose similarity range was found last (not kept alive for it), and that range. */
    private static WeakReference<WorkspaceState> rangeOf = new WeakReference<>(null);
    private static float[] range;

    /**
     * The similarities the similarity colouring spreads its scale over: from the 5th to the 95th
     * percentile of the images' cosines to their predicted classes' prototypes (found once per state).
     */
    static synchronized float[] similarityRange(WorkspaceState s) {
        if (rangeOf.get() != s) {
            float[] scores = new float[s.imageCount()];
            int m = 0;
            for (int i = 0; i < scores.length; i++) {
                float v = s.score(i);
                if (!Float.isNaN(v)) {
                    scores[m++] = v;
                }
            }
            Arrays.sort(scores, 0, m);
            float lo = m == 0 ? 0 : scores[(int) (0.05 * (m - 1))];
            float hi = m == 0 ? 1 : scores[(int) Math.ceil(0.95 * (m - 1))];
            range = new float[] {lo, Math.max(hi, lo + 1e-3f)};
            rangeOf = new WeakReference<>(s);
        }
        return range;
    }

    /** A similarity's colour: dark violet at the range's low end (far from every prototype), bright yellow at its high end. */
    static int similarityRgb(float similarity, float[] range, boolean dark) {
        if (Float.isNaN(similarity)) {
            return ClassColours.UNLABELLED;
        }
        return viridis((similarity - range[0]) / (range[1] - range[0]), dark);
    }

    /** A margin's colour: bright yellow where the best two classes are close (unsure), dark violet where they are far apart. */
    static int marginRgb(float margin, boolean dark) {
        if (Float.isNaN(margin)) {
            return ClassColours.UNLABELLED;
        }
        return viridis(1 - margin / MARGIN_SCALE, dark);
    }

    /** Viridis at {@code t} (0 dark violet, 1 bright yellow, clamped); on a dark map the scale starts at its blue. */
    private static int viridis(double value, boolean dark) {
        double t = Math.max(0, Math.min(1, value));
        if (dark) {
            // the darkest violet would vanish into a dark map: the scale starts at its blue
            t = 0.25 + 0.75 * t;
        }
        double at = t * (VIRIDIS.length - 1);
        int j = Math.min(VIRIDIS.length - 2, (int) at);
        double f = at - j;
        int a = VIRIDIS[j];
        int b = VIRIDIS[j + 1];
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - f) + ((b >> 16) & 0xff) * f);
        int gr = (int) Math.round(((a >> 8) & 0xff) * (1 - f) + ((b >> 8) & 0xff) * f);
        int bl = (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
        return (r << 16) | (gr << 8) | bl;
    }

    /** The margin colouring's key: the scale from unsure (margin 0) to sure (margin 0.25 or more). */
    static void marginKey(GraphicsContext g, double h, boolean dark) {
        scaleKey(g, h, dark, Messages.get("map.key.marginLow"),
                Messages.get("map.key.marginHigh", String.format(Locale.ROOT, "%.2f", MARGIN_SCALE)),
                t -> marginRgb((float) (MARGIN_SCALE * t), dark));
    }

    /** The similarity colouring's key: from far (the range's low end) to close (its high end), with the values. */
    static void similarityKey(GraphicsContext g, double h, boolean dark, float[] range) {
        scaleKey(g, h, dark, Messages.get("map.key.similarityLow", String.format(Locale.ROOT, "%.2f", range[0])),
                Messages.get("map.key.similarityHigh", String.format(Locale.ROOT, "%.2f", range[1])),
                t -> similarityRgb((float) (range[0] + t * (range[1] - range[0])), range, dark));
    }

    /** A key of a continuous scale: a word, the bar from {@code colour(0)} to {@code colour(1)}, a word. */
    private static void scaleKey(GraphicsContext g, double h, boolean dark, String unsure, String sure, DoubleToIntFunction colour) {
        Font font = Font.font(12);
        Text a = new Text(unsure);
        a.setFont(font);
        Text b = new Text(sure);
        b.setFont(font);
        double bar = 120;
        double x = 10;
        double y = h - 14;
        double width = 12 + a.getLayoutBounds().getWidth() + 8 + bar + 8 + b.getLayoutBounds().getWidth();
        g.setFont(font);
        g.setFill((dark ? Color.web("#1b1f24") : Color.WHITE).deriveColor(0, 1, 1, 0.85));
        g.fillRoundRect(x - 6, y - 12, width, 22, 8, 8);
        Color ink = dark ? Color.web("#e6e6e6") : Color.web("#202020");
        g.setFill(ink);
        g.fillText(unsure, x, y + 3);
        double bx = x + a.getLayoutBounds().getWidth() + 8;
        for (int p = 0; p < bar; p++) {
            g.setFill(ClassColours.colour(colour.applyAsInt(p / (bar - 1))));
            g.fillRect(bx + p, y - 6, 1.5, 10);
        }
        g.setFill(ink);
        g.fillText(sure, bx + bar + 8, y + 3);
    }

    static void rightWrongKey(GraphicsContext g, double h, boolean dark) {
        String[] words = {Messages.get("map.key.right"), Messages.get("map.key.wrong"), Messages.get("map.key.unlabelled")};
        int[] colours = {ClassColours.RIGHT, ClassColours.WRONG, ClassColours.UNLABELLED};
        double x = 10;
        double y = h - 14;
        Font font = Font.font(12);
        double[] widths = new double[words.length];
        double width = 6;
        for (int j = 0; j < words.length; j++) {
            Text t = new Text(words[j]);
            t.setFont(font);
            widths[j] = t.getLayoutBounds().getWidth();
            width += 26 + widths[j];
        }
        g.setFont(font);
        g.setFill((dark ? Color.web("#1b1f24") : Color.WHITE).deriveColor(0, 1, 1, 0.85));
        g.fillRoundRect(x - 6, y - 12, width, 22, 8, 8);
        for (int j = 0; j < words.length; j++) {
            g.setFill(ClassColours.colour(colours[j]));
            g.fillOval(x, y - 6, 10, 10);
            g.setFill(dark ? Color.web("#e6e6e6") : Color.web("#202020"));
            g.fillText(words[j], x + 14, y + 3);
            x += 26 + widths[j];
        }
    }

    /** 0xRRGGBB of every class, index k + 1 (index 0: no class). */
    static int[] classRgb(int classes) {
        int[] out = new int[classes + 1];
        for (int c = -1; c < classes; c++) {
            out[c + 1] = ClassColours.rgb(c);
        }
        return out;
    }
}
