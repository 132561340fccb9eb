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
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.embed.ImageDecoder;
import org.protolens.core.embed.ImageFiles;
import org.protolens.core.embed.Preprocessing;

/**
 * Images per second of the backbone alone (inputs decoded beforehand) and of the whole pipeline
 * from JPEG files on disk (read, decode, resize, normalise overlapped with inference), measured
 * in alternating rounds in one process; prints each round, the medians and their ratio.
 *
 * <pre>java org.protolens.bench.EmbeddingThroughput MODEL.pt IMAGE_DIR [count=640] [rounds=5] [batch=32] [size=224] [decodeThreads]</pre>
 */
public final class EmbeddingThroughput {
    private EmbeddingThroughput() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: EmbeddingThroughput MODEL.pt IMAGE_DIR [count=640] [rounds=5] [batch=32] [size=224] "
                    + "[decodeThreads]");
            System.exit(2);
        }
        Path modelFile = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 640;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        int size = args.length > 5 ? Integer.parseInt(args[5]) : 224;
        List<Path> files = ImageFiles.under(dir).stream().limit(count).toList();
        if (files.size() < count) {
            throw new IOException(dir + ": only " + files.size() + " images, " + count + " asked for");
        }
        Preprocessing pre = Preprocessing.imagenet(size);
        try (Backbone b = BackboneLoader.torchScript(modelFile, pre)) {
            int decodeThreads = args.length > 6 ? Integer.parseInt(args[6]) : EmbeddingPipeline.defaultDecodeThreads();
            System.out.printf(Locale.ROOT, "%s, %d-d, input %dx%d, batch %d, %d JPEG files, %s, %d decode thread(s)%n",
                    b.name(), b.embeddingDim(), size, size, batch, files.size(), b.device(), decodeThreads);
            // inputs for the model-alone runs, decoded once beforehand
            int per = pre.valuesPerImage();
            List<float[]> batches = new ArrayList<>();
            for (int start = 0; start < files.size(); start += batch) {
                int n = Math.min(batch, files.size() - start);
                float[] buf = new float[n * per];
                for (int i = 0; i < n; i++) {
                    Path f = files.get(start + i);
                    ImageDecoder.writeInput(ImageDecoder.decode(Files.readAllBytes(f), f.toString()), pre, buf, i * per);
                }
                batches.add(buf);
            }
            EmbeddingPipeline pipeline = new EmbeddingPipeline(b, null, batch, decodeThreads);
            modelAlone(b, batches, batch);          // warm-up
            pipeline.embed(files, null, null);
            double[] model = new double[rounds];
            double[] whole = new double[rounds];
            double[] waited = new double[rounds];
            System.out.println("round  model alone (img/s)  whole pipeline (img/s)  ratio  model waited for decoding");
            for (int r = 0; r < rounds; r++) {
                model[r] = modelAlone(b, batches, batch);
                long t0 = System.nanoTime();
                var result = pipeline.embed(files, null, null);
                double secs = (System.nanoTime() - t0) / 1e9;
                whole[r] = files.size() / secs;
                waited[r] = result.waitNanos() / 1e9 / secs;
                System.out.printf(Locale.ROOT, "%5d  %19.1f  %22.1f  %5.3f  %5.1f%%%n", r + 1, model[r], whole[r], whole[r] / model[r],
                        100 * waited[r]);
            }
            double mm = median(model);
            double mw = median(whole);
            System.out.printf(Locale.ROOT, "median %18.1f  %22.1f  %5.3f  (whole pipeline / model alone)%n", mm, mw, mw / mm);
        }
    }

    private static double modelAlone(Backbone b, List<float[]> batches, int batch) {
        long t0 = System.nanoTime();
        int images = 0;
        for (float[] buf : batches) {
            int n = buf.length / b.preprocessing().valuesPerImage();
            b.embed(buf, n);
            images += n;
        }
        return images / ((System.nanoTime() - t0) / 1e9);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
