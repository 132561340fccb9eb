package org.protolens.ui.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.protolens.core.project.ImportPlan;
import org.protolens.core.project.Workspace;
import org.protolens.ui.common.Fxml;
import org.protolens.ui.common.Messages;

/**
 * Asks how dropped images join the project (fxml/ImportDialog.fxml): a folder of splits (train/,
 * test/, each a folder of class folders) by its class folders, from the splits chosen, or one class
 * per split; sub-folders as new classes
 * (with how many shots each), base classes or unlabelled; single images as unlabelled, into an
 * existing class, or as a new class. Answers with the items to embed.
 */
public final class ImportDialog {
    @FXML private VBox groups;
    @FXML private Label groupsText;
    @FXML private RadioButton asNovel;
    @FXML private RadioButton asBase;
    @FXML private RadioButton asNone;
    @FXML private Spinner<Integer> shots;
    @FXML private VBox loose;
    @FXML private Label looseText;
    @FXML private RadioButton looseNone;
    @FXML private RadioButton looseExisting;
    @FXML private RadioButton looseNew;
    @FXML private ChoiceBox<String> existingClass;
    @FXML private TextField newName;
    @FXML private Label skipped;
    @FXML private VBox splitsBox;
    @FXML private Label splitsText;
    @FXML private RadioButton byClassFolders;
    @FXML private RadioButton bySplits;
    @FXML private FlowPane splitChoices;
    @FXML private Label groupsNote;
    @FXML private CheckBox copyInto;

    private final List<CheckBox> splitBoxes = new ArrayList<>();
    /** the plan as the person's choice of splits makes it */
    private ImportPlan effective;
    private final BooleanProperty nothing = new SimpleBooleanProperty();

    private ImportDialog() {
    }

    /**
     * What the person chose.
     *
     * @param copy whether the images outside the project folder are copied into it first
     */
    public record Answer(List<ImportPlan.Item> items, boolean copy) {
    }

    /**
     * @param dir      the project folder
     * @param existing the project's classes by name, with their kind
     * @return the items to import, or empty when the person cancels
     */
    public static Optional<Answer> ask(Window owner, ImportPlan plan, Path dir, Map<String, Workspace.Kind> existing) {
        ImportDialog c = new ImportDialog();
        VBox content = Fxml.load("ImportDialog", c);
        Dialog<Answer> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(Messages.get("import.title"));
        d.setHeaderText(Messages.get("import.header", plan.imageCount(), plan.skipped().size()));
        d.getDialogPane().setContent(content);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("import-ok");
        ok.setText(Messages.get("import.ok"));
        c.fill(plan, existing, ok, d);
        Path base = dir.toAbsolutePath().normalize();
        boolean outside = plan.allFiles().anyMatch(f -> !f.toAbsolutePath().normalize().startsWith(base));
        show(c.copyInto, outside);
        d.setResultConverter(b -> b == ButtonType.OK ? new Answer(c.items(existing), outside && c.copyInto.isSelected()) : null);
        return d.showAndWait();
    }

