package org.protolens.core.shortcut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.WorkspaceState;

/**
 * Probes and saliency on an open project's images, with its backbone and its prototypes as they
 * are now: what the window's Probes tab runs. Images that cannot be read are left out and named;
 * the rest are probed. Nothing is added to the project.
 */
public final class ProjectProbe {
    private ProjectProbe() {
    }

    /** A probe run over project images. */
    public record Result(int[] images, Probes.Report report, List<String> problems) {
    }

    /**
     * Probes {@code images} with the standard edits. Each image's background donor is an image of
     * another class (by label, else prediction), drawn with {@code seed}. Where the project's images
     * come from a shortcut dataset whose manifest says where each object was drawn, the edits use
     * the object's exact outline (of the image, and of its donor); elsewhere {@code object}.
     *
     * @param object where the object is when the manifest does not say (null: the centre)
     * @param erase  a region the person drew to erase (null: none)
     */
    public static Result probe(OpenProject open, WorkspaceState s, int[] images, ImageEdit.Box object, ImageEdit.Box erase, long seed,
                               Probes.Listener listener, BooleanSupplier cancelled) throws IOException {
        if (s.classCount() == 0) {
            throw new IllegalArgumentException("the project has no classes to predict");
        }
        List<String> problems = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        List<RgbImage> decoded = new ArrayList<>();
        for (int i : images) {
            RgbImage img = read(s, i, problems);
            if (img != null) {
                kept.add(i);
                decoded.add(img);
            }
        }
        if (decoded.isEmpty()) {
            return new Result(new int[0], new Probes.Report(List.of(), List.of(), List.of()), problems);
        }
        Map<Path, ShortcutDataset.Item> placed = placements(s);
        List<Donor> donors = donors(s, kept, seed);
        List<Probes.Subject> subjects = new ArrayList<>();
        for (int j = 0; j < kept.size(); j++) {
            Donor d = donors.get(j);
            subjects.add(new Probes.Subject(decoded.get(j), object(placed, s, kept.get(j), decoded.get(j)), d == null ? null : d.image(),
                    d == null ? null : object(placed, s, d.index(), d.image())));
        }
        Backbone backbone = open.backbone();
        FloatMatrix raw = prototypes(s, true);
        FloatMatrix now = prototypes(s, false);
        Probes.Report report = Probes.run(backbone, subjects, ImageEdit.standard(object == null ? ImageEdit.Box.CENTRE : object,
                erase, seed), raw, now, 32, listener, cancelled);
        return new Result(kept.stream().mapToInt(Integer::intValue).toArray(), report, problems);
    }

    /** A background donor: an image of the project and its pixels. */
    private record Donor(int index, RgbImage image) {
    }

    /** For each image, one of another class (by label, else prediction), drawn with the seed; null where none was found. */
    private static List<Donor> donors(WorkspaceState s, List<Integer> images, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Donor> donors = new ArrayList<>();
        for (int i : images) {
            int own = classOf(s, i);
            Donor donor = null;
            // a few draws among all images: one of another class, readable
            for (int attempt = 0; attempt < 20 && donor == null && s.imageCount() > 1; attempt++) {
                int d = random.nextInt(s.imageCount());
                if (classOf(s, d) != own) {
                    RgbImage img = read(s, d, null);
                    donor = img == null ? null : new Donor(d, img);
                }
            }
            donors.add(donor);
        }
        return donors;
    }

