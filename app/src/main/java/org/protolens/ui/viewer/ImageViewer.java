package org.protolens.ui.viewer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Dialogs;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.inspector.InspectorViewModel;

/**
 * The inspected image at full size, in a window of its own: zoom (wheel, + and -, F to fit, 1:1),
 * its path in the project, pixel size, label, prediction and most similar prototypes; the arrow
 * keys step through the images it was opened on, the number keys and L label it, S makes it a
 * shot of its new class or takes it out. Space or Escape closes it. It follows the inspector, so
 * an image chosen anywhere else is shown here too.
 */
public final class ImageViewer {
    private static final double MIN_ZOOM = 0.05;
    private static final double MAX_ZOOM = 32;

    private final ProjectState project;
    private final ImageActions actions;
    private final Stage stage = new Stage();
    private final ImageView view = new ImageView();
    private final ScrollPane scroll = new ScrollPane();
    private final StackPane canvas = new StackPane(view);
    private final Label path = new Label();
    private final Label pixels = new Label();
    private final Label verdict = new Label();
    private final Label problem = new Label();
    private final GridPane similar = new GridPane(10, 2);
    private final Label position = new Label();
    private final Label zoomText = new Label();
    private final Label legend = new Label();
    private final Button shot = new Button();
    /** the scale shown; 0 fits the image to the window */
    private final DoubleProperty zoom = new SimpleDoubleProperty(0);
    private List<Integer> sequence = List.of();
    private String loaded;
    private Image image;

