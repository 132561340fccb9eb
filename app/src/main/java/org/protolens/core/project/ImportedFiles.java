package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.io.FolderFiles;

/**
 * The files of a project's imported images, shown or set aside, as its catalog names them: those
 * that went missing are found again under a folder the person names (an external drive mounted
 * elsewhere, a folder of photos moved), and those outside the project folder are copied into it
 * (so that a copy of the project can be moved or sent whole). A file is taken at a new place
 * only when it has the bytes imported (the SHA-256 the catalog recorded). Works on a closed
 * project: the catalog is changed in one transaction, and the next open shows the result (images
 * set aside come back).
 */
public final class ImportedFiles {
    /**
     * What locating found.
     *
     * @param missing  imported images whose files were missing
     * @param found    of them, those found under the folder with their bytes
     * @param notFound the old paths of those not found
     * @param differ   the new paths that had a file of the name but other bytes (not taken)
     */
    public record Located(int missing, int found, List<String> notFound, List<String> differ) {
    }

    /**
     * What copying in did.
     *
     * @param outside  imported images whose files lie outside the project folder
     * @param copied   of them, those copied in
     * @param problems those not copied, with the reason
     */
    public record CopiedIn(int outside, int copied, List<String> problems) {
    }

    private ImportedFiles() {
    }

    /** How an image's stored file changes: {@code label} is its class name, or null. */
    private interface Move {
        Workspace.ImportedImage apply(Workspace.ImportedImage image, String label) throws IOException;
    }

    /** The imported images, shown or set aside, whose files are missing: their paths as the catalog stores them. */
    public static List<String> missing(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        rewrite(dir, (im, label) -> {
            if (!exists(dir, im.path())) {
                out.add(im.path());
            }
            return im;
        }, null);
        return out;
    }

    /** How many imported images, shown or set aside, have their files outside the project folder. */
    public static int outside(Path dir) throws IOException {
        int[] n = {0};
        rewrite(dir, (im, label) -> {
            if (isOutside(dir, im.path())) {
                n[0]++;
            }
            return im;
        }, null);
        return n[0];
    }

