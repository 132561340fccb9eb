package org.protolens.ui.map;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Where map points land on the screen: the map's points fitted into the view (with a margin),
 * then the person's zoom and pan on top. Plain arithmetic, no JavaFX, so that it is tested
 * without a window: screen = zoom * (origin + scale * point) + pan, with y pointing up on the map
 * and down on the screen.
 */
public final class MapViewport {
    /** pixels left free around the fitted points */
    static final double PAD = 24;
    static final double MIN_ZOOM = 0.5;
    static final double MAX_ZOOM = 200;
    /** how near (pixels) a point must be to the cursor to be picked */
    static final double PICK_RADIUS = 8;

    private double width;
    private double height;
    private float[] xy = new float[0];
    private float minX, maxX, minY, maxY;
    private double zoom = 1;
    private double panX;
    private double panY;
    private double scale = 1;
    private double originX;
    private double originY;

    /** The view's size in pixels. */
    public void resize(double width, double height) {
        this.width = width;
        this.height = height;
        fit();
    }

    /** The points to fit: x, y interleaved (the array is read, not copied, and must not change). */
    public void setPoints(float[] xy) {
        this.xy = xy;
        minX = minY = Float.MAX_VALUE;
        maxX = maxY = -Float.MAX_VALUE;
        for (int i = 0; i + 1 < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        fit();
    }

    /** How many points there are. */
    public int count() {
        return xy.length / 2;
    }

    private void fit() {
        if (xy.length < 2) {
            scale = 1;
            originX = width / 2;
            originY = height / 2;
            return;
        }
        double sx = (width - 2 * PAD) / Math.max(maxX - minX, 1e-9);
        double sy = (height - 2 * PAD) / Math.max(maxY - minY, 1e-9);
        scale = Math.max(Math.min(sx, sy), 1e-9);
        originX = (width - scale * (maxX - minX)) / 2 - scale * minX;
        originY = (height + scale * (maxY - minY)) / 2 + scale * minY;
    }

    /** Screen x of map x. */
    public double screenX(double mapX) {
        return zoom * (originX + scale * mapX) + panX;
    }

    /** Screen y of map y. */
    public double screenY(double mapY) {
        return zoom * (originY - scale * mapY) + panY;
    }

    /** Screen x of point i. */
    public double x(int i) {
        return screenX(xy[2 * i]);
    }

    /** Screen y of point i. */
    public double y(int i) {
        return screenY(xy[2 * i + 1]);
    }

    /** Pixels per map unit on the screen now. */
    public double pixelsPerUnit() {
        return zoom * scale;
    }

    public double zoom() {
        return zoom;
    }

    /** Moves the map by (dx, dy) pixels (drag, arrow keys). */
    public void panBy(double dx, double dy) {
        panX += dx;
        panY += dy;
    }

    /** Zooms by {@code factor} about the screen point (x, y), within 0.5 to 200 times the fitted view. */
    public void zoomAt(double factor, double x, double y) {
        double next = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom * factor));
        double f = next / zoom;
        panX = x - f * (x - panX);
        panY = y - f * (y - panY);
        zoom = next;
    }

    /**
     * Zooms and pans so that {@code images} fill the view (with its margin), as far as the zoom
     * limits allow; nothing changes for no images.
     */
    public void fitTo(int[] images) {
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        int found = 0;
        for (int i : images) {
            if (i >= 0 && 2 * i + 1 < xy.length) {
                x0 = Math.min(x0, xy[2 * i]);
                x1 = Math.max(x1, xy[2 * i]);
                y0 = Math.min(y0, xy[2 * i + 1]);
                y1 = Math.max(y1, xy[2 * i + 1]);
                found++;
            }
        }
        if (found == 0) {
            return;
        }
        // one image, or images on one spot: as close as a tenth of the whole map
        double span = Math.max(Math.max(x1 - x0, y1 - y0), Math.max(maxX - minX, maxY - minY) / 10);
        double dx = Math.max(x1 - x0, span / 4);
        double dy = Math.max(y1 - y0, span / 4);
        double z = Math.min((width - 2 * PAD) / (scale * dx), (height - 2 * PAD) / (scale * dy));
        zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z));
        panX = width / 2 - zoom * (originX + scale * (x0 + x1) / 2);
        panY = height / 2 - zoom * (originY - scale * (y0 + y1) / 2);
    }

    /** Back to the fitted view. */
    public void reset() {
        zoom = 1;
        panX = 0;
        panY = 0;
    }

    /** The point nearest to the screen point (x, y) within {@link #PICK_RADIUS} pixels, or -1. */
    public int pointAt(double x, double y) {
        int best = -1;
        double bestD = PICK_RADIUS * PICK_RADIUS;
        for (int i = 0; i < count(); i++) {
            double dx = x(i) - x;
            double dy = y(i) - y;
            double d = dx * dx + dy * dy;
            if (d <= bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    /** The points inside a polygon of screen points {x, y}, sorted (even-odd rule). */
    public int[] inside(List<double[]> polygon) {
        return IntStream.range(0, count()).filter(i -> contains(polygon, x(i), y(i))).toArray();
    }

    static boolean contains(List<double[]> polygon, double x, double y) {
        boolean in = false;
        for (int a = 0, b = polygon.size() - 1; a < polygon.size(); b = a++) {
            double[] p = polygon.get(a);
            double[] q = polygon.get(b);
            if ((p[1] > y) != (q[1] > y) && x < (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]) + p[0]) {
                in = !in;
            }
        }
        return in;
    }
}
