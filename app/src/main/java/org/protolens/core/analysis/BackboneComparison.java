package org.protolens.core.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingCache;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.fscil.FscilEvaluation;
import org.protolens.core.fscil.SessionResult;
import org.protolens.core.map.PcaMap;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.L2;
import org.protolens.core.proto.TeenCalibration;

/**
 * Which backbone separates the project's classes: the same images, labels, shots and calibration,
 * embedded by each backbone and measured on equal terms.
 *
 * <p>The project's own base prototypes come from a training set that another backbone never saw,
 * so here every backbone's base prototypes are made alike from the project's labelled base images:
 * of each base class's labelled images in image order, the 1st, 3rd, 5th... make its prototype
 * and the rest are measured. New classes' prototypes are the means of their shots (NCM), and the
 * same calibrated by TEEN with the project's alpha and tau. Measured are the labelled images that
 * are neither shots nor prototype images, all classes competing (the last session): class means
 * and pooled accuracies, the share of new-class images predicted as a base class, and how well the
 * backbone separates the new classes without any prototype: the leave-one-out
 * {@value #NEIGHBOURS}-nearest-neighbour accuracy (cosine, among every labelled image) of the
 * measured new-class images, averaged per class. The same per FSCIL session (after each session,
 * the measured images of the classes seen so far among those classes, the sessions arranged as
 * the Sessions tab arranges them) and per new class.
 */
public final class BackboneComparison {
    /** the neighbours that vote in the separation measure */
    public static final int NEIGHBOURS = 5;
    /** at most this many new-class images are queried for the separation measure (evenly spaced, in image order) */
    static final int MOST_QUERIES = 2000;

    /**
     * One backbone's figures.
     *
     * @param backbone        its name
     * @param dim             its embedding length
     * @param ncm             the new classes' shot means as prototypes
     * @param teen            the same calibrated by TEEN
     * @param novelSeparation the new classes' leave-one-out kNN accuracy, averaged per class; null without new-class images
     * @param prototypeImages base images that made base prototypes
     * @param measuredImages  images measured
     */
    public record Figures(String backbone, int dim, SessionResult ncm, SessionResult teen, Double novelSeparation, int prototypeImages,
                          int measuredImages, List<SessionRow> sessions, List<NovelClass> novelClasses) {
    }

    /**
     * One FSCIL session of a backbone: after it, the measured images of every class seen so far
     * predicted among those classes (the project's sessions, as the Sessions tab arranges them).
     *
     * @param session the session's number (0: the base classes)
     * @param ncm     the new classes' shot means as prototypes
     * @param teen    the same calibrated by TEEN
     */
    public record SessionRow(int session, SessionResult ncm, SessionResult teen) {
        /** "NCM -> TEEN" of the figure that sums the session up: the base classes' mean in session 0, the HM after. */
        public String headline() {
            return session == 0 ? pair(ncm.classMeanAcc(), teen.classMeanAcc()) : pair(ncm.classMeanHm(), teen.classMeanHm());
        }
    }

    /**
     * One new class under a backbone: its measured images' leave-one-out kNN accuracy (null when
     * none is measured) and the share of them predicted as a base class, with NCM and with TEEN
     * (null when none is measured).
     */
    public record NovelClass(String name, Double separation, Double toBaseNcm, Double toBaseTeen) {
    }

    /** Which images play which part, the same for every backbone; {@code sessionOf}: each class's session, by comparison id. */
    record Roles(int[] classOf, int baseClasses, int classes, int[] prototypeImages, int[] measured, int[][] shotsOf,
                 List<String> names, int[] sessionOf) {
    }

    private BackboneComparison() {
    }

    /**
     * The figures of one backbone.
     *
     * @param embeddings one row per image of {@code w}, in its order; a row of NaN marks an image
     *                   that backbone could not read (left out of every backbone's figures by
     *                   {@link #compare})
     */
    public static Figures measure(String backbone, WorkspaceState w, FloatMatrix embeddings) {
        return measure(backbone, w, embeddings, roles(w, new boolean[w.imageCount()]));
    }

    /**
     * Every backbone's figures on the images all of them could read.
     *
     * @param embeddings per backbone name, one row per image of {@code w}, NaN rows for unreadable images
     */
    public static List<Figures> compare(WorkspaceState w, Map<String, FloatMatrix> embeddings) {
        boolean[] missing = new boolean[w.imageCount()];
        for (FloatMatrix e : embeddings.values()) {
            requireRows(w, e);
            for (int i = 0; i < missing.length; i++) {
                missing[i] |= Float.isNaN(e.get(i, 0));
            }
        }
        Roles roles = roles(w, missing);
        List<Figures> out = new ArrayList<>();
        embeddings.forEach((name, e) -> out.add(measure(name, w, e, roles)));
        return out;
    }

