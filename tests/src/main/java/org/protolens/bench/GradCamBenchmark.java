package org.protolens.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.embed.ImageFiles;
import org.protolens.core.shortcut.GradCam;
import org.protolens.core.shortcut.OcclusionSaliency;

/**
 * Milliseconds per saliency map of a built-in backbone (the CIFAR sample's ResNet-20 at 32 px):
 * Grad-CAM (one forward and one backward pass) against occlusion at the Probes tab's default patch
 * (4 px, stride 2: 225 copies, batches of 32), on the same images, alternating per round; then the
 * process's resident memory before and after a run of further Grad-CAM maps (native memory must
 * not grow with their number).
 *
 * <pre>java org.protolens.bench.GradCamBenchmark BACKBONE_DIR IMAGE_DIR [rounds=3] [images=20] [leakMaps=2000]</pre>
 */
public final class GradCamBenchmark {
    private GradCamBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GradCamBenchmark BACKBONE_DIR IMAGE_DIR [rounds=3] [images=20] [leakMaps=2000]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int count = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int leakMaps = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        List<RgbImage> images = new ArrayList<>();
        for (Path f : ImageFiles.under(Path.of(args[1])).stream().limit(count).toList()) {
            images.add(ImageDecoder.decode(Files.readAllBytes(f), f.toString()));
        }
        try (Backbone b = BackboneLoader.folder(Path.of(args[0]), null)) {
            int side = b.preprocessing().width();
            int patch = Math.max(4, Math.round(side / 14f));
            System.out.printf(Locale.ROOT, "%s, %d-d, input %dx%d, %s; %d images; occlusion: patch %d, stride %d, %d copies%n", b.name(),
                    b.embeddingDim(), side, b.preprocessing().height(), b.device(), images.size(), patch, patch / 2,
                    OcclusionSaliency.copies(b.preprocessing(), patch, patch / 2));
            float[] prototype = embed(b, images.getFirst());
            // warm-up: the first passes of each kind
            GradCam.compute(b, images.getFirst(), prototype);
            OcclusionSaliency.compute(b, images.getFirst(), prototype, patch, patch / 2, 32, null, null);
            double[] cam = new double[rounds];
            double[] occlusion = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (RgbImage img : images) {
                    GradCam.compute(b, img, prototype);
                }
                cam[r] = (System.nanoTime() - t0) / 1e6 / images.size();
                t0 = System.nanoTime();
                for (RgbImage img : images) {
                    OcclusionSaliency.compute(b, img, prototype, patch, patch / 2, 32, null, null);
                }
                occlusion[r] = (System.nanoTime() - t0) / 1e6 / images.size();
                System.out.printf(Locale.ROOT, "round %d: Grad-CAM %.1f ms, occlusion %.1f ms per map%n", r + 1, cam[r], occlusion[r]);
            }
            System.out.printf(Locale.ROOT, "median: Grad-CAM %.1f ms, occlusion %.1f ms per map; occlusion / Grad-CAM = %.1f%n",
                    median(cam), median(occlusion), median(occlusion) / median(cam));
            if (leakMaps > 0) {
                StringBuilder rss = new StringBuilder("resident memory: " + residentKb() / 1024 + " MB");
                for (int k = 1; k <= leakMaps; k++) {
                    GradCam.compute(b, images.get(k % images.size()), prototype);
                    if (k % Math.max(1, leakMaps / 4) == 0) {
                        rss.append(String.format(Locale.ROOT, ", %d MB after %d more maps", residentKb() / 1024, k));
                    }
                }
                System.out.println(rss);
            }
        }
    }

    private static float[] embed(Backbone b, RgbImage img) {
        float[] in = new float[b.preprocessing().valuesPerImage()];
        ImageDecoder.writeInput(img, b.preprocessing(), in, 0);
        return b.embed(in, 1).row(0);
    }

    /** VmRSS of this process from /proc (Linux), in kB; -1 elsewhere. */
    private static long residentKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
