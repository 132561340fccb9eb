package org.protolens.ui.project;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.protolens.core.project.OpenProject;
import org.protolens.ui.common.Fxml;
import org.protolens.ui.common.Messages;

/**
 * Asks for a new project (fxml/NewProjectDialog.fxml): its name, where its folder goes, and which
 * project's backbone (and, if wanted, base classes) it starts from. Answers with what to create;
 * nothing is written here.
 */
public final class NewProjectDialog {
    /** A project a new one can start from: its backbone, and its base classes if kept. */
    public record Source(String title, Path dir, int baseClasses, String backbone) {
    }

    /** What to create: the folder (not yet there, or empty), the name, the source and whether its base classes stay. */
    public record Request(Path folder, String name, Source source, boolean keepBaseClasses) {
    }

    @FXML private TextField name;
    @FXML private TextField where;
    @FXML private Label folder;
    @FXML private ChoiceBox<Source> source;
    @FXML private CheckBox keep;
    @FXML private Label keepHint;
    private Button ok;

    private NewProjectDialog() {
    }

    /** A folder name for a project name: the name, without characters file systems refuse. */
    public static String folderName(String name) {
        String s = name.strip().replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "-").replaceAll("^\\.+", "");
        return s.isEmpty() ? "project" : s;
    }

    /** Why {@code folder} cannot take a new project, or null when it can. */
    static String problemWith(Path folder) {
        if (!Files.exists(folder)) {
            return null;
        }
        try {
            return OpenProject.isEmptyFolder(folder) ? null
                    : Messages.get(Files.isDirectory(folder) ? "newProject.notEmpty" : "newProject.isFile", folder);
        } catch (IOException e) {
            return folder + ": " + e.getMessage();
        }
    }

    /**
     * @param sources  the projects to start from, the open one first
     * @param location the folder new projects go into unless the person picks another
     */
    public static Optional<Request> ask(Window owner, List<Source> sources, Path location) {
        NewProjectDialog c = new NewProjectDialog();
        GridPane grid = Fxml.load("NewProjectDialog", c);
        Dialog<Request> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(Messages.get("newProject.title"));
        d.setHeaderText(Messages.get("newProject.header"));
        d.getDialogPane().setContent(grid);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        c.ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        c.ok.setId("new-project-create");
        c.ok.setText(Messages.get("newProject.create"));
        c.fill(sources, location);
        d.setOnShown(e -> {
            c.name.requestFocus();
            c.name.selectAll();
        });
        d.setResultConverter(b -> b != ButtonType.OK ? null
                : new Request(Path.of(c.where.getText().strip()).resolve(folderName(c.name.getText())), c.name.getText().strip(),
                        c.source.getValue(), c.keep.isSelected() && !c.keep.isDisabled()));
        return d.showAndWait();
    }

    private void fill(List<Source> sources, Path location) {
        name.setText(Messages.get("newProject.untitled"));
        where.setText(location.toString());
        source.getItems().setAll(sources);
        source.setConverter(new StringConverter<>() {
            @Override
            public String toString(Source s) {
                return s == null ? "" : s.title() + "  (" + s.backbone() + ")";
            }

            @Override
            public Source fromString(String s) {
                return null;
            }
        });
        if (!sources.isEmpty()) {
            source.setValue(sources.getFirst());
        }
        keep.textProperty().bind(source.valueProperty().map(s -> Messages.get("newProject.keep", s.baseClasses())));
        keep.disableProperty().bind(source.valueProperty().map(s -> s.baseClasses() == 0).orElse(true));
        keepHint.textProperty().bind(keep.selectedProperty().map(kept -> Messages.get(kept ? "newProject.kept" : "newProject.notKept")));
        name.textProperty().addListener((o, a, b) -> check());
        where.textProperty().addListener((o, a, b) -> check());
        source.valueProperty().addListener((o, a, b) -> check());
        check();
    }

    @FXML
    private void browse() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(Messages.get("newProject.browse.title"));
        try {
            Path start = Path.of(where.getText().strip());
            if (Files.isDirectory(start)) {
                chooser.setInitialDirectory(start.toFile());
            }
        } catch (InvalidPathException e) {
            // the chooser starts where it likes
        }
        File chosen = chooser.showDialog(where.getScene().getWindow());
        if (chosen != null) {
            where.setText(chosen.getPath());
        }
    }

    /** The folder line says where the project goes, or why it cannot go there. */
    private void check() {
        String problem = null;
        Path target = null;
        if (name.getText().isBlank()) {
            problem = Messages.get("newProject.needsName");
        } else if (where.getText().isBlank()) {
            problem = Messages.get("newProject.needsLocation");
        } else {
            try {
                target = Path.of(where.getText().strip()).resolve(folderName(name.getText()));
                problem = problemWith(target);
            } catch (InvalidPathException e) {
                problem = Messages.get("newProject.badLocation", where.getText());
            }
        }
        folder.setText(problem != null ? problem : Messages.get("newProject.folder", target));
        folder.pseudoClassStateChanged(PseudoClass.getPseudoClass("error"), problem != null);
        ok.setDisable(problem != null || source.getValue() == null);
    }
}
