package org.protolens.ui.probe;

import java.util.Locale;

/** How the probe tabs write their figures: "–" where there is none. */
final class Figures {
    private Figures() {
    }

    /** A share as a percentage with {@code decimals} decimals. */
    static String pct(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * v);
    }

    /** A signed value with three decimals. */
    static String signed(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%+.3f", v);
    }
}