    private static void requireRows(WorkspaceState w, FloatMatrix e) {
        if (e.rows() != w.imageCount()) {
            throw new IllegalArgumentException(e.rows() + " embeddings for " + w.imageCount() + " images");
        }
    }

    static Roles roles(WorkspaceState w, boolean[] missing) {
        int classes = w.classCount();
        // the comparison's class ids: base classes first, in the project's order, then the new ones
        int[] id = new int[classes];
        List<String> names = new ArrayList<>();
        int next = 0;
        for (boolean base : new boolean[] {true, false}) {
            for (int k = 0; k < classes; k++) {
                if (w.isBase(k) == base) {
                    id[k] = next++;
                    names.add(w.classNames().get(k));
                }
            }
        }
        int baseClasses = (int) IntStream.range(0, classes).filter(w::isBase).count();
        int n = w.imageCount();
        int[] classOf = new int[n];
        int[] seen = new int[classes];
        List<Integer> protos = new ArrayList<>();
        List<Integer> measured = new ArrayList<>();
        List<List<Integer>> shots = new ArrayList<>();
        for (int c = 0; c < classes - baseClasses; c++) {
            shots.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            int k = w.label(i);
            classOf[i] = k < 0 || missing[i] ? -1 : id[k];
            if (classOf[i] < 0) {
                continue;
            }
            int c = classOf[i];
            if (c < baseClasses) {
                // alternate: prototype image, measured image, ...
                if (seen[c]++ % 2 == 0) {
                    protos.add(i);
                } else {
                    measured.add(i);
                }
            } else if (w.isShot(i)) {
                shots.get(c - baseClasses).add(i);
            } else {
                measured.add(i);
            }
        }
        int[][] shotsOf = new int[shots.size()][];
        for (int c = 0; c < shotsOf.length; c++) {
            shotsOf[c] = shots.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        int[] sessionOf = new int[classes];
        for (int k = 0; k < classes; k++) {
            sessionOf[id[k]] = w.isBase(k) ? 0 : SessionTable.session(w, k);
        }
        return new Roles(classOf, baseClasses, classes, protos.stream().mapToInt(Integer::intValue).toArray(),
                measured.stream().mapToInt(Integer::intValue).toArray(), shotsOf, List.copyOf(names), sessionOf);
    }

    private static Figures measure(String backbone, WorkspaceState w, FloatMatrix e, Roles r) {
        requireRows(w, e);
        int d = e.cols();
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < r.baseClasses(); c++) {
            final int cls = c;
            if (Arrays.stream(r.prototypeImages()).noneMatch(i -> r.classOf()[i] == cls)) {
                empty.add(r.names().get(c));
            }
        }
        for (int c = 0; c < r.shotsOf().length; c++) {
            if (r.shotsOf()[c].length == 0) {
                empty.add(r.names().get(r.baseClasses() + c));
            }
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("no labelled images to make a prototype of " + String.join(", ", empty));
        }
        FloatMatrix base = FscilEvaluation.basePrototypes(e, r.classOf(), r.baseClasses(), r.prototypeImages());
        int novel = r.classes() - r.baseClasses();
        float[] means = new float[novel * d];
        for (int c = 0; c < novel; c++) {
            for (int i : r.shotsOf()[c]) {
                for (int j = 0; j < d; j++) {
                    means[c * d + j] += e.get(i, j) / r.shotsOf()[c].length;
                }
            }
        }
        FloatMatrix ncm = new FloatMatrix(novel, d, means);
        TeenCalibration calibration = w.calibrationEnabled() ? w.calibration() : TeenCalibration.none();
        FloatMatrix teen = r.baseClasses() == 0 ? ncm : calibration.calibrateAll(base, ncm);
        FloatMatrix test = e.selectRows(r.measured());
        float[][] ncmSimilarities = similarities(base, ncm, test);
        float[][] teenSimilarities = similarities(base, teen, test);
        SortedSet<Integer> numbers = new TreeSet<>();
        Arrays.stream(r.sessionOf()).forEach(numbers::add);
        List<SessionRow> sessions = new ArrayList<>();
        for (int s : numbers) {
            sessions.add(new SessionRow(s, session(s, ncmSimilarities, r), session(s, teenSimilarities, r)));
        }
        // the last session: every class competing
        SessionResult ncmResult = sessions.getLast().ncm();
        SessionResult teenResult = sessions.getLast().teen();
        double[] separation = separation(e, r);
        List<NovelClass> novelClasses = new ArrayList<>();
        for (int c = r.baseClasses(); c < r.classes(); c++) {
            novelClasses.add(new NovelClass(r.names().get(c), separation == null || Double.isNaN(separation[c - r.baseClasses()]) ? null
                    : separation[c - r.baseClasses()], toBase(ncmResult, c), toBase(teenResult, c)));
        }
        return new Figures(backbone, d, ncmResult, teenResult, meanOf(separation), r.prototypeImages().length, r.measured().length,
                List.copyOf(sessions), List.copyOf(novelClasses));
    }

