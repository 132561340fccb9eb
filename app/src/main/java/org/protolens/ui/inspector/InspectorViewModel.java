package org.protolens.ui.inspector;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.protolens.core.analysis.NearestImages;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Recompute;
import org.protolens.ui.common.Tasks;

/**
 * The inspected image as the inspector shows it: its label and prediction, its five most similar
 * prototypes (raw beside calibrated), and its nearest images (computed in the background).
 */
public final class InspectorViewModel {
    /** How many nearest images are shown. */
    static final int NEIGHBOURS = 8;
    /** How many prototypes the bars show. */
    static final int BARS = 5;

    /** One bar pair: a class, the image's cosine to its raw prototype and to the one it is predicted with. */
    public record Bar(String className, boolean base, float raw, float now) {
    }

    /**
     * What is shown of one image (null: nothing inspected).
     *
     * @param file    its path in the project folder (absolute for an image imported from elsewhere)
     * @param verdict its label, prediction and whether it is right, in words
     */
    public record Details(int image, WorkspaceState state, String file, String verdict, List<Bar> bars, boolean calibrated) {
    }

    /** The nearest images of one image. */
    public record Neighbours(int image, int[] nearest, WorkspaceState state) {
    }

    private record Ask(WorkspaceState state, int image) {
    }

    private final ProjectState project;
    private final ReadOnlyObjectWrapper<Details> details = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Neighbours> neighbours = new ReadOnlyObjectWrapper<>();
    private final Recompute<Ask, Neighbours> nearest;

    public InspectorViewModel(ProjectState project, Tasks tasks) {
        this.project = project;
        this.nearest = new Recompute<>(tasks, "Nearest images",
                a -> new Neighbours(a.image(), NearestImages.of(a.state(), a.image(), NEIGHBOURS), a.state()), neighbours::set);
        project.inspected().addListener((o, was, now) -> {
            refresh();
            requestNearest();
        });
        project.workspace().addListener((o, was, now) -> {
            refresh();
            // the nearest images change with the images, not with the predictions
            if (now == null || was == null || now.imageCount() != was.imageCount() || !now.dir().equals(was.dir())) {
                requestNearest();
            }
        });
    }

    private void requestNearest() {
        WorkspaceState s = project.workspace().get();
        int i = project.inspected().get();
        if (s == null || i < 0 || i >= s.imageCount()) {
            neighbours.set(null);
            return;
        }
        nearest.request(new Ask(s, i));
    }

    public ReadOnlyObjectProperty<Details> details() {
        return details.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Neighbours> neighbours() {
        return neighbours.getReadOnlyProperty();
    }

    /** Inspects another image (a neighbour was clicked). */
    public void inspect(int image) {
        project.inspected().set(image);
    }

    private void refresh() {
        WorkspaceState s = project.workspace().get();
        int i = project.inspected().get();
        details.set(s == null || i < 0 || i >= s.imageCount() ? null : detailsOf(s, i));
    }

    /** What is shown of image {@code i} in state {@code s}. */
    public static Details detailsOf(WorkspaceState s, int i) {
        float[] sims = s.similarities(i);
        float[] raw = s.rawSimilarities(i);
        int label = s.label(i);
        int predicted = s.predicted(i);
        String verdict = s.classCount() == 0 ? Messages.get("inspector.noClasses")
                : Messages.get("inspector.verdict", label < 0 ? 0 : 1, label < 0 ? "" : s.classNames().get(label), s.isShot(i) ? 1 : 0,
                        s.classNames().get(predicted), String.format(Locale.ROOT, "%.3f", sims[predicted]),
                        label < 0 ? 0 : predicted == label ? 1 : 2);
        if (!Files.isRegularFile(s.imageFile(i))) {
            // its embedding, label and prediction are the project's; only the picture cannot be shown
            verdict += "\n" + Messages.get("inspector.fileMissing");
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < sims.length; k++) {
            order.add(k);
        }
        order.sort(Comparator.comparingDouble(k -> -sims[k]));
        List<Bar> bars = new ArrayList<>();
        for (int k : order.subList(0, Math.min(BARS, order.size()))) {
            bars.add(new Bar(s.classNames().get(k), s.isBase(k), raw[k], sims[k]));
        }
        return new Details(i, s, s.imagePath(i), verdict, List.copyOf(bars), s.calibrationEnabled());
    }
}
