package org.protolens.ui.probe;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.shortcut.GradCam;
import org.protolens.core.shortcut.ImageEdit;
import org.protolens.core.shortcut.OcclusionSaliency;
import org.protolens.core.shortcut.Probes;
import org.protolens.core.shortcut.ProjectProbe;
import org.protolens.core.shortcut.SaliencyImage;
import org.protolens.core.shortcut.SaliencyMap;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Recompute;
import org.protolens.ui.common.Tasks;

/**
 * The Probes tab's state: what is probed (the inspected image, the selection or a class), the
 * region the person drew, the last probe report (scored again whenever the prototypes change),
 * the edit whose copies the map shows, and the inspected image's saliency for a class.
 */
public final class ProbeViewModel {
    /** What a probe run takes. */
    public enum Target { INSPECTED, SELECTION, CLASS }

    /** How the saliency is computed: occlusion (any backbone) or Grad-CAM (built-in architectures). */
    public enum SaliencyMethod { OCCLUSION, GRAD_CAM }

    /** Most images one run probes: a larger selection or class is sampled (with a fixed seed). */
    static final int MOST_IMAGES = 300;
    private static final long SEED = 1;

    /** A probe report as shown, with the state it was scored for. */
    public record Shown(WorkspaceState state, ProjectProbe.Result result, String summary) {
    }

    /** The inspected image's saliency for a class, and the overlay at the chosen opacity. */
    public record Saliency(WorkspaceState state, int image, int classIndex, RgbImage original, SaliencyMap map,
                           RgbImage overlay, String summary) {
    }

    private record Overlay(Saliency saliency, double opacity) {
    }

    /** An edited copy of a probed image, as the probe made it. */
    public record Preview(WorkspaceState state, int image, String edit, RgbImage edited) {
    }

    private final ProjectState project;
    private final Commands commands;
    private final Tasks tasks;
    private final ObjectProperty<Target> target = new SimpleObjectProperty<>(Target.INSPECTED);
    private final IntegerProperty targetClass = new SimpleIntegerProperty(-1);
    private final ObjectProperty<ImageEdit.Box> drawn = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<Shown> shown = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(Messages.get("probe.idle"));
    private final ObjectProperty<String> shownEdit = new SimpleObjectProperty<>();
    private final IntegerProperty saliencyClass = new SimpleIntegerProperty(-1);
    private final IntegerProperty patch = new SimpleIntegerProperty(0);
    private final IntegerProperty stride = new SimpleIntegerProperty(0);
    private final DoubleProperty opacity = new SimpleDoubleProperty(0.6);
    private final ObjectProperty<SaliencyMethod> method = new SimpleObjectProperty<>(SaliencyMethod.OCCLUSION);
    private final ReadOnlyBooleanWrapper gradCamAvailable = new ReadOnlyBooleanWrapper();
    private final Recompute<WorkspaceState, Boolean> backboneChecking;
    private final ReadOnlyObjectWrapper<Saliency> saliency = new ReadOnlyObjectWrapper<>();
    private final Recompute<Shown, Shown> rescoring;
    private final Recompute<Overlay, Saliency> overlaying;
    private record PreviewAsk(WorkspaceState state, int image, String edit, ImageEdit.Box erase) {
    }

    private final Recompute<PreviewAsk, Preview> previewing;
    private final ReadOnlyObjectWrapper<Preview> preview = new ReadOnlyObjectWrapper<>();
    /** the region erased by the run shown */
    private ImageEdit.Box erasedInRun;
    private Tasks.Job<?> job;

