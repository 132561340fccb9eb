package org.protolens.ui.classes;

import java.util.Optional;
import javafx.application.Platform;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.protolens.core.project.NewClassPlan;
import org.protolens.ui.common.Fxml;
import org.protolens.ui.common.Messages;

/**
 * Asks for a new class from the selection (fxml/NewClassDialog.fxml): its name, whether the
 * selection's labelled images move into it (off unless the person ticks it), how many shots and
 * how they are picked; says what that will do before anything changes. Answers with the name and
 * the plan; the edit is made by the caller.
 */
public final class NewClassDialog {
    /** What the person asked for. */
    public record Answer(String name, NewClassPlan.Result plan) {
    }

    @FXML private TextField name;
    @FXML private Label holds;
    @FXML private CheckBox relabel;
    @FXML private Spinner<Integer> shots;
    @FXML private Label shotsOf;
    @FXML private RadioButton central;
    @FXML private RadioButton random;
    @FXML private Spinner<Integer> seed;
    @FXML private Label outcome;
    @FXML private Label problem;

    private NewClassDialog() {
    }

    /** Shows the dialog for {@code vm}; empty when the person cancels. */
    public static Optional<Answer> ask(Window owner, NewClassViewModel vm) {
        NewClassDialog c = new NewClassDialog();
        VBox content = Fxml.load("NewClassDialog", c);
        Dialog<Answer> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(Messages.get("newClass.title"));
        d.setHeaderText(Messages.get("newClass.header"));
        d.getDialogPane().setContent(content);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("new-class-ok");
        ok.disableProperty().bind(vm.ready().not());
        c.bind(vm);
        d.setResultConverter(b -> b == ButtonType.OK && vm.ready().get() ? new Answer(vm.name().get().strip(), vm.plan()) : null);
        Platform.runLater(c.name::requestFocus);
        return d.showAndWait();
    }

    private void bind(NewClassViewModel vm) {
        name.textProperty().bindBidirectional(vm.name());
        holds.setText(vm.holdingText());
        relabel.setText(vm.relabelText());
        relabel.setVisible(vm.holdsLabelled());
        relabel.setManaged(vm.holdsLabelled());
        relabel.selectedProperty().bindBidirectional(vm.relabel());

        var shotCount = new SpinnerValueFactory.IntegerSpinnerValueFactory(1, Math.max(1, vm.takeable().get()), vm.shots().get());
        shotCount.maxProperty().bind(vm.takeable().map(n -> Math.max(1, n.intValue())));
        shots.setValueFactory(shotCount);
        shotCount.valueProperty().addListener((o, was, now) -> {
            if (now != null && now != vm.shots().get()) {
                vm.shots().set(now);
            }
        });
        vm.shots().addListener((o, was, now) -> shotCount.setValue(now.intValue()));
        shots.disableProperty().bind(vm.takeable().lessThan(1));
        shotsOf.textProperty().bind(vm.takeable().map(n -> Messages.get("newClass.shots.of", n)));

        random.setSelected(vm.pick().get() == NewClassPlan.Pick.RANDOM);
        random.selectedProperty().addListener((o, was, now) -> vm.pick().set(now ? NewClassPlan.Pick.RANDOM : NewClassPlan.Pick.CENTRAL));
        central.setSelected(vm.pick().get() == NewClassPlan.Pick.CENTRAL);
        var seedValue = new SpinnerValueFactory.IntegerSpinnerValueFactory(0, Integer.MAX_VALUE, (int) vm.seed().get());
        seed.setValueFactory(seedValue);
        seedValue.valueProperty().addListener((o, was, now) -> vm.seed().set(now == null ? 0 : now));
        seed.disableProperty().bind(random.selectedProperty().not());

        outcome.textProperty().bind(vm.outcome());
        outcome.visibleProperty().bind(vm.outcome().isNotEmpty());
        outcome.managedProperty().bind(outcome.visibleProperty());
        problem.textProperty().bind(vm.problem());
        problem.visibleProperty().bind(vm.problem().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.pseudoClassStateChanged(PseudoClass.getPseudoClass("error"), true);
    }
}
