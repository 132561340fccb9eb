package org.protolens.core.proto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.protolens.core.FloatMatrix;

/**
 * Predictions of a fixed set of embeddings against base and novel prototypes, kept up to date
 * incrementally as classes, shots, alpha and tau change.
 *
 * <p>Every embedding x is used at unit length (its stored row times its inverse norm: the caller's
 * array is kept, not copied, so a project holds its embeddings once), and each class keeps one
 * column of dot products x . c with its unit raw prototype c. A TEEN-calibrated prototype p = (1 - alpha) c + alpha delta
 * then has cosine
 * <pre>  cos(x, p) = ((1 - alpha) x.c + alpha x.delta) / ||p||</pre>
 * and, since delta = normalize(sum_i w_i b_i) over the unit base prototypes b_i,
 * <pre>  x.delta = sum_i w_i (x.b_i) / ||sum_i w_i b_i||</pre>
 * is a combination of the base columns. So:
 * <ul>
 *   <li>new shots for one novel class: its calibration first (it needs only the prototypes), then
 *       one pass over the embeddings that computes both of its columns (x.c and x.delta) from
 *       each row as it is read and updates that row's two best classes at once, rescanning only
 *       the rows whose best or second-best class was that class;</li>
 *   <li>opening a project: every class's column in one pass over the embeddings;</li>
 *   <li>alpha or calibration on/off: no pass over the embeddings, only N x K score arithmetic;</li>
 *   <li>tau: each novel class's delta column is rebuilt from base columns (N x B).</li>
 * </ul>
 * Ties go to the lower class index, as in {@link CosineClassifier}. Not thread-safe: one owner
 * changes it. What it predicts at any moment is {@link #current()}, an immutable
 * {@link Predictions} that other threads may read while the owner goes on: an array a published
 * {@code Predictions} holds is never written again (a changed column is a new array; the best
 * and second-best classes are copied before they change).
 */
public final class LivePredictions {
    private static final int PARALLEL_ROWS = 16_384;

    private int n;
    private final int d;
    /** the embeddings' rows as given (not normalised), n x d in use; capacity grows as images are appended */
    private float[] x;
    /** per row, 1 / its length: x_i * inv[i] is the unit row */
    private float[] inv;
    private final List<ClassColumn> classes = new ArrayList<>();
    private TeenCalibration calibration;
    private boolean calibrationEnabled = true;
    /** how many {@link #batch} calls are under way, and whether a change in them waits for upkeep */
    private int batchDepth;
    private boolean batchDirty;
    /**
     * A batch ended and its upkeep (columns, calibration, best classes) waits for whoever needs it
     * first: a project restored over the classes it was made with builds them once.
     */
    private boolean unsettled;
    private TeenCalibration.Basis basis;

    private TopTwo top;
    // the two best base classes of every row: base scores never change with alpha or tau, so a
    // rescan only visits the novel classes
    private TopTwo baseTop;
    private int[] novelIndices = new int[0];
    private int[] baseIndices = new int[0];
    /** what {@link #current()} returned, until the next change (null: not made yet) */
    private Predictions current;
    /** whether {@link #top} is held by a published {@link Predictions} (it is copied before it changes) */
    private boolean topShared;
    /** whether rows from {@link #n} on were read by published predictions (after {@link #truncate}) */
    private boolean tailShared;

    /** counts the changes other than a refinement: a refinement made for an earlier count is stale */
    private long revision;

    private static final class ClassColumn {
        final boolean novel;
        float[] rawPrototype;
        double[] unit;
        float[] dot;
        // a novel class's refined prototype (a transductive head's) and its column, or null
        float[] refined;
        float[] refinedDot;
        // novel classes only
        TeenCalibration.Result result;
        float[] dotDelta;
        float a = 1;
        float b = 0;

        ClassColumn(boolean novel) {
            this.novel = novel;
        }
    }

