package org.protolens.ui.shell;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.TransferMode;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.importer.Importer;

/** Images and folders dropped anywhere on the window are imported into the open project. */
final class DropHandler {
    private DropHandler() {
    }

    static void install(Scene scene, ProjectState project, Importer importer) {
        scene.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && project.workspace().get() != null) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        scene.setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                List<Path> files = e.getDragboard().getFiles().stream().map(File::toPath).toList();
                // the dialog opens after the drop has finished, so the source application is not kept waiting
                Platform.runLater(() -> importer.importFiles(files));
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }
}
