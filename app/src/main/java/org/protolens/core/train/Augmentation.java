package org.protolens.core.train;

import java.util.Random;
import org.protolens.core.embed.ImageDecoder;

/** The CIFAR augmentation: a random crop from the image padded with zeros, and a random horizontal flip. */
final class Augmentation {
    private Augmentation() {
    }

    static ImageDecoder.RgbImage cropAndFlip(ImageDecoder.RgbImage img, int pad, Random rnd) {
        int w = img.width();
        int h = img.height();
        int dx = rnd.nextInt(2 * pad + 1) - pad;
        int dy = rnd.nextInt(2 * pad + 1) - pad;
        boolean flip = rnd.nextBoolean();
        int[] src = img.rgb();
        int[] out = new int[src.length];
        for (int y = 0; y < h; y++) {
            int sy = y + dy;
            for (int x = 0; x < w; x++) {
                int sx = (flip ? w - 1 - x : x) + dx;
                out[y * w + x] = sx >= 0 && sx < w && sy >= 0 && sy < h ? src[sy * w + sx] : 0;
            }
        }
        return new ImageDecoder.RgbImage(w, h, out);
    }
}
