package org.protolens.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.embed.ImageFiles;
import org.protolens.core.embed.Preprocessing;
import org.protolens.core.shortcut.ImageEdit;
import org.protolens.core.shortcut.OcclusionSaliency;
import org.protolens.core.shortcut.Probes;

/**
 * Seconds for one occlusion saliency map (a 16 px patch, stride 8 on a 224 x 224 input: 729
 * occluded copies) with the copies embedded in batches of 32, of 8 and one at a time, and
 * seconds per image for the eight standard probes; alternating rounds in one process, each
 * round printed, then medians and ratios.
 *
 * <pre>java org.protolens.bench.SaliencyBenchmark MODEL.pt IMAGE_DIR [rounds=3] [probeImages=8]</pre>
 */
public final class SaliencyBenchmark {
    private SaliencyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SaliencyBenchmark MODEL.pt IMAGE_DIR [rounds=3] [probeImages=8]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int probeImages = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        List<Path> files = ImageFiles.under(Path.of(args[1])).stream().limit(probeImages + rounds).toList();
        List<RgbImage> images = new ArrayList<>();
        for (Path f : files) {
            images.add(ImageDecoder.decode(Files.readAllBytes(f), f.toString()));
        }
        Preprocessing pre = Preprocessing.imagenet(224);
        int[] batches = {32, 8, 1};
        try (Backbone b = BackboneLoader.torchScript(Path.of(args[0]), pre)) {
            System.out.printf(Locale.ROOT, "%s, %d-d, input 224x224, %s; saliency: patch 16, stride 8, %d copies%n", b.name(),
                    b.embeddingDim(), b.device(), OcclusionSaliency.copies(pre, 16, 8));
            float[] in = new float[pre.valuesPerImage()];
            ImageDecoder.writeInput(images.getFirst(), pre, in, 0);
            float[] prototype = b.embed(in, 1).row(0);
            // warm-up: libtorch's first passes at each batch size
            for (int batch : batches) {
                b.embed(new float[Math.min(batch, 8) * pre.valuesPerImage()], Math.min(batch, 8));
            }
            FloatMatrix protos = FloatMatrix.ofRows(prototype, b.embed(new float[pre.valuesPerImage()], 1).row(0));
            double[][] saliency = new double[batches.length][rounds];
            double[] probe = new double[rounds];
            List<ImageEdit> edits = List.of(new ImageEdit.Greyscale(), new ImageEdit.ColourJitter(0.4, 1),
                    new ImageEdit.Background(ImageEdit.Fill.FLAT, ImageEdit.Box.CENTRE, null, 1),
                    new ImageEdit.Background(ImageEdit.Fill.NOISE, ImageEdit.Box.CENTRE, null, 1), new ImageEdit.PatchShuffle(4, 1),
                    new ImageEdit.Erase(ImageEdit.Box.CENTRE, false), new ImageEdit.Flip(),
                    new ImageEdit.Erase(new ImageEdit.Box(0, 0, 0.5, 0.5), true));
            for (int r = 0; r < rounds; r++) {
                RgbImage img = images.get(probeImages + r);
                for (int k = 0; k < batches.length; k++) {
                    long t0 = System.nanoTime();
                    OcclusionSaliency.compute(b, img, prototype, 16, 8, batches[k], null, null);
                    saliency[k][r] = (System.nanoTime() - t0) / 1e9;
                }
                long t0 = System.nanoTime();
                Probes.run(b, images.subList(0, probeImages), null, edits, protos, protos, 32, null, null);
                probe[r] = (System.nanoTime() - t0) / 1e9 / probeImages;
                System.out.printf(Locale.ROOT, "round %d: saliency %.2f s (batch 32), %.2f s (batch 8), %.2f s (one at a time); "
                        + "probes %.3f s per image (%d edits + the original)%n", r + 1, saliency[0][r], saliency[1][r], saliency[2][r],
                        probe[r], edits.size());
            }
            double b32 = median(saliency[0]);
            System.out.printf(Locale.ROOT, "median saliency: %.2f s (batch 32), %.2f s (batch 8), %.2f s (one at a time); "
                    + "one at a time / batch 32 = %.2f%n", b32, median(saliency[1]), median(saliency[2]), median(saliency[2]) / b32);
            System.out.printf(Locale.ROOT, "median probes: %.3f s per image, %.1f images/s%n", median(probe), 1 / median(probe));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
