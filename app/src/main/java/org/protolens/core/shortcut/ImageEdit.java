package org.protolens.core.shortcut;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.protolens.core.embed.ImageDecoder.RgbImage;

/**
 * A counterfactual edit of an image: it removes or changes one kind of evidence (colour, the
 * background, the shape, the object itself) and keeps the rest, so that a prediction which
 * changes under the edit shows what it relied on. Edits are pure and deterministic: the same
 * image, edit and seed give the same pixels.
 *
 * <p>Where an edit needs to know which pixels are the object, it uses the object's region: its
 * exact outline where a shortcut dataset's manifest says where the object was drawn, else a box,
 * the central half of the image (a quarter of its area) unless the person drew one.
 */
public sealed interface ImageEdit {
    /** The grey that replaces removed pixels. */
    int GREY = 0x808080;

    /** A short name for tables and files: "greyscale", "flip", ... */
    String id();

    /** What the edit does, for people. */
    String describe();

    /** The edited image, the same size as {@code img}. */
    RgbImage apply(RgbImage img);

    /**
     * The same edit for an image whose object lies in {@code object}: edits that use the object's
     * place (the background's, the object's occlusion) take it; the others are returned as they are.
     */
    default ImageEdit forObject(Region object) {
        return this;
    }

    /** Which pixels of an image are the object. */
    sealed interface Region permits Box, Mask {
        /** Whether pixel (x, y) of a w x h image is the object's. */
        boolean contains(int x, int y, int w, int h);
    }

    /**
     * The object's exact pixels, as a mask of {@code width} x {@code height} cells (row-major) laid
     * over the whole image: a pixel of an image of another size takes its nearest cell.
     */
    record Mask(int width, int height, boolean[] object) implements Region {
        public Mask {
            if (width < 1 || height < 1 || object.length != width * height) {
                throw new IllegalArgumentException("a " + width + " x " + height + " mask needs " + width * height + " cells, not "
                        + object.length);
            }
        }

        @Override
        public boolean contains(int x, int y, int w, int h) {
            int cx = Math.min(width - 1, (int) ((x + 0.5) * width / w));
            int cy = Math.min(height - 1, (int) ((y + 0.5) * height / h));
            return object[cy * width + cx];
        }
    }

    /** The object's place as fractions of the image's width and height, 0 to 1. */
    record Box(double x0, double y0, double x1, double y1) implements Region {
        public static final Box CENTRE = new Box(0.25, 0.25, 0.75, 0.75);

        public Box {
            if (!(0 <= x0 && x0 < x1 && x1 <= 1 && 0 <= y0 && y0 < y1 && y1 <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "a box needs 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1, not (%.3f, %.3f)-(%.3f, %.3f)", x0, y0, x1, y1));
            }
        }