    public ImageViewer(Window owner, ProjectState project, ImageActions actions) {
        this.project = project;
        this.actions = actions;
        stage.initOwner(owner);
        view.setPreserveRatio(true);
        view.setId("viewer-image");
        canvas.getStyleClass().add("viewer-canvas");
        canvas.setAlignment(Pos.CENTER);
        scroll.setContent(canvas);
        scroll.setPannable(true);
        scroll.setFitToWidth(true);
        scroll.setFitToHeight(true);
        scroll.getStyleClass().add("viewer-scroll");
        scroll.viewportBoundsProperty().addListener((o, a, b) -> layoutImage());
        scroll.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0 && image != null) {
                zoomTo(scale() * Math.exp(e.getDeltaY() / 300));
                e.consume();
            }
        });
        zoom.addListener((o, a, b) -> layoutImage());

        path.setId("viewer-path");
        path.getStyleClass().add("inspector-name");
        path.setWrapText(true);
        pixels.getStyleClass().add("hint");
        verdict.setId("viewer-verdict");
        verdict.setWrapText(true);
        problem.getStyleClass().add("hint");
        problem.setWrapText(true);
        Label similarTitle = new Label(Messages.get("viewer.similar"));
        similarTitle.getStyleClass().add("class-group");
        Button labelAs = new Button(Messages.get("viewer.labelAs"));
        labelAs.setId("viewer-label-as");
        labelAs.setOnAction(e -> pick());
        shot.setId("viewer-shot");
        shot.setOnAction(e -> toggleShot());
        legend.getStyleClass().add("hint");
        legend.setWrapText(true);
        legend.setId("viewer-keys");
        VBox side = new VBox(8, path, pixels, verdict, problem, new Separator(), similarTitle, similar, new Separator(),
                new FlowPane(8, 8, labelAs, shot), legend);
        side.setPadding(new Insets(12));
        side.setPrefWidth(300);
        side.setMinWidth(240);
        side.getStyleClass().add("viewer-side");
        ScrollPane sideScroll = new ScrollPane(side);
        sideScroll.setFitToWidth(true);
        sideScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        sideScroll.getStyleClass().add("side-scroll");

        Button previous = new Button(Messages.get("viewer.previous"));
        previous.setOnAction(e -> step(-1));
        Button next = new Button(Messages.get("viewer.next"));
        next.setOnAction(e -> step(1));
        Button fit = new Button(Messages.get("viewer.fit"));
        fit.setId("viewer-fit");
        fit.setOnAction(e -> zoom.set(0));
        Button actual = new Button(Messages.get("viewer.actual"));
        actual.setId("viewer-actual");
        actual.setOnAction(e -> zoomTo(1));
        for (Button b : List.of(previous, next, fit, actual, labelAs, shot)) {
            b.setFocusTraversable(false);
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        position.setId("viewer-position");
        zoomText.setId("viewer-zoom");
        zoomText.setMinWidth(Region.USE_PREF_SIZE);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(8, previous, next, position, gap, zoomText, fit, actual);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        bar.getStyleClass().add("viewer-bar");

        BorderPane root = new BorderPane(scroll, null, sideScroll, bar, null);
        root.setId("image-viewer");
        Scene scene = new Scene(root, 1000, 700);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
        stage.setScene(scene);
        stage.setMinWidth(560);
        stage.setMinHeight(400);
        project.inspected().addListener((o, a, b) -> refresh());
        project.workspace().addListener((o, a, b) -> refresh());
    }

    /** The viewer's window (for tests). */
    public Stage stage() {
        return stage;
    }

    /** Shows the inspected image; the arrow keys step through {@code images}. */
    public void open(List<Integer> images) {
        sequence = List.copyOf(images);
        WorkspaceState s = project.workspace().get();
        if (s == null) {
            return;
        }
        if ((project.inspected().get() < 0 || project.inspected().get() >= s.imageCount()) && !sequence.isEmpty()) {
            project.inspected().set(sequence.getFirst());
        }
        if (project.inspected().get() < 0) {
            return;
        }
        if (!stage.isShowing()) {
            Window owner = stage.getOwner();
            if (owner != null) {
                stage.setWidth(Math.max(stage.getMinWidth(), owner.getWidth() * 0.8));
                stage.setHeight(Math.max(stage.getMinHeight(), owner.getHeight() * 0.85));
                stage.setX(owner.getX() + (owner.getWidth() - stage.getWidth()) / 2);
                stage.setY(owner.getY() + (owner.getHeight() - stage.getHeight()) / 2);
            }
            zoom.set(0);
            stage.show();
        }
        stage.toFront();
        stage.requestFocus();
        refresh();
    }

    private void key(KeyEvent e) {
        int i = project.inspected().get();
        KeyCode c = e.getCode();
        if (c == KeyCode.ESCAPE || c == KeyCode.SPACE) {
            stage.hide();
        } else if (c == KeyCode.LEFT || c == KeyCode.PAGE_UP) {
            step(-1);
        } else if (c == KeyCode.RIGHT || c == KeyCode.PAGE_DOWN) {
            step(1);
        } else if (c == KeyCode.PLUS || c == KeyCode.EQUALS || c == KeyCode.ADD) {
            zoomTo(scale() * 1.25);
        } else if (c == KeyCode.MINUS || c == KeyCode.SUBTRACT) {
            zoomTo(scale() / 1.25);
        } else if (c == KeyCode.F && !e.isShortcutDown()) {
            zoom.set(0);
        } else if (c == KeyCode.S && !e.isShortcutDown()) {
            toggleShot();
        } else if (i < 0 || !actions.handle(e, () -> new int[] {i}, () -> sequence, stage.getScene().getRoot())) {
            return;
        }
        e.consume();
    }

    private void step(int by) {
        int at = sequence.indexOf(project.inspected().get());
        if (sequence.isEmpty() || at < 0) {
            return;
        }
        int to = Math.max(0, Math.min(sequence.size() - 1, at + by));
        project.inspected().set(sequence.get(to));
    }

    private void pick() {
        int i = project.inspected().get();
        WorkspaceState s = project.workspace().get();
        if (s != null && i >= 0 && i < s.imageCount()) {
            ImageActions.pickClass(stage.getScene().getRoot(), s, 1).ifPresent(k ->
                    Dialogs.explainRefusal(actions.label(new int[] {i}, k), stage.getScene().getRoot(), Messages.get("edit.refused")));
        }
    }

    private void toggleShot() {
        Dialogs.explainRefusal(actions.toggleShot(project.inspected().get()), stage.getScene().getRoot(), Messages.get("edit.refused"));
    }

    private void refresh() {
        if (!stage.isShowing()) {
            return;
        }
        WorkspaceState s = project.workspace().get();
        int i = project.inspected().get();
        if (s == null || i < 0 || i >= s.imageCount()) {
            stage.hide();
            return;
        }
        InspectorViewModel.Details d = InspectorViewModel.detailsOf(s, i);
        stage.setTitle(Messages.get("viewer.title", d.file()));
        path.setText(d.file());
        path.setTooltip(new Tooltip(s.imageFile(i).toString()));
        verdict.setText(d.verdict());
        similar.getChildren().clear();
        similar.addRow(0, header(Messages.get("viewer.class")), header(Messages.get("inspector.series.raw")),
                header(Messages.get(d.calibrated() ? "inspector.series.calibrated" : "inspector.series.off")));
        int row = 1;
        for (InspectorViewModel.Bar b : d.bars()) {
            String cls = b.base() ? b.className() : Messages.get("inspector.newClass", b.className());
            similar.addRow(row++, new Label(cls), number(b.raw()), number(b.now()));
        }
        int at = sequence.indexOf(i);
        position.setText(at < 0 ? "" : Messages.get("viewer.position", at + 1, sequence.size()));
        int k = s.label(i);
        boolean novel = k >= 0 && s.kind(k) == Workspace.Kind.NOVEL;
        shot.setDisable(!novel);
        shot.setText(Messages.get(novel && s.isShot(i) ? "viewer.unshot" : "viewer.shot"));
        legend.setText(Messages.get("viewer.keys", ImageActions.legend(s)));
        String file = s.imageFile(i).toUri().toString();
        if (!file.equals(loaded)) {
            loaded = file;
            load(file, d.file());
        }
    }

    private void load(String uri, String shown) {
        Image next = new Image(uri, true);
        image = next;
        view.setImage(next);
        pixels.setText("");
        problem.setText("");
        Runnable done = () -> {
            if (image != next) {
                return;
            }
            if (next.isError()) {
                problem.setText(Messages.get("viewer.unreadable", shown,
                        next.getException() == null ? "" : String.valueOf(next.getException().getMessage())));
            } else {
                pixels.setText(Messages.get("viewer.pixels", (int) next.getWidth(), (int) next.getHeight()));
                view.setImage(enlarged(next));
            }
            layoutImage();
        };
        if (next.getProgress() >= 1) {
            done.run();
        } else {
            next.progressProperty().addListener((o, a, b) -> {
                if (b.doubleValue() >= 1) {
                    done.run();
                }
            });
            next.errorProperty().addListener((o, a, b) -> done.run());
        }
    }

    /**
     * A small image (thumbnail datasets: 28 or 32 pixels) enlarged pixel by pixel to about 1,024
     * pixels, so that zooming shows its pixels sharp whatever the renderer does with smoothing;
     * larger images as they are.
     */
    static Image enlarged(Image small) {
        int w = (int) small.getWidth();
        int h = (int) small.getHeight();
        int factor = Math.max(w, h) > SMALL ? 1 : ENLARGED / Math.max(1, Math.max(w, h));
        if (factor < 2 || small.getPixelReader() == null) {
            return small;
        }
        PixelReader in = small.getPixelReader();
        WritableImage out = new WritableImage(w * factor, h * factor);
        PixelWriter o = out.getPixelWriter();
        int[] row = new int[w];
        int[] wide = new int[w * factor];
        for (int y = 0; y < h; y++) {
            in.getPixels(0, y, w, 1, PixelFormat.getIntArgbInstance(), row, 0, w);
            for (int x = 0; x < w; x++) {
                Arrays.fill(wide, x * factor, (x + 1) * factor, row[x]);
            }
            for (int r = 0; r < factor; r++) {
                o.setPixels(0, y * factor + r, w * factor, 1, PixelFormat.getIntArgbInstance(), wide, 0, w * factor);
            }
        }
        return out;
    }

    private static final int SMALL = 256;
    private static final int ENLARGED = 1024;

    /** The scale the image is shown at now. */
    private double scale() {
        if (zoom.get() > 0) {
            return zoom.get();
        }
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            return 1;
        }
        double w = Math.max(1, scroll.getViewportBounds().getWidth() - 8);
        double h = Math.max(1, scroll.getViewportBounds().getHeight() - 8);
        return Math.min(MAX_ZOOM, Math.min(w / image.getWidth(), h / image.getHeight()));
    }

    private void zoomTo(double z) {
        zoom.set(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z)));
    }

    private void layoutImage() {
        if (image == null || image.getWidth() <= 0) {
            zoomText.setText("");
            return;
        }
        double z = scale();
        view.setFitWidth(image.getWidth() * z);
        view.setFitHeight(image.getHeight() * z);
        view.setSmooth(true);
        canvas.setMinSize(image.getWidth() * z, image.getHeight() * z);
        zoomText.setText((zoom.get() == 0 ? Messages.get("viewer.fitted") + " " : "") + String.format(Locale.ROOT, "%.0f%%", 100 * z));
    }

    private static Label header(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        return l;
    }

    private static Label number(float v) {
        Label l = new Label(String.format(Locale.ROOT, "%.3f", v));
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }
}