    public ProbeViewModel(ProjectState project, Commands commands, Tasks tasks) {
        this.project = project;
        this.commands = commands;
        this.tasks = tasks;
        rescoring = new Recompute<>(tasks, "Scoring probes", ProbeViewModel::rescore, this::rescored);
        backboneChecking = new Recompute<>(tasks, "Backbone's kind", ProjectProbe::gradCamSupported, can -> {
            gradCamAvailable.set(can);
            if (!can) {
                method.set(SaliencyMethod.OCCLUSION);
            }
        });
        overlaying = new Recompute<>(tasks, "Saliency overlay", o -> withOpacity(o.saliency(), o.opacity()), s -> {
            if (s.map() == (saliency.get() == null ? null : saliency.get().map())) {
                saliency.set(s);
            }
        });
        project.workspace().addListener((o, was, now) -> {
            Shown sh = shown.get();
            if (now == null || was == null || !now.dir().equals(was.dir())) {
                cancel();
                shown.set(null);
                saliency.set(null);
                drawn.set(null);
                status.set(Messages.get("probe.idle"));
                checkBackbone(now);
            } else if (sh != null) {
                if (Arrays.stream(sh.result().images()).anyMatch(i -> i >= now.imageCount())) {
                    shown.set(null);
                    status.set(Messages.get("probe.gone"));
                } else {
                    rescoring.request(new Shown(now, sh.result(), sh.summary()));
                }
            }
        });
        project.inspected().addListener((o, a, b) -> drawn.set(null));
        checkBackbone(project.workspace().get());
        opacity.addListener((o, a, b) -> {
            Saliency s = saliency.get();
            if (s != null) {
                overlaying.request(new Overlay(s, opacity.get()));
            }
        });
        previewing = new Recompute<>(tasks, "Probe preview", p -> {
            try {
                return new Preview(p.state(), p.image(), p.edit(), ProjectProbe.preview(p.state(), p.image(), p.edit(), null,
                        p.erase(), SEED));
            } catch (IOException e) {
                return new Preview(p.state(), p.image(), p.edit(), null);
            }
        }, p -> {
            if (p.edit().equals(shownEdit.get())) {
                preview.set(p.edited() == null ? null : p);
            }
        });
        shownEdit.addListener((o, a, b) -> {
            mark();
            previewEdit();
        });
        shown.addListener((o, a, b) -> {
            mark();
            if (a == null || b == null || a.result().images() != b.result().images()) {
                previewEdit();
            }
        });
    }

    public ObjectProperty<Target> target() {
        return target;
    }

    /** The class a {@link Target#CLASS} run probes (an index of the state's classes). */
    public IntegerProperty targetClass() {
        return targetClass;
    }

    /** The region the person drew on the inspected image, erased by its own edit; null: none. */
    public ObjectProperty<ImageEdit.Box> drawn() {
        return drawn;
    }

