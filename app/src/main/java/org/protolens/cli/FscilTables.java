package org.protolens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.protolens.core.fscil.FscilDraws;
import org.protolens.core.fscil.FscilProtocol;

/** FSCIL results over draws of the shots as a Markdown table and as JSON. */
final class FscilTables {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FscilTables() {
    }

    /** Per session, alpha = 0 and TEEN rows; values in percent as mean ± std over the draws. */
    static String markdown(FscilProtocol p, FscilDraws.Summary s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d base classes, then %d sessions of %d ways x %d shots; mean ± std (%%) over "
                        + "%d draws of the shots (seed %d)%n%n", p.baseClasses(), p.sessions() - 1, p.ways(), p.shots(),
                s.draws(), s.seed()));
        b.append("| session | classes | prototypes | acc | acc_base | acc_novel | hm | novel→base |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        String teen = String.format(Locale.ROOT, "TEEN (α %s, τ %s)", num(s.calibration().alpha()), num(s.calibration().tau()));
        for (int i = 0; i < s.calibrated().size(); i++) {
            FscilDraws.SessionSummary t = s.calibrated().get(i);
            FscilDraws.SessionSummary a = s.baseline().get(i);
            if (i == 0) {
                row(b, t, "base prototypes");
            } else {
                row(b, a, "α = 0");
                row(b, t, teen);
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder b, FscilDraws.SessionSummary s, String label) {
        b.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %s |%n", s.session(), s.classes(), label,
                pct(s.acc()), pct(s.accBase()), pct(s.accNovel()), pct(s.hm()), pct(s.novelToBase())));
    }

    /** The last session's mean harmonic mean for every alpha (rows) and tau (columns). */
    static String sweepMarkdown(double[] alphas, double[] taus, double[][] hm) {
        StringBuilder b = new StringBuilder("| α \\ τ |");
        for (double t : taus) {
            b.append(' ').append(num(t)).append(" |");
        }
        b.append("\n|---|");
        b.append("---|".repeat(taus.length));
        b.append('\n');
        for (int i = 0; i < alphas.length; i++) {
            b.append("| ").append(num(alphas[i])).append(" |");
            for (int j = 0; j < taus.length; j++) {
                b.append(String.format(Locale.ROOT, " %.1f |", 100 * hm[i][j]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static ObjectNode json(FscilProtocol p, FscilDraws.Summary s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("base_classes", p.baseClasses());
        o.put("ways", p.ways());
        o.put("shots", p.shots());
        o.put("sessions", p.sessions());
        o.put("alpha", s.calibration().alpha());
        o.put("tau", s.calibration().tau());
        o.put("draws", s.draws());
        o.put("seed", s.seed());
        o.put("std", "sample standard deviation over the draws (n - 1)");
        ArrayNode sessions = o.putArray("results");
        for (int i = 0; i < s.calibrated().size(); i++) {
            ObjectNode r = stats(s.calibrated().get(i));
            ObjectNode base = stats(s.baseline().get(i));
            base.remove("session");
            base.remove("classes");
            r.set("baseline", base);
            sessions.add(r);
        }
        ArrayNode splits = o.putArray("splits");
        for (Map<Integer, int[]> split : s.splits()) {
            ObjectNode d = splits.addObject();
            split.keySet().stream().sorted().forEach(cls -> {
                ArrayNode rows = d.putArray(Integer.toString(cls));
                for (int r : split.get(cls)) {
                    rows.add(r);
                }
            });
        }
        return o;
    }

    private static ObjectNode stats(FscilDraws.SessionSummary s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("session", s.session());
        o.put("classes", s.classes());
        put(o, "acc", s.acc());
        put(o, "acc_base", s.accBase());
        put(o, "acc_novel", s.accNovel());
        put(o, "hm", s.hm());
        put(o, "novel_to_base", s.novelToBase());
        return o;
    }

    private static void put(ObjectNode o, String name, FscilDraws.Stat stat) {
        if (stat == null) {
            o.putNull(name);
        } else {
            o.putObject(name).put("mean", stat.mean()).put("std", stat.std());
        }
    }

    private static String pct(FscilDraws.Stat s) {
        return s == null ? "–" : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.mean(), 100 * s.std());
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
