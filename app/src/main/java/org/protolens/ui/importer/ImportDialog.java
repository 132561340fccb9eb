package org.protolens.ui.importer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.protolens.core.project.ImportPlan;
import org.protolens.core.project.ProjectManifest;

/**
 * Asks how dropped images join the project: sub-folders as base classes, new classes (with how
 * many shots each) or unlabelled; loose images as unlabelled, into an existing class, or as a new
 * class. Answers with the list of items to embed.
 */
public final class ImportDialog {
    private ImportDialog() {
    }

    /**
     * @param existing the project's classes by name, with kind "base" or "novel"
     * @return the items to import, or empty when the person cancels
     */
    public static Optional<List<ImportPlan.Item>> ask(Window owner, ImportPlan plan, Map<String, String> existing) {
        Dialog<List<ImportPlan.Item>> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Import images");
        d.setHeaderText("Import " + plan.imageCount() + (plan.imageCount() == 1 ? " image" : " images")
                + (plan.skipped().isEmpty() ? "" : " (" + plan.skipped().size() + " files skipped)"));
        VBox box = new VBox(10);
        box.setPadding(new Insets(10, 4, 4, 4));
        box.setPrefWidth(520);

        ToggleGroup groupsAs = new ToggleGroup();
        RadioButton asNovel = radio("New classes: the first images of each folder are its shots", groupsAs, "groups-novel");
        RadioButton asBase = radio("Base classes: each prototype is the mean of the folder's images", groupsAs, "groups-base");
        RadioButton asNone = radio("Unlabelled images", groupsAs, "groups-unlabelled");
        Spinner<Integer> shots = new Spinner<>(1, 100, 5);
        shots.setId("shots-per-class");
        shots.setEditable(true);
        shots.setPrefWidth(80);
        shots.disableProperty().bind(asNovel.selectedProperty().not());
        if (!plan.groups().isEmpty()) {
            List<String> names = plan.groups().stream().map(ImportPlan.Group::name).toList();
            boolean allBase = names.stream().allMatch(n -> ProjectManifest.BASE.equals(existing.get(n)));
            (allBase ? asBase : asNovel).setSelected(true);
            Label what = new Label(plan.groups().size() + (plan.groups().size() == 1 ? " folder" : " folders")
                    + " of images, one class each: " + preview(names));
            what.setWrapText(true);
            HBox shotRow = new HBox(8, new Label("Shots per new class:"), shots);
            shotRow.setPadding(new Insets(0, 0, 0, 24));
            Label note = new Label("Folders named like an existing class add labelled images to it.");
            note.getStyleClass().add("hint");
            note.setWrapText(true);
            box.getChildren().addAll(what, asNovel, shotRow, asBase, asNone, note);
        }

        ToggleGroup looseAs = new ToggleGroup();
        RadioButton looseNone = radio("Unlabelled", looseAs, "loose-unlabelled");
        RadioButton looseExisting = radio("Into an existing class:", looseAs, "loose-existing");
        RadioButton looseNew = radio("As a new class, all of them shots, named:", looseAs, "loose-new");
        ChoiceBox<String> existingClass = new ChoiceBox<>();
        existingClass.getItems().setAll(existing.keySet().stream().sorted().toList());
        existingClass.setId("loose-class");
        existingClass.disableProperty().bind(looseExisting.selectedProperty().not());
        if (!existingClass.getItems().isEmpty()) {
            existingClass.setValue(existingClass.getItems().getFirst());
        } else {
            looseExisting.setDisable(true);
        }
        TextField newName = new TextField(plan.suggestedLooseName() == null || existing.containsKey(plan.suggestedLooseName())
                ? "" : plan.suggestedLooseName());
        newName.setId("loose-name");
        newName.setPromptText("class name");
        newName.disableProperty().bind(looseNew.selectedProperty().not());
        looseNone.setSelected(true);
        if (!plan.loose().isEmpty()) {
            Label what = new Label(plan.loose().size() + (plan.loose().size() == 1 ? " single image:" : " single images:"));
            box.getChildren().addAll(what, looseNone, new HBox(8, looseExisting, existingClass), new HBox(8, looseNew, newName));
        }
        if (!plan.skipped().isEmpty()) {
            Label skipped = new Label("Skipped: " + plan.skipped().stream().limit(3)
                    .map(s -> s.file().getFileName() + " " + s.reason()).reduce((a, b) -> a + "; " + b).orElse("")
                    + (plan.skipped().size() > 3 ? "; …" : ""));
            skipped.getStyleClass().add("hint");
            skipped.setWrapText(true);
            box.getChildren().add(skipped);
        }
        d.getDialogPane().setContent(box);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        javafx.scene.Node ok = d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("import-ok");
        ((javafx.scene.control.Button) ok).setText("Import");
        ok.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> looseNew.isSelected()
                && (newName.getText().isBlank() || existing.containsKey(newName.getText().strip())),
                looseNew.selectedProperty(), newName.textProperty()));
        d.setResultConverter(b -> {
            if (b != ButtonType.OK) {
                return null;
            }
            ImportPlan.GroupsAs g = asBase.isSelected() ? ImportPlan.GroupsAs.BASE
                    : asNone.isSelected() ? ImportPlan.GroupsAs.UNLABELLED : ImportPlan.GroupsAs.NOVEL;
            ImportPlan.LooseAs l = looseExisting.isSelected() ? ImportPlan.LooseAs.EXISTING_CLASS
                    : looseNew.isSelected() ? ImportPlan.LooseAs.NEW_CLASS : ImportPlan.LooseAs.UNLABELLED;
            String cls = l == ImportPlan.LooseAs.EXISTING_CLASS ? existingClass.getValue()
                    : l == ImportPlan.LooseAs.NEW_CLASS ? newName.getText().strip() : null;
            return plan.items(g, shots.getValue(), l, cls, existing);
        });
        return d.showAndWait();
    }

    private static RadioButton radio(String text, ToggleGroup group, String id) {
        RadioButton r = new RadioButton(text);
        r.setToggleGroup(group);
        r.setId(id);
        return r;
    }

    private static String preview(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }
}
