package org.protolens.core.embed;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files in plain Java (ImageIO with the TwelveMonkeys plugins: JPEG including CMYK,
 * PNG, GIF, BMP, TIFF, WebP) and writes them, resized and normalised, into a float batch buffer.
 * Greyscale and palette images become three channels, an alpha channel is composited on white,
 * and the EXIF orientation is applied, as PIL's {@code exif_transpose} does.
 */
public final class ImageDecoder {
    static {
        ImageIO.setUseCache(false);
        ImageIO.scanForPlugins();
    }

    private ImageDecoder() {
    }

    /** An upright opaque RGB image as packed 0xRRGGBB ints, row-major. */
    public record RgbImage(int width, int height, int[] rgb) {
    }

    /**
     * Decodes one image file's bytes.
     *
     * @param name the file's name, used in error messages
     */
    public static RgbImage decode(byte[] bytes, String name) throws ImageReadException {
        BufferedImage image;
        try {
            image = read(bytes, name);
        } catch (IOException | RuntimeException e) {
            throw new ImageReadException(name, "cannot be decoded (" + describe(e) + ")");
        } catch (OutOfMemoryError e) {
            throw new ImageReadException(name, "is too large to decode in the memory Java was given (" + bytes.length
                    + " bytes); give Java more memory (-Xmx) or lower -D" + MAX_PIXELS_PROPERTY);
        }
        if (image == null) {
            throw new ImageReadException(name, bytes.length == 0 ? "is empty"
                    : "is not an image ProtoLens can read (JPEG, PNG, GIF, BMP, TIFF or WebP)");
        }
        if (image.getWidth() < 1 || image.getHeight() < 1) {
            throw new ImageReadException(name, "has no pixels");
        }
        int[] argb = argbPixels(image);
        boolean alpha = image.getColorModel().hasAlpha();
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = new int[argb.length];
        for (int i = 0; i < argb.length; i++) {
            rgb[i] = alpha ? onWhite(argb[i]) : argb[i] & 0xffffff;
        }
        return orient(new RgbImage(w, h, rgb), exifOrientation(bytes));
    }

    /** The system property that sets {@link #maxPixels()}. */
    public static final String MAX_PIXELS_PROPERTY = "protolens.maxImagePixels";

    /**
     * The most pixels an image is decoded at: 50 megapixels unless -Dprotolens.maxImagePixels says
     * otherwise. A larger image (a camera panorama, or a "decompression bomb": a PNG of a few
     * hundred kilobytes that declares 20,000 x 20,000 pixels) is decoded subsampled, every s-th
     * pixel of every s-th row, to at most that many pixels, so it never takes more than about
     * 4 bytes a pixel of that many; embedding resizes it to the backbone's input anyway.
     */
    public static long maxPixels() {
        try {
            long v = Long.parseLong(System.getProperty(MAX_PIXELS_PROPERTY, "50000000"));
            return v > 0 ? v : 50_000_000L;
        } catch (NumberFormatException e) {
            return 50_000_000L;
        }
    }

