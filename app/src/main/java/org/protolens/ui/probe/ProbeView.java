package org.protolens.ui.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.util.StringConverter;
import org.protolens.core.embed.ImageDecoder.RgbImage;
import org.protolens.core.project.WorkspaceState;
import org.protolens.core.shortcut.ImageEdit;
import org.protolens.core.shortcut.Probes;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tables;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;

/**
 * The Probes tab: counterfactual edits of the inspected image, the selection or a class, and how
 * often each flips the prediction (raw and calibrated); a chosen row's edited copies appear on the
 * map with arrows from their originals. Beside it, the inspected image (drag on it to draw a
 * region to erase) and its saliency for a class (occlusion, or Grad-CAM for built-in
 * architectures), overlaid with adjustable opacity.
 */
public final class ProbeView extends VBox {
    /** The image's largest side; it shrinks to the tab's height. */
    private static final double IMAGE_SIDE = 200;
    private final DoubleProperty side = new SimpleDoubleProperty(120);

    private final ProbeViewModel vm;
    private final ProjectState project;
    private final Thumbnails thumbnails;
    private final TableView<Probes.Row> table = new TableView<>();
    private final ImageView image = new ImageView();
    private final Canvas region = new Canvas(120, 120);
    private final ComboBox<Integer> targetClass = new ComboBox<>();
    private final ComboBox<Integer> saliencyClass = new ComboBox<>();
    private double[] dragFrom;