        /** Whether pixel (x, y) of a w x h image lies in the box (its centre does). */
        @Override
        public boolean contains(int x, int y, int w, int h) {
            double fx = (x + 0.5) / w;
            double fy = (y + 0.5) / h;
            return fx >= x0 && fx < x1 && fy >= y0 && fy < y1;
        }
    }

    /** Changes nothing: a check that the probe itself moves nothing. */
    record Identity() implements ImageEdit {
        @Override
        public String id() {
            return "identity";
        }

        @Override
        public String describe() {
            return "unchanged";
        }

        @Override
        public RgbImage apply(RgbImage img) {
            return new RgbImage(img.width(), img.height(), img.rgb().clone());
        }
    }

    /** Removes colour: every pixel its luma (ITU-R BT.601). */
    record Greyscale() implements ImageEdit {
        @Override
        public String id() {
            return "greyscale";
        }

        @Override
        public String describe() {
            return "colour removed";
        }

        @Override
        public RgbImage apply(RgbImage img) {
            int[] out = img.rgb().clone();
            for (int i = 0; i < out.length; i++) {
                int p = out[i];
                int l = clamp((int) Math.round(0.299 * (p >> 16 & 0xff) + 0.587 * (p >> 8 & 0xff) + 0.114 * (p & 0xff)));
                out[i] = rgb(l, l, l);
            }
            return new RgbImage(img.width(), img.height(), out);
        }
    }

    /**
     * Changes brightness, contrast and saturation by random factors in [1 - strength, 1 +
     * strength] and turns the hue by up to strength / 4 of a full turn, drawn with the seed (as
     * torchvision's ColorJitter(strength, strength, strength, strength / 4)).
     */
    record ColourJitter(double strength, long seed) implements ImageEdit {
        public ColourJitter {
            if (!(strength >= 0 && strength <= 1)) {
                throw new IllegalArgumentException("jitter strength must be 0 to 1, not " + strength);
            }
        }

        @Override
        public String id() {
            return "colour-jitter";
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "colours jittered (strength %.2f)", strength);
        }

        @Override
        public RgbImage apply(RgbImage img) {
            SplittableRandom r = new SplittableRandom(seed);
            double brightness = 1 + r.nextDouble(-strength, strength + 1e-12);
            double contrast = 1 + r.nextDouble(-strength, strength + 1e-12);
            double saturation = 1 + r.nextDouble(-strength, strength + 1e-12);
            double hue = r.nextDouble(-strength / 4, strength / 4 + 1e-12);
            int[] in = img.rgb();
            double meanLuma = 0;
            for (int p : in) {
                meanLuma += 0.299 * (p >> 16 & 0xff) + 0.587 * (p >> 8 & 0xff) + 0.114 * (p & 0xff);
            }
            meanLuma = meanLuma * brightness / Math.max(1, in.length);
            int[] out = new int[in.length];
            float[] hsb = new float[3];
            for (int i = 0; i < in.length; i++) {
                double[] c = {(in[i] >> 16 & 0xff) * brightness, (in[i] >> 8 & 0xff) * brightness, (in[i] & 0xff) * brightness};
                for (int k = 0; k < 3; k++) {
                    c[k] = meanLuma + contrast * (c[k] - meanLuma);
                }
                double l = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
                for (int k = 0; k < 3; k++) {
                    c[k] = l + saturation * (c[k] - l);
                }
                Color.RGBtoHSB(clamp((int) Math.round(c[0])), clamp((int) Math.round(c[1])), clamp((int) Math.round(c[2])), hsb);
                float h = (float) (hsb[0] + hue);
                out[i] = Color.HSBtoRGB(h - (float) Math.floor(h), hsb[1], hsb[2]) & 0xffffff;
            }
            return new RgbImage(img.width(), img.height(), out);
        }
    }

    /** What replaces the background. */
    enum Fill {
        /** a flat grey */
        FLAT("flat"),
        /** uniform colour noise, drawn with the seed */
        NOISE("noise"),
        /** the same pixels of another image (the donor), resized to this one */
        DONOR("other");

        private final String id;

        Fill(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * Replaces everything outside the object's region: flat grey, noise or another image's
     * background ({@code donor}; null: the donor each probed image is given). Where the donor's own
     * object is known ({@code donorObject}), its pixels and their blended edge are left out: each
     * takes the nearest of the donor's background pixels in its row, so that no part of the
     * donor's object shows.
     */
    record Background(Fill fill, Region object, RgbImage donor, Region donorObject, long seed) implements ImageEdit {
        public Background(Fill fill, Region object, RgbImage donor, long seed) {
            this(fill, object, donor, null, seed);
        }

        /** The same edit with {@code other} as the donor, its object in {@code otherObject} (null: not known). */
        public Background withDonor(RgbImage other, Region otherObject) {
            return new Background(fill, object, other, otherObject, seed);
        }

        /** The same edit with {@code other} as the donor. */
        public Background withDonor(RgbImage other) {
            return withDonor(other, null);
        }

        @Override
        public ImageEdit forObject(Region region) {
            return new Background(fill, region, donor, donorObject, seed);
        }

        @Override
        public String id() {
            return "background-" + fill.id();
        }

        @Override
        public String describe() {
            String what = object instanceof Mask ? " (outside the object's outline)" : " (outside the object's box)";
            return switch (fill) {
                case FLAT -> "background made flat grey" + what;
                case NOISE -> "background replaced by noise" + what;
                case DONOR -> "background taken from another image" + what;
            };
        }

        @Override
        public RgbImage apply(RgbImage img) {
            if (fill == Fill.DONOR && donor == null) {
                throw new IllegalStateException("replacing the background with another image's needs that image");
            }
            int w = img.width();
            int h = img.height();
            int[] out = img.rgb().clone();
            int[] from = fill == Fill.DONOR ? backgroundOf(donor, donorObject) : null;
            SplittableRandom r = new SplittableRandom(seed);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (!object.contains(x, y, w, h)) {
                        out[y * w + x] = switch (fill) {
                            case FLAT -> GREY;
                            case NOISE -> r.nextInt(0x1000000);
                            case DONOR -> from[(int) ((long) y * donor.height() / h) * donor.width()
                                    + (int) ((long) x * donor.width() / w)];
                        };
                    }
                }
            }
            return new RgbImage(w, h, out);
        }

        /**
         * The donor's pixels with its object (where known, grown by a pixel to take its blended
         * edge along) filled from the nearest background pixel of its row (grey in a row that is
         * all object).
         */
        private static int[] backgroundOf(RgbImage donor, Region object) {
            int[] px = donor.rgb().clone();
            if (object == null) {
                return px;
            }
            int w = donor.width();
            int h = donor.height();
            boolean[] taken = new boolean[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (object.contains(x, y, w, h)) {
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < h) {
                                    taken[(y + dy) * w + x + dx] = true;
                                }
                            }
                        }
                    }
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (!taken[y * w + x]) {
                        continue;
                    }
                    int fill = GREY;
                    for (int d = 1; d < w; d++) {
                        if (x - d >= 0 && !taken[y * w + x - d]) {
                            fill = donor.rgb()[y * w + x - d];
                            break;
                        }
                        if (x + d < w && !taken[y * w + x + d]) {
                            fill = donor.rgb()[y * w + x + d];
                            break;
                        }
                    }
                    px[y * w + x] = fill;
                }
            }
            return px;
        }
    }

    /**
     * Cuts the image into a grid x grid tiles and shuffles them with the seed: the shape is gone,
     * colour and texture stay (every pixel is kept, only moved).
     */
    record PatchShuffle(int grid, long seed) implements ImageEdit {
        public PatchShuffle {
            if (grid < 2 || grid > 16) {
                throw new IllegalArgumentException("a patch shuffle needs a grid of 2 to 16 tiles a side, not " + grid);
            }
        }

        @Override
        public String id() {
            return "patch-shuffle";
        }

        @Override
        public String describe() {
            return "shape destroyed: " + grid + " x " + grid + " tiles shuffled";
        }

        @Override
        public RgbImage apply(RgbImage img) {
            int w = img.width();
            int h = img.height();
            int g = Math.min(grid, Math.min(w, h));
            // tiles of equal size; the last row and column of pixels beyond g * tile stay where they are
            int tw = w / g;
            int th = h / g;
            List<Integer> order = new ArrayList<>();
            for (int t = 0; t < g * g; t++) {
                order.add(t);
            }
            SplittableRandom r = new SplittableRandom(seed);
            for (int j = order.size() - 1; j > 0; j--) {
                int k = r.nextInt(j + 1);
                order.set(j, order.set(k, order.get(j)));
            }
            if (g * g > 1 && isIdentity(order)) {
                order.add(order.removeFirst());
            }
            int[] in = img.rgb();
            int[] out = in.clone();
            for (int t = 0; t < g * g; t++) {
                int from = order.get(t);
                int dx = (t % g) * tw;
                int dy = (t / g) * th;
                int sx = (from % g) * tw;
                int sy = (from / g) * th;
                for (int y = 0; y < th; y++) {
                    System.arraycopy(in, (sy + y) * w + sx, out, (dy + y) * w + dx, tw);
                }
            }
            return new RgbImage(w, h, out);
        }

        private static boolean isIdentity(List<Integer> order) {
            for (int t = 0; t < order.size(); t++) {
                if (order.get(t) != t) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Greys out a region: the object's ("occlude the centre", its box or its outline) or a region the person drew ("erase"). */
    record Erase(Region region, boolean drawn) implements ImageEdit {
        @Override
        public String id() {
            return drawn ? "erase-region" : "occlude-centre";
        }

        @Override
        public String describe() {
            return drawn ? "the drawn region greyed out"
                    : region instanceof Mask ? "the object greyed out (its outline)" : "the centre (the object's box) greyed out";
        }

        @Override
        public ImageEdit forObject(Region object) {
            return drawn ? this : new Erase(object, false);
        }

        @Override
        public RgbImage apply(RgbImage img) {
            int w = img.width();
            int h = img.height();
            int[] out = img.rgb().clone();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (region.contains(x, y, w, h)) {
                        out[y * w + x] = GREY;
                    }
                }
            }
            return new RgbImage(w, h, out);
        }
    }

    /** Mirrors the image left to right: a model that follows the object should not care. */
    record Flip() implements ImageEdit {
        @Override
        public String id() {
            return "flip";
        }

        @Override
        public String describe() {
            return "mirrored left to right";
        }

        @Override
        public RgbImage apply(RgbImage img) {
            int w = img.width();
            int[] in = img.rgb();
            int[] out = new int[in.length];
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = in[y * w + w - 1 - x];
                }
            }
            return new RgbImage(w, img.height(), out);
        }
    }

    /**
     * The standard set of probes: greyscale, colour jitter, background flat and noise (and from
     * another image, each probed image's donor), patch shuffle, the centre occluded, flip, and
     * {@code erase} when the person drew a region.
     */
    static List<ImageEdit> standard(Box object, Box erase, long seed) {
        List<ImageEdit> edits = new ArrayList<>();
        edits.add(new Greyscale());
        edits.add(new ColourJitter(0.4, seed));
        edits.add(new Background(Fill.FLAT, object, null, seed));
        edits.add(new Background(Fill.NOISE, object, null, seed));
        edits.add(new Background(Fill.DONOR, object, null, seed));
        edits.add(new PatchShuffle(4, seed));
        edits.add(new Erase(object, false));
        edits.add(new Flip());
        if (erase != null) {
            edits.add(new Erase(erase, true));
        }
        return edits;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }
}
