package org.protolens.ui.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * Asks for a new project: its name, where its folder goes, and which project's backbone (and,
 * if wanted, base classes) it starts from. Answers with what to create; nothing is written here.
 */
public final class NewProjectDialog {
    private NewProjectDialog() {
    }

    /** A project a new one can start from: its backbone, and its base classes if kept. */
    public record Source(String title, Path dir, int baseClasses, String backbone) {
    }

    /** What to create: the folder (not yet there, or empty), the name, the source and whether its base classes stay. */
    public record Request(Path folder, String name, Source source, boolean keepBaseClasses) {
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
            return org.protolens.core.project.OpenProject.isEmptyFolder(folder) ? null
                    : folder + (Files.isDirectory(folder) ? " exists already and is not empty" : " is a file");
        } catch (IOException e) {
            return folder + ": " + e.getMessage();
        }
    }

    /**
     * @param sources  the projects to start from, the open one first
     * @param location the folder new projects go into unless the person picks another
     */
    public static Optional<Request> ask(Window owner, List<Source> sources, Path location) {
        Dialog<Request> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("New project");
        d.setHeaderText("A new, empty project: drop images into it once it is open");

        TextField name = new TextField("Untitled project");
        name.setId("new-project-name");
        TextField where = new TextField(location.toString());
        where.setId("new-project-location");
        HBox.setHgrow(where, Priority.ALWAYS);
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Where the new project's folder goes");
            Path start = Path.of(where.getText().strip());
            if (Files.isDirectory(start)) {
                chooser.setInitialDirectory(start.toFile());
            }
            java.io.File chosen = chooser.showDialog(d.getDialogPane().getScene().getWindow());
            if (chosen != null) {
                where.setText(chosen.getPath());
            }
        });
        Label folder = new Label();
        folder.setId("new-project-folder");
        folder.getStyleClass().add("hint");
        folder.setWrapText(true);

        ChoiceBox<Source> source = new ChoiceBox<>();
        source.setId("new-project-source");
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
        CheckBox keep = new CheckBox();
        keep.setId("new-project-keep-base");
        keep.setSelected(true);
        keep.textProperty().bind(source.valueProperty().map(s -> "Keep its " + s.baseClasses()
                + (s.baseClasses() == 1 ? " base class" : " base classes") + " (prototypes from its training set)"));
        keep.disableProperty().bind(source.valueProperty().map(s -> s.baseClasses() == 0).orElse(true));
        Label keepHint = new Label();
        keepHint.getStyleClass().add("hint");
        keepHint.setWrapText(true);
        keepHint.textProperty().bind(keep.selectedProperty().map(kept -> kept
                ? "Images you import are predicted among these classes; new classes borrow from their prototypes (TEEN)."
                : "The project starts with no classes: import a folder with a sub-folder per class as base classes, "
                        + "then add new classes from a few shots."));

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.setPadding(new Insets(10, 4, 4, 4));
        grid.setPrefWidth(560);
        grid.addRow(0, new Label("Name:"), name);
        grid.addRow(1, new Label("Location:"), new HBox(8, where, browse));
        grid.add(folder, 1, 2);
        grid.addRow(3, new Label("Backbone from:"), source);
        grid.add(keep, 1, 4);
        grid.add(keepHint, 1, 5);
        javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
        labels.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints fields = new javafx.scene.layout.ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        grid.getColumnConstraints().setAll(labels, fields);
        for (Label wrapping : List.of(folder, keepHint)) {
            wrapping.setPrefWidth(440);
            wrapping.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        }

        d.getDialogPane().setContent(grid);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("new-project-create");
        ok.setText("Create");
        // the folder line says where the project goes, or why it cannot go there
        Runnable check = () -> {
            String problem = null;
            Path target = null;
            if (name.getText().isBlank()) {
                problem = "Give the project a name";
            } else if (where.getText().isBlank()) {
                problem = "Choose where its folder goes";
            } else {
                try {
                    target = Path.of(where.getText().strip()).resolve(folderName(name.getText()));
                    problem = problemWith(target);
                } catch (java.nio.file.InvalidPathException e) {
                    problem = where.getText() + " is not a folder path";
                }
            }
            folder.setText(problem != null ? problem : "Folder: " + target);
            folder.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("error"), problem != null);
            ok.setDisable(problem != null || source.getValue() == null);
        };
        name.textProperty().addListener((o, a, b) -> check.run());
        where.textProperty().addListener((o, a, b) -> check.run());
        source.valueProperty().addListener((o, a, b) -> check.run());
        check.run();
        d.setOnShown(e -> {
            name.requestFocus();
            name.selectAll();
        });
        d.setResultConverter(b -> b != ButtonType.OK ? null
                : new Request(Path.of(where.getText().strip()).resolve(folderName(name.getText())), name.getText().strip(),
                        source.getValue(), keep.isSelected() && !keep.isDisabled()));
        return d.showAndWait();
    }
}
