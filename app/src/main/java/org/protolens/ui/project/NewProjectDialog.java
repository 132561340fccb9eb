package org.protolens.ui.project;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.Preprocessing;
import org.protolens.core.project.OpenProject;
import org.protolens.ui.common.Fxml;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.Tasks;

/**
 * Asks for a new project (fxml/NewProjectDialog.fxml): its name, where its folder goes, and which
 * project's backbone (and, if wanted, base classes) it starts from. Answers with what to create;
 * nothing is written here.
 */
public final class NewProjectDialog {
    /** Where a new project's backbone comes from. */
    public enum Kind {
        /** an existing project's (and its base classes, if kept) */
        PROJECT,
        /** a TorchScript file of one's own, with its input size and normalisation */
        TORCHSCRIPT,
        /** a backbone folder with backbone.json (one train-backbone made, for instance) */
        FOLDER,
        /** a TorchScript model from a URL: DJL's model zoo (ImageNet ResNet-18 by default), downloaded once */
        ZOO
    }

    /** A project a new one can start from: its backbone, and its base classes if kept; or one's own backbone. */
    public record Source(String title, Path dir, int baseClasses, String backbone, Kind kind) {
        public Source(String title, Path dir, int baseClasses, String backbone) {
            this(title, dir, baseClasses, backbone, Kind.PROJECT);
        }
    }

    /**
     * What to create: the folder (not yet there, or empty), the name, the source and whether its
     * base classes stay; for one's own backbone, the model file or folder, or the model's URL, and
     * (TorchScript, URL) its input.
     */
    public record Request(Path folder, String name, Source source, boolean keepBaseClasses, Path model, Preprocessing preprocessing,
                          String url) {
    }

    /** Input sizes and normalisations people pick most. */
    private record Preset(String title, int size, float[] mean, float[] std) {
    }

