package org.protolens.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.Preprocessing;

/**
 * Images per second of a backbone's forward pass alone, on made-up inputs of its own size (no
 * decoding): a built-in backbone folder (DJL blocks) or a TorchScript file. One process measures
 * one round after a warm-up, so that run.sh can alternate it with other processes.
 *
 * <pre>java org.protolens.bench.ModelThroughput BACKBONE [count=2048] [batch=128] [size=32]</pre>
 */
public final class ModelThroughput {
    private ModelThroughput() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ModelThroughput BACKBONE [count=2048] [batch=128] [size=32]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        Preprocessing p = Preprocessing.imagenet(size);
        try (Backbone b = BackboneLoader.open(args[0], p, null)) {
            int per = p.valuesPerImage();
            float[] inputs = new float[batch * per];
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = (float) (random.nextDouble() * 4 - 2);
            }
            for (int warm = 0; warm < 3; warm++) {
                b.embed(inputs, batch);
            }
            long t0 = System.nanoTime();
            int done = 0;
            while (done < count) {
                int n = Math.min(batch, count - done);
                b.embed(inputs, n);
                done += n;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "%s (%s, %d-d, %d px, batch %d, %s): %.1f images/s%n", b.name(), args[0], b.embeddingDim(), size,
                    batch, b.device(), done / s);
        }
    }
}
