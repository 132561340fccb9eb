package org.protolens.core.shortcut;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.protolens.core.io.AtomicFiles;
import org.protolens.core.io.FolderFiles;

/**
 * Synthetic images of two latent features, after Hermann et al. (ICLR 2024): a core feature (the
 * object's shape) and a shortcut (background colour, texture, a patch or the object's position),
 * each showing a class. The label is uniform over the classes; the core value equals it with
 * probability P (the core predictivity), otherwise it is one of the other classes at random; the
 * shortcut value equals it with probability Q, independently. Availability is set by the size of
 * each feature in pixels and by the shortcut's contrast. Deterministic for a seed.
 *
 * <p>Written as a folder per class (the label) and {@code manifest.csv}: each image's path, label,
 * core and shortcut values, whether they agree ("aligned") or not ("conflict"), and where the
 * object was drawn (its centre and size as fractions of the image's side), so that probes know
 * its exact outline: the object's pixels are those inside its shape, everything else is
 * background.
 */
public final class ShortcutDataset {
    /** The object shapes, one per class (the core feature). */
    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "cross", "diamond", "ring", "bar", "star");
    public static final String MANIFEST = "manifest.csv";
    private static final String HEADER = "path,label,core,shortcut,kind";
    private static final String GEOMETRY = ",object_x,object_y,object_size";

    /** What the shortcut is. */
    public enum Shortcut {
        /** the background's colour, in a band {@code shortcutSize} pixels wide along the border (the whole background when large) */
        BACKGROUND_COLOUR("background-colour"),
        /** stripes over the background, at an angle of the class's own, {@code shortcutSize} pixels apart */
        TEXTURE("texture"),
        /** a square of the class's colour, {@code shortcutSize} pixels wide, in the top left corner */
        PATCH("patch"),
        /** the object's place: one of the classes' places on a circle {@code shortcutSize} pixels from the centre */
        POSITION("position");

        private final String name;

        Shortcut(String name) {
            this.name = name;
        }

        public String optionName() {
            return name;
        }

        public static Shortcut parse(String s) {
            for (Shortcut k : values()) {
                if (k.name.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown shortcut \"" + s + "\": background-colour, texture, patch or position");
        }
    }

    /**
     * @param classes          2 to 8
     * @param shortcut         what the shortcut feature is
     * @param coreP            core predictivity in [0, 1]
     * @param shortcutQ        shortcut predictivity in [0, 1]
     * @param coreSize         the object's size in pixels
     * @param shortcutSize     the shortcut's size in pixels (see {@link Shortcut})
     * @param shortcutContrast 0 (invisible) to 1 (full colour)
     * @param imagesPerClass   images in each label's folder
     * @param imageSize        width and height in pixels
     */
    public record Spec(int classes, Shortcut shortcut, double coreP, double shortcutQ, int coreSize, int shortcutSize,
                       double shortcutContrast, int imagesPerClass, int imageSize, long seed) {
        public Spec {
            if (classes < 2 || classes > SHAPES.size()) {
                throw new IllegalArgumentException("classes must be 2 to " + SHAPES.size() + " (one shape each), not " + classes);
            }
            ShortcutBias.requireProbability("core predictivity", coreP);
            ShortcutBias.requireProbability("shortcut predictivity", shortcutQ);
            ShortcutBias.requireProbability("shortcut contrast", shortcutContrast);
            if (imageSize < 16 || imageSize > 1024) {
                throw new IllegalArgumentException("image size must be 16 to 1024 pixels, not " + imageSize);
            }
            if (coreSize < 4 || coreSize > imageSize) {
                throw new IllegalArgumentException("core size must be 4 to the image size (" + imageSize + ") pixels, not " + coreSize);
            }
            if (shortcutSize < 1 || shortcutSize > imageSize) {
                throw new IllegalArgumentException("shortcut size must be 1 to the image size (" + imageSize + ") pixels, not "
                        + shortcutSize);
            }
            if (imagesPerClass < 1 || imagesPerClass > 100_000) {
                throw new IllegalArgumentException("images per class must be 1 to 100,000, not " + imagesPerClass);
            }
        }
    }

    /**
     * One image of the dataset: its file (relative to the dataset's folder), its three values, and
     * where its object is (null in manifests written before the object was recorded).
     */
    public record Item(String path, int label, int core, int shortcut, Placement object) {
        public boolean aligned() {
            return core == shortcut;
        }

        /**
         * The object's pixels in a {@code width} x {@code height} copy of the image (the shape's
         * outline, a pixel counted when its centre lies inside), or null when the manifest does not
         * say where the object is.
         */
        public boolean[] objectMask(int width, int height) {
            if (object == null) {
                return null;
            }
            double sx = width;
            double sy = height;
            Shape outline = shape(core, object.x() * sx, object.y() * sy, object.size() * Math.min(sx, sy) / 2.0);
            boolean[] mask = new boolean[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    mask[y * width + x] = outline.contains(x + 0.5, y + 0.5);
                }
            }
            return mask;
        }
    }

    /** Where an object was drawn: its centre and its size (the core size), as fractions of the image's side. */
    public record Placement(double x, double y, double size) {
        public Placement {
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1 && size > 0 && size <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "an object's centre lies in the image and its size is above 0 and at most 1: (%s, %s), %s", x, y, size));
            }
        }
    }

    private ShortcutDataset() {
    }

    /** Draws the dataset into {@code out} (which must not exist or be empty) and returns its items in manifest order. */
    public static List<Item> write(Spec spec, Path out) throws IOException {
        if (Files.exists(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(out + ": is not empty; choose a new folder");
                }
            }
        }
        for (int c = 0; c < spec.classes(); c++) {
            Files.createDirectories(out.resolve(className(c)));
        }
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<Item> items = new ArrayList<>();
        for (int c = 0; c < spec.classes(); c++) {
            for (int j = 0; j < spec.imagesPerClass(); j++) {
                int core = value(random, c, spec.coreP(), spec.classes());
                int shortcut = value(random, c, spec.shortcutQ(), spec.classes());
                String path = className(c) + "/" + String.format(Locale.ROOT, "%05d.png", j);
                double[] centre = new double[2];
                BufferedImage img = draw(spec, core, shortcut, random.split(), centre);
                ImageIO.write(img, "png", out.resolve(path).toFile());
                double side = spec.imageSize();
                items.add(new Item(path, c, core, shortcut, new Placement(round(centre[0] / side), round(centre[1] / side),
                        round(spec.coreSize() / side))));
            }
        }
        writeManifest(out, items);
        return items;
    }

    /** A class's folder name: its shape. */
    public static String className(int c) {
        return SHAPES.get(c);
    }

    /** The label with probability p, otherwise one of the other classes, uniformly. */
    private static int value(SplittableRandom random, int label, double p, int classes) {
        if (random.nextDouble() < p) {
            return label;
        }
        int other = random.nextInt(classes - 1);
        return other >= label ? other + 1 : other;
    }

    /** A fraction as the manifest writes it: 6 decimals (a millionth of the side). */
    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** The class's colour: hues spread around the wheel. */
    static Color colour(int c, int classes) {
        return Color.getHSBColor((float) c / classes, 0.8f, 0.85f);
    }

    private static final Color NEUTRAL = new Color(128, 128, 128);

    private static Color blend(Color base, Color to, double t) {
        return new Color((int) Math.round(base.getRed() + t * (to.getRed() - base.getRed())),
                (int) Math.round(base.getGreen() + t * (to.getGreen() - base.getGreen())),
                (int) Math.round(base.getBlue() + t * (to.getBlue() - base.getBlue())));
    }

    /** Draws one image; {@code centre} receives where the object's centre is, in pixels. */
    static BufferedImage draw(Spec spec, int core, int shortcut, SplittableRandom random, double[] centre) {
        int size = spec.imageSize();
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(NEUTRAL);
            g.fillRect(0, 0, size, size);
            Color mark = blend(NEUTRAL, colour(shortcut, spec.classes()), spec.shortcutContrast());
            int t = spec.shortcutSize();
            double cx = size / 2.0;
            double cy = size / 2.0;
            switch (spec.shortcut()) {
                case BACKGROUND_COLOUR -> {
                    g.setColor(mark);
                    g.fillRect(0, 0, size, size);
                    if (2 * t < size) {
                        g.setColor(NEUTRAL);
                        g.fillRect(t, t, size - 2 * t, size - 2 * t);
                    }
                }
                case TEXTURE -> {
                    g.setColor(mark);
                    g.setStroke(new BasicStroke(Math.max(1f, t / 2f)));
                    double angle = Math.PI * shortcut / spec.classes();
                    double dx = Math.cos(angle);
                    double dy = Math.sin(angle);
                    double reach = size * 1.5;
                    for (double o = -reach; o <= reach; o += Math.max(2, t)) {
                        // a line through the point o along the normal, in the stripes' direction
                        double px = cx - dy * o;
                        double py = cy + dx * o;
                        g.draw(new Line2D.Double(px - dx * reach, py - dy * reach, px + dx * reach, py + dy * reach));
                    }
                }
                case PATCH -> {
                    g.setColor(mark);
                    g.fillRect(0, 0, t, t);
                }
                case POSITION -> {
                    double angle = 2 * Math.PI * shortcut / spec.classes();
                    cx += t * Math.cos(angle);
                    cy += t * Math.sin(angle);
                }
            }
            // the object: its shape in a grey of its own, a little off centre
            cx += random.nextDouble(-2, 2);
            cy += random.nextDouble(-2, 2);
            centre[0] = cx;
            centre[1] = cy;
            int grey = 20 + random.nextInt(40);
            g.setColor(random.nextBoolean() ? new Color(grey, grey, grey) : new Color(255 - grey, 255 - grey, 255 - grey));
            g.setStroke(new BasicStroke(Math.max(1.5f, spec.coreSize() / 8f)));
            g.fill(shape(core, cx, cy, spec.coreSize() / 2.0));
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Shape shape(int c, double cx, double cy, double r) {
        return switch (SHAPES.get(c)) {
            case "circle" -> new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case "square" -> new Rectangle2D.Double(cx - r * 0.85, cy - r * 0.85, 1.7 * r, 1.7 * r);
            case "triangle" -> polygon(cx, cy, r, 3, -Math.PI / 2);
            case "diamond" -> polygon(cx, cy, r, 4, 0);
            case "cross" -> {
                Path2D p = new Path2D.Double(new Rectangle2D.Double(cx - r, cy - r / 3, 2 * r, 2 * r / 3));
                p.append(new Rectangle2D.Double(cx - r / 3, cy - r, 2 * r / 3, 2 * r), false);
                yield p;
            }
            case "ring" -> {
                Path2D p = new Path2D.Double(Path2D.WIND_EVEN_ODD);
                p.append(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r), false);
                p.append(new Ellipse2D.Double(cx - r / 2, cy - r / 2, r, r), false);
                yield p;
            }
            case "bar" -> new Rectangle2D.Double(cx - r, cy - r / 4, 2 * r, r / 2);
            case "star" -> {
                Path2D p = new Path2D.Double();
                for (int k = 0; k < 10; k++) {
                    double a = -Math.PI / 2 + k * Math.PI / 5;
                    double rr = k % 2 == 0 ? r : r * 0.45;
                    if (k == 0) {
                        p.moveTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
                    } else {
                        p.lineTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
                    }
                }
                p.closePath();
                yield p;
            }
            default -> throw new IllegalStateException("no shape " + c);
        };
    }

    private static Polygon polygon(double cx, double cy, double r, int corners, double start) {
        Polygon p = new Polygon();
        for (int k = 0; k < corners; k++) {
            double a = start + 2 * Math.PI * k / corners;
            p.addPoint((int) Math.round(cx + r * Math.cos(a)), (int) Math.round(cy + r * Math.sin(a)));
        }
        return p;
    }

    /**
     * Writes {@code imagesDir}/manifest.csv for images copied from a shortcut dataset made of a
     * {@code train/} and a {@code test/} dataset (as make-sample copies them: CLASS/SPLIT-FILE,
     * SPLIT being train or test), so that a project made of them knows each image's core and
     * shortcut values.
     *
     * @param copied the copies' paths relative to {@code imagesDir}
     * @return how many images the manifest lists
     */
    public static int writeCopiedManifest(Path dataset, Path imagesDir, List<String> copied) throws IOException {
        Map<String, Item> bySource = new HashMap<>();
        for (String split : List.of("train", "test")) {
            for (Item it : readManifest(dataset.resolve(split))) {
                bySource.put(split + "/" + it.path(), it);
            }
        }
        List<Item> out = new ArrayList<>();
        for (String c : copied) {
            int slash = c.lastIndexOf('/');
            int dash = c.indexOf('-', slash + 1);
            if (slash < 0 || dash < 0) {
                throw new IOException(c + ": not a copy named CLASS/SPLIT-FILE");
            }
            String split = c.substring(slash + 1, dash);
            Item it = bySource.get(split + "/" + c.substring(0, slash) + "/" + c.substring(dash + 1));
            if (it == null) {
                throw new IOException(c + ": its source " + split + "/" + c.substring(0, slash) + "/" + c.substring(dash + 1)
                        + " is not in " + dataset.resolve(split).resolve(MANIFEST));
            }
            out.add(new Item(c, it.label(), it.core(), it.shortcut(), it.object()));
        }
        writeManifest(imagesDir, out);
        return out.size();
    }

    private static void writeManifest(Path dir, List<Item> items) throws IOException {
        boolean placed = !items.isEmpty() && items.stream().allMatch(it -> it.object() != null);
        StringBuilder b = new StringBuilder(HEADER).append(placed ? GEOMETRY : "").append('\n');
        for (Item it : items) {
            b.append(it.path()).append(',').append(className(it.label())).append(',').append(className(it.core())).append(',')
                    .append(className(it.shortcut())).append(',').append(it.aligned() ? "aligned" : "conflict");
            if (placed) {
                b.append(',').append(it.object().x()).append(',').append(it.object().y()).append(',').append(it.object().size());
            }
            b.append('\n');
        }
        AtomicFiles.writeString(dir.resolve(MANIFEST), b.toString());
    }

    /**
     * Reads a dataset's manifest back (for the bias report and the probes): items in file order.
     * Manifests without the object's place (five columns) are read too; their items have none.
     */
    public static List<Item> readManifest(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e + ")", e);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file: " + dir + " is not a shortcut dataset (make-shortcut-dataset writes one)", e);
        }
        boolean placed = !lines.isEmpty() && lines.getFirst().equals(HEADER + GEOMETRY);
        if (lines.isEmpty() || !placed && !lines.getFirst().equals(HEADER)) {
            throw new IOException(file + ": is not a shortcut dataset's manifest (its first line must be " + HEADER
                    + ", optionally followed by " + GEOMETRY + ")");
        }
        int fields = placed ? 8 : 5;
        List<Item> items = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != fields) {
                throw new IOException(file + ": line " + (i + 1) + " has " + f.length + " fields, not " + fields);
            }
            int label = SHAPES.indexOf(f[1]);
            int core = SHAPES.indexOf(f[2]);
            int shortcut = SHAPES.indexOf(f[3]);
            if (label < 0 || core < 0 || shortcut < 0) {
                throw new IOException(file + ": line " + (i + 1) + " names a class that is not one of " + SHAPES);
            }
            if (!f[4].equals(core == shortcut ? "aligned" : "conflict")) {
                throw new IOException(file + ": line " + (i + 1) + " says \"" + f[4] + "\", but its core and shortcut values "
                        + (core == shortcut ? "agree" : "differ"));
            }
            FolderFiles.requireInside(dir, f[0], file, "path of line " + (i + 1));
            Placement object = null;
            if (placed) {
                try {
                    object = new Placement(Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": line " + (i + 1) + ": the object's place " + f[5] + ", " + f[6] + ", " + f[7]
                            + " is not a centre inside the image with a size in (0, 1]", e);
                }
            }
            items.add(new Item(f[0], label, core, shortcut, object));
        }
        return items;
    }
}
