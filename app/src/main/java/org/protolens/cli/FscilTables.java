package org.protolens.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.protolens.core.fscil.FscilDraws;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.FscilProtocol;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.proto.SoftKMeans;
import org.protolens.core.proto.TeenCalibration;
import org.protolens.core.proto.Tim;

/** FSCIL results over draws of the shots as a Markdown table and as JSON. */
final class FscilTables {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FscilTables() {
    }

    /**
     * Per session, alpha = 0 and TEEN rows; values in percent as mean ± std over the draws: first
     * the class means (each class's recall averaged, as TEEN's code reports accuracies), then the
     * same pooled over test images; the average over sessions (AVG) and the performance drop (PD);
     * the last session's two harmonic means over draws.
     */
    static String markdown(FscilProtocol p, FscilDraws.Summary s) {
        return markdown(p, s, null);
    }

    /** As {@link #markdown(FscilProtocol, FscilDraws.Summary)}, TEEN's rows named {@code teenName} (null: by their alpha and tau). */
    static String markdown(FscilProtocol p, FscilDraws.Summary s, String teenName) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d base classes, then %d sessions of %d ways x %d shots; mean ± std (%%) over "
                        + "%d draws of the shots (seed %d). Accuracies are class means (each class's recall, averaged: "
                        + "TEEN's measure); novel→base is the share of novel test images predicted as a base class.%n%n",
                p.baseClasses(), p.sessions() - 1, p.ways(), p.shots(), s.draws(), s.seed()));
        table(b, s, true, teenName);
        String teen = teenName != null ? teenName : teenLabel(s);
        b.append(String.format(Locale.ROOT, "%nAVG over the %d sessions (acc): %s %s, α = 0 %s. Performance drop (acc, first "
                        + "session − last): %s %s, α = 0 %s.%n", p.sessions(), teen,
                pct(s.average(true, SessionResult::classMeanAcc)), pct(s.average(false, SessionResult::classMeanAcc)), teen,
                pct(s.drop(true, SessionResult::classMeanAcc)), pct(s.drop(false, SessionResult::classMeanAcc))));
        FscilDraws.SessionSummary last = s.calibrated().getLast();
        b.append(String.format(Locale.ROOT, "Last session, %s: harmonic mean of the mean accuracies %s; mean of the draws' "
                + "harmonic means %s.%n", teen, pct(last.classMeanHmOfMeans()), pct(last.classMeanHm())));
        b.append(String.format(Locale.ROOT, "%nPooled over test images (a class with more test images weighs more):%n%n"));
        table(b, s, false, teenName);
        return b.toString();
    }

    private static String teenLabel(FscilDraws.Summary s) {
        return String.format(Locale.ROOT, "TEEN (α %s, τ %s)", num(s.calibration().alpha()), num(s.calibration().tau()));
    }

    private static void table(StringBuilder b, FscilDraws.Summary s, boolean classMeans, String teenName) {
        b.append("| session | classes | prototypes | acc | acc_base | acc_novel | hm | novel→base |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        String teen = teenName != null ? teenName : teenLabel(s);
        for (int i = 0; i < s.calibrated().size(); i++) {
            FscilDraws.SessionSummary t = s.calibrated().get(i);
            FscilDraws.SessionSummary a = s.baseline().get(i);
            if (i == 0) {
                row(b, t, "base prototypes", classMeans);
            } else {
                row(b, a, "α = 0", classMeans);
                row(b, t, teen, classMeans);
            }
        }
    }

    private static void row(StringBuilder b, FscilDraws.SessionSummary s, String label, boolean classMeans) {
        b.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s | %s | %s | %s |%n", s.session(), s.classes(), label,
                pct(classMeans ? s.classMeanAcc() : s.acc()), pct(classMeans ? s.classMeanAccBase() : s.accBase()),
                pct(classMeans ? s.classMeanAccNovel() : s.accNovel()), pct(classMeans ? s.classMeanHm() : s.hm()),
                pct(s.novelToBase())));
    }

    /** The last session under each prototype head: class means, mean ± std over the draws. */
    static String headsMarkdown(Map<FscilEvaluation.Head, List<SessionResult>> last, TeenCalibration calibration, int draws) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Prototype heads, last session (class means, %%; mean ± std "
                + "over %d draws). TEEN at α %s, τ %s; soft k-means: β %s, %d rounds; "
                + "TIM-ADM: T %s, weights %s / %s / %s, up to %d rounds; both with the session's test images as unlabelled images "
                + "(transductive, their labels unread).%n%n", draws,
                num(calibration.alpha()), num(calibration.tau()), num(SoftKMeans.DEFAULT_BETA), SoftKMeans.DEFAULT_ITERATIONS,
                num(Tim.Settings.DEFAULT.temperature()), num(Tim.Settings.DEFAULT.crossEntropy()), num(Tim.Settings.DEFAULT.marginal()),
                num(Tim.Settings.DEFAULT.conditional()), Tim.DEFAULT_ITERATIONS));
        b.append("| head | acc | acc_base | acc_novel | hm | novel→base |\n|---|---|---|---|---|---|\n");
        last.forEach((h, results) -> b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", h,
                pct(FscilDraws.stat(results, SessionResult::classMeanAcc)), pct(FscilDraws.stat(results, SessionResult::classMeanAccBase)),
                pct(FscilDraws.stat(results, SessionResult::classMeanAccNovel)), pct(FscilDraws.stat(results, SessionResult::classMeanHm)),
                pct(FscilDraws.stat(results, SessionResult::novelToBase)))));
        return b.toString();
    }

    static ObjectNode headsJson(Map<FscilEvaluation.Head, List<SessionResult>> last) {
        ObjectNode o = JSON.createObjectNode();
        last.forEach((h, results) -> {
            ObjectNode r = o.putObject(h.name().toLowerCase(Locale.ROOT));
            r.put("label", h.toString());
            put(r, "class_mean_acc", FscilDraws.stat(results, SessionResult::classMeanAcc));
            put(r, "class_mean_acc_base", FscilDraws.stat(results, SessionResult::classMeanAccBase));
            put(r, "class_mean_acc_novel", FscilDraws.stat(results, SessionResult::classMeanAccNovel));
            put(r, "class_mean_hm", FscilDraws.stat(results, SessionResult::classMeanHm));
            put(r, "novel_to_base", FscilDraws.stat(results, SessionResult::novelToBase));
        });
        return o;
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
        o.put("measures", "acc, acc_base, acc_novel, hm: pooled over test images; class_mean: each class's recall "
                + "(the confusion matrix normalised per true class) averaged over the classes, as TEEN reports accuracies; "
                + "hm_of_means: the harmonic mean of the mean base and novel accuracies over the draws");
        ObjectNode avg = o.putObject("avg_over_sessions");
        put(avg, "acc", s.average(true, SessionResult::acc));
        put(avg, "class_mean_acc", s.average(true, SessionResult::classMeanAcc));
        put(avg, "baseline_acc", s.average(false, SessionResult::acc));
        put(avg, "baseline_class_mean_acc", s.average(false, SessionResult::classMeanAcc));
        ObjectNode drop = o.putObject("performance_drop");
        put(drop, "acc", s.drop(true, SessionResult::acc));
        put(drop, "class_mean_acc", s.drop(true, SessionResult::classMeanAcc));
        put(drop, "baseline_acc", s.drop(false, SessionResult::acc));
        put(drop, "baseline_class_mean_acc", s.drop(false, SessionResult::classMeanAcc));
        ArrayNode sessions = o.putArray("results");
        for (int i = 0; i < s.calibrated().size(); i++) {
            ObjectNode r = stats(s.calibrated().get(i));
            ObjectNode base = stats(s.baseline().get(i));
            base.remove("session");
            base.remove("classes");
            r.set("baseline", base);
            sessions.add(r);
        }
        ArrayNode perDraw = o.putArray("per_draw");
        for (FscilEvaluation.Report r : s.reports()) {
            perDraw.add(FscilCommand.toJson(r));
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
        ObjectNode classMean = o.putObject("class_mean");
        put(classMean, "acc", s.classMeanAcc());
        put(classMean, "acc_base", s.classMeanAccBase());
        put(classMean, "acc_novel", s.classMeanAccNovel());
        put(classMean, "hm", s.classMeanHm());
        putValue(o, "hm_of_means", s.hmOfMeans());
        putValue(classMean, "hm_of_means", s.classMeanHmOfMeans());
        return o;
    }

    private static void putValue(ObjectNode o, String name, Double v) {
        if (v == null) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    private static void put(ObjectNode o, String name, FscilDraws.Stat stat) {
        if (stat == null) {
            o.putNull(name);
        } else {
            o.putObject(name).put("mean", stat.mean()).put("std", stat.std());
        }
    }

    static String pct(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    static String pct(FscilDraws.Stat s) {
        return s == null ? "–" : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.mean(), 100 * s.std());
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
