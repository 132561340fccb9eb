package org.protolens.ui.map;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.TextAlignment;
import org.protolens.core.map.MapLayout;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ClassColours;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Recompute;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;

/**
 * The map: every image a dot where the layout puts it, coloured as {@link MapViewModel#colouring()}
 * says; shots drawn larger with a ring; each class's prototype a star, and for a new class a dashed
 * line from its raw prototype (the mean of its shots) to the calibrated one. Scroll zooms, a drag
 * pans, Shift + drag draws a lasso, a click inspects, a double click fits; hovering shows a card.
 * The dots are written into one pixel buffer and drawn as one image.
 */
public final class MapView extends Region {
    private final MapViewModel vm;
    private final ProjectState project;
    private final Theme theme;
    private final Thumbnails thumbnails;
    /** thumbnails still loading, each with a listener that draws the map again when it is there */
    private final Set<Image> loading = new HashSet<>();
    private int thumbnailsDrawn;
    private final Canvas canvas = new Canvas();
    private final PointRaster raster = new PointRaster();
    /** the dots are drawn into pixels in the background; the JavaFX thread shows the latest */
    private final Recompute<Dots, Drawn> dotting;
    /** what the image of dots shown was drawn for, and what was asked for last */
    private Dots shownDots;
    private Dots askedDots;
    /** the pixels the next drawing of dots writes into, when one is free */
    private final AtomicReference<int[]> freePixels = new AtomicReference<>();
    private final ImageView hoverImage = new ImageView();
    private final Label hoverName = new Label();
    private final VBox hoverBox = new VBox(4, hoverImage, hoverName);
    private final Label emptyHint = new Label(Messages.get("map.empty"));
    private int hovered = -1;
    private double pressX;
    private double pressY;
    private double lastX;
    private double lastY;
    private boolean lassoing;
    private final List<double[]> lasso = new ArrayList<>();
    private boolean redrawDue;

    /**
     * What a picture of the dots is drawn from: the state (labels, predictions), the positions,
     * the colouring and theme, the size and the view's transform (pixels per map unit, and where
     * map x = 0 and y = 0 land). Compared by identity of the state and positions.
     */
    private record Dots(WorkspaceState state, float[] xy, MapViewModel.Colouring colouring, boolean dark, int w, int h,
                        double scale, double x0, double y0) {
    }

    /** A picture of the dots. */
    private record Drawn(Dots dots, int[] pixels) {
    }