    public ReadOnlyObjectProperty<Shown> shown() {
        return shown.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty running() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty status() {
        return status.getReadOnlyProperty();
    }

    /** The edit (its id) whose copies the map shows with arrows; null: none. */
    public ObjectProperty<String> shownEdit() {
        return shownEdit;
    }

    /** The class whose prototype the saliency is of; -1: the image's prediction. */
    public IntegerProperty saliencyClass() {
        return saliencyClass;
    }

    /** The occluding patch in the backbone's input pixels; 0: a fourteenth of the input, at least 4. */
    public IntegerProperty patch() {
        return patch;
    }

    /** The patch's step; 0: half the patch. */
    public IntegerProperty stride() {
        return stride;
    }

    public DoubleProperty opacity() {
        return opacity;
    }

    /** How the saliency is computed; Grad-CAM only where {@link #gradCamAvailable()}. */
    public ObjectProperty<SaliencyMethod> method() {
        return method;
    }

    /** Whether the project's backbone can be differentiated (a built-in architecture), so that Grad-CAM runs. */
    public ReadOnlyBooleanProperty gradCamAvailable() {
        return gradCamAvailable.getReadOnlyProperty();
    }

    private void checkBackbone(WorkspaceState s) {
        if (s == null) {
            gradCamAvailable.set(false);
            method.set(SaliencyMethod.OCCLUSION);
        } else {
            backboneChecking.request(s);
        }
    }

    public ReadOnlyObjectProperty<Saliency> saliency() {
        return saliency.getReadOnlyProperty();
    }

    /** The images a run would probe now, in image order (a large set sampled down to {@link #MOST_IMAGES}). */
    int[] targetImages() {
        WorkspaceState s = project.workspace().get();
        if (s == null) {
            return new int[0];
        }
        int[] all = switch (target.get()) {
            case INSPECTED -> project.inspected().get() >= 0 && project.inspected().get() < s.imageCount()
                    ? new int[] {project.inspected().get()} : new int[0];
            case SELECTION -> Arrays.stream(project.selection().get()).filter(i -> i < s.imageCount()).toArray();
            case CLASS -> targetClass.get() >= 0 && targetClass.get() < s.classCount() ? s.imagesOf(targetClass.get()) : new int[0];
        };
        if (all.length <= MOST_IMAGES) {
            return all;
        }
        int[] copy = all.clone();
        SplittableRandom r = new SplittableRandom(SEED);
        for (int j = 0; j < MOST_IMAGES; j++) {
            int k = j + r.nextInt(copy.length - j);
            int t = copy[j];
            copy[j] = copy[k];
            copy[k] = t;
        }
        int[] chosen = Arrays.copyOf(copy, MOST_IMAGES);
        Arrays.sort(chosen);
        return chosen;
    }

    /** Probes the target in the background (listed, with progress and cancel). */
    public void run() {
        WorkspaceState s = project.workspace().get();
        OpenProject open = commands.project();
        int[] images = targetImages();
        if (s == null || open == null || images.length == 0 || running.get()) {
            status.set(s == null ? Messages.get("probe.idle")
                    : Messages.get("probe.nothing." + target.get().name().toLowerCase(Locale.ROOT)));
            return;
        }
        ImageEdit.Box erase = target.get() == Target.INSPECTED ? drawn.get() : null;
        erasedInRun = erase;
        int of = switch (target.get()) {
            case INSPECTED -> 1;
            case SELECTION -> project.selection().get().length;
            case CLASS -> s.imagesOf(targetClass.get()).length;
        };
        String what = switch (target.get()) {
            case INSPECTED -> Messages.get("probe.what.image", s.imagePath(images[0]));
            case SELECTION -> Messages.get("probe.what.selection", images.length, of);
            case CLASS -> Messages.get("probe.what.class", s.classNames().get(targetClass.get()), images.length, of);
        };
        running.set(true);
        status.set(Messages.get("probe.running", what));
        job = start(tasks.job(Tasks.Lane.IMPORT, Messages.get("probe.job", images.length), j -> {
            j.progress(0, -1);
            return ProjectProbe.probe(open, s, images, null, erase, SEED, (d, t) -> {
                j.progress(d, t);
                j.say(Messages.get("probe.progress", d, t));
            }, j::isCancelled);
        }).onDone(r -> {
            WorkspaceState now = project.workspace().get();
            if (now == null || !now.dir().equals(s.dir())) {
                return;
            }
            if (!r.problems().isEmpty()) {
                project.notices().problem(Messages.get("probe.unreadable", r.problems().size()), r.problems());
            }
            if (r.images().length == 0) {
                status.set(Messages.get("probe.noneRead"));
                return;
            }
            Shown sh = new Shown(s, r, what);
            shown.set(sh);
            status.set(Messages.get("probe.done", what));
            if (now != s) {
                rescoring.request(new Shown(now, r, what));
            }
        }));
    }

    /** Starts a probe or saliency job, listed; its end, however it ends, frees the tab for the next. */
    private <T> Tasks.Job<T> start(Tasks.Job<T> j) {
        return tasks.start(j.onCancel(() -> status.set(Messages.get("probe.cancelled"))).onFailure(e -> {
            status.set(Messages.get("probe.failed"));
            project.notices().problem(Messages.get("probe.failed"), List.of(e.getMessage() == null ? e.toString() : e.getMessage()));
        }).andFinally(() -> running.set(false)), true);
    }

    /** Stops a probe or saliency run. */
    public void cancel() {
        if (job != null && job.isRunning()) {
            job.cancel();
        }
    }

    private static Shown rescore(Shown s) {
        return new Shown(s.state(), ProjectProbe.rescore(s.result(), s.state()), s.summary());
    }

    private void rescored(Shown s) {
        Shown now = shown.get();
        WorkspaceState state = project.workspace().get();
        if (now != null && now.result().images() == s.result().images() && state != null
                && state.dir().equals(s.state().dir())) {
            shown.set(s);
        }
    }

    /** The edited copy of a probe of one image, for the edit chosen; null: none. */
    public ReadOnlyObjectProperty<Preview> preview() {
        return preview.getReadOnlyProperty();
    }

    private void previewEdit() {
        Shown sh = shown.get();
        String edit = shownEdit.get();
        if (sh == null || edit == null || sh.result().images().length != 1) {
            preview.set(null);
            return;
        }
        previewing.request(new PreviewAsk(sh.state(), sh.result().images()[0], edit, erasedInRun));
    }

    /** Puts the shown edit's copies on the map. */
    private void mark() {
        Shown sh = shown.get();
        String edit = shownEdit.get();
        if (sh == null || edit == null) {
            project.probeMarks().set(null);
            return;
        }
        List<Probes.Outcome> of = sh.result().report().outcomes().stream().filter(o -> o.edit().equals(edit)).toList();
        if (of.isEmpty()) {
            project.probeMarks().set(null);
            return;
        }
        int d = of.getFirst().embedding().length;
        int[] images = new int[of.size()];
        float[] rows = new float[of.size() * d];
        for (int j = 0; j < of.size(); j++) {
            images[j] = sh.result().images()[of.get(j).image()];
            System.arraycopy(of.get(j).embedding(), 0, rows, j * d, d);
        }
        project.probeMarks().set(new ProjectState.ProbeMarks(images, new FloatMatrix(of.size(), d, rows), edit));
    }

    /** The report as CSV, or null without one. */
    public String csv() {
        Shown sh = shown.get();
        return sh == null ? null : sh.result().report().csv(sh.state().classNames());
    }

    /** Computes the inspected image's saliency for the chosen class in the background. */
    public void computeSaliency() {
        WorkspaceState s = project.workspace().get();
        OpenProject open = commands.project();
        int i = project.inspected().get();
        if (s == null || open == null || i < 0 || i >= s.imageCount() || s.classCount() == 0 || running.get()) {
            status.set(s == null ? Messages.get("probe.idle") : Messages.get("probe.nothing.inspected"));
            return;
        }
        int k = saliencyClass.get() >= 0 && saliencyClass.get() < s.classCount() ? saliencyClass.get() : s.predicted(i);
        double alpha = opacity.get();
        int askedPatch = patch.get();
        int askedStride = stride.get();
        boolean gradCam = method.get() == SaliencyMethod.GRAD_CAM && gradCamAvailable.get();
        running.set(true);
        String name = s.classNames().get(k);
        status.set(Messages.get(gradCam ? "probe.gradcam.running" : "probe.saliency.running", s.imagePath(i), name));
        job = start(tasks.job(Tasks.Lane.IMPORT, Messages.get(gradCam ? "probe.gradcam.job" : "probe.saliency.job", name), j -> {
            j.progress(0, -1);
            RgbImage img = ProjectProbe.image(s, i);
            SaliencyMap map;
            String summary;
            if (gradCam) {
                GradCam.Map cam = ProjectProbe.gradCam(open, s, i, k);
                map = cam;
                summary = Messages.get("probe.gradcam.summary", name, String.format(Locale.ROOT, "%.3f", cam.similarity()),
                        cam.width(), cam.height());
            } else {
                OcclusionSaliency.Map occ = ProjectProbe.saliency(open, s, i, k, askedPatch, askedStride, (d, t) -> {
                    j.progress(d, t);
                    j.say(Messages.get("probe.saliency.progress", d, t));
                }, j::isCancelled);
                map = occ;
                summary = Messages.get("probe.saliency.summary", name, String.format(Locale.ROOT, "%.3f", occ.similarity()),
                        String.format(Locale.ROOT, "%.3f", occ.max()), occ.patch(), occ.stride(), occ.gridRows() * occ.gridCols());
            }
            ImageEdit.Region object = ProjectProbe.objectOf(s, i, img);
            double on = object == null ? Double.NaN : map.shareOn(object);
            if (!Double.isNaN(on)) {
                summary += " " + Messages.get("probe.saliency.onObject", Figures.pct(on, 0));
            }
            return withOpacity(new Saliency(s, i, k, img, map, null, summary), alpha);
        }).onDone(r -> {
            WorkspaceState now = project.workspace().get();
            if (now != null && now.dir().equals(s.dir())) {
                saliency.set(r);
                status.set(r.summary());
                if (opacity.get() != alpha) {
                    overlaying.request(new Overlay(r, opacity.get()));
                }
            }
        }));
    }

    private static Saliency withOpacity(Saliency s, double opacity) {
        return new Saliency(s.state(), s.image(), s.classIndex(), s.original(), s.map(),
                SaliencyImage.overlay(s.original(), s.map(), opacity, 512), s.summary());
    }
}