    /**
     * Predictions for {@code embeddings}, whose array is kept, not copied: the caller must not
     * write it again (images added later go through {@link #append}, which may move the rows to a
     * larger array: {@link #rows()}).
     */
    public LivePredictions(FloatMatrix embeddings, TeenCalibration calibration) {
        this.n = embeddings.rows();
        this.d = embeddings.cols();
        this.x = embeddings.data();
        this.inv = new float[n];
        this.calibration = calibration;
        inverseNorms(0, n);
        top = new TopTwo(n);
        baseTop = new TopTwo(n);
    }

    /**
     * The array holding the embeddings' rows (n x d in use, as given: not normalised; rows past
     * {@link #size()} are spare capacity). Read only: it is shared with the predictions published.
     */
    public float[] rows() {
        return x;
    }

    private void inverseNorms(int from, int to) {
        float[] rows = x;
        float[] out = inv;
        chunks(from, to, (a, b) -> {
            for (int i = a; i < b; i++) {
                double norm = Math.sqrt(Math.max(L2.dot(rows, i * d, rows, i * d, d), 0f));
                out[i] = (float) (1 / Math.max(norm, L2.EPS));
            }
        });
    }

    public int size() {
        return n;
    }

    /**
     * Adds embeddings after the existing ones (images imported into an open project) and predicts
     * them: one pass over the new rows per class; the existing rows are not visited.
     */
    public void append(FloatMatrix more) {
        if (more.cols() != d) {
            throw new IllegalArgumentException("embeddings have " + more.cols() + " dimensions, expected " + d);
        }
        int m = more.rows();
        if (m == 0) {
            return;
        }
        mutated();
        computePendingColumns();
        int from = n;
        int to = Math.addExact(n, m);
        int capacity = top.best.length;
        if (to > capacity || tailShared) {
            // rows past the end that published predictions read (an undone import) are not written over
            capacity = Math.max(to, capacity + (to > capacity ? capacity / 2 + 16 : 0));
            tailShared = false;
            topShared = false;
            x = Arrays.copyOf(x, Math.multiplyExact(capacity, d));
            inv = Arrays.copyOf(inv, capacity);
            top = top.grown(capacity);
            baseTop = baseTop.grown(capacity);
            for (ClassColumn c : classes) {
                c.dot = Arrays.copyOf(c.dot, capacity);
                if (c.dotDelta != null) {
                    c.dotDelta = Arrays.copyOf(c.dotDelta, capacity);
                }
            }
        }
        raw = new Predictions.Raw();
        System.arraycopy(more.data(), 0, x, from * d, m * d);
        inverseNorms(from, to);
        n = to;
        List<float[]> vectors = new ArrayList<>();
        List<float[]> columns = new ArrayList<>();
        for (ClassColumn c : classes) {
            vectors.add(toFloat(c.unit));
            columns.add(c.dot);
            if (c.dotDelta != null && c.result != null) {
                vectors.add(toFloat(c.result.delta()));
                columns.add(c.dotDelta);
            }
        }
        float[][] v = vectors.toArray(float[][]::new);
        float[][] out = columns.toArray(float[][]::new);
        chunks(from, to, (a, b) -> L2.columns(x, d, inv, a, b, v, out));
        for (int i = from; i < to; i++) {
            top.clear(i);
            baseTop.clear(i);
            for (int k : baseIndices) {
                baseTop.offer(i, k, classes.get(k).dot[i]);
            }
            rescan(i);
        }
    }

