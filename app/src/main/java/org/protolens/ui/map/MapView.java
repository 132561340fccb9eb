package org.protolens.ui.map;

import java.util.function.IntFunction;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import org.protolens.core.FloatMatrix;
import org.protolens.core.map.PcaMap;
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
    private Workspace workspace;
    private PcaMap layout;
    private float[] xy;
    private float minX, maxX, minY, maxY;
    private Colouring colouring = Colouring.PREDICTION;

    public MapView() {
        getChildren().add(canvas);
        getStyleClass().add("map");
        widthProperty().addListener((o, a, b) -> redraw());
        heightProperty().addListener((o, a, b) -> redraw());
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
    }

    /** Lays out {@code w}'s images (PCA, deterministic) and draws them. */
    public void setWorkspace(Workspace w) {
        workspace = w;
        if (w == null) {
            layout = null;
            xy = null;
        } else {
            FloatMatrix unit = L2.normalizeRows(w.embeddings());
            layout = PcaMap.fit(unit);
            xy = layout.project(unit);
            minX = minY = Float.MAX_VALUE;
            maxX = maxY = -Float.MAX_VALUE;
            for (int i = 0; i < xy.length; i += 2) {
                minX = Math.min(minX, xy[i]);
                maxX = Math.max(maxX, xy[i]);
                minY = Math.min(minY, xy[i + 1]);
                maxY = Math.max(maxY, xy[i + 1]);
            }
        }
        redraw();
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
        g.setFill(Color.web("#ffffff"));
        g.fillRect(0, 0, w, h);
        if (xy == null || w < 20 || h < 20) {
            return;
        }
        double pad = 24;
        double sx = (w - 2 * pad) / Math.max(maxX - minX, 1e-9);
        double sy = (h - 2 * pad) / Math.max(maxY - minY, 1e-9);
        double s = Math.min(sx, sy);
        double ox = (w - s * (maxX - minX)) / 2 - s * minX;
        double oy = (h + s * (maxY - minY)) / 2 + s * minY;
        IntFunction<Color> colour = switch (colouring) {
            case PREDICTION -> i -> ClassColours.of(workspace.predicted(i));
            case LABEL -> i -> ClassColours.of(workspace.label(i));
            case CORRECT -> i -> workspace.label(i) < 0 ? Color.gray(0.7)
                    : workspace.predicted(i) == workspace.label(i) ? Color.web("#59a14f") : Color.web("#e15759");
        };
        int n = workspace.imageCount();
        for (int i = 0; i < n; i++) {
            if (workspace.isShot(i)) {
                continue;
            }
            double px = ox + s * xy[2 * i];
            double py = oy - s * xy[2 * i + 1];
            g.setFill(colour.apply(i).deriveColor(0, 1, 1, 0.8));
            g.fillOval(px - 3, py - 3, 6, 6);
        }
        g.setStroke(Color.web("#1f2933"));
        g.setLineWidth(1.5);
        for (int i = 0; i < n; i++) {
            if (workspace.isShot(i)) {
                double px = ox + s * xy[2 * i];
                double py = oy - s * xy[2 * i + 1];
                g.setFill(colour.apply(i));
                g.fillOval(px - 6, py - 6, 12, 12);
                g.strokeOval(px - 6, py - 6, 12, 12);
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
                g.setLineWidth(2);
                g.setLineDashes(5, 4);
                g.strokeLine(rx, ry, cx, cy);
                g.setLineDashes();
                star(g, rx, ry, 7, ClassColours.of(k).deriveColor(0, 0.5, 1.1, 0.9));
            }
            star(g, cx, cy, 11, ClassColours.of(k));
        }
    }

    private float[] project(float[] prototype) {
        float[] unit = new float[prototype.length];
        double norm = Math.max(L2.norm(prototype, 0, prototype.length), L2.EPS);
        for (int j = 0; j < unit.length; j++) {
            unit[j] = (float) (prototype[j] / norm);
        }
        return layout.project(new FloatMatrix(1, unit.length, unit));
    }

    private static void star(GraphicsContext g, double x, double y, double r, Color fill) {
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
        g.setStroke(Color.web("#1f2933"));
        g.setLineWidth(1.2);
        g.strokePolygon(xs, ys, 10);
    }
}