    /**
     * The objects' places the shortcut dataset beside the project's images records, by image file
     * (absolute, normalised); empty without such a manifest or when it cannot be read.
     */
    private static Map<Path, ShortcutDataset.Item> placements(WorkspaceState s) {
        Path dir = ProjectShortcutReport.findManifest(s);
        if (dir == null) {
            return Map.of();
        }
        Map<Path, ShortcutDataset.Item> byFile = new HashMap<>();
        try {
            for (ShortcutDataset.Item it : ProjectShortcutReport.manifest(dir)) {
                if (it.object() != null) {
                    byFile.put(dir.resolve(it.path()).toAbsolutePath().normalize(), it);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byFile;
    }

    private static ImageEdit.Region object(Map<Path, ShortcutDataset.Item> placed, WorkspaceState s, int i, RgbImage img) {
        ShortcutDataset.Item it = placed.isEmpty() ? null : placed.get(s.imageFile(i).toAbsolutePath().normalize());
        return it == null ? null : new ImageEdit.Mask(img.width(), img.height(), it.objectMask(img.width(), img.height()));
    }

    /**
     * Where image {@code i}'s object is, by the shortcut dataset's manifest beside the project's
     * images: its exact outline at the image's size; null when no manifest says.
     */
    public static ImageEdit.Region objectOf(WorkspaceState s, int i, RgbImage img) {
        return object(placements(s), s, i, img);
    }

    /**
     * Image {@code i} as the edit {@code editId} of a probe of that image alone made it (the same
     * donor, seed, object region and erased region), at most 512 pixels a side; null when the edit
     * needs a donor and none was found.
     */
    public static RgbImage preview(WorkspaceState s, int i, String editId, ImageEdit.Box object, ImageEdit.Box erase, long seed)
            throws IOException {
        RgbImage img = image(s, i);
        ImageEdit template = ImageEdit.standard(object == null ? ImageEdit.Box.CENTRE : object, erase, seed).stream()
                .filter(e -> e.id().equals(editId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no probe edit \"" + editId + "\""));
        boolean needsDonor = template instanceof ImageEdit.Background bg && bg.fill() == ImageEdit.Fill.DONOR;
        Donor donor = needsDonor ? donors(s, List.of(i), seed).getFirst() : null;
        if (needsDonor && donor == null) {
            return null;
        }
        Map<Path, ShortcutDataset.Item> placed = placements(s);
        Probes.Subject subject = new Probes.Subject(img, object(placed, s, i, img), donor == null ? null : donor.image(),
                donor == null ? null : object(placed, s, donor.index(), donor.image()));
        return shrunk(Probes.edit(template, subject).apply(img), 512);
    }

    /** The image with its longer side at most {@code side} pixels (nearest pixel). */
    static RgbImage shrunk(RgbImage img, int side) {
        double f = Math.min(1, side / (double) Math.max(img.width(), img.height()));
        if (f >= 1) {
            return img;
        }
        int w = Math.max(1, (int) Math.round(img.width() * f));
        int h = Math.max(1, (int) Math.round(img.height() * f));
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(img.height() - 1, (int) ((y + 0.5) * img.height() / h));
            for (int x = 0; x < w; x++) {
                out[y * w + x] = img.rgb()[sy * img.width() + Math.min(img.width() - 1, (int) ((x + 0.5) * img.width() / w))];
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The same probes scored against the prototypes of {@code s} (shots, classes, alpha or tau changed). */
    public static Result rescore(Result r, WorkspaceState s) {
        if (r.images().length == 0 || s.classCount() == 0) {
            return r;
        }
        return new Result(r.images(), Probes.rescore(r.report(), prototypes(s, true), prototypes(s, false)), r.problems());
    }

    /**
     * The occlusion saliency of image {@code i}'s similarity to class {@code k}'s prototype as it is now.
     *
     * @param patch  in the backbone's input pixels; 0: a fourteenth of the input's shorter side, at least 4 (16 at 224, 4 at 32)
     * @param stride 0: half the patch
     */
    public static OcclusionSaliency.Map saliency(OpenProject open, WorkspaceState s, int i, int k, int patch, int stride,
                                                 OcclusionSaliency.Listener listener, BooleanSupplier cancelled) throws IOException {
        RgbImage img = image(s, i);
        Backbone backbone = open.backbone();
        int side = Math.min(backbone.preprocessing().width(), backbone.preprocessing().height());
        int p = patch > 0 ? Math.min(patch, side) : Math.min(side, Math.max(4, Math.round(side / 14f)));
        int st = stride > 0 ? Math.min(stride, p) : Math.max(1, p / 2);
        return OcclusionSaliency.compute(backbone, img, s.prototype(k), p, st, 32, listener, cancelled);
    }

    /**
     * Grad-CAM of image {@code i}'s similarity to class {@code k}'s prototype as it is now.
     *
     * @throws UnsupportedOperationException when the project's backbone cannot be differentiated
     */
    public static GradCam.Map gradCam(OpenProject open, WorkspaceState s, int i, int k) throws IOException {
        RgbImage img = image(s, i);
        return GradCam.compute(open.backbone(), img, s.prototype(k));
    }

    /**
     * Whether Grad-CAM runs on the project's backbone: a built-in architecture, as its
     * backbone.json says (read without loading the network); false when that cannot be read.
     */
    public static boolean gradCamSupported(WorkspaceState s) {
        Path spec = s.dir().resolve(s.manifest().backbone()).resolve(BackboneSpec.FILE_NAME);
        try {
            return BackboneSpec.FORMAT_BUILTIN.equals(BackboneSpec.read(spec).format());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Image {@code i} decoded, or an exception naming its file and the problem. */
    public static RgbImage image(WorkspaceState s, int i) throws IOException {
        Path file = s.imageFile(i);
        try {
            return ImageDecoder.decode(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file (moved or deleted?)", e);
        }
    }

    private static RgbImage read(WorkspaceState s, int i, List<String> problems) {
        try {
            return image(s, i);
        } catch (IOException e) {
            if (problems != null) {
                problems.add(e.getMessage() == null ? s.imagePath(i) + ": " + e : e.getMessage());
            }
            return null;
        }
    }

    private static int classOf(WorkspaceState s, int i) {
        return s.label(i) >= 0 ? s.label(i) : s.predicted(i);
    }

    private static FloatMatrix prototypes(WorkspaceState s, boolean raw) {
        int d = s.dim();
        float[] all = new float[s.classCount() * d];
        for (int k = 0; k < s.classCount(); k++) {
            System.arraycopy(raw ? s.rawPrototype(k) : s.prototype(k), 0, all, k * d, d);
        }
        return new FloatMatrix(s.classCount(), d, all);
    }
}
