package org.protolens.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.protolens.core.FloatMatrix;
import org.protolens.core.io.NpyFile;
import org.protolens.core.project.ProjectManifest;

/**
 * A project of clustered synthetic embeddings, as large as asked: {@code base} base classes, then
 * {@code novel} new classes with five shots each; every image entry names the same small PNG (the
 * window never decodes its files to draw the map). Deterministic for a seed.
 */
public final class SyntheticProject {
    private SyntheticProject() {
    }

    public static void write(Path dir, int n, int d, int base, int novel, long seed) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        var png = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(png, "png", dir.resolve("images/dot.png").toFile());
        Random rnd = new Random(seed);
        int k = base + novel;
        float[][] centres = new float[k][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) rnd.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = rnd.nextInt(k);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[label[i]][j] + 1.2f * (float) rnd.nextGaussian();
            }
        }
        NpyFile.writeMatrix(dir.resolve("embeddings.npy"), new FloatMatrix(n, d, x));
        float[] protos = new float[base * d];
        for (int b = 0; b < base; b++) {
            System.arraycopy(centres[b], 0, protos, b * d, d);
        }
        NpyFile.writeMatrix(dir.resolve("base-prototypes.npy"), new FloatMatrix(base, d, protos));
        List<ProjectManifest.ClassEntry> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add(new ProjectManifest.ClassEntry("class " + c, c < base ? ProjectManifest.BASE : ProjectManifest.NOVEL,
                    c < base ? 0 : 1, null));
        }
        int[] shots = new int[k];
        List<ProjectManifest.ImageEntry> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean shot = label[i] >= base && shots[label[i]]++ < 5;
            images.add(new ProjectManifest.ImageEntry("images/dot.png", "class " + label[i], shot));
        }
        // a backbone folder is required by the project format; its files are never loaded here
        Path backbone = dir.resolve("backbone");
        Files.createDirectories(backbone);
        Files.writeString(backbone.resolve("backbone.json"), "{\"format\": \"torchscript\", \"weights\": \"model.pt\","
                + " \"input\": {\"width\": 32, \"height\": 32, \"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]}}\n");
        Files.write(backbone.resolve("model.pt"), new byte[] {0});
        String name = String.format("%,d images, %d classes", n, k);
        new ProjectManifest(ProjectManifest.FORMAT, 1, name, "synthetic", "backbone",
                new ProjectManifest.Calibration(0.5, 16), classes, "base-prototypes.npy", "embeddings.npy", images, null).write(dir);
    }
}
