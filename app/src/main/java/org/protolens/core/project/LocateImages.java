package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.protolens.core.embed.EmbeddingPipeline;

/**
 * Finds the files of a project's imported images that went missing (an external drive mounted
 * elsewhere, a folder of photos moved) under a folder the person names, and stores where they
 * are now. An image is taken at its new place only when the file there has the bytes imported
 * (the SHA-256 the catalog recorded); it is looked for under the folder by the end of its old path
 * (its name, then its folder and name, and so on). Works on a closed project: the catalog is
 * changed in one transaction, and the next open restores the images set aside.
 */
public final class LocateImages {
    /**
     * What was found.
     *
     * @param missing  imported images whose files were missing
     * @param found    of them, those found under the folder with their bytes
     * @param notFound the old paths of those not found
     * @param differ   the new paths that had a file of the name but other bytes (not taken)
     */
    public record Result(int missing, int found, List<String> notFound, List<String> differ) {
    }

    private LocateImages() {
    }

    /** The imported images, shown or set aside, whose files are missing: their paths as the catalog stores them. */
    public static List<String> missing(Path dir) throws IOException {
        int projectImages = ProjectManifest.read(dir).images().size();
        try (ProjectCatalog c = ProjectCatalog.open(dir)) {
            ProjectCatalog.Snapshot s = c.read(projectImages);
            List<String> out = new ArrayList<>();
            if (s == null) {
                return out;
            }
            for (Workspace.ImportedImage im : s.imported()) {
                if (!exists(dir, im.path())) {
                    out.add(im.path());
                }
            }
            for (ProjectCatalog.HeldImage h : c.readHeld().images()) {
                if (h.image() != null && !exists(dir, h.image().path())) {
                    out.add(h.image().path());
                }
            }
            return out;
        }
    }

    /** Looks for the missing images' files under {@code folder} and stores the paths of those found. */
    public static Result under(Path dir, Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": is no folder");
        }
        int projectImages = ProjectManifest.read(dir).images().size();
        try (ProjectCatalog c = ProjectCatalog.open(dir)) {
            ProjectCatalog.Snapshot s = c.read(projectImages);
            if (s == null) {
                return new Result(0, 0, List.of(), List.of());
            }
            ProjectCatalog.Held held = c.readHeld();
            Tally t = new Tally();
            List<Workspace.ImportedImage> imported = new ArrayList<>();
            for (Workspace.ImportedImage im : s.imported()) {
                imported.add(t.relocated(dir, folder, im));
            }
            List<ProjectCatalog.HeldImage> heldImages = new ArrayList<>();
            for (ProjectCatalog.HeldImage h : held.images()) {
                heldImages.add(h.image() == null ? h : new ProjectCatalog.HeldImage(h.position(), t.relocated(dir, folder, h.image()),
                        h.label(), h.shot(), h.rejected()));
            }
            if (t.found > 0) {
                ProjectCatalog.Snapshot moved = new ProjectCatalog.Snapshot(s.classes(), s.labels(), s.shots(), s.rejected(), imported,
                        s.alpha(), s.tau(), s.calibrationOn(), null);
                c.write(moved, List.of("Located " + t.found + (t.found == 1 ? " image" : " images") + " in " + folder),
                        new ProjectCatalog.Held(held.classes(), heldImages));
            }
            return new Result(t.missing, t.found, List.copyOf(t.notFound), List.copyOf(t.differ));
        }
    }

    /** Counts what is missing and found while paths are rewritten. */
    private static final class Tally {
        int missing;
        int found;
        final List<String> notFound = new ArrayList<>();
        final List<String> differ = new ArrayList<>();

        /** The image at its new place, or as it was when its file is there or cannot be found. */
        Workspace.ImportedImage relocated(Path dir, Path folder, Workspace.ImportedImage im) {
            if (exists(dir, im.path())) {
                return im;
            }
            missing++;
            Path old;
            try {
                old = Path.of(im.path());
            } catch (InvalidPathException e) {
                notFound.add(im.path());
                return im;
            }
            int names = old.getNameCount();
            for (int k = 1; k <= names; k++) {
                Path candidate = folder.resolve(old.subpath(names - k, names).toString());
                if (!candidate.normalize().startsWith(folder.normalize()) || !Files.isRegularFile(candidate)) {
                    continue;
                }
                byte[] sha = EmbeddingPipeline.sha256Of(candidate);
                if (sha != null && Arrays.equals(sha, im.sha256())) {
                    found++;
                    return new Workspace.ImportedImage(Workspace.storedPath(dir, candidate), im.sha256());
                }
                differ.add(candidate.toString());
            }
            notFound.add(im.path());
            return im;
        }
    }

    private static boolean exists(Path dir, String path) {
        try {
            return Files.isRegularFile(dir.resolve(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
