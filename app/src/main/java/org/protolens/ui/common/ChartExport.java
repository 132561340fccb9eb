package org.protolens.ui.common;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.stage.FileChooser;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.protolens.core.io.AtomicFiles;

/**
 * A chart written as a PNG of a size the person picks, not the size it has on the screen: a chart
 * squeezed into the analysis area is exported as large as a slide or a paper needs, on its own
 * opaque background. The chart is drawn on the JavaFX thread, the file written in the background.
 */
public final class ChartExport {
    /** The sizes offered, in pixels. */
    static final List<int[]> SIZES = List.of(new int[] {1200, 800}, new int[] {1600, 1000}, new int[] {2400, 1600},
            new int[] {3200, 2000});

    private ChartExport() {
    }

    /** Adds "Export PNG at a Size…" to the chart's right-click menu. */
    public static void offerSizes(ChartViewer viewer, ProjectState project, Tasks tasks) {
        MenuItem item = new MenuItem(Messages.get("chart.exportSized"));
        item.setOnAction(e -> ask(viewer, project, tasks));
        viewer.getContextMenu().getItems().addAll(new SeparatorMenuItem(), item);
    }

    private static void ask(ChartViewer viewer, ProjectState project, Tasks tasks) {
        List<String> sizes = SIZES.stream().map(s -> Messages.get("chart.size", s[0], s[1])).toList();
        ChoiceDialog<String> d = new ChoiceDialog<>(sizes.get(1), sizes);
        d.initOwner(viewer.getScene().getWindow());
        d.setTitle(Messages.get("chart.exportSized.title"));
        d.setHeaderText(Messages.get("chart.exportSized.header"));
        d.showAndWait().ifPresent(choice -> {
            int[] size = SIZES.get(sizes.indexOf(choice));
            UserSettings settings = new UserSettings();
            FileChooser chooser = new FileChooser();
            chooser.setTitle(Messages.get("chart.exportSized.title"));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG", "*.png"));
            chooser.setInitialDirectory(settings.startIn(UserSettings.Folder.EXPORT));
            chooser.setInitialFileName("chart.png");
            File f = chooser.showSaveDialog(viewer.getScene().getWindow());
            if (f == null) {
                return;
            }
            settings.used(UserSettings.Folder.EXPORT, f);
            // drawn here (Java2D, tens of milliseconds: charts are not safe to draw from two threads), written in the background
            BufferedImage image = draw(viewer.getChart(), size[0], size[1]);
            Path target = f.toPath();
            tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("export.job", target.getFileName()), j -> {
                writePng(image, target);
                return (Void) null;
            }).onDone(v -> project.notices().note(Messages.get("export.done", target), List.of()))
                    .onFailure(ex -> project.notices().problem(Messages.get("export.failed"), List.of(target + ": " + ex.getMessage()))),
                    true);
        });
    }

    /** {@code chart} drawn at {@code width} x {@code height} pixels, opaque. */
    static BufferedImage draw(JFreeChart chart, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes an image as a PNG file, atomically. */
    static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException(file + ": no PNG writer is available");
            }
        });
    }
}
