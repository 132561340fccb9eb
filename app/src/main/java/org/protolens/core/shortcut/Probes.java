package org.protolens.core.shortcut;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.proto.CosineClassifier;
import org.protolens.core.proto.L2;

/**
 * Counterfactual probes: each image and each of its {@link ImageEdit edits} is embedded with the
 * project's backbone and predicted by the nearest prototype, raw (alpha = 0) and calibrated; an
 * edit that flips many predictions shows evidence the prototypes rely on. The original images are
 * embedded here too, with the same code, so that an edit that changes nothing (identity) moves
 * nothing.
 */
public final class Probes {
    private Probes() {
    }

    /** Progress of a run: {@code done} of {@code total} images embedded (originals and edits). */
    public interface Listener {
        void progress(int done, int total);
    }

    /**
     * One edited image.
     *
     * @param image          the position of the probed image in the run's list
     * @param edit           the edit's {@link ImageEdit#id()}
     * @param embedding      the edited image's embedding
     * @param moved          1 - cos(original embedding, edited embedding)
     * @param rawSimilarity  cosine to each prototype at alpha = 0
     * @param similarity     cosine to each calibrated prototype
     */
    public record Outcome(int image, String edit, float[] embedding, double moved, float[] rawSimilarity, float[] similarity,
                          int rawPredicted, int predicted) {
    }

    /** The original of a probed image, as embedded for the run. */
    public record Original(float[] embedding, float[] rawSimilarity, float[] similarity, int rawPredicted, int predicted) {
    }

    /**
     * One row of the probe report: over the images an edit applied to, the share whose prediction
     * flipped (raw and calibrated), the mean of 1 - cos(original, edited), and the mean drop of the
     * calibrated similarity to the class each image was predicted as before the edit, and the class
     * that flipped calibrated predictions went to most often (-1: none flipped).
     */
    public record Row(String edit, String description, int images, double flippedRaw, double flipped, double moved,
                      double similarityDrop, int flippedTo) {
    }

    /**
     * One image to probe: where its object is (null: each edit's own box) and the image whose
     * background replaces its own (null: that edit is skipped for it), with that image's object.
     */
    public record Subject(RgbImage image, ImageEdit.Region object, RgbImage donor, ImageEdit.Region donorObject) {
    }

    /** What a run found: the rows in the edits' order, every original and every edited image. */
    public record Report(List<Row> rows, List<Original> originals, List<Outcome> outcomes) {
        /** The report as CSV: a header and one line per edit, shares as fractions, {@code classes} naming the classes. */
        public String csv(List<String> classes) {
            StringBuilder b = new StringBuilder(
                    "edit,description,images,flipped_alpha0,flipped_calibrated,moved,similarity_drop,flipped_most_to\n");
            for (Row r : rows) {
                b.append(r.edit()).append(',').append(quoted(r.description())).append(',').append(r.images()).append(',')
                        .append(r.flippedRaw()).append(',').append(r.flipped()).append(',').append(r.moved()).append(',')
                        .append(r.similarityDrop()).append(',')
                        .append(r.flippedTo() < 0 || r.flippedTo() >= classes.size() ? "" : quoted(classes.get(r.flippedTo())))
                        .append('\n');
            }
            return b.toString();
        }

        private static String quoted(String s) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
    }

