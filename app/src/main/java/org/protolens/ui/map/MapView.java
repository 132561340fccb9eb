package org.protolens.ui.map;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.protolens.core.FloatMatrix;
import org.protolens.core.map.MapLayout;
import org.protolens.core.proto.L2;
import org.protolens.core.project.Workspace;
import org.protolens.ui.ClassColours;

/**
 * The map: every image a dot at its projected embedding, coloured by what {@link #colouring}
 * says; shots drawn larger with a dark ring; each class's prototype a star, and for a novel class
 * a line from its raw prototype (mean of shots) to its calibrated one. Embeddings are
 * L2-normalised before projection, as the cosine classifier sees them.
 */
public final class MapView extends Region {
    public enum Colouring { PREDICTION, LABEL, CORRECT }

    private final Canvas canvas = new Canvas();
    private final PointRaster raster = new PointRaster();
    private int[] dotX = new int[0];
    private int[] dotY = new int[0];
    private int[] dotRgb = new int[0];
    private Workspace workspace;
    private MapLayout layout;
    private float[] xy;
    private float minX, maxX, minY, maxY;
    private Colouring colouring = Colouring.PREDICTION;
    /** user zoom and pan on top of the fitted view */
    private double zoom = 1;
    private double panX;
    private double panY;
    /** the fitted view of the last redraw: screen = zoom * (origin + scale * point) + pan */
    private double scale = 1;
    private double originX;
    private double originY;
    private int selected = -1;
    private boolean dark;
    private int hovered = -1;
    private IntConsumer onSelect = i -> { };
    private final javafx.scene.image.ImageView hoverImage = new javafx.scene.image.ImageView();
    private final javafx.scene.control.Label hoverName = new javafx.scene.control.Label();
    private final javafx.scene.layout.VBox hoverBox = new javafx.scene.layout.VBox(4, hoverImage, hoverName);
    private java.util.function.IntFunction<javafx.scene.image.Image> thumbnails = i -> null;
    private double pressX;
    private double pressY;
    private boolean lassoing;
    private final List<double[]> lasso = new ArrayList<>();
    private int[] lassoed = new int[0];
    private java.util.function.Consumer<int[]> onLasso = s -> { };
    private double lastX;
    private double lastY;

    /** shown over an empty map: how images get in */
    private final javafx.scene.control.Label emptyHint = new javafx.scene.control.Label(
            "No images yet.\nDrop images or folders here, or choose File › Import Folder.");
    /** whether the map was laid out from an empty project's first imported batch only */
    private boolean provisional;