    /** Each measured image's cosine similarity to every prototype, base first. */
    private static float[][] similarities(FloatMatrix base, FloatMatrix novel, FloatMatrix test) {
        int d = base.cols();
        float[] all = new float[(base.rows() + novel.rows()) * d];
        System.arraycopy(base.data(), 0, all, 0, base.size());
        System.arraycopy(novel.data(), 0, all, base.size(), novel.size());
        CosineClassifier classifier = new CosineClassifier(new FloatMatrix(base.rows() + novel.rows(), d, all));
        float[][] out = new float[test.rows()][];
        for (int j = 0; j < test.rows(); j++) {
            out[j] = classifier.similarities(test.row(j));
        }
        return out;
    }

    /** Session {@code s}: the measured images of the classes seen by then, each predicted among those classes. */
    private static SessionResult session(int s, float[][] similarities, Roles r) {
        // comparison ids are base first, then new classes in the project's order; the seen ones keep that order
        List<Integer> seen = new ArrayList<>();
        for (int c = 0; c < r.classes(); c++) {
            if (r.sessionOf()[c] <= s) {
                seen.add(c);
            }
        }
        int[] id = new int[r.classes()];
        Arrays.fill(id, -1);
        for (int t = 0; t < seen.size(); t++) {
            id[seen.get(t)] = t;
        }
        int[] y = new int[r.classOf().length];
        Arrays.fill(y, -1);
        List<Integer> rows = new ArrayList<>();
        List<Integer> predicted = new ArrayList<>();
        int[] measured = r.measured();
        for (int j = 0; j < measured.length; j++) {
            int truth = id[r.classOf()[measured[j]]];
            if (truth < 0) {
                continue;
            }
            y[measured[j]] = truth;
            rows.add(measured[j]);
            int best = 0;
            for (int t = 1; t < seen.size(); t++) {
                if (similarities[j][seen.get(t)] > similarities[j][seen.get(best)]) {
                    best = t;
                }
            }
            predicted.add(best);
        }
        return FscilEvaluation.measure(s, seen.size(), Math.min(r.baseClasses(), seen.size()),
                rows.stream().mapToInt(Integer::intValue).toArray(), y, predicted.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The share of class {@code c}'s measured images predicted as a base class (all classes competing); null for none measured. */
    private static Double toBase(SessionResult all, int c) {
        int[] row = all.confusion()[c];
        int total = Arrays.stream(row).sum();
        if (total == 0) {
            return null;
        }
        int base = 0;
        for (int k = 0; k < all.baseClasses(); k++) {
            base += row[k];
        }
        return (double) base / total;
    }

    private static Double meanOf(double[] perClass) {
        if (perClass == null) {
            return null;
        }
        double sum = 0;
        int counted = 0;
        for (double v : perClass) {
            if (!Double.isNaN(v)) {
                sum += v;
                counted++;
            }
        }
        return counted == 0 ? null : sum / counted;
    }

    /** The measured new-class images' leave-one-out kNN accuracy among every labelled image, per new class (NaN: none measured). */
    private static double[] separation(FloatMatrix e, Roles r) {
        int[] queries = Arrays.stream(r.measured()).filter(i -> r.classOf()[i] >= r.baseClasses()).toArray();
        if (queries.length == 0) {
            return null;
        }
        if (queries.length > MOST_QUERIES) {
            int[] spaced = new int[MOST_QUERIES];
            for (int q = 0; q < MOST_QUERIES; q++) {
                spaced[q] = queries[(int) ((long) q * queries.length / MOST_QUERIES)];
            }
            queries = spaced;
        }
        int[] labelled = IntStream.range(0, r.classOf().length).filter(i -> r.classOf()[i] >= 0).toArray();
        FloatMatrix unit = L2.normalizeRows(e.selectRows(labelled));
        Map<Integer, Integer> rowOf = new HashMap<>();
        for (int j = 0; j < labelled.length; j++) {
            rowOf.put(labelled[j], j);
        }
        int d = e.cols();
        int novel = r.classes() - r.baseClasses();
        int[] right = new int[novel];
        int[] asked = new int[novel];
        for (int q : queries) {
            int self = rowOf.get(q);
            int[] nearest = new int[NEIGHBOURS];
            float[] best = new float[NEIGHBOURS];
            Arrays.fill(nearest, -1);
            Arrays.fill(best, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < labelled.length; j++) {
                if (j == self) {
                    continue;
                }
                float s = L2.dot(unit.data(), unit.offset(self), unit.data(), unit.offset(j), d);
                if (s > best[NEIGHBOURS - 1]) {
                    int at = NEIGHBOURS - 1;
                    while (at > 0 && s > best[at - 1]) {
                        best[at] = best[at - 1];
                        nearest[at] = nearest[at - 1];
                        at--;
                    }
                    best[at] = s;
                    nearest[at] = j;
                }
            }
            int truth = r.classOf()[q];
            asked[truth - r.baseClasses()]++;
            right[truth - r.baseClasses()] += vote(nearest, labelled, r.classOf()) == truth ? 1 : 0;
        }
        double[] out = new double[novel];
        for (int c = 0; c < novel; c++) {
            out[c] = asked[c] > 0 ? (double) right[c] / asked[c] : Double.NaN;
        }
        return out;
    }

    /** The class most of the neighbours (nearest first) belong to; a tie goes to the class of the nearest among the tied. */
    private static int vote(int[] nearest, int[] labelled, int[] classOf) {
        Map<Integer, Integer> votes = new HashMap<>();
        int most = 0;
        for (int j : nearest) {
            if (j >= 0) {
                most = Math.max(most, votes.merge(classOf[labelled[j]], 1, Integer::sum));
            }
        }
        for (int j : nearest) {
            if (j >= 0 && votes.get(classOf[labelled[j]]) == most) {
                return classOf[labelled[j]];
            }
        }
        return -1;
    }

    /**
     * Every image of {@code w} embedded by another backbone, through the project's embedding cache
     * (a folder per backbone, so a second comparison embeds nothing again). Images the backbone
     * cannot read get a row of NaN and a line in {@code problems}.
     *
     * @param spec     the backbone: a TorchScript file, a backbone folder or a model URL
     * @param progress images done and total
     */
    public static FloatMatrix embed(WorkspaceState w, String spec, List<String> problems, BiConsumer<Integer, Integer> progress,
                                    BooleanSupplier cancelled) throws IOException {
        try (Backbone backbone = BackboneLoader.open(spec, null, null)) {
            return embed(w, backbone, problems, progress, cancelled);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(spec + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #embed(WorkspaceState, String, List, BiConsumer, BooleanSupplier)}, with an open backbone. */
    public static FloatMatrix embed(WorkspaceState w, Backbone backbone, List<String> problems, BiConsumer<Integer, Integer> progress,
                                    BooleanSupplier cancelled) throws IOException {
        if (backbone.fingerprint().equals(ownFingerprint(w))) {
            // the project's own backbone: its embeddings are at hand (and its cache is held by the open project)
            return w.embeddings();
        }
        int n = w.imageCount();
        List<Path> files = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            files.add(w.imageFile(i));
        }
        EmbeddingPipeline.Result result;
        try (EmbeddingCache cache = EmbeddingCache.open(w.dir().resolve(OpenProject.CACHE_FOLDER), backbone.fingerprint(),
                backbone.embeddingDim())) {
            EmbeddingPipeline pipeline = new EmbeddingPipeline(backbone, cache, 32, EmbeddingPipeline.defaultDecodeThreads());
            result = pipeline.embed(files, new EmbeddingPipeline.Listener() {
                @Override
                public void progress(int done, int total) {
                    progress.accept(done, total);
                }
            }, cancelled);
        }
        int d = backbone.embeddingDim();
        float[] out = new float[n * d];
        Arrays.fill(out, Float.NaN);
        // rows come back in input order, failed files left out
        int row = 0;
        for (int i = 0; i < n && row < result.paths().size(); i++) {
            if (result.paths().get(row).equals(files.get(i))) {
                System.arraycopy(result.embeddings().data(), result.embeddings().offset(row), out, i * d, d);
                row++;
            }
        }
        for (EmbeddingPipeline.Failure f : result.failures()) {
            problems.add(f.file() + ": " + f.problem());
        }
        return new FloatMatrix(n, d, out);
    }

    /** The project's own backbone's fingerprint; null when its folder cannot tell (a model kept elsewhere). */
    private static String ownFingerprint(WorkspaceState w) {
        try {
            return BackboneLoader.fingerprintOf(w.backboneDir());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The figures as a Markdown table (class means; NCM then TEEN), with a line saying how they were measured. */
    public static String markdown(List<Figures> figures) {
        StringBuilder b = new StringBuilder();
        if (!figures.isEmpty()) {
            Figures f = figures.getFirst();
            b.append(String.format(Locale.ROOT, "%d base images made the base prototypes, %d images measured; accuracies are class "
                    + "means, NCM -> TEEN; new -> base: new-class images predicted as a base class; %d-NN: the new classes' "
                    + "leave-one-out %d-nearest-neighbour accuracy.%n%n", f.prototypeImages(), f.measuredImages(), NEIGHBOURS,
                    NEIGHBOURS));
        }
        b.append(String.format(Locale.ROOT, "| backbone | dim | base | new | all | HM | new -> base | %d-NN (new) |%n", NEIGHBOURS));
        b.append("|---|---:|---|---|---|---|---|---:|\n");
        for (Figures f : figures) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", f.backbone(), f.dim(),
                    pair(f.ncm().classMeanAccBase(), f.teen().classMeanAccBase()),
                    pair(f.ncm().classMeanAccNovel(), f.teen().classMeanAccNovel()),
                    pair(f.ncm().classMeanAcc(), f.teen().classMeanAcc()),
                    pair(f.ncm().classMeanHm(), f.teen().classMeanHm()),
                    pair(f.ncm().novelToBase(), f.teen().novelToBase()), pct(f.novelSeparation())));
        }
        if (figures.isEmpty() || figures.getFirst().sessions().size() < 2 && figures.getFirst().novelClasses().isEmpty()) {
            return b.toString();
        }
        header(b, String.format(Locale.ROOT, "%nPer session (the classes seen so far; HM of class means, NCM -> TEEN):%n%n"),
                "session", "---:", figures);
        for (int s = 0; s < figures.getFirst().sessions().size(); s++) {
            b.append("| ").append(figures.getFirst().sessions().get(s).session()).append(" |");
            for (Figures f : figures) {
                SessionRow row = f.sessions().get(s);
                b.append(' ').append(row.headline()).append(row.session() == 0 ? " (base)" : "").append(" |");
            }
            b.append('\n');
        }
        header(b, String.format(Locale.ROOT, "%nPer new class (%d-NN accuracy; new -> base, NCM -> TEEN):%n%n", NEIGHBOURS),
                "class", "---", figures);
        for (int c = 0; c < figures.getFirst().novelClasses().size(); c++) {
            b.append("| ").append(figures.getFirst().novelClasses().get(c).name()).append(" |");
            for (Figures f : figures) {
                NovelClass n = f.novelClasses().get(c);
                b.append(' ').append(pct(n.separation())).append("; ").append(pair(n.toBaseNcm(), n.toBaseTeen())).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** A line saying what follows, then a table's header: its first column, then a column per backbone. */
    private static void header(StringBuilder b, String title, String first, String firstAlign, List<Figures> figures) {
        b.append(title).append("| ").append(first).append(" |");
        figures.forEach(f -> b.append(' ').append(f.backbone()).append(" |"));
        b.append("\n|").append(firstAlign).append('|').append("---|".repeat(figures.size())).append('\n');
    }

    /** "before -> after" in percent. */
    public static String pair(Double before, Double after) {
        return pct(before) + " -> " + pct(after);
    }

    /** A fraction in percent with one decimal; "-" for none. */
    public static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * v);
    }

    /**
     * A PCA map of one backbone's embeddings (unit-length rows), two floats per image in image
     * order; NaN for an image the backbone could not read. Two backbones' maps are each their own
     * PCA: the positions are not comparable, the groupings are.
     */
    public static float[] map(FloatMatrix embeddings) {
        int[] read = IntStream.range(0, embeddings.rows()).filter(i -> !Float.isNaN(embeddings.get(i, 0))).toArray();
        float[] xy = new float[2 * embeddings.rows()];
        Arrays.fill(xy, Float.NaN);
        if (read.length < 2) {
            return xy;
        }
        FloatMatrix unit = L2.normalizeRows(embeddings.selectRows(read));
        float[] placed = PcaMap.fit(unit).project(unit);
        for (int r = 0; r < read.length; r++) {
            xy[2 * read[r]] = placed[2 * r];
            xy[2 * read[r] + 1] = placed[2 * r + 1];
        }
        return xy;
    }
}
