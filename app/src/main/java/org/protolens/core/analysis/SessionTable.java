package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.project.ProjectManifest;
import org.protolens.core.project.WorkspaceState;

/**
 * The project's classes arranged in FSCIL sessions, measured on its labelled images (shots left
 * out): after each session, the images of every class seen so far are predicted among those
 * classes only, before calibration (alpha = 0) and as now. The measures are the fscil command's
 * (acc, acc_base, acc_novel, harmonic mean), computed by the same code.
 *
 * <p>A class's session is the one project.json gives it; base classes imported in the app belong
 * to session 0, and new classes made in the app to a session after the project's last.
 */
public final class SessionTable {

    /** Per session, the measures before calibration and now. */
    public record Result(List<SessionResult> raw, List<SessionResult> now, List<List<String>> classesBySession) {
    }

    private SessionTable() {
    }

    /** The session class {@code k} of {@code w} belongs to. */
    public static int session(WorkspaceState w, int k) {
        String name = w.classNames().get(k);
        int last = 0;
        for (ProjectManifest.ClassEntry c : w.manifest().classes()) {
            if (c.name().equals(name)) {
                return c.session();
            }
            last = Math.max(last, c.session());
        }
        return w.isBase(k) ? 0 : last + 1;
    }

    public static Result of(WorkspaceState w) {
        int classes = w.classNames().size();
        int[] session = new int[classes];
        TreeSet<Integer> sessions = new TreeSet<>();
        for (int k = 0; k < classes; k++) {
            session[k] = session(w, k);
            sessions.add(session[k]);
        }
        List<Integer> evaluated = new ArrayList<>();
        for (int i = 0; i < w.imageCount(); i++) {
            if (w.isEvaluated(i)) {
                evaluated.add(i);
            }
        }
        // every evaluated image's similarities, read once for all sessions
        float[][] raw = new float[evaluated.size()][];
        float[][] now = new float[evaluated.size()][];
        for (int j = 0; j < evaluated.size(); j++) {
            raw[j] = w.rawSimilarities(evaluated.get(j));
            now[j] = w.similarities(evaluated.get(j));
        }
        List<SessionResult> before = new ArrayList<>();
        List<SessionResult> after = new ArrayList<>();
        List<List<String>> names = new ArrayList<>();
        for (int s : sessions) {
            // the seen classes as the fscil engine numbers them: base classes first
            List<Integer> seen = new ArrayList<>();
            for (boolean base : new boolean[] {true, false}) {
                for (int k = 0; k < classes; k++) {
                    if (session[k] <= s && w.isBase(k) == base) {
                        seen.add(k);
                    }
                }
            }
            int baseCount = (int) seen.stream().filter(w::isBase).count();
            int[] id = new int[classes];
            Arrays.fill(id, -1);
            for (int t = 0; t < seen.size(); t++) {
                id[seen.get(t)] = t;
            }
            int[] y = new int[evaluated.size()];
            List<Integer> rows = new ArrayList<>();
            for (int j = 0; j < evaluated.size(); j++) {
                y[j] = id[w.label(evaluated.get(j))];
                if (y[j] >= 0) {
                    rows.add(j);
                }
            }
            int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
            before.add(FscilEvaluation.measure(s, seen.size(), baseCount, r, y, argmax(raw, r, seen)));
            after.add(FscilEvaluation.measure(s, seen.size(), baseCount, r, y, argmax(now, r, seen)));
            names.add(seen.stream().filter(k -> session[k] == s).map(w.classNames()::get).toList());
        }
        return new Result(before, after, names);
    }

    /** For each row, the position in {@code seen} of its most similar class (ties: the earlier). */
    private static int[] argmax(float[][] sim, int[] rows, List<Integer> seen) {
        int[] out = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            float[] s = sim[rows[j]];
            int best = 0;
            for (int t = 1; t < seen.size(); t++) {
                if (s[seen.get(t)] > s[seen.get(best)]) {
                    best = t;
                }
            }
            out[j] = best;
        }
        return out;
    }
}