    public MapView() {
        getChildren().addAll(canvas, hoverBox, emptyHint);
        emptyHint.setId("map-empty-hint");
        emptyHint.getStyleClass().add("map-empty-hint");
        emptyHint.setMouseTransparent(true);
        emptyHint.setVisible(false);
        emptyHint.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        getStyleClass().add("map");
        hoverBox.getStyleClass().add("map-hover");
        hoverBox.setVisible(false);
        hoverBox.setMouseTransparent(true);
        hoverImage.setFitWidth(72);
        hoverImage.setFitHeight(72);
        hoverImage.setPreserveRatio(true);
        hoverImage.setSmooth(false);
        widthProperty().addListener((o, a, b) -> redraw());
        heightProperty().addListener((o, a, b) -> redraw());
        setOnScroll(e -> zoomAt(Math.exp(e.getDeltaY() / 300), e.getX(), e.getY()));
        setFocusTraversable(true);
        setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case LEFT -> panBy(40, 0);
                case RIGHT -> panBy(-40, 0);
                case UP -> panBy(0, 40);
                case DOWN -> panBy(0, -40);
                case PLUS, EQUALS, ADD -> zoomAt(1.25, getWidth() / 2, getHeight() / 2);
                case MINUS, SUBTRACT -> zoomAt(0.8, getWidth() / 2, getHeight() / 2);
                default -> {
                    return;
                }
            }
            e.consume();
        });
        setOnMousePressed(e -> {
            requestFocus();
            pressX = lastX = e.getX();
            pressY = lastY = e.getY();
            lassoing = e.isShiftDown();
            lasso.clear();
            if (lassoing) {
                lasso.add(new double[] {e.getX(), e.getY()});
            }
        });
        setOnMouseReleased(e -> {
            if (lassoing) {
                lassoing = false;
                if (lasso.size() > 2) {
                    lassoed = inside(lasso);
                    onLasso.accept(lassoed);
                }
                lasso.clear();
                redraw();
            }
        });
        setOnMouseDragged(e -> {
            if (lassoing) {
                lasso.add(new double[] {e.getX(), e.getY()});
                redraw();
                return;
            }
            double dx = e.getX() - lastX;
            double dy = e.getY() - lastY;
            lastX = e.getX();
            lastY = e.getY();
            hoverBox.setVisible(false);
            panBy(dx, dy);
        });
        setOnMouseClicked(e -> {
            if (Math.hypot(e.getX() - pressX, e.getY() - pressY) > 3) {
                return;
            }
            if (e.getClickCount() == 2) {
                resetView();
                return;
            }
            select(pointAt(e.getX(), e.getY()));
            onSelect.accept(selected);
        });
        setOnMouseMoved(e -> hover(pointAt(e.getX(), e.getY()), e.getX(), e.getY()));
        setOnMouseExited(e -> hover(-1, 0, 0));
    }

    /** Dark background and light outlines, for the dark theme. */
    public void setDark(boolean dark) {
        this.dark = dark;
        redraw();
    }

    private Color ink() {
        return dark ? Color.web("#e6e9ee") : Color.web("#1f2933");
    }

    /** Called with the image index (or -1) when a click selects a point. */
    public void setOnSelect(IntConsumer action) {
        onSelect = action;
    }

    /** Called with the images inside a lasso (Shift + drag), sorted. */
    public void setOnLasso(java.util.function.Consumer<int[]> action) {
        onLasso = action;
    }

    /** Marks these images as the lasso selection. */
    public void setLassoed(int[] images) {
        lassoed = images.clone();
        redraw();
    }

    /** The images whose points lie inside the polygon (view coordinates). */
    public int[] inside(List<double[]> polygon) {
        if (xy == null) {
            return new int[0];
        }
        List<Integer> in = new ArrayList<>();
        for (int i = 0; i < xy.length / 2; i++) {
            double x = screenX(i);
            double y = screenY(i);
            boolean c = false;
            for (int a = 0, b = polygon.size() - 1; a < polygon.size(); b = a++) {
                double[] p = polygon.get(a);
                double[] q = polygon.get(b);
                if ((p[1] > y) != (q[1] > y) && x < (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]) + p[0]) {
                    c = !c;
                }
            }
            if (c) {
                in.add(i);
            }
        }
        return in.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Thumbnails for the hover card, by image index. */
    public void setThumbnails(java.util.function.IntFunction<javafx.scene.image.Image> source) {
        thumbnails = source;
    }

    /** Marks image {@code i} (or none for -1). */
    public void select(int i) {
        selected = i;
        redraw();
    }

    /** Moves the map by (dx, dy) pixels (drag, arrow keys). */
    public void panBy(double dx, double dy) {
        panX += dx;
        panY += dy;
        redraw();
    }

    /** Zooms by {@code factor} about the point (x, y) of this view (scroll, + and - keys). */
    public void zoomAt(double factor, double x, double y) {
        double next = Math.max(0.5, Math.min(200, zoom * factor));
        double f = next / zoom;
        panX = x - f * (x - panX);
        panY = y - f * (y - panY);
        zoom = next;
        redraw();
    }

    public void resetView() {
        zoom = 1;
        panX = 0;
        panY = 0;
        redraw();
    }

    /** Where image {@code i} is drawn, in this view's coordinates. */
    public javafx.geometry.Point2D pointOf(int i) {
        return new javafx.geometry.Point2D(screenX(i), screenY(i));
    }

    /** Whether the hover card is showing. */
    public boolean hoverShowing() {
        return hoverBox.isVisible();
    }

    double screenX(int i) {
        return zoom * (originX + scale * xy[2 * i]) + panX;
    }

    double screenY(int i) {
        return zoom * (originY - scale * xy[2 * i + 1]) + panY;
    }

    /** The image whose point is nearest to (x, y) within 8 pixels, or -1. */
    public int pointAt(double x, double y) {
        if (xy == null) {
            return -1;
        }
        int best = -1;
        double bestD = 8 * 8;
        for (int i = 0; i < xy.length / 2; i++) {
            double dx = screenX(i) - x;
            double dy = screenY(i) - y;
            double d = dx * dx + dy * dy;
            if (d <= bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    private void hover(int i, double x, double y) {
        if (i == hovered && (i < 0 || hoverBox.isVisible())) {
            if (i >= 0) {
                place(x, y);
            }
            return;
        }
        hovered = i;
        if (i < 0 || workspace == null) {
            hoverBox.setVisible(false);
            return;
        }
        hoverImage.setImage(thumbnails.apply(i));
        String label = workspace.label(i) < 0 ? "unlabelled" : workspace.classNames().get(workspace.label(i));
        hoverName.setText(workspace.imageFile(i).getFileName() + "\n" + label + (workspace.isShot(i) ? " (shot)" : "")
                + " → " + workspace.classNames().get(workspace.predicted(i)));
        hoverBox.setVisible(true);
        place(x, y);
    }

    private void place(double x, double y) {
        hoverBox.autosize();
        double w = hoverBox.getWidth();
        double h = hoverBox.getHeight();
        hoverBox.relocate(x + 14 + w > getWidth() ? x - 14 - w : x + 14, Math.max(0, Math.min(y + 14, getHeight() - h)));
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        if (hoverBox.isVisible()) {
            hoverBox.autosize();
        }
        emptyHint.autosize();
        emptyHint.relocate(Math.round((getWidth() - emptyHint.getWidth()) / 2), Math.round((getHeight() - emptyHint.getHeight()) / 2));
    }

    /**
     * Whether the map was laid out from the first images imported into an empty project only (the
     * rest were placed into it): a map of all of them is better once the import is done.
     */
    public boolean isProvisional() {
        return provisional;
    }

    /** Shows {@code w}'s images where {@code layout} puts them (null: too few images for a map). */
    public void setWorkspace(Workspace w, MapLayout layout) {
        workspace = w;
        selected = -1;
        lassoed = new int[0];
        hovered = -1;
        hoverBox.setVisible(false);
        setLayout(layout);
    }

    /** Draws the images where {@code layout} puts them; images added since it was made are placed into it. */
    public void setLayout(MapLayout layout) {
        this.layout = layout;
        provisional = false;
        zoom = 1;
        panX = 0;
        panY = 0;
        if (layout == null) {
            xy = null;
            redraw();
        } else {
            xy = layout.xy();
            bounds();
            placeNewImages();
            redraw();
        }
    }

    /** The layout drawn, or null. */
    public MapLayout mapLayout() {
        return layout;
    }

    /**
     * Places images added to the workspace since the last layout into the existing map, without
     * moving the points already there.
     */
    public void placeNewImages() {
        if (workspace == null) {
            return;
        }
        int have = xy == null ? 0 : xy.length / 2;
        int now = workspace.imageCount();
        if (now <= have) {
            return;
        }
        if (layout == null) {
            if (now >= 2) {
                // the first images of an empty project: a PCA map of a handful of images is instant
                setLayout(MapLayout.compute(workspace.embeddings(), MapLayout.Method.PCA, 1, MapLayout.DEFAULT_LANDMARKS,
                        (what, done) -> { }, () -> false));
                provisional = true;
            }
            return;
        }
        // only the new rows: the whole matrix would be copied after every imported batch
        layout.extend(layout.place(workspace.embeddings(have, now)));
        xy = layout.xy();
        bounds();
        redraw();
    }

    private void bounds() {
        minX = minY = Float.MAX_VALUE;
        maxX = maxY = -Float.MAX_VALUE;
        for (int i = 0; i < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
    }

    public void setColouring(Colouring c) {
        colouring = c;
        redraw();
    }

    /** Draws again with the current predictions. */
    public void redraw() {
        double w = getWidth();
        double h = getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(dark ? Color.web("#1b1f24") : Color.WHITE);
        g.fillRect(0, 0, w, h);
        emptyHint.setVisible(workspace != null && xy == null);
        if (xy == null || w < 20 || h < 20) {
            return;
        }
        double pad = 24;
        double sx = (w - 2 * pad) / Math.max(maxX - minX, 1e-9);
        double sy = (h - 2 * pad) / Math.max(maxY - minY, 1e-9);
        double s = Math.min(sx, sy);
        double ox = (w - s * (maxX - minX)) / 2 - s * minX;
        double oy = (h + s * (maxY - minY)) / 2 + s * minY;
        scale = s;
        originX = ox;
        originY = oy;
        // the user's zoom and pan apply on top of the fitted view
        g.save();
        g.translate(panX, panY);
        g.scale(zoom, zoom);
        double dot = 3 / zoom;
        IntFunction<Color> colour = switch (colouring) {
            case PREDICTION -> i -> ClassColours.of(workspace.predicted(i));
            case LABEL -> i -> ClassColours.of(workspace.label(i));
            case CORRECT -> i -> workspace.label(i) < 0 ? Color.gray(0.7)
                    : workspace.predicted(i) == workspace.label(i) ? Color.web("#59a14f") : Color.web("#e15759");
        };
        int n = Math.min(workspace.imageCount(), xy.length / 2);
        // the images' dots go into one pixel buffer, drawn as one image under the rest
        int[] rgbOf = classRgb();
        int[] predicted = colouring == Colouring.LABEL ? null : workspace.predictions();
        int grey = 0xb3b3b3;
        raster.begin((int) Math.ceil(w), (int) Math.ceil(h), dark ? 0x1b1f24 : 0xffffff);
        double zs = zoom * s;
        double zx = zoom * ox + panX;
        double zy = zoom * oy + panY;
        if (dotX.length < n) {
            dotX = new int[n];
            dotY = new int[n];
            dotRgb = new int[n];
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (workspace.isShot(i)) {
                continue;
            }
            dotRgb[count] = switch (colouring) {
                case PREDICTION -> rgbOf[predicted[i] + 1];
                case LABEL -> rgbOf[workspace.label(i) + 1];
                case CORRECT -> workspace.label(i) < 0 ? grey : predicted[i] == workspace.label(i) ? 0x59a14f : 0xe15759;
            };
            dotX[count] = (int) Math.round(zx + zs * xy[2 * i]);
            dotY[count] = (int) Math.round(zy - zs * xy[2 * i + 1]);
            count++;
        }
        raster.dots(dotX, dotY, dotRgb, count);
        g.restore();
        g.drawImage(raster.end(), 0, 0);
        g.save();
        g.translate(panX, panY);
        g.scale(zoom, zoom);
        g.setStroke(ink());
        g.setLineWidth(1.5 / zoom);
        double shot = 6 / zoom;
        for (int i = 0; i < n; i++) {
            if (workspace.isShot(i)) {
                double px = ox + s * xy[2 * i];
                double py = oy - s * xy[2 * i + 1];
                g.setFill(colour.apply(i));
                g.fillOval(px - shot, py - shot, 2 * shot, 2 * shot);
                g.strokeOval(px - shot, py - shot, 2 * shot, 2 * shot);
            }
        }
        for (int k = 0; k < workspace.classNames().size(); k++) {
            float[] raw = project(workspace.rawPrototype(k));
            float[] now = project(workspace.prototype(k));
            double rx = ox + s * raw[0];
            double ry = oy - s * raw[1];
            double cx = ox + s * now[0];
            double cy = oy - s * now[1];
            if (!workspace.isBase(k) && (rx != cx || ry != cy)) {
                g.setStroke(ClassColours.of(k).darker());
                g.setLineWidth(2 / zoom);
                g.setLineDashes(5 / zoom, 4 / zoom);
                g.strokeLine(rx, ry, cx, cy);
                g.setLineDashes();
                star(g, rx, ry, 7 / zoom, ClassColours.of(k).deriveColor(0, 0.5, 1.1, 0.9), zoom, ink());
            }
            star(g, cx, cy, 11 / zoom, ClassColours.of(k), zoom, ink());
        }
        g.setStroke(dark ? Color.web("#f5f5f5") : Color.web("#202020"));
        g.setLineWidth(1.2 / zoom);
        double ring = 4.5 / zoom;
        for (int i : lassoed) {
            if (i < n) {
                double px = ox + s * xy[2 * i];
                double py = oy - s * xy[2 * i + 1];
                g.strokeOval(px - ring, py - ring, 2 * ring, 2 * ring);
            }
        }
        if (selected >= 0 && selected < n) {
            double px = ox + s * xy[2 * selected];
            double py = oy - s * xy[2 * selected + 1];
            double r = 9 / zoom;
            g.setStroke(dark ? Color.WHITE : Color.web("#111111"));
            g.setLineWidth(2.5 / zoom);
            g.strokeOval(px - r, py - r, 2 * r, 2 * r);
        }
        g.restore();
        if (lasso.size() > 1) {
            g.setStroke(dark ? Color.web("#9fc3ea") : Color.web("#1f3a5f"));
            g.setLineWidth(1.5);
            g.setLineDashes(6, 4);
            double[] xs = lasso.stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = lasso.stream().mapToDouble(p -> p[1]).toArray();
            g.strokePolyline(xs, ys, xs.length);
            g.setLineDashes();
        }
    }

    /** 0xRRGGBB of every class, index k + 1 (index 0: no class). */
    private int[] classRgb() {
        int k = workspace.classNames().size();
        int[] out = new int[k + 1];
        for (int c = -1; c < k; c++) {
            Color col = ClassColours.of(c);
            out[c + 1] = ((int) Math.round(col.getRed() * 255) << 16) | ((int) Math.round(col.getGreen() * 255) << 8)
                    | (int) Math.round(col.getBlue() * 255);
        }
        return out;
    }

    private float[] project(float[] prototype) {
        return layout.placePrototype(prototype);
    }

    private static void star(GraphicsContext g, double x, double y, double r, Color fill, double zoom, Color ink) {
        double[] xs = new double[10];
        double[] ys = new double[10];
        for (int i = 0; i < 10; i++) {
            double a = -Math.PI / 2 + i * Math.PI / 5;
            double rr = i % 2 == 0 ? r : r * 0.45;
            xs[i] = x + rr * Math.cos(a);
            ys[i] = y + rr * Math.sin(a);
        }
        g.setFill(fill);
        g.fillPolygon(xs, ys, 10);
        g.setStroke(ink);
        g.setLineWidth(1.2 / zoom);
        g.strokePolygon(xs, ys, 10);
    }
}