    /**
     * Drops the embeddings from {@code size} on (the last images imported, when their import is
     * undone); the rest keep their predictions.
     */
    public void truncate(int size) {
        Objects.checkIndex(size, n + 1);
        if (size == n) {
            return;
        }
        mutated();
        n = size;
        raw = new Predictions.Raw();
        tailShared = true;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            f[j] = (float) v[j];
        }
        return f;
    }

    public int dim() {
        return d;
    }

    public int classCount() {
        return classes.size();
    }

    public boolean isNovel(int k) {
        return classes.get(k).novel;
    }

    public TeenCalibration calibration() {
        return calibration;
    }

    public boolean calibrationEnabled() {
        return calibrationEnabled;
    }

    /**
     * Makes {@code changes} (classes added, removed, prototypes and calibration set) as one: the
     * columns of similarities of all classes in one pass over the embeddings, the calibration of
     * the novel classes and every row's best classes once, when they are first needed after it.
     * How a project's classes are built at open.
     */
    public void batch(Runnable changes) {
        batchDepth++;
        try {
            changes.run();
        } finally {
            if (--batchDepth == 0 && batchDirty) {
                batchDirty = false;
                unsettled = true;
            }
        }
    }

    /** The upkeep a finished batch left, done now (nothing when none is left or a batch is under way). */
    private void settle() {
        if (unsettled && batchDepth == 0) {
            unsettled = false;
            computePendingColumns();
            basesChanged();
        }
    }

    /** Whether the upkeep after a change waits for the end of a {@link #batch}. */
    private boolean deferred() {
        if (batchDepth > 0) {
            batchDirty = true;
            return true;
        }
        return false;
    }

    /** Adds a base class with its raw prototype (mean embedding); returns its class index. */
    public int addBaseClass(float[] prototype) {
        mutated();
        ClassColumn c = new ClassColumn(false);
        classes.add(c);
        setColumn(c, prototype);
        if (!deferred()) {
            computePendingColumns();
            basesChanged();
        }
        return classes.size() - 1;
    }

    /** Adds a novel class with the raw mean of its shots; returns its class index. */
    public int addNovelClass(float[] shotMean) {
        mutated();
        ClassColumn c = new ClassColumn(true);
        classes.add(c);
        indexClasses();
        setColumn(c, shotMean);
        if (!deferred()) {
            updateNovel(classes.size() - 1);
        }
        return classes.size() - 1;
    }

    /**
     * Adds a class at index {@code at} (the classes from there on move up by one): how an undone
     * removal puts a class back where it was.
     */
    public int insertClass(int at, boolean novel, float[] prototype) {
        mutated();
        if (at == classes.size()) {
            return novel ? addNovelClass(prototype) : addBaseClass(prototype);
        }
        ClassColumn c = new ClassColumn(novel);
        classes.add(at, c);
        setColumn(c, prototype);
        if (deferred()) {
            indexClasses();
        } else if (novel) {
            indexClasses();
            computePendingColumns();
            calibrateNovel(c);
            refreshBaseTopTwo();
            rescanAll();
        } else {
            computePendingColumns();
            basesChanged();
        }
        return at;
    }

    /** Replaces a class's raw prototype (the new mean of its images or shots). */
    public void setPrototype(int k, float[] prototype) {
        mutated();
        ClassColumn c = classes.get(k);
        setColumn(c, prototype);
        if (deferred()) {
            return;
        }
        if (c.novel) {
            updateNovel(k);
        } else {
            computePendingColumns();
            basesChanged();
        }
    }

    /** Removes a class; indices of the classes after it shift down by one. */
    public void removeClass(int k) {
        mutated();
        ClassColumn removed = classes.remove(k);
        raw = new Predictions.Raw();
        if (deferred()) {
            indexClasses();
        } else if (!removed.novel) {
            basesChanged();
        } else {
            indexClasses();
            refreshBaseTopTwo();
            rescanAll();
        }
    }

    public void setCalibration(TeenCalibration next) {
        mutated();
        boolean tauChanged = next.tau() != calibration.tau();
        calibration = next;
        if (deferred()) {
            return;
        }
        if (tauChanged) {
            calibrateNovels(novelColumns());
        } else {
            for (ClassColumn c : novelColumns()) {
                c.result = c.result == null ? null : calibration.withAlpha(c.result);
                mixCoefficients(c);
            }
        }
        rescanAll();
    }

    public void setCalibrationEnabled(boolean enabled) {
        mutated();
        calibrationEnabled = enabled;
        if (deferred()) {
            return;
        }
        for (ClassColumn c : classes) {
            if (c.novel) {
                mixCoefficients(c);
            }
        }
        rescanAll();
    }

    /** Predicted class of embedding i, or -1 while there are no classes. */
    public int predicted(int i) {
        return current().predicted(i);
    }

    /** Cosine similarity of embedding i to its predicted class's prototype. */
    public float score(int i) {
        return current().score(i);
    }

    /** Second-best class of embedding i, or -1 with fewer than two classes. */
    public int runnerUp(int i) {
        return current().runnerUp(i);
    }

    /** Difference between the best and second-best similarity (infinite with one class). */
    public float margin(int i) {
        return current().margin(i);
    }

    public int[] predictions() {
        return current().predictions();
    }

    /**
     * The class every embedding is nearest to by its raw prototype (a novel class's mean of shots,
     * uncalibrated: TEEN at alpha = 0); -1 while there are no classes.
     */
    public int[] rawPredictions() {
        return current().rawPredictions();
    }

    /**
     * The raw predictions, shared by every published {@link Predictions} until a prototype, a
     * class or an image changes: raw similarities do not change with alpha or tau, so whichever
     * reader asks first computes them once for all of them.
     */
    private Predictions.Raw raw = new Predictions.Raw();

    /**
     * What is predicted now, immutable: other threads may read it while this goes on changing.
     * The same object is returned until the next change.
     */
    public Predictions current() {
        Predictions p = current;
        if (p == null) {
            settle();
            computePendingColumns();
            Predictions.Column[] cols = new Predictions.Column[classes.size()];
            for (int k = 0; k < cols.length; k++) {
                ClassColumn c = classes.get(k);
                cols[k] = new Predictions.Column(c.novel, c.rawPrototype, c.dot, c.dotDelta, c.a, c.b, c.result, c.refined,
                        c.refinedDot);
            }
            p = new Predictions(n, d, x, inv, cols, top.best, top.second, top.bestScore, top.secondScore, calibration,
                    calibrationEnabled, raw, revision);
            topShared = true;
            current = p;
        }
        return p;
    }

    /** Something is about to change: the published predictions stay as they were. */
    private void changed() {
        current = null;
    }

    /**
     * Images, classes, prototypes or the calibration are about to change: a refinement, made from
     * what was, no longer holds; the classes go back to their own prototypes.
     */
    private void mutated() {
        // an incremental change starts from settled columns and best classes
        settle();
        changed();
        revision++;
        boolean wasRefined = false;
        for (ClassColumn c : classes) {
            wasRefined |= c.refined != null;
            c.refined = null;
            c.refinedDot = null;
        }
        if (wasRefined && !deferred()) {
            rescanAll();
        }
    }

    /** Back to the classes' own prototypes (another head was chosen): a change like any other. */
    public void unrefine() {
        mutated();
    }

    /** Counts the changes other than refinements; {@link #refine} takes the count its prototypes were made for. */
    public long revision() {
        return revision;
    }

    /**
     * Novel classes classified with refined prototypes (a transductive head's, made from the
     * predictions of {@code revision}) until the next change. Refused (false, nothing changes)
     * when something changed since {@code revision}.
     *
     * @param prototypes per class, its refined prototype; null entries (and base classes) keep their own
     */
    public boolean refine(long revision, float[][] prototypes) {
        settle();
        if (revision != this.revision) {
            return false;
        }
        if (prototypes.length != classes.size()) {
            throw new IllegalArgumentException(prototypes.length + " refined prototypes for " + classes.size() + " classes");
        }
        changed();
        for (int k = 0; k < prototypes.length; k++) {
            ClassColumn c = classes.get(k);
            float[] p = prototypes[k];
            if (!c.novel || p == null) {
                continue;
            }
            if (p.length != d) {
                throw new IllegalArgumentException("prototype has " + p.length + " dimensions, embeddings have " + d);
            }
            float[][] u = {toFloat(L2.normalized(p, 0, d))};
            float[][] dot = {new float[top.best.length]};
            chunks(0, n, (a, b) -> L2.columns(x, d, inv, a, b, u, dot));
            c.refined = p.clone();
            c.refinedDot = dot[0];
        }
        rescanAll();
        return true;
    }

    /** {@link #top}, to be written: copied first while published predictions hold it. */
    private TopTwo ownTop() {
        if (topShared) {
            top = top.grown(top.best.length);
            topShared = false;
        }
        return top;
    }

    /** Cosine similarity of embedding i to class k's prototype, as currently calibrated. */
    public float similarity(int i, int k) {
        return current().similarity(i, k);
    }

    /** Cosine similarity of embedding i to every prototype, as currently calibrated. */
    public float[] similarities(int i) {
        return current().similarities(i);
    }

    /** Raw (uncalibrated) cosine similarity of embedding i to every class's raw prototype. */
    public float[] rawSimilarities(int i) {
        return current().rawSimilarities(i);
    }

    /** The prototype a class is classified with: calibrated for novel classes when enabled. */
    public float[] prototype(int k) {
        return current().prototype(k);
    }

    /** The raw prototype of class k: a base class's mean, a novel class's mean of shots. */
    public float[] rawPrototype(int k) {
        return current().rawPrototype(k);
    }

    /** TEEN's softmax weights over the base classes for novel class k (null for a base class). */
    public double[] calibrationWeights(int k) {
        return current().calibrationWeights(k);
    }

    // ---- internals ----

    private void setColumn(ClassColumn c, float[] prototype) {
        raw = new Predictions.Raw();
        if (prototype.length != d) {
            throw new IllegalArgumentException("prototype has " + prototype.length
                    + " dimensions, embeddings have " + d);
        }
        c.rawPrototype = prototype.clone();
        c.unit = L2.normalized(prototype, 0, d);
        // a new array: published predictions may hold the old one; computed by whoever reads it
        // first ({@link #computePendingColumns}), so that a batch of classes makes all in one pass
        c.dot = null;
    }

    /** The columns of the classes whose prototype was set since: one pass over the rows for all. */
    private void computePendingColumns() {
        List<ClassColumn> pending = classes.stream().filter(c -> c.dot == null).toList();
        if (pending.isEmpty()) {
            return;
        }
        float[][] v = pending.stream().map(c -> toFloat(c.unit)).toArray(float[][]::new);
        float[][] out = new float[pending.size()][];
        for (int j = 0; j < out.length; j++) {
            out[j] = new float[top.best.length];
            pending.get(j).dot = out[j];
        }
        chunks(0, n, (a, b) -> L2.columns(x, d, inv, a, b, v, out));
    }

    /**
     * A novel class's prototype changed: its calibration (from the prototypes alone), then one
     * pass over the rows that computes its two columns (x.c, x.delta) from each row as it is read
     * and updates that row's two best classes with the class's new score.
     */
    private void updateNovel(int k) {
        ClassColumn c = classes.get(k);
        computePendingColumnsExcept(c);
        float[] u = toFloat(c.unit);
        float[] dot = new float[top.best.length];
        float[][] v;
        float[][] out;
        if (basis == null) {
            c.result = null;
            c.dotDelta = null;
            v = new float[][] {u};
            out = new float[][] {dot};
        } else {
            c.result = calibration.calibrate(basis, c.rawPrototype);
            c.dotDelta = new float[top.best.length];
            v = new float[][] {u, toFloat(c.result.delta())};
            out = new float[][] {dot, c.dotDelta};
        }
        c.dot = dot;
        mixCoefficients(c);
        TopTwo top = ownTop();
        chunks(0, n, (from, to) -> {
            L2.columns(x, d, inv, from, to, v, out);
            int[] again = new int[to - from];
            int count = 0;
            for (int i = from; i < to; i++) {
                if (!updateTopTwo(top, c, k, i)) {
                    again[count++] = i;
                }
            }
            rescan(again, count);
        });
    }

    /** The pending columns of every class but {@code skip}, whose own are about to be computed with its update. */
    private void computePendingColumnsExcept(ClassColumn skip) {
        float[] keep = skip.dot;
        skip.dot = new float[0];
        computePendingColumns();
        skip.dot = keep;
    }

    /** Base prototypes changed: every novel class's weights change with them. */
    private void basesChanged() {
        List<float[]> base = new ArrayList<>();
        for (ClassColumn c : classes) {
            if (!c.novel) {
                base.add(c.rawPrototype);
            }
        }
        basis = base.isEmpty() ? null : new TeenCalibration.Basis(FloatMatrix.ofRows(base.toArray(float[][]::new)));
        indexClasses();
        refreshBaseTopTwo();
        calibrateNovels(novelColumns());
        rescanAll();
    }

    private void calibrateNovel(ClassColumn c) {
        calibrateNovels(List.of(c));
    }

    private List<ClassColumn> novelColumns() {
        return classes.stream().filter(c -> c.novel).toList();
    }

    /**
     * Recalibrates novel classes and rebuilds their x.delta columns. With fewer base classes than
     * dimensions, every column comes from the base columns in one pass over the rows, reading each
     * row's base similarities once for all the classes.
     */
    private void calibrateNovels(List<ClassColumn> targets) {
        float[][] coef = new float[targets.size()][];
        for (int t = 0; t < targets.size(); t++) {
            ClassColumn c = targets.get(t);
            if (basis == null) {
                c.result = null;
                c.dotDelta = null;
                continue;
            }
            c.result = calibration.calibrate(basis, c.rawPrototype);
            double[] w = c.result.weights();
            double sumNorm = L2.norm(basis.weightedSum(w));
            // a new array: published predictions may hold the old one
            c.dotDelta = new float[top.best.length];
            if (sumNorm >= L2.EPS) {
                coef[t] = new float[w.length];
                for (int b = 0; b < w.length; b++) {
                    coef[t][b] = (float) (w[b] / sumNorm);
                }
            }
        }
        if (basis != null && basis.size() < d) {
            float[][] baseCols = classes.stream().filter(c -> !c.novel).map(c -> c.dot).toArray(float[][]::new);
            float[][] out = targets.stream().map(c -> c.dotDelta).toArray(float[][]::new);
            int nb = baseCols.length;
            // x.delta = sum_b coef_b (x.b) for a chunk of rows at a time, base class by base class,
            // so that each step streams two short columns (the JIT puts it on vector registers)
            chunks((from, to) -> {
                for (int t = 0; t < out.length; t++) {
                    if (coef[t] == null) {
                        continue;
                    }
                    float[] o = out[t];
                    for (int b = 0; b < nb; b++) {
                        float w = coef[t][b];
                        float[] col = baseCols[b];
                        if (b == 0) {
                            for (int i = from; i < to; i++) {
                                o[i] = w * col[i];
                            }
                        } else {
                            for (int i = from; i < to; i++) {
                                o[i] += w * col[i];
                            }
                        }
                    }
                }
            });
        } else if (basis != null) {
            for (int t = 0; t < targets.size(); t++) {
                if (coef[t] == null) {
                    continue;
                }
                float[][] col = {targets.get(t).dotDelta};
                float[][] delta = {toFloat(targets.get(t).result.delta())};
                chunks(0, n, (a, b) -> L2.columns(x, d, inv, a, b, delta, col));
            }
        }
        targets.forEach(this::mixCoefficients);
    }

    /** Coefficients a, b with cos(x, p) = a x.c + b x.delta for the current alpha. */
    private void mixCoefficients(ClassColumn c) {
        if (!calibrationEnabled || c.result == null) {
            c.a = 1;
            c.b = 0;
            return;
        }
        double alpha = calibration.alpha();
        double cDelta = L2.dot(c.result.normalizedMean(), c.result.delta());
        double deltaNormSq = L2.dot(c.result.delta(), c.result.delta());
        double normSq = (1 - alpha) * (1 - alpha) + alpha * alpha * deltaNormSq + 2 * alpha * (1 - alpha) * cDelta;
        double inv = 1 / Math.max(Math.sqrt(Math.max(normSq, 0)), L2.EPS);
        c.a = (float) ((1 - alpha) * inv);
        c.b = (float) (alpha * inv);
    }

    private static float score(ClassColumn c, int i) {
        if (c.refinedDot != null) {
            return c.refinedDot[i];
        }
        if (c.b == 0) {
            return c.a * c.dot[i];
        }
        return c.a * c.dot[i] + c.b * c.dotDelta[i];
    }

    /**
     * Row i's two best classes after class k's score changed (the other classes' did not); false
     * when the row must be rescanned: k was one of its two and fell behind, so a third class may
     * come up.
     */
    private static boolean updateTopTwo(TopTwo top, ClassColumn c, int k, int i) {
        float s = score(c, i);
        if (top.best[i] == k) {
            if (top.second[i] < 0 || TopTwo.better(s, k, top.secondScore[i], top.second[i])) {
                top.bestScore[i] = s;
                return true;
            }
            return false;
        } else if (top.second[i] == k) {
            if (TopTwo.better(s, k, top.bestScore[i], top.best[i])) {
                top.second[i] = -1;
                top.offer(i, k, s);
            } else if (s >= top.secondScore[i]) {
                top.secondScore[i] = s;
            } else {
                return false;
            }
            return true;
        }
        top.offer(i, k, s);
        return true;
    }

    /**
     * {@link #rescan(int)} for {@code count} rows in ascending order, class by class: each class's
     * column is read forwards over the few rows instead of every row visiting every column.
     */
    private void rescan(int[] rows, int count) {
        for (int j = 0; j < count; j++) {
            top.copyRow(baseTop, rows[j]);
        }
        for (int k : novelIndices) {
            ClassColumn c = classes.get(k);
            for (int j = 0; j < count; j++) {
                top.offer(rows[j], k, score(c, rows[j]));
            }
        }
    }

    /**
     * Every row's best and second-best class again: the base pair of each row, then each novel
     * class offered in turn. Class by class over a chunk of rows, so that each pass streams two
     * columns (x.c and x.delta) instead of every row visiting every column.
     */
    private void rescanAll() {
        if (topShared) {
            // every row is written below: fresh arrays, nothing to copy or clear
            top = TopTwo.unwritten(top.best.length);
            topShared = false;
        }
        TopTwo t = top;
        ClassColumn[] novel = new ClassColumn[novelIndices.length];
        for (int j = 0; j < novel.length; j++) {
            novel[j] = classes.get(novelIndices[j]);
        }
        int[] ks = novelIndices;
        chunks((from, to) -> {
            System.arraycopy(baseTop.best, from, t.best, from, to - from);
            System.arraycopy(baseTop.second, from, t.second, from, to - from);
            System.arraycopy(baseTop.bestScore, from, t.bestScore, from, to - from);
            System.arraycopy(baseTop.secondScore, from, t.secondScore, from, to - from);
            for (int j = 0; j < novel.length; j++) {
                ClassColumn c = novel[j];
                int k = ks[j];
                float a = c.refinedDot != null ? 1 : c.a;
                float b = c.refinedDot != null ? 0 : c.b;
                float[] dot = c.refinedDot != null ? c.refinedDot : c.dot;
                float[] dotDelta = c.dotDelta;
                float[] secondScore = t.secondScore;
                // most rows' novel scores fall below their second best: one comparison rejects them
                // (a row without a second best has -infinity there; NaN goes on to offer)
                if (b == 0) {
                    for (int i = from; i < to; i++) {
                        float s = a * dot[i];
                        if (!(s < secondScore[i])) {
                            t.offer(i, k, s);
                        }
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        float s = a * dot[i] + b * dotDelta[i];
                        if (!(s < secondScore[i])) {
                            t.offer(i, k, s);
                        }
                    }
                }
            }
        });
    }

    private void indexClasses() {
        novelIndices = IntStream.range(0, classes.size()).filter(k -> classes.get(k).novel).toArray();
        baseIndices = IntStream.range(0, classes.size()).filter(k -> !classes.get(k).novel).toArray();
    }

    /** The two best base classes of every row (base classes are scored by their raw prototype). */
    private void refreshBaseTopTwo() {
        // class by class through each chunk of rows (every column read front to back); each row
        // is offered its classes in the same order as a row-by-row scan, so the same two win
        float[][] columns = new float[baseIndices.length][];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = classes.get(baseIndices[j]).dot;
        }
        int[] ks = baseIndices;
        TopTwo t = baseTop;
        chunks((from, to) -> {
            for (int i = from; i < to; i++) {
                t.clear(i);
            }
            for (int j = 0; j < columns.length; j++) {
                float[] dot = columns[j];
                int k = ks[j];
                for (int i = from; i < to; i++) {
                    t.offer(i, k, dot[i]);
                }
            }
        });
    }

    /** Best and second-best class of row i: the cached base pair merged with every novel class. */
    private void rescan(int i) {
        top.copyRow(baseTop, i);
        for (int k : novelIndices) {
            top.offer(i, k, score(classes.get(k), i));
        }
    }

    /** The best and second-best class of every row, with their scores; -1 where there is none. */
    private static final class TopTwo {
        final int[] best;
        final int[] second;
        final float[] bestScore;
        final float[] secondScore;

        TopTwo(int n) {
            best = new int[n];
            second = new int[n];
            bestScore = new float[n];
            secondScore = new float[n];
            for (int i = 0; i < n; i++) {
                clear(i);
            }
        }

        /** Room for {@code n} rows, none set: for a caller that writes every row. */
        static TopTwo unwritten(int n) {
            return new TopTwo(new int[n], new int[n], new float[n], new float[n]);
        }

        /** A copy with room for {@code capacity} rows. */
        TopTwo grown(int capacity) {
            return new TopTwo(Arrays.copyOf(best, capacity), Arrays.copyOf(second, capacity),
                    Arrays.copyOf(bestScore, capacity), Arrays.copyOf(secondScore, capacity));
        }

        private TopTwo(int[] best, int[] second, float[] bestScore, float[] secondScore) {
            this.best = best;
            this.second = second;
            this.bestScore = bestScore;
            this.secondScore = secondScore;
        }

        void clear(int i) {
            best[i] = -1;
            second[i] = -1;
            bestScore[i] = Float.NEGATIVE_INFINITY;
            secondScore[i] = Float.NEGATIVE_INFINITY;
        }

        void copyRow(TopTwo from, int i) {
            best[i] = from.best[i];
            second[i] = from.second[i];
            bestScore[i] = from.bestScore[i];
            secondScore[i] = from.secondScore[i];
        }

        /** Class k with score s competes for row i's two places; ties go to the lower class index. */
        void offer(int i, int k, float s) {
            if (better(s, k, bestScore[i], best[i])) {
                second[i] = best[i];
                secondScore[i] = bestScore[i];
                best[i] = k;
                bestScore[i] = s;
            } else if (better(s, k, secondScore[i], second[i])) {
                second[i] = k;
                secondScore[i] = s;
            }
        }

        static boolean better(float s, int k, float than, int thanK) {
            return thanK < 0 || s > than || (s == than && k < thanK);
        }
    }

    /** Runs over rows {@code from} to {@code to} in chunks, in parallel for many rows. */
    private static void chunks(int from, int to, RowRange body) {
        int count = to - from;
        if (count < PARALLEL_ROWS) {
            if (count > 0) {
                body.accept(from, to);
            }
            return;
        }
        int chunk = 4096;
        IntStream.range(0, (count + chunk - 1) / chunk).parallel()
                .forEach(ch -> body.accept(from + ch * chunk, Math.min(to, from + (ch + 1) * chunk)));
    }

    private interface RowRange {
        void accept(int from, int to);
    }

    /** Runs over all rows in chunks, in parallel for large N; each chunk gets its own call. */
    private void chunks(RowRange body) {
        chunks(0, n, body);
    }
}