    /** Looks for the missing images' files under {@code folder} and stores the paths of those found. */
    public static Located locate(Path dir, Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException(folder + ": is no folder");
        }
        int[] missing = {0};
        List<String> notFound = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        int found = rewrite(dir, (im, label) -> {
            if (exists(dir, im.path())) {
                return im;
            }
            missing[0]++;
            Workspace.ImportedImage at = foundUnder(dir, folder, im, differ);
            if (at == im) {
                notFound.add(im.path());
            }
            return at;
        }, "Located %d %s in " + folder);
        return new Located(missing[0], found, List.copyOf(notFound), List.copyOf(differ));
    }

    /**
     * Copies the files of the imported images outside the project folder into it
     * ({@value ImportPlan#COPIES_FOLDER}/CLASS/NAME, a number added to a name taken) and stores
     * their new paths. A file that is missing or has changed since it was imported is not copied.
     */
    public static CopiedIn copyIn(Path dir) throws IOException {
        int[] outside = {0};
        List<String> problems = new ArrayList<>();
        int copied = rewrite(dir, (im, label) -> {
            if (!isOutside(dir, im.path())) {
                return im;
            }
            outside[0]++;
            Path file = Path.of(im.path());
            byte[] sha = Files.isRegularFile(file) ? EmbeddingPipeline.sha256Of(file) : null;
            if (sha == null) {
                problems.add(im.path() + ": the file is missing or cannot be read; it stays where it was");
                return im;
            }
            if (!Arrays.equals(sha, im.sha256())) {
                problems.add(im.path() + ": the file changed since it was imported; it stays where it was");
                return im;
            }
            try {
                return new Workspace.ImportedImage(Workspace.storedPath(dir, copyInto(dir, file, label)), im.sha256());
            } catch (IOException e) {
                problems.add(im.path() + ": " + e.getMessage());
                return im;
            }
        }, "Copied %d %s from outside into the project folder");
        return new CopiedIn(outside[0], copied, List.copyOf(problems));
    }

    /**
     * Applies {@code move} to every imported image, shown or set aside, and stores the catalog when
     * it changed any (logging {@code log} with the count); returns how many it changed.
     */
    private static int rewrite(Path dir, Move move, String log) throws IOException {
        int projectImages = ProjectManifest.read(dir).images().size();
        try (ProjectCatalog c = ProjectCatalog.open(dir)) {
            ProjectCatalog.Snapshot s = c.read(projectImages);
            if (s == null) {
                return 0;
            }
            ProjectCatalog.Held held = c.readHeld();
            int changed = 0;
            List<Workspace.ImportedImage> imported = new ArrayList<>();
            for (int j = 0; j < s.imported().size(); j++) {
                Workspace.ImportedImage im = s.imported().get(j);
                Workspace.ImportedImage to = move.apply(im, s.labels()[projectImages + j]);
                changed += to == im ? 0 : 1;
                imported.add(to);
            }
            List<ProjectCatalog.HeldImage> heldImages = new ArrayList<>();
            for (ProjectCatalog.HeldImage h : held.images()) {
                Workspace.ImportedImage to = h.image() == null ? null : move.apply(h.image(), h.label());
                changed += to == h.image() ? 0 : 1;
                heldImages.add(to == h.image() ? h : new ProjectCatalog.HeldImage(h.position(), to, h.label(), h.shot(), h.rejected()));
            }
            if (changed > 0 && log != null) {
                ProjectCatalog.Snapshot moved = new ProjectCatalog.Snapshot(s.classes(), s.labels(), s.shots(), s.rejected(), imported,
                        s.alpha(), s.tau(), s.calibrationOn(), s.head(), null);
                c.write(moved, List.of(String.format(log, changed, changed == 1 ? "image" : "images")),
                        new ProjectCatalog.Held(held.classes(), heldImages));
            }
            return changed;
        }
    }

    /**
     * The image at its place under {@code folder}, found by the end of its old path (its name, then
     * its folder and name, and so on) with its bytes; else the image as it was. Files of a name
     * but other bytes are added to {@code differ}.
     */
    private static Workspace.ImportedImage foundUnder(Path dir, Path folder, Workspace.ImportedImage im, List<String> differ) {
        Path old;
        try {
            old = Path.of(im.path());
        } catch (InvalidPathException e) {
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
                return new Workspace.ImportedImage(Workspace.storedPath(dir, candidate), im.sha256());
            }
            differ.add(candidate.toString());
        }
        return im;
    }

    /**
     * Copies {@code file} into the project folder {@code dir} as an image of class {@code label}
     * (null: unlabelled): {@value ImportPlan#COPIES_FOLDER}/CLASS/NAME, a number added to a name
     * taken. Returns the copy.
     *
     * @throws IOException naming the folder it could not be copied into, and why
     */
    static Path copyInto(Path dir, Path file, String label) throws IOException {
        Path folder = dir.resolve(ImportPlan.COPIES_FOLDER).resolve(label == null ? "unlabelled" : FolderFiles.folderName(label));
        try {
            Files.createDirectories(folder);
            Path copy = freeName(folder, file.getFileName().toString());
            Files.copy(file, copy);
            return copy;
        } catch (IOException e) {
            throw new IOException("cannot be copied into " + folder + " (" + e.getMessage() + ")", e);
        }
    }

    /** {@code name} in {@code folder}, or with " 2", " 3" … before its extension when that is taken. */
    private static Path freeName(Path folder, String name) {
        Path p = folder.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int k = 2; Files.exists(p, LinkOption.NOFOLLOW_LINKS); k++) {
            p = folder.resolve(stem + " " + k + ext);
        }
        return p;
    }

    private static boolean exists(Path dir, String path) {
        try {
            return Files.isRegularFile(dir.resolve(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Whether a stored path names a file outside the project folder (stored paths inside it are relative). */
    public static boolean isOutside(Path dir, String path) {
        try {
            Path p = Path.of(path);
            return p.isAbsolute() && !p.normalize().startsWith(dir.toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