    private static final List<Preset> PRESETS = List.of(
            new Preset("ImageNet, 224 × 224", 224, Preprocessing.IMAGENET_MEAN, Preprocessing.IMAGENET_STD),
            new Preset("CIFAR, 32 × 32", 32, new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f}),
            new Preset("[-1, 1], 224 × 224", 224, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}));

    @FXML private TextField name;
    @FXML private TextField where;
    @FXML private Label folder;
    @FXML private ChoiceBox<Source> source;
    @FXML private CheckBox keep;
    @FXML private Label keepHint;
    @FXML private VBox own;
    @FXML private TextField model;
    @FXML private GridPane input;
    @FXML private TextField width;
    @FXML private TextField height;
    @FXML private ChoiceBox<Preset> preset;
    @FXML private TextField mean;
    @FXML private TextField std;
    @FXML private Button checkModel;
    @FXML private Label checked;
    private Button ok;
    private Tasks tasks;
    private boolean ownWasProblem;

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
    public static Optional<Request> ask(Window owner, List<Source> sources, Path location, Tasks tasks) {
        return ask(owner, sources, location, tasks, Messages.get("newProject.header"), Messages.get("newProject.untitled"));
    }

    /**
     * @param header what the project is for, over the fields
     * @param name   the name offered
     */
    public static Optional<Request> ask(Window owner, List<Source> sources, Path location, Tasks tasks, String header, String name) {
        NewProjectDialog c = new NewProjectDialog();
        c.tasks = tasks;
        GridPane grid = Fxml.load("NewProjectDialog", c);
        Dialog<Request> d = new Dialog<>();
        d.initOwner(owner);
        if (owner != null && owner.getScene() != null) {
            // the window's style sheets from the start: opened from a notice's button, the dialog was at times
            // drawn light in the dark theme when the sheets came only as it was shown
            d.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        d.setTitle(Messages.get("newProject.title"));
        d.setHeaderText(header);
        d.getDialogPane().setContent(grid);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        c.ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        c.ok.setId("new-project-create");
        c.ok.setText(Messages.get("newProject.create"));
        c.fill(sources, location);
        c.name.setText(name);
        d.setOnShown(e -> {
            c.name.requestFocus();
            c.name.selectAll();
        });
        d.setResultConverter(b -> {
            if (b != ButtonType.OK) {
                return null;
            }
            Kind kind = c.source.getValue().kind();
            return new Request(Path.of(c.where.getText().strip()).resolve(folderName(c.name.getText())), c.name.getText().strip(),
                    c.source.getValue(), kind == Kind.PROJECT && c.keep.isSelected() && !c.keep.isDisabled(),
                    kind == Kind.PROJECT || kind == Kind.ZOO ? null : c.modelPath(),
                    kind == Kind.TORCHSCRIPT || kind == Kind.ZOO ? c.preprocessing() : null, kind == Kind.ZOO ? c.url() : null);
        });
        return d.showAndWait();
    }

    private void fill(List<Source> sources, Path location) {
        name.setText(Messages.get("newProject.untitled"));
        where.setText(location.toString());
        source.getItems().setAll(sources);
        source.getItems().addAll(new Source(Messages.get("newProject.fromTorchScript"), null, 0, null, Kind.TORCHSCRIPT),
                new Source(Messages.get("newProject.fromFolder"), null, 0, null, Kind.FOLDER),
                new Source(Messages.get("newProject.fromZoo"), null, 0, null, Kind.ZOO));
        source.setConverter(new StringConverter<>() {
            @Override
            public String toString(Source s) {
                return s == null ? "" : s.backbone() == null ? s.title() : s.title() + "  (" + s.backbone() + ")";
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
        // one's own backbone: its file or folder and, for TorchScript, its input; the project's rows otherwise
        var kind = source.valueProperty().map(Source::kind).orElse(Kind.PROJECT);
        var isOwn = kind.map(k -> k != Kind.PROJECT);
        for (Node n : List.of(keep, keepHint)) {
            n.visibleProperty().bind(isOwn.map(x -> !x));
            n.managedProperty().bind(n.visibleProperty());
        }
        own.visibleProperty().bind(isOwn);
        own.managedProperty().bind(own.visibleProperty());
        input.visibleProperty().bind(kind.map(k -> k == Kind.TORCHSCRIPT || k == Kind.ZOO));
        input.managedProperty().bind(input.visibleProperty());
        model.promptTextProperty().bind(kind.map(k -> Messages.get(k == Kind.FOLDER ? "newProject.model.folder"
                : k == Kind.ZOO ? "newProject.model.url" : "newProject.model.file")));
        // a model from a URL: the zoo's ImageNet ResNet-18 with its input, unless the person types another
        kind.addListener((o, was, now) -> {
            if (now == Kind.ZOO) {
                model.setText(BackboneLoader.IMAGENET_RESNET18_URL);
                preset.setValue(PRESETS.getFirst());
            } else if (was == Kind.ZOO) {
                model.setText("");
            }
        });
        preset.getItems().setAll(PRESETS);
        preset.setConverter(new StringConverter<>() {
            @Override
            public String toString(Preset p) {
                return p == null ? Messages.get("newProject.preset") : p.title();
            }

            @Override
            public Preset fromString(String s) {
                return null;
            }
        });
        preset.valueProperty().addListener((o, a, p) -> {
            if (p != null) {
                width.setText(Integer.toString(p.size()));
                height.setText(Integer.toString(p.size()));
                mean.setText(floats(p.mean()));
                std.setText(floats(p.std()));
            }
        });
        preset.setValue(PRESETS.getFirst());
        for (TextField f : List.of(model, width, height, mean, std)) {
            f.textProperty().addListener((o, a, b) -> {
                checked.setText("");
                check();
            });
        }
        name.textProperty().addListener((o, a, b) -> check());
        where.textProperty().addListener((o, a, b) -> check());
        source.valueProperty().addListener((o, a, b) -> {
            checked.setText("");
            check();
            fitWindow();
        });
        // the rows of one's own backbone come and go, the check's answer wraps: the dialog takes their height
        checked.textProperty().addListener((o, a, b) -> fitWindow());
        check();
    }

    private void fitWindow() {
        Platform.runLater(() -> {
            if (own.getScene() != null && own.getScene().getWindow() != null) {
                own.getScene().getWindow().sizeToScene();
            }
        });
    }

    private static String floats(float[] v) {
        List<String> out = new ArrayList<>();
        for (float f : v) {
            out.add(Float.toString(f));
        }
        return String.join(", ", out);
    }

    private Path modelPath() {
        try {
            return model.getText().isBlank() ? null : Path.of(model.getText().strip());
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The model URL typed, or null while it is not one ({@code djl://}, {@code https://}, {@code file://} and the like). */
    private String url() {
        String u = model.getText().strip();
        return u.matches("(?i)(djl|https?|file|jar|s3)://\\S+") ? u : null;
    }

    /** The input typed for a TorchScript file, or null while it is not a valid one. */
    private Preprocessing preprocessing() {
        try {
            return new Preprocessing(Integer.parseInt(width.getText().strip()), Integer.parseInt(height.getText().strip()),
                    three(mean.getText()), three(std.getText()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static float[] three(String text) {
        String[] parts = text.split("[,\\s]+");
        List<String> values = Arrays.stream(parts).filter(x -> !x.isBlank()).toList();
        float[] out = new float[values.size() == 1 ? 3 : values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.parseFloat(values.get(values.size() == 1 ? 0 : i));
        }
        return out;
    }

    /** Why one's own backbone cannot be used as typed, or null. */
    private String ownProblem() {
        Kind kind = source.getValue() == null ? Kind.PROJECT : source.getValue().kind();
        if (kind == Kind.PROJECT) {
            return null;
        }
        if (kind == Kind.ZOO) {
            return url() == null ? Messages.get("newProject.model.needsUrl") : preprocessing() == null
                    ? Messages.get("newProject.input.invalid") : null;
        }
        Path m = modelPath();
        if (m == null) {
            return Messages.get(kind == Kind.FOLDER ? "newProject.model.needsFolder" : "newProject.model.needsFile");
        }
        if (kind == Kind.FOLDER && !Files.isRegularFile(m.resolve("backbone.json"))) {
            return Messages.get("newProject.model.notFolder", m);
        }
        if (kind == Kind.TORCHSCRIPT && !Files.isRegularFile(m)) {
            return Messages.get("newProject.model.noFile", m);
        }
        if (kind == Kind.TORCHSCRIPT && preprocessing() == null) {
            return Messages.get("newProject.input.invalid");
        }
        return null;
    }

    @FXML
    private void browseModel() {
        Kind kind = source.getValue() == null ? Kind.PROJECT : source.getValue().kind();
        File chosen;
        if (kind == Kind.FOLDER) {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle(Messages.get("newProject.model.folder"));
            chosen = chooser.showDialog(model.getScene().getWindow());
        } else if (kind == Kind.ZOO) {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(Messages.get("newProject.model.url"));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(Messages.get("newProject.model.archives"), "*.zip",
                    "*.tar.gz", "*.tgz"));
            File archive = chooser.showOpenDialog(model.getScene().getWindow());
            if (archive != null) {
                model.setText(archive.toURI().toString());
            }
            return;
        } else {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(Messages.get("newProject.model.file"));
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("TorchScript", "*.pt", "*.pth", "*.torchscript"));
            chosen = chooser.showOpenDialog(model.getScene().getWindow());
        }
        if (chosen != null) {
            model.setText(chosen.getPath());
        }
    }

    /**
     * Loads the model in the background (a model from a URL is downloaded first, once, its progress
     * said) and runs a dummy batch through it: says its embedding length, or what is wrong.
     */
    @FXML
    private void checkModel() {
        Path m = modelPath();
        Kind kind = source.getValue() == null ? Kind.PROJECT : source.getValue().kind();
        Preprocessing p = kind == Kind.TORCHSCRIPT || kind == Kind.ZOO ? preprocessing() : null;
        String u = kind == Kind.ZOO ? url() : null;
        if ((m == null && u == null) || ownProblem() != null || tasks == null) {
            return;
        }
        checked.setText(Messages.get(u != null ? "newProject.downloading.start" : "newProject.checking"));
        checked.pseudoClassStateChanged(PseudoClass.getPseudoClass("error"), false);
        checkModel.setDisable(true);
        tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("newProject.checking"), j -> u != null
                        ? OpenProject.checkZoo(u, p, downloads(j)) : OpenProject.checkBackbone(m, p))
                .onDone(c -> checked.setText(Messages.get("newProject.checked", c.dim(), c.device())))
                .onFailure(e -> {
                    checked.setText(String.valueOf(e.getMessage()));
                    checked.pseudoClassStateChanged(PseudoClass.getPseudoClass("error"), true);
                })
                .andFinally(() -> checkModel.setDisable(false)), true);
    }

    /** How far a model's download is, for people. */
    public static String downloadText(long done, long total) {
        return total > 0 ? Messages.get("newProject.downloading", done / 1e6, total / 1e6)
                : Messages.get("newProject.downloading.unknown", done / 1e6);
    }

    /** Download progress into the job and, as it goes, the check's line; at most one update a percent. */
    private BackboneLoader.DownloadListener downloads(Tasks.Progress job) {
        long[] shown = {-1};
        return (what, done, total) -> {
            long step = total > 0 ? done * 100 / total : done >> 20;
            if (step == shown[0]) {
                return;
            }
            shown[0] = step;
            job.progress(done, total);
            String text = downloadText(done, total);
            job.say(text);
            Platform.runLater(() -> checked.setText(text));
        };
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
        String own = ownProblem();
        if (own != null || ownWasProblem) {
            // what is missing is said where the check's answer goes; once it is there, the line is free again
            checked.setText(own == null ? "" : own);
            checked.pseudoClassStateChanged(PseudoClass.getPseudoClass("error"), own != null);
        }
        ownWasProblem = own != null;
        checkModel.setDisable(own != null);
        ok.setDisable(problem != null || source.getValue() == null || own != null);
    }
}