    /**
     * Runs {@code edits} over {@code images}.
     *
     * @param donors               for each image, the image whose background a {@link ImageEdit.Background}
     *                             without its own donor takes (null entries, or a null list: that edit is
     *                             skipped for the image)
     * @param rawPrototypes        one row per class, alpha = 0
     * @param calibratedPrototypes one row per class, as the project predicts now
     * @param batch                images per forward pass
     */
    public static Report run(Backbone backbone, List<RgbImage> images, List<RgbImage> donors, List<ImageEdit> edits,
                             FloatMatrix rawPrototypes, FloatMatrix calibratedPrototypes, int batch, Listener listener,
                             BooleanSupplier cancelled) {
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            subjects.add(new Subject(images.get(i), null, donors == null || i >= donors.size() ? null : donors.get(i), null));
        }
        return run(backbone, subjects, edits, rawPrototypes, calibratedPrototypes, batch, listener, cancelled);
    }

    /**
     * Runs {@code edits} over {@code subjects}, each edit that uses the object's place given the
     * subject's object where it is known.
     */
    public static Report run(Backbone backbone, List<Subject> subjects, List<ImageEdit> edits, FloatMatrix rawPrototypes,
                             FloatMatrix calibratedPrototypes, int batch, Listener listener, BooleanSupplier cancelled) {
        if (rawPrototypes.rows() != calibratedPrototypes.rows() || rawPrototypes.cols() != backbone.embeddingDim()
                || calibratedPrototypes.cols() != backbone.embeddingDim()) {
            throw new IllegalArgumentException("prototypes of " + rawPrototypes.cols() + " and " + calibratedPrototypes.cols()
                    + " values do not fit the backbone's " + backbone.embeddingDim() + "-value embeddings");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, not " + batch);
        }
        // what is embedded: every original, then every applicable (image, edit) pair
        List<int[]> jobs = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            jobs.add(new int[] {i, -1});
        }
        for (int e = 0; e < edits.size(); e++) {
            for (int i = 0; i < subjects.size(); i++) {
                if (!needsDonor(edits.get(e)) || subjects.get(i).donor() != null) {
                    jobs.add(new int[] {i, e});
                }
            }
        }
        int d = backbone.embeddingDim();
        int per = backbone.preprocessing().valuesPerImage();
        float[] embedded = new float[jobs.size() * d];
        for (int from = 0; from < jobs.size(); from += batch) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException();
            }
            int n = Math.min(batch, jobs.size() - from);
            float[] input = new float[n * per];
            for (int j = 0; j < n; j++) {
                int[] job = jobs.get(from + j);
                Subject subject = subjects.get(job[0]);
                RgbImage img = job[1] >= 0 ? edit(edits.get(job[1]), subject).apply(subject.image()) : subject.image();
                ImageDecoder.writeInput(img, backbone.preprocessing(), input, j * per);
            }
            FloatMatrix out = backbone.embed(input, n);
            System.arraycopy(out.data(), 0, embedded, from * d, n * d);
            if (listener != null) {
                listener.progress(from + n, jobs.size());
            }
        }
        List<float[]> originals = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            originals.add(row(embedded, i, d));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int j = subjects.size(); j < jobs.size(); j++) {
            int[] job = jobs.get(j);
            outcomes.add(new Outcome(job[0], edits.get(job[1]).id(), row(embedded, j, d), 0, null, null, -1, -1));
        }
        List<Row> rows = new ArrayList<>();
        for (ImageEdit edit : edits) {
            rows.add(new Row(edit.id(), describe(edit, subjects), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1));
        }
        return score(rows, originals, outcomes, rawPrototypes, calibratedPrototypes);
    }

    /** {@code template} as applied to {@code subject}: its object's place and its donor. */
    static ImageEdit edit(ImageEdit template, Subject subject) {
        ImageEdit edit = subject.object() == null ? template : template.forObject(subject.object());
        if (needsDonor(edit)) {
            edit = ((ImageEdit.Background) edit).withDonor(subject.donor(), subject.donorObject());
        }
        return edit;
    }

    /** What an edit did over the subjects: with their objects' outlines, the boxes, or some of each. */
    private static String describe(ImageEdit template, List<Subject> subjects) {
        List<ImageEdit.Region> placed = subjects.stream().map(Subject::object).filter(Objects::nonNull).toList();
        ImageEdit withObject = placed.isEmpty() ? template : template.forObject(placed.getFirst());
        if (withObject == template) {
            return template.describe();
        }
        return placed.size() == subjects.size() ? withObject.describe()
                : template.describe() + "; for " + placed.size() + " of the " + subjects.size() + " images: " + withObject.describe();
    }

    /**
     * The same probes scored against other prototypes (the person changed shots, classes, alpha or
     * tau): nothing is embedded again.
     */
    public static Report rescore(Report report, FloatMatrix rawPrototypes, FloatMatrix calibratedPrototypes) {
        return score(report.rows(), report.originals().stream().map(Original::embedding).toList(), report.outcomes(), rawPrototypes,
                calibratedPrototypes);
    }

    private static Report score(List<Row> edits, List<float[]> embeddings, List<Outcome> edited, FloatMatrix rawPrototypes,
                                FloatMatrix calibratedPrototypes) {
        CosineClassifier raw = new CosineClassifier(rawPrototypes);
        CosineClassifier calibrated = new CosineClassifier(calibratedPrototypes);
        List<Original> originals = new ArrayList<>();
        for (float[] x : embeddings) {
            float[] rs = raw.similarities(x);
            float[] cs = calibrated.similarities(x);
            originals.add(new Original(x, rs, cs, CosineClassifier.argmax(rs), CosineClassifier.argmax(cs)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Outcome e : edited) {
            float[] x = e.embedding();
            Original o = originals.get(e.image());
            float[] rs = raw.similarities(x);
            float[] cs = calibrated.similarities(x);
            outcomes.add(new Outcome(e.image(), e.edit(), x, 1 - L2.cosine(o.embedding(), x), rs, cs,
                    CosineClassifier.argmax(rs), CosineClassifier.argmax(cs)));
        }
        List<Row> rows = new ArrayList<>();
        for (Row edit : edits) {
            int count = 0;
            int flippedRaw = 0;
            int flipped = 0;
            double moved = 0;
            double drop = 0;
            int[] to = new int[calibratedPrototypes.rows()];
            for (Outcome o : outcomes) {
                if (!o.edit().equals(edit.edit())) {
                    continue;
                }
                Original before = originals.get(o.image());
                count++;
                flippedRaw += o.rawPredicted() != before.rawPredicted() ? 1 : 0;
                if (o.predicted() != before.predicted()) {
                    flipped++;
                    to[o.predicted()]++;
                }
                moved += o.moved();
                drop += before.similarity()[before.predicted()] - o.similarity()[before.predicted()];
            }
            int most = -1;
            for (int k = 0; k < to.length; k++) {
                if (to[k] > 0 && (most < 0 || to[k] > to[most])) {
                    most = k;
                }
            }
            rows.add(count == 0 ? new Row(edit.edit(), edit.description(), 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1)
                    : new Row(edit.edit(), edit.description(), count, flippedRaw / (double) count, flipped / (double) count,
                    moved / count, drop / count, most));
        }
        return new Report(List.copyOf(rows), List.copyOf(originals), List.copyOf(outcomes));
    }

    private static boolean needsDonor(ImageEdit e) {
        return e instanceof ImageEdit.Background bg && bg.fill() == ImageEdit.Fill.DONOR && bg.donor() == null;
    }

    private static float[] row(float[] all, int r, int d) {
        float[] x = new float[d];
        System.arraycopy(all, r * d, x, 0, d);
        return x;
    }
}