    public MapView(MapViewModel vm, ProjectState project, Theme theme, Thumbnails thumbnails, Tasks tasks) {
        this.vm = vm;
        this.project = project;
        this.theme = theme;
        this.thumbnails = thumbnails;
        this.dotting = new Recompute<>(tasks, Tasks.Lane.MAP, "Map dots", d -> new Drawn(d, drawDots(d, freePixels.getAndSet(null))),
                this::dotsDrawn);
        setId("map");
        getStyleClass().add("map");
        getChildren().addAll(canvas, hoverBox, emptyHint);
        emptyHint.setId("map-empty-hint");
        emptyHint.getStyleClass().add("map-empty-hint");
        emptyHint.setMouseTransparent(true);
        emptyHint.setVisible(false);
        emptyHint.setTextAlignment(TextAlignment.CENTER);
        hoverBox.getStyleClass().add("map-hover");
        hoverBox.setVisible(false);
        hoverBox.setMouseTransparent(true);
        hoverImage.setFitWidth(72);
        hoverImage.setFitHeight(72);
        hoverImage.setPreserveRatio(true);
        hoverImage.setSmooth(false);
        vm.changes().addListener((o, a, b) -> redrawSoon());
        theme.dark().addListener((o, a, b) -> redrawSoon());
        widthProperty().addListener((o, a, b) -> resized());
        heightProperty().addListener((o, a, b) -> resized());
        setFocusTraversable(true);
        setOnScroll(e -> {
            vm.viewport().zoomAt(Math.exp(e.getDeltaY() / 300), e.getX(), e.getY());
            redrawSoon();
        });
        setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case LEFT -> vm.viewport().panBy(40, 0);
                case RIGHT -> vm.viewport().panBy(-40, 0);
                case UP -> vm.viewport().panBy(0, 40);
                case DOWN -> vm.viewport().panBy(0, -40);
                case PLUS, EQUALS, ADD -> vm.viewport().zoomAt(1.25, getWidth() / 2, getHeight() / 2);
                case MINUS, SUBTRACT -> vm.viewport().zoomAt(0.8, getWidth() / 2, getHeight() / 2);
                default -> {
                    return;
                }
            }
            e.consume();
            redrawSoon();
        });
        setOnMousePressed(e -> {
            requestFocus();
            pressX = lastX = e.getX();
            pressY = lastY = e.getY();
            lassoing = e.isShiftDown();
            lasso.clear();
            if (lassoing) {
                lasso.add(new double[] {e.getX(), e.getY()});
                // the hover card would cover the lasso being drawn
                hover(-1, 0, 0);
            }
        });
        setOnMouseReleased(e -> {
            if (lassoing) {
                lassoing = false;
                if (lasso.size() > 2) {
                    vm.lasso(List.copyOf(lasso));
                }
                lasso.clear();
                redrawSoon();
            }
        });
        setOnMouseDragged(e -> {
            if (lassoing) {
                lasso.add(new double[] {e.getX(), e.getY()});
                redrawSoon();
                return;
            }
            double dx = e.getX() - lastX;
            double dy = e.getY() - lastY;
            lastX = e.getX();
            lastY = e.getY();
            hoverBox.setVisible(false);
            vm.viewport().panBy(dx, dy);
            redrawSoon();
        });
        setOnMouseClicked(e -> {
            if (Math.hypot(e.getX() - pressX, e.getY() - pressY) > 3) {
                return;
            }
            if (e.getClickCount() == 2) {
                resetView();
                return;
            }
            vm.click(e.getX(), e.getY());
        });
        setOnMouseMoved(e -> hover(vm.imageAt(e.getX(), e.getY()), e.getX(), e.getY()));
        setOnMouseExited(e -> hover(-1, 0, 0));
    }

    public MapViewModel viewModel() {
        return vm;
    }

    /** Moves the map by (dx, dy) pixels, as a drag does. */
    public void panBy(double dx, double dy) {
        vm.viewport().panBy(dx, dy);
        redrawSoon();
    }

    /** Zooms by {@code factor} about the point (x, y) of this view, as scrolling does. */
    public void zoomAt(double factor, double x, double y) {
        vm.viewport().zoomAt(factor, x, y);
        redrawSoon();
    }

    /** Zooms to the selection, or to the inspected image when nothing is selected (View > Zoom to Selection). */
    public void zoomToSelection() {
        int[] selected = project.selection().get();
        int inspected = project.inspected().get();
        vm.viewport().fitTo(selected.length > 0 ? selected : inspected >= 0 ? new int[] {inspected} : new int[0]);
        redrawSoon();
    }

    /** Back to the whole map (double click, View > Fit Map). */
    public void resetView() {
        vm.viewport().reset();
        redrawSoon();
    }

    /** Where image {@code i} is drawn, in this view's coordinates. */
    public Point2D pointOf(int i) {
        double[] p = vm.pointOf(i);
        return new Point2D(p[0], p[1]);
    }

    /** The image under (x, y) of this view, or -1. */
    public int pointAt(double x, double y) {
        return vm.imageAt(x, y);
    }

    /** The images inside a polygon of this view's points, sorted. */
    public int[] inside(List<double[]> polygon) {
        return vm.viewport().inside(polygon);
    }

    /** Whether the dots shown were drawn for the state and positions shown (for benchmarks and tests). */
    public boolean dotsShown() {
        return shownDots != null && shownDots.state() == vm.placedFor() && shownDots.xy() == vm.xy();
    }

    public boolean hoverShowing() {
        return hoverBox.isVisible();
    }

    /** The layout drawn, or null. */
    public MapLayout mapLayout() {
        return vm.layout().get();
    }

    private void resized() {
        vm.viewport().resize(getWidth(), getHeight());
        redrawSoon();
    }

    private void hover(int i, double x, double y) {
        if (i == hovered && (i < 0 || hoverBox.isVisible())) {
            if (i >= 0) {
                place(x, y);
            }
            return;
        }
        hovered = i;
        WorkspaceState s = project.workspace().get();
        if (i < 0 || s == null || i >= s.imageCount()) {
            hoverBox.setVisible(false);
            return;
        }
        hoverImage.setImage(thumbnails.get(s.imageFile(i), 128));
        String label = s.label(i) < 0 ? Messages.get("image.unlabelled") : s.classNames().get(s.label(i));
        hoverName.setText(Messages.get("map.hover", s.imageFile(i).getFileName().toString(), label, s.isShot(i) ? 1 : 0,
                s.classNames().isEmpty() ? "" : s.classNames().get(s.predicted(i))));
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

    /** Draws again at the next pulse (many changes in one pulse draw once). */
    private void redrawSoon() {
        if (!redrawDue) {
            redrawDue = true;
            Platform.runLater(() -> {
                redrawDue = false;
                redraw();
            });
        }
    }

    private Color ink() {
        return theme.isDark() ? Color.web("#e6e9ee") : Color.web("#1f2933");
    }

    /** Draws the map now, from the state and the positions the view model holds. */
    public void redraw() {
        double w = getWidth();
        double h = getHeight();
        boolean dark = theme.isDark();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(dark ? Color.web("#1b1f24") : Color.WHITE);
        g.fillRect(0, 0, w, h);
        // the state the positions and prototypes were placed for: its colours go with them
        WorkspaceState s = vm.placedFor() != null ? vm.placedFor() : project.workspace().get();
        float[] xy = vm.xy();
        emptyHint.setVisible(s != null && s.imageCount() == 0);
        if (s == null || xy.length < 4 || w < 20 || h < 20) {
            return;
        }
        MapViewport v = vm.viewport();
        int n = Math.min(s.imageCount(), xy.length / 2);
        MapViewModel.Colouring colouring = vm.colouring().get();
        int[] predicted = s.predictedClasses();
        Dots want = new Dots(s, xy, colouring, dark, (int) Math.ceil(w), (int) Math.ceil(h), v.pixelsPerUnit(), v.screenX(0),
                v.screenY(0));
        if (!want.equals(shownDots) && !want.equals(askedDots)) {
            askedDots = want;
            dotting.request(want);
        }
        var image = raster.image();
        if (image != null && shownDots != null) {
            // the last picture of the dots, moved and scaled to the view as it is now until the next one is drawn
            double sc = want.scale() / shownDots.scale();
            double dx = want.x0() - shownDots.x0() * sc;
            double dy = want.y0() - shownDots.y0() * sc;
            if (sc == 1 && dx == 0 && dy == 0) {
                g.drawImage(image, 0, 0);
            } else {
                g.drawImage(image, dx, dy, image.getWidth() * sc, image.getHeight() * sc);
            }
        }

        drawThumbnails(g, s, v, n, w, h, dark);
        g.setStroke(ink());
        g.setLineWidth(1.5);
        double shot = 6;
        for (int i = 0; i < n; i++) {
            if (s.isShot(i)) {
                Color fill = ClassColours.colour(MapColours.rgbOf(s, colouring, predicted, null, i, dark));
                double px = v.x(i);
                double py = v.y(i);
                g.setFill(fill);
                g.fillOval(px - shot, py - shot, 2 * shot, 2 * shot);
                g.strokeOval(px - shot, py - shot, 2 * shot, 2 * shot);
            }
        }
        MapViewModel.Prototypes protos = vm.prototypes();
        int classes = Math.min(s.classCount(), protos.raw().length / 2);
        for (int k = 0; k < classes; k++) {
            double rx = v.screenX(protos.raw()[2 * k]);
            double ry = v.screenY(protos.raw()[2 * k + 1]);
            double cx = v.screenX(protos.now()[2 * k]);
            double cy = v.screenY(protos.now()[2 * k + 1]);
            if (!s.isBase(k) && (rx != cx || ry != cy)) {
                g.setStroke(ClassColours.of(k).darker());
                g.setLineWidth(2);
                g.setLineDashes(5, 4);
                g.strokeLine(rx, ry, cx, cy);
                g.setLineDashes();
                star(g, rx, ry, 7, ClassColours.of(k).deriveColor(0, 0.5, 1.1, 0.9), ink());
            }
            star(g, cx, cy, 11, ClassColours.of(k), ink());
        }
        MapViewModel.Marks marks = vm.marks();
        if (marks != null) {
            drawMarks(g, v, marks, n, dark);
        }
        g.setStroke(dark ? Color.web("#f5f5f5") : Color.web("#202020"));
        g.setLineWidth(1.2);
        double ring = 4.5;
        for (int i : project.selection().get()) {
            if (i < n) {
                g.strokeOval(v.x(i) - ring, v.y(i) - ring, 2 * ring, 2 * ring);
            }
        }
        // images chosen in the image table: an amber halo, the class colour kept inside
        g.setStroke(Color.web("#ffb000"));
        g.setLineWidth(2.5);
        double halo = 6.5;
        for (int i : project.highlighted().get()) {
            if (i < n) {
                g.strokeOval(v.x(i) - halo, v.y(i) - halo, 2 * halo, 2 * halo);
            }
        }
        int inspected = project.inspected().get();
        if (inspected >= 0 && inspected < n) {
            double r = 9;
            g.setStroke(dark ? Color.WHITE : Color.web("#111111"));
            g.setLineWidth(2.5);
            g.strokeOval(v.x(inspected) - r, v.y(inspected) - r, 2 * r, 2 * r);
        }
        if (colouring == MapViewModel.Colouring.CORRECT) {
            MapColours.rightWrongKey(g, h, dark);
        } else if (colouring == MapViewModel.Colouring.MARGIN) {
            MapColours.marginKey(g, h, dark);
        } else if (colouring == MapViewModel.Colouring.SIMILARITY) {
            MapColours.similarityKey(g, h, dark, MapColours.similarityRange(s));
        }
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

    /**
     * Zoomed in far enough that at most {@link #THUMBNAILS_FROM} images are in view, each is drawn
     * as its thumbnail framed in its colour, as the TensorBoard projector draws sprites; images
     * still loading are drawn when they are there.
     */
    private void drawThumbnails(GraphicsContext g, WorkspaceState s, MapViewport v, int n, double w, double h, boolean dark) {
        List<Integer> inView = new ArrayList<>();
        for (int i = 0; i < n && inView.size() <= THUMBNAILS_FROM; i++) {
            double x = v.x(i);
            double y = v.y(i);
            if (x >= -20 && x <= w + 20 && y >= -20 && y <= h + 20) {
                inView.add(i);
            }
        }
        thumbnailsDrawn = 0;
        if (inView.isEmpty() || inView.size() > THUMBNAILS_FROM) {
            return;
        }
        double size = Math.max(24, Math.min(64, Math.sqrt(w * h / inView.size()) / 3));
        int[] predicted = s.predictedClasses();
        MapViewModel.Colouring colouring = vm.colouring().get();
        for (int i : inView) {
            Image img = thumbnails.get(s.imageFile(i), 64);
            if (img.getProgress() < 1) {
                if (loading.add(img)) {
                    img.progressProperty().addListener((o, a, b) -> {
                        if (b.doubleValue() >= 1) {
                            loading.remove(img);
                            redrawSoon();
                        }
                    });
                }
                continue;
            }
            if (img.isError()) {
                continue;
            }
            double x = v.x(i) - size / 2;
            double y = v.y(i) - size / 2;
            Color frame = ClassColours.colour(MapColours.rgbOf(s, colouring, predicted, null, i, dark));
            g.setFill(frame);
            g.fillRect(x - 2, y - 2, size + 4, size + 4);
            g.setImageSmoothing(img.getWidth() > size);
            g.drawImage(img, x, y, size, size);
            g.setImageSmoothing(true);
            thumbnailsDrawn++;
        }
    }

    /** How many thumbnails the last drawing of the map showed (for tests). */
    public int thumbnailsDrawn() {
        return thumbnailsDrawn;
    }

    private static final int THUMBNAILS_FROM = 120;

    /** What the colours mean when the map shows right and wrong: a key in the lower left corner. */
    /** Arrows from images to where a probe's edit of them lands, each ending in a hollow diamond. */
    private static void drawMarks(GraphicsContext g, MapViewport v, MapViewModel.Marks marks, int n, boolean dark) {
        int[] from = marks.marks().images();
        float[] to = marks.xy();
        double alpha = from.length > 20 ? 0.5 : 0.95;
        g.setStroke((dark ? Color.web("#ffd166") : Color.web("#b5179e")).deriveColor(0, 1, 1, alpha));
        g.setLineWidth(1.6);
        for (int j = 0; j < from.length && 2 * j + 1 < to.length; j++) {
            if (from[j] >= n) {
                continue;
            }
            double x0 = v.x(from[j]);
            double y0 = v.y(from[j]);
            double x1 = v.screenX(to[2 * j]);
            double y1 = v.screenY(to[2 * j + 1]);
            g.strokeLine(x0, y0, x1, y1);
            double len = Math.hypot(x1 - x0, y1 - y0);
            if (len > 8) {
                double ux = (x1 - x0) / len;
                double uy = (y1 - y0) / len;
                double bx = x1 - 6 * ux;
                double by = y1 - 6 * uy;
                g.strokeLine(x1 - 5 * ux, y1 - 5 * uy, bx - 4 * uy - 3 * ux, by + 4 * ux - 3 * uy);
                g.strokeLine(x1 - 5 * ux, y1 - 5 * uy, bx + 4 * uy - 3 * ux, by - 4 * ux - 3 * uy);
            }
            g.strokePolygon(new double[] {x1, x1 + 5, x1, x1 - 5}, new double[] {y1 - 5, y1, y1 + 5, y1}, 4);
        }
    }

    /** Draws the dots of {@code d} into pixels (the map lane): images but shots, in image order. */
    private static int[] drawDots(Dots d, int[] free) {
        WorkspaceState s = d.state();
        float[] xy = d.xy();
        int n = Math.min(s.imageCount(), xy.length / 2);
        int[] rgbOf = MapColours.classRgb(s.classCount());
        int[] predicted = d.colouring() == MapViewModel.Colouring.LABEL ? null : s.predictedClasses();
        int[] x = new int[n];
        int[] y = new int[n];
        int[] rgb = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (s.isShot(i)) {
                continue;
            }
            rgb[count] = MapColours.rgbOf(s, d.colouring(), predicted, rgbOf, i, d.dark());
            x[count] = (int) Math.round(d.x0() + d.scale() * xy[2 * i]);
            y[count] = (int) Math.round(d.y0() - d.scale() * xy[2 * i + 1]);
            count++;
        }
        int[] pixels = free != null && free.length >= d.w() * d.h() ? free : new int[Math.max(1, d.w() * d.h())];
        PointRaster.draw(pixels, d.w(), d.h(), d.dark() ? 0x1b1f24 : 0xffffff, x, y, rgb, count);
        return pixels;
    }

    /** A picture of the dots is ready: it is shown, and its pixels are free for the next one. */
    private void dotsDrawn(Drawn drawn) {
        Dots d = drawn.dots();
        raster.show(drawn.pixels(), d.w(), d.h());
        shownDots = d;
        freePixels.set(drawn.pixels());
        redrawSoon();
    }

    private static void star(GraphicsContext g, double x, double y, double r, Color fill, Color ink) {
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
        g.setLineWidth(1.2);
        g.strokePolygon(xs, ys, 10);
    }
}