    /** Reads the header first; decodes subsampled when the image declares more than {@link #maxPixels()}. */
    private static BufferedImage read(byte[] bytes, String name) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(w, h, maxPixels());
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The smallest step s such that a w x h image read every s-th pixel and row has at most {@code max} pixels. */
    static int subsampling(long w, long h, long max) {
        int s = 1;
        while (((w + s - 1) / s) * ((h + s - 1) / s) > max) {
            s++;
        }
        return s;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static int onWhite(int argb) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & 0xffffff;
        }
        int r = blend((argb >> 16) & 0xff, a);
        int g = blend((argb >> 8) & 0xff, a);
        int b = blend(argb & 0xff, a);
        return r << 16 | g << 8 | b;
    }

    private static int blend(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    /**
     * Pixels as non-premultiplied ARGB. Greyscale rasters are read directly: {@code getRGB} would
     * treat their values as linear light and brighten them.
     */
    static int[] argbPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int n = w * h;
        int[] out = new int[n];
        var raster = image.getRaster();
        boolean whole = raster.getMinX() == 0 && raster.getMinY() == 0 && raster.getParent() == null;
        if (whole) {
            switch (image.getType()) {
                case BufferedImage.TYPE_3BYTE_BGR -> {
                    byte[] b = ((DataBufferByte) raster.getDataBuffer()).getData();
                    for (int i = 0, p = 0; i < n; i++, p += 3) {
                        out[i] = 0xff000000 | (b[p + 2] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p] & 0xff);
                    }
                    return out;
                }
                case BufferedImage.TYPE_4BYTE_ABGR -> {
                    byte[] b = ((DataBufferByte) raster.getDataBuffer()).getData();
                    for (int i = 0, p = 0; i < n; i++, p += 4) {
                        out[i] = (b[p] & 0xff) << 24 | (b[p + 3] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 1] & 0xff);
                    }
                    return out;
                }
                case BufferedImage.TYPE_INT_RGB -> {
                    int[] d = ((DataBufferInt) raster.getDataBuffer()).getData();
                    for (int i = 0; i < n; i++) {
                        out[i] = 0xff000000 | d[i];
                    }
                    return out;
                }
                case BufferedImage.TYPE_INT_ARGB -> {
                    System.arraycopy(((DataBufferInt) raster.getDataBuffer()).getData(), 0, out, 0, n);
                    return out;
                }
                case BufferedImage.TYPE_BYTE_GRAY -> {
                    byte[] b = ((DataBufferByte) raster.getDataBuffer()).getData();
                    for (int i = 0; i < n; i++) {
                        int v = b[i] & 0xff;
                        out[i] = 0xff000000 | v << 16 | v << 8 | v;
                    }
                    return out;
                }
                case BufferedImage.TYPE_USHORT_GRAY -> {
                    short[] s = ((DataBufferUShort) raster.getDataBuffer()).getData();
                    for (int i = 0; i < n; i++) {
                        int v = (s[i] & 0xffff) >> 8;
                        out[i] = 0xff000000 | v << 16 | v << 8 | v;
                    }
                    return out;
                }
                default -> {
                }
            }
        }
        var cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumComponents() <= 2
                && !(cm instanceof IndexColorModel)) {
            // grey (with or without alpha) of any depth: take the stored value, not a linear-light conversion
            int bits = cm.getComponentSize(0);
            int[] px = new int[raster.getNumBands()];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    raster.getPixel(x + raster.getMinX(), y + raster.getMinY(), px);
                    int v = bits > 8 ? px[0] >> (bits - 8) : px[0] * 255 / ((1 << bits) - 1);
                    int a = px.length > 1 ? (bits > 8 ? px[1] >> (bits - 8) : px[1] * 255 / ((1 << bits) - 1)) : 255;
                    out[y * w + x] = a << 24 | v << 16 | v << 8 | v;
                }
            }
            return out;
        }
        image.getRGB(0, 0, w, h, out, 0, w);
        return out;
    }

    /** The EXIF orientation tag (1..8), or 1 when the file has none. */
    static int exifOrientation(byte[] bytes) {
        try {
            Metadata md = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
            for (ExifIFD0Directory dir : md.getDirectoriesOfType(ExifIFD0Directory.class)) {
                if (dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                    int o = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                    return o >= 1 && o <= 8 ? o : 1;
                }
            }
        } catch (Exception | StackOverflowError e) {
            // unreadable metadata never stops an image from being used: it is shown as stored
        }
        return 1;
    }

    /** Applies an EXIF orientation so that the image is upright. */
    static RgbImage orient(RgbImage img, int orientation) {
        if (orientation == 1) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] src = img.rgb();
        int[] out = new int[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                out[y * ow + x] = src[sy * w + sx];
            }
        }
        return new RgbImage(ow, oh, out);
    }

    /**
     * Resizes an image to the preprocessing's size and writes it normalised into {@code dest} at
     * {@code offset}, channel-height-width.
     */
    public static void writeInput(RgbImage img, Preprocessing p, float[] dest, int offset) {
        int tw = p.width();
        int th = p.height();
        Resampling hx = Resampling.of(img.width(), tw);
        Resampling vy = Resampling.of(img.height(), th);
        int sw = img.width();
        int sh = img.height();
        int[] rgb = img.rgb();
        // horizontal pass: sh rows x tw columns, three planes
        float[] tmp = new float[3 * sh * tw];
        int plane = sh * tw;
        for (int y = 0; y < sh; y++) {
            int row = y * sw;
            for (int x = 0; x < tw; x++) {
                int start = hx.start[x];
                int base = x * hx.stride;
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < hx.size[x]; k++) {
                    int px = rgb[row + start + k];
                    float wk = hx.weights[base + k];
                    r += wk * ((px >> 16) & 0xff);
                    g += wk * ((px >> 8) & 0xff);
                    b += wk * (px & 0xff);
                }
                int o = y * tw + x;
                tmp[o] = r;
                tmp[plane + o] = g;
                tmp[2 * plane + o] = b;
            }
        }
        // vertical pass, then scale to [0, 1] and normalise
        float[] mean = p.mean();
        float[] std = p.std();
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * std[c]);
            float shift = mean[c] / std[c];
            int src = c * plane;
            int dst = offset + c * th * tw;
            for (int y = 0; y < th; y++) {
                int start = vy.start[y];
                int base = y * vy.stride;
                int n = vy.size[y];
                for (int x = 0; x < tw; x++) {
                    float v = 0;
                    for (int k = 0; k < n; k++) {
                        v += vy.weights[base + k] * tmp[src + (start + k) * tw + x];
                    }
                    dest[dst + y * tw + x] = v * scale - shift;
                }
            }
        }
    }

    /**
     * Antialiased bilinear (triangle filter) weights from {@code in} samples to {@code out},
     * as PIL and PyTorch's antialiased interpolation compute them.
     */
    static final class Resampling {
        final int[] start;
        final int[] size;
        final float[] weights;
        final int stride;

        private Resampling(int[] start, int[] size, float[] weights, int stride) {
            this.start = start;
            this.size = size;
            this.weights = weights;
            this.stride = stride;
        }

        static Resampling of(int in, int out) {
            double scale = (double) in / out;
            double support = scale >= 1 ? scale : 1.0;
            double invScale = scale >= 1 ? 1 / scale : 1.0;
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[out];
            int[] size = new int[out];
            float[] weights = new float[out * stride];
            for (int i = 0; i < out; i++) {
                double center = scale * (i + 0.5);
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xmax = Math.min((int) (center + support + 0.5), in);
                int n = Math.min(xmax - xmin, stride);
                double total = 0;
                double[] w = new double[n];
                for (int j = 0; j < n; j++) {
                    double t = Math.abs((j + xmin - center + 0.5) * invScale);
                    w[j] = t < 1 ? 1 - t : 0;
                    total += w[j];
                }
                for (int j = 0; j < n; j++) {
                    weights[i * stride + j] = (float) (total == 0 ? 0 : w[j] / total);
                }
                start[i] = xmin;
                size[i] = n;
            }
            return new Resampling(start, size, weights, stride);
        }
    }
}