    private void fill(ImportPlan plan, Map<String, Workspace.Kind> existing, Button ok, Dialog<?> d) {
        shots.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 100, 5));
        shots.disableProperty().bind(asNovel.selectedProperty().not());
        show(splitsBox, !plan.splits().isEmpty());
        if (!plan.splits().isEmpty()) {
            List<String> splitNames = plan.splits().stream().map(ImportPlan.Split::name).toList();
            splitsText.setText(Messages.get("import.splits", splitNames.size(), preview(splitNames)));
            ImportPlan all = plan.byClassFolders(splitNames);
            byClassFolders.setText(Messages.get("import.splits.byClass", all.groups().size(),
                    preview(all.groups().stream().map(ImportPlan.Group::name).toList())));
            bySplits.setText(Messages.get("import.splits.asClasses", preview(splitNames)));
            for (ImportPlan.Split sp : plan.splits()) {
                CheckBox box = new CheckBox(Messages.get("import.splits.one", sp.name(), sp.imageCount()));
                box.setId("split-" + sp.name());
                box.setSelected(true);
                box.disableProperty().bind(byClassFolders.selectedProperty().not());
                box.selectedProperty().addListener((o, a, b) -> choose(plan, existing, d));
                splitBoxes.add(box);
                splitChoices.getChildren().add(box);
            }
            (plan.splitsLookLikeADataset() ? byClassFolders : bySplits).setSelected(true);
            byClassFolders.selectedProperty().addListener((o, a, b) -> choose(plan, existing, d));
        }
        choose(plan, existing, d);
        show(loose, !plan.loose().isEmpty());
        looseText.setText(Messages.get("import.loose", plan.loose().size()));
        existingClass.getItems().setAll(existing.keySet().stream().sorted().toList());
        existingClass.disableProperty().bind(looseExisting.selectedProperty().not());
        if (!existingClass.getItems().isEmpty()) {
            existingClass.setValue(existingClass.getItems().getFirst());
        } else {
            looseExisting.setDisable(true);
        }
        newName.setText(plan.suggestedLooseName() == null || existing.containsKey(plan.suggestedLooseName())
                ? "" : plan.suggestedLooseName());
        newName.disableProperty().bind(looseNew.selectedProperty().not());
        show(skipped, !plan.skipped().isEmpty());
        skipped.setText(Messages.get("import.skipped", plan.skipped().stream().limit(3)
                .map(s -> s.file().getFileName() + " " + s.reason()).reduce((a, b) -> a + "; " + b).orElse(""),
                plan.skipped().size() > 3 ? 1 : 0));
        ok.disableProperty().bind(nothing.or(Bindings.createBooleanBinding(() -> looseNew.isSelected()
                        && (newName.getText().isBlank() || existing.containsKey(newName.getText().strip())),
                looseNew.selectedProperty(), newName.textProperty())));
    }

    /** The plan as the splits chosen make it: the groups, their text and the header follow. */
    private void choose(ImportPlan plan, Map<String, Workspace.Kind> existing, Dialog<?> d) {
        effective = plan.splits().isEmpty() || !byClassFolders.isSelected() ? plan
                : plan.byClassFolders(plan.splits().stream().map(ImportPlan.Split::name)
                        .filter(n -> splitBoxes.stream().anyMatch(b -> b.isSelected() && b.getId().equals("split-" + n))).toList());
        d.setHeaderText(Messages.get("import.header", effective.imageCount(), effective.skipped().size()));
        nothing.set(effective.imageCount() == 0);
        List<String> names = effective.groups().stream().map(ImportPlan.Group::name).toList();
        show(groups, !names.isEmpty());
        if (!names.isEmpty()) {
            boolean allBase = names.stream().allMatch(n -> existing.get(n) != null && existing.get(n).isBase());
            if (allBase || asNovel.getToggleGroup().getSelectedToggle() == null) {
                (allBase ? asBase : asNovel).setSelected(true);
            }
            groupsText.setText(Messages.get("import.groups", names.size(), preview(names)));
            List<String> matching = names.stream().filter(existing::containsKey).toList();
            groupsNote.setText(matching.isEmpty() ? Messages.get("import.groups.note")
                    : Messages.get("import.groups.matching", matching.size(), preview(matching)));
        }
    }

    private List<ImportPlan.Item> items(Map<String, Workspace.Kind> existing) {
        ImportPlan plan = effective;
        ImportPlan.GroupsAs g = asBase.isSelected() ? ImportPlan.GroupsAs.BASE
                : asNone.isSelected() ? ImportPlan.GroupsAs.UNLABELLED : ImportPlan.GroupsAs.NOVEL;
        ImportPlan.LooseAs l = looseExisting.isSelected() ? ImportPlan.LooseAs.EXISTING_CLASS
                : looseNew.isSelected() ? ImportPlan.LooseAs.NEW_CLASS : ImportPlan.LooseAs.UNLABELLED;
        String cls = l == ImportPlan.LooseAs.EXISTING_CLASS ? existingClass.getValue()
                : l == ImportPlan.LooseAs.NEW_CLASS ? newName.getText().strip() : null;
        return plan.items(g, shots.getValue(), l, cls, existing);
    }

    private static void show(Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
    }

    private static String preview(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : Messages.get("import.groups.more", String.join(", ", names.subList(0, 5)), names.size() - 5);
    }
}