    public ProbeView(ProbeViewModel vm, ProjectState project, Theme theme, Thumbnails thumbnails, Consumer<String> exportCsv,
                     Consumer<RgbImage> exportPng) {
        this.vm = vm;
        this.project = project;
        this.thumbnails = thumbnails;
        setId("probe-view");
        getStyleClass().add("analysis");
        setPadding(new Insets(6, 10, 6, 10));
        setSpacing(4);

        ComboBox<ProbeViewModel.Target> target = new ComboBox<>(FXCollections.observableArrayList(ProbeViewModel.Target.values()));
        target.setId("probe-target");
        target.setConverter(converter(t -> Messages.get("probe.target." + t.name().toLowerCase(Locale.ROOT))));
        target.valueProperty().bindBidirectional(vm.target());
        target.setPrefWidth(185);
        target.setMinWidth(Region.USE_PREF_SIZE);
        targetClass.setId("probe-class");
        targetClass.setConverter(converter(this::className));
        targetClass.setPrefWidth(120);
        targetClass.visibleProperty().bind(vm.target().isEqualTo(ProbeViewModel.Target.CLASS));
        targetClass.managedProperty().bind(targetClass.visibleProperty());
        targetClass.valueProperty().addListener((o, a, k) -> vm.targetClass().set(k == null ? -1 : k));
        Button run = new Button(Messages.get("probe.run"));
        run.setId("probe-run");
        run.setTooltip(new Tooltip(Messages.get("probe.run.tip")));
        run.setOnAction(e -> vm.run());
        run.disableProperty().bind(vm.running().or(project.workspace().isNull()));
        Button cancel = new Button(Messages.get("probe.cancel"));
        cancel.setOnAction(e -> vm.cancel());
        cancel.visibleProperty().bind(vm.running());
        cancel.managedProperty().bind(cancel.visibleProperty());
        Button csv = new Button(Messages.get("probe.export"));
        csv.setId("probe-export");
        csv.setOnAction(e -> exportCsv.accept(vm.csv()));
        csv.disableProperty().bind(vm.shown().isNull());
        Label probeLabel = new Label(Messages.get("probe.target"));
        probeLabel.setMinWidth(Region.USE_PREF_SIZE);
        for (Button b : List.of(run, cancel, csv)) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox probeControls = new HBox(6, probeLabel, target, targetClass, run, cancel, csv);
        probeControls.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("probe-status");
        status.textProperty().bind(vm.status());
        status.setMinWidth(0);
        Tooltip statusTip = new Tooltip();
        statusTip.textProperty().bind(vm.status());
        status.setTooltip(statusTip);
        status.getStyleClass().add("probe-status");

        table.setId("probe-table");
        table.setPlaceholder(new Label(Messages.get("probe.placeholder")));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<Probes.Row, String> edit = column("probe.col.edit", r -> Messages.get("probe.edit." + r.edit()), 95);
        edit.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                Probes.Row row = empty ? null : getTableRow().getItem();
                setText(empty ? null : v);
                setTooltip(row == null ? null : new Tooltip(row.description()));
            }
        });
        table.getColumns().setAll(List.of(edit,
                column("probe.col.images", r -> Integer.toString(r.images()), 40),
                column("probe.col.flipped", r -> Figures.pct(r.flippedRaw(), 0) + " → " + Figures.pct(r.flipped(), 0), 92),
                column("probe.col.to", r -> r.flippedTo() < 0 ? "–" : className(r.flippedTo()), 80),
                column("probe.col.drop", r -> Figures.signed(r.similarityDrop()), 68),
                column("probe.col.moved", r -> Double.isNaN(r.moved()) ? "–" : String.format(Locale.ROOT, "%.3f", r.moved()), 60)));
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> vm.shownEdit().set(row == null ? null : row.edit()));
        HBox.setHgrow(table, Priority.ALWAYS);

        // the inspected image, with the drawn region and the saliency over it
        image.setPreserveRatio(true);
        image.fitWidthProperty().bind(side);
        image.fitHeightProperty().bind(side);
        image.setSmooth(false);
        image.setId("probe-image");
        Pane imagePane = new Pane(image, region);
        imagePane.setId("probe-image-pane");
        imagePane.minWidthProperty().bind(side);
        imagePane.prefWidthProperty().bind(side);
        imagePane.maxWidthProperty().bind(side);
        imagePane.setMinHeight(0);
        imagePane.getStyleClass().add("probe-image-pane");
        Tooltip.install(imagePane, new Tooltip(Messages.get("probe.image.tip")));
        region.setOnMousePressed(e -> dragFrom = new double[] {e.getX(), e.getY()});
        region.setOnMouseDragged(e -> drawRegion(dragFrom, new double[] {e.getX(), e.getY()}));
        region.setOnMouseReleased(e -> {
            vm.drawn().set(box(dragFrom, new double[] {e.getX(), e.getY()}));
            dragFrom = null;
        });

        saliencyClass.setId("probe-saliency-class");
        saliencyClass.setConverter(converter(k -> k < 0 ? Messages.get("probe.saliency.prediction") : className(k)));
        saliencyClass.valueProperty().addListener((o, a, k) -> vm.saliencyClass().set(k == null ? -1 : k));
        saliencyClass.setMaxWidth(Double.MAX_VALUE);
        saliencyClass.setPrefWidth(150);
        saliencyClass.setMinWidth(Region.USE_PREF_SIZE);
        Button saliency = new Button(Messages.get("probe.saliency"));
        saliency.setId("probe-saliency");
        saliency.setTooltip(new Tooltip(Messages.get("probe.saliency.tip")));
        saliency.setOnAction(e -> vm.computeSaliency());
        saliency.disableProperty().bind(vm.running().or(project.inspected().lessThan(0)));
        saliency.setMinWidth(Region.USE_PREF_SIZE);
        ComboBox<ProbeViewModel.SaliencyMethod> method = new ComboBox<>(
                FXCollections.observableArrayList(ProbeViewModel.SaliencyMethod.values()));
        method.setId("probe-method");
        method.setConverter(converter(ProbeView::methodName));
        method.valueProperty().bindBidirectional(vm.method());
        method.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(ProbeViewModel.SaliencyMethod m, boolean empty) {
                super.updateItem(m, empty);
                disableProperty().unbind();
                setText(empty || m == null ? null : methodName(m));
                setTooltip(empty || m == null ? null : new Tooltip(Messages.get(m == ProbeViewModel.SaliencyMethod.GRAD_CAM
                        ? "probe.method.gradcam.tip" : "probe.method.occlusion.tip")));
                if (m == ProbeViewModel.SaliencyMethod.GRAD_CAM) {
                    disableProperty().bind(vm.gradCamAvailable().not());
                } else {
                    setDisable(false);
                }
            }
        });
        Tooltip methodTip = new Tooltip();
        methodTip.textProperty().bind(Bindings.when(vm.gradCamAvailable())
                .then(Messages.get("probe.method.tip")).otherwise(Messages.get("probe.method.unavailable")));
        method.setTooltip(methodTip);
        method.setPrefWidth(115);
        method.setMinWidth(Region.USE_PREF_SIZE);
        Spinner<Integer> patch = spinner(vm.patch().get(), "probe-patch");
        patch.valueProperty().addListener((o, a, v) -> vm.patch().set(v));
        Spinner<Integer> stride = spinner(vm.stride().get(), "probe-stride");
        stride.valueProperty().addListener((o, a, v) -> vm.stride().set(v));
        patch.disableProperty().bind(vm.method().isEqualTo(ProbeViewModel.SaliencyMethod.GRAD_CAM));
        stride.disableProperty().bind(patch.disableProperty());
        Slider opacity = new Slider(0, 1, vm.opacity().get());
        opacity.setId("probe-opacity");
        opacity.valueProperty().bindBidirectional(vm.opacity());
        opacity.setPrefWidth(80);
        Button png = new Button(Messages.get("probe.saliency.export"));
        png.setId("probe-saliency-export");
        png.disableProperty().bind(vm.saliency().isNull());
        png.setOnAction(e -> exportPng.accept(vm.saliency().get() == null ? null : vm.saliency().get().overlay()));
        png.setMinWidth(Region.USE_PREF_SIZE);
        HBox saliencyControls = new HBox(6, label("probe.saliency.of"), saliencyClass, label("probe.method"), method, saliency, png);
        saliencyControls.setAlignment(Pos.CENTER_LEFT);
        // the probe's and the saliency's controls on one line where there is room, on two where not
        FlowPane controls = new FlowPane(18, 4, probeControls, saliencyControls);
        controls.setAlignment(Pos.CENTER_LEFT);
        GridPane settings = new GridPane(6, 4);
        settings.addRow(0, label("probe.patch"), patch);
        settings.addRow(1, label("probe.stride"), stride);
        settings.addRow(2, label("probe.opacity"), opacity);
        settings.setMinWidth(Region.USE_PREF_SIZE);
        HBox body = new HBox(10, table, settings, imagePane);
        VBox.setVgrow(body, Priority.ALWAYS);
        body.setMinHeight(0);
        body.heightProperty().addListener((o, a, h) -> {
            side.set(Math.max(48, Math.min(IMAGE_SIDE, h.doubleValue())));
            showImage();
        });
        getChildren().setAll(controls, status, body);

        vm.shown().addListener((o, a, sh) -> showReport(sh));
        project.workspace().addListener((o, a, s) -> classesChanged(s));
        project.inspected().addListener((o, a, b) -> showImage());
        vm.saliency().addListener((o, a, b) -> showImage());
        vm.preview().addListener((o, a, b) -> showImage());
        vm.drawn().addListener((o, a, box) -> {
            if (box == null) {
                clearRegion();
            }
        });
        theme.dark().addListener((o, a, b) -> showImage());
        classesChanged(project.workspace().get());
        showImage();
        showReport(vm.shown().get());
    }

    public ProbeViewModel viewModel() {
        return vm;
    }

    private static Label label(String key) {
        Label l = new Label(Messages.get(key));
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Spinner<Integer> spinner(int value, String id) {
        Spinner<Integer> s = new Spinner<>(0, 512, value, 1);
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(80);
        s.getValueFactory().setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null || v <= 0 ? Messages.get("probe.auto") : Integer.toString(v);
            }

            @Override
            public Integer fromString(String t) {
                try {
                    return Math.max(0, Integer.parseInt(t.strip()));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        });
        return s;
    }

    private static String methodName(ProbeViewModel.SaliencyMethod m) {
        return Messages.get(m == ProbeViewModel.SaliencyMethod.GRAD_CAM ? "probe.method.gradcam" : "probe.method.occlusion");
    }

    private String className(int k) {
        WorkspaceState s = project.workspace().get();
        return s == null || k < 0 || k >= s.classCount() ? "–" : s.classNames().get(k);
    }

    private static <T> StringConverter<T> converter(Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : text.apply(t);
            }

            @Override
            public T fromString(String s) {
                return null;
            }
        };
    }

    private static TableColumn<Probes.Row, String> column(String key, Function<Probes.Row, String> value, double width) {
        // a cell's full text in its tooltip: the edits' names are long
        TableColumn<Probes.Row, String> c = Tables.column(key, value, width);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty ? null : v);
                setTooltip(empty || v == null ? null : new Tooltip(v));
            }
        });
        return c;
    }

    private void classesChanged(WorkspaceState s) {
        List<Integer> ks = new ArrayList<>();
        int n = s == null ? 0 : s.classCount();
        for (int k = 0; k < n; k++) {
            ks.add(k);
        }
        if (!ks.equals(targetClass.getItems())) {
            Integer keep = targetClass.getValue();
            targetClass.getItems().setAll(ks);
            targetClass.setValue(keep != null && keep < n ? keep : n > 0 ? 0 : null);
            List<Integer> withPrediction = new ArrayList<>();
            withPrediction.add(-1);
            withPrediction.addAll(ks);
            Integer keepSal = saliencyClass.getValue();
            saliencyClass.getItems().setAll(withPrediction);
            saliencyClass.setValue(keepSal != null && keepSal < n ? keepSal : -1);
        }
    }

    private void showReport(ProbeViewModel.Shown sh) {
        String selected = vm.shownEdit().get();
        table.getItems().setAll(sh == null ? List.of() : sh.result().report().rows());
        if (selected != null) {
            table.getItems().stream().filter(r -> r.edit().equals(selected)).findFirst()
                    .ifPresent(r -> table.getSelectionModel().select(r));
        }
    }

    /** The saliency overlay when it is of the inspected image, else the inspected image itself. */
    private void showImage() {
        WorkspaceState s = project.workspace().get();
        int i = project.inspected().get();
        ProbeViewModel.Saliency sal = vm.saliency().get();
        ProbeViewModel.Preview edited = vm.preview().get();
        if (s == null || i < 0 || i >= s.imageCount()) {
            image.setImage(null);
        } else if (edited != null && edited.image() == i && edited.state().dir().equals(s.dir())) {
            image.setImage(toImage(opaque(edited.edited())));
        } else if (sal != null && sal.image() == i && sal.state().dir().equals(s.dir())) {
            image.setImage(toImage(sal.overlay()));
        } else {
            image.setImage(thumbnails.get(s.imageFile(i), 320));
        }
        Image img = image.getImage();
        if (img != null && img.getWidth() > 0 && img.getHeight() > 0) {
            double scale = Math.min(side.get() / img.getWidth(), side.get() / img.getHeight());
            region.setWidth(img.getWidth() * scale);
            region.setHeight(img.getHeight() * scale);
        }
        drawRegion(null, null);
    }

    /** 0xRRGGBB pixels as opaque ARGB. */
    private static RgbImage opaque(RgbImage rgb) {
        int[] px = rgb.rgb().clone();
        for (int k = 0; k < px.length; k++) {
            px[k] |= 0xff000000;
        }
        return new RgbImage(rgb.width(), rgb.height(), px);
    }

    private static Image toImage(RgbImage rgb) {
        WritableImage out = new WritableImage(rgb.width(), rgb.height());
        out.getPixelWriter().setPixels(0, 0, rgb.width(), rgb.height(), PixelFormat.getIntArgbInstance(), rgb.rgb(), 0, rgb.width());
        return out;
    }

    private ImageEdit.Box box(double[] a, double[] b) {
        if (a == null || b == null || region.getWidth() < 1 || region.getHeight() < 1) {
            return null;
        }
        double x0 = clamp(Math.min(a[0], b[0]) / region.getWidth());
        double x1 = clamp(Math.max(a[0], b[0]) / region.getWidth());
        double y0 = clamp(Math.min(a[1], b[1]) / region.getHeight());
        double y1 = clamp(Math.max(a[1], b[1]) / region.getHeight());
        return x1 - x0 < 0.02 || y1 - y0 < 0.02 ? null : new ImageEdit.Box(x0, y0, x1, y1);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private void clearRegion() {
        region.getGraphicsContext2D().clearRect(0, 0, region.getWidth(), region.getHeight());
    }

    /** The region being drawn (from a to b), or the one drawn before. */
    private void drawRegion(double[] a, double[] b) {
        clearRegion();
        GraphicsContext g = region.getGraphicsContext2D();
        double x0;
        double y0;
        double w;
        double h;
        if (a != null && b != null) {
            x0 = Math.min(a[0], b[0]);
            y0 = Math.min(a[1], b[1]);
            w = Math.abs(a[0] - b[0]);
            h = Math.abs(a[1] - b[1]);
        } else if (vm.drawn().get() != null) {
            ImageEdit.Box box = vm.drawn().get();
            x0 = box.x0() * region.getWidth();
            y0 = box.y0() * region.getHeight();
            w = (box.x1() - box.x0()) * region.getWidth();
            h = (box.y1() - box.y0()) * region.getHeight();
        } else {
            return;
        }
        g.setFill(Color.rgb(128, 128, 128, 0.55));
        g.fillRect(x0, y0, w, h);
        g.setStroke(Color.web("#ffd166"));
        g.setLineWidth(1.5);
        g.setLineDashes(4, 3);
        g.strokeRect(x0, y0, w, h);
        g.setLineDashes();
    }
}
