package org.protolens;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.project.ProjectManifest;

/** A project folder written by hand from a few vectors, for tests whose numbers are worked out on paper. */
public final class TinyProject {
    private TinyProject() {
    }

    /**
     * @param base      base class names with their prototypes (one row each)
     * @param novel     new class names
     * @param images    one embedding per image
     * @param labels    per image a class name or null
     * @param shots     per image whether it is a shot (of a new class)
     */
    public static Path write(Path dir, List<String> base, FloatMatrix basePrototypes, List<String> novel, FloatMatrix images,
                             String[] labels, boolean[] shots, double alpha, double tau) throws IOException {
        Files.createDirectories(dir);
        List<ProjectManifest.ClassEntry> classes = new ArrayList<>();
        base.forEach(b -> classes.add(new ProjectManifest.ClassEntry(b, ProjectManifest.BASE, 0, 1)));
        novel.forEach(c -> classes.add(new ProjectManifest.ClassEntry(c, ProjectManifest.NOVEL, 1, null)));
        List<ProjectManifest.ImageEntry> entries = new ArrayList<>();
        Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < images.rows(); i++) {
            entries.add(new ProjectManifest.ImageEntry("images/" + i + ".png", labels[i], shots[i]));
            var pixel = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
            pixel.setRGB(0, 0, i * 40);
            ImageIO.write(pixel, "png", dir.resolve("images/" + i + ".png").toFile());
        }
        NpyFile.writeMatrix(dir.resolve("base-prototypes.npy"), basePrototypes);
        NpyFile.writeMatrix(dir.resolve("embeddings.npy"), images);
        Files.createDirectories(dir.resolve("backbone"));
        new ProjectManifest(ProjectManifest.FORMAT, 1, "tiny", null, "backbone", new ProjectManifest.Calibration(alpha, tau),
                classes, "base-prototypes.npy", "embeddings.npy", entries, null).write(dir);
        return dir;
    }
}
