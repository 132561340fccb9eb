package org.protolens.ui.map;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import org.controlsfx.control.SegmentedButton;
import org.protolens.core.map.MapLayout;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;

/**
 * The map's controls for the toolbar: how the map places the images (PCA, t-SNE, UMAP), laying it
 * out again, and what the dots' colours say (prediction, label, right or wrong).
 */
public final class MapControls {
    private final MapViewModel vm;
    private final Map<MapLayout.Method, ToggleButton> methods = new EnumMap<>(MapLayout.Method.class);
    private final Map<MapViewModel.Colouring, ToggleButton> colourings = new EnumMap<>(MapViewModel.Colouring.class);
    private final HBox layoutBox;
    private final HBox colourBox;
    private final Label legend;
    private boolean following;

    public MapControls(MapViewModel vm, ProjectState project) {
        this.vm = vm;
        SegmentedButton method = new SegmentedButton();
        method.setId("layout-method");
        for (MapLayout.Method m : MapLayout.Method.values()) {
            ToggleButton b = new ToggleButton(m.toString());
            b.setId("layout-" + m.name().toLowerCase(Locale.ROOT));
            b.setTooltip(new Tooltip(Messages.get("map.method." + m.name().toLowerCase(Locale.ROOT) + ".tip")));
            b.setOnAction(e -> {
                if (!following) {
                    // a second click on the chosen method keeps it chosen
                    b.setSelected(true);
                    if (m != vm.method().get() || vm.layout().get() == null || vm.layout().get().method() != m) {
                        vm.switchTo(m);
                    }
                }
            });
            methods.put(m, b);
            method.getButtons().add(b);
        }
        vm.method().addListener((o, was, now) -> follow());
        follow();
        Button recompute = new Button(Messages.get("map.recompute"));
        recompute.setId("recompute-layout");
        recompute.setTooltip(new Tooltip(Messages.get("map.recompute.tip")));
        recompute.disableProperty().bind(project.workspace().isNull().or(vm.computing()));
        recompute.setOnAction(e -> vm.recompute());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(vm.computing());
        busy.managedProperty().bind(vm.computing());
        Label title = new Label(Messages.get("map.title"));
        layoutBox = new HBox(6, title, method, recompute, busy);
        layoutBox.setAlignment(Pos.CENTER_LEFT);
        method.disableProperty().bind(project.workspace().isNull());

        SegmentedButton colour = new SegmentedButton();
        colour.setId("colouring");
        for (MapViewModel.Colouring c : MapViewModel.Colouring.values()) {
            ToggleButton b = new ToggleButton(Messages.get("map.colour." + c.name().toLowerCase(Locale.ROOT)));
            b.setId("colour-" + c.name().toLowerCase(Locale.ROOT));
            b.setTooltip(new Tooltip(Messages.get("map.colour." + c.name().toLowerCase(Locale.ROOT) + ".tip")));
            b.setOnAction(e -> {
                b.setSelected(true);
                vm.colouring().set(c);
            });
            colourings.put(c, b);
            colour.getButtons().add(b);
        }
        vm.colouring().addListener((o, was, now) -> colourings.get(now).setSelected(true));
        colourings.get(vm.colouring().get()).setSelected(true);
        legend = new Label(Messages.get("map.legend"));
        legend.setId("map-legend");
        legend.getStyleClass().add("legend");
        legend.setMinWidth(0);
        legend.managedProperty().bind(legend.visibleProperty());
        Label colourTitle = new Label(Messages.get("map.colour.title"));
        colourBox = new HBox(6, legend, colourTitle, colour);
        colourBox.setAlignment(Pos.CENTER_LEFT);
    }

    /** The toggles show the method of the map drawn (or being computed), without computing anything. */
    private void follow() {
        following = true;
        methods.get(vm.method().get()).setSelected(true);
        following = false;
    }

    /** Method, Recompute and the busy sign, for the left of the toolbar. */
    public HBox layoutControls() {
        return layoutBox;
    }

    /** What the map's marks mean (hidden where the toolbar is narrow). */
    public Label legend() {
        return legend;
    }

    /** The preferred width of {@link #colourControls()} with the legend shown, whether it is now or not. */
    public double prefWidthWithLegend() {
        double width = colourBox.getInsets().getLeft() + colourBox.getInsets().getRight()
                + colourBox.getSpacing() * (colourBox.getChildren().size() - 1);
        for (Node part : colourBox.getChildren()) {
            width += part.prefWidth(-1);
        }
        return width;
    }

    /** The legend and the colouring, for the right of the toolbar. */
    public HBox colourControls() {
        return colourBox;
    }
}
