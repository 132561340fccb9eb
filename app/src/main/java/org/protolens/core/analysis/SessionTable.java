package org.protolens.core.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
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
        int[] evaluated = IntStream.range(0, w.imageCount()).filter(w::isEvaluated).toArray();
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
            // the images of the seen classes (r), their places among the evaluated (rows) and the
            // labels as the engine numbers the classes (y)
            int[] y = new int[evaluated.length];
            int[] rows = new int[evaluated.length];
            int[] r = new int[evaluated.length];
            int at = 0;
            for (int j = 0; j < evaluated.length; j++) {
                y[j] = id[w.label(evaluated[j])];
                if (y[j] >= 0) {
                    rows[at] = j;
                    r[at++] = evaluated[j];
                }
            }
            rows = Arrays.copyOf(rows, at);
            r = Arrays.copyOf(r, at);
            int[] among = seen.stream().mapToInt(Integer::intValue).toArray();
            before.add(FscilEvaluation.measure(s, seen.size(), baseCount, rows, y, w.predictions().nearestAmong(r, among, true)));
            after.add(FscilEvaluation.measure(s, seen.size(), baseCount, rows, y, w.predictions().nearestAmong(r, among, false)));
            names.add(seen.stream().filter(k -> session[k] == s).map(w.classNames()::get).toList());
        }
        return new Result(before, after, names);
    }
}
