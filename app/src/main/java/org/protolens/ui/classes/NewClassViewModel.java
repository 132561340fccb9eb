package org.protolens.ui.classes;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.protolens.core.project.NewClassPlan;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;

/**
 * The New class dialog's state: what the selection holds, the person's choices (name, whether
 * labelled images are relabelled, how many shots and how they are picked) and the plan they
 * give, told in words before anything changes.
 */
public final class NewClassViewModel {
    private final WorkspaceState state;
    private final int[] selection;
    private final NewClassPlan.Holding holding;
    private final StringProperty name = new SimpleStringProperty("");
    private final BooleanProperty relabel = new SimpleBooleanProperty(false);
    private final IntegerProperty shots = new SimpleIntegerProperty();
    private final ObjectProperty<NewClassPlan.Pick> pick = new SimpleObjectProperty<>(NewClassPlan.Pick.CENTRAL);
    private final LongProperty seed = new SimpleLongProperty(1);
    private final ReadOnlyIntegerWrapper takeable = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper ready = new ReadOnlyBooleanWrapper(false);
    private NewClassPlan.Result plan;
    private boolean shotsChosen;
    private boolean updating;

    public NewClassViewModel(WorkspaceState state, int[] selection) {
        this.state = state;
        this.selection = selection.clone();
        this.holding = NewClassPlan.holding(state, selection);
        takeable.set(NewClassPlan.takeable(state, selection, false));
        shots.set(defaultShots(takeable.get()));
        relabel.addListener((o, was, now) -> {
            takeable.set(NewClassPlan.takeable(state, this.selection, now));
            if (!shotsChosen || shots.get() > takeable.get()) {
                updating = true;
                shots.set(shotsChosen ? Math.max(1, takeable.get()) : defaultShots(takeable.get()));
                updating = false;
            }
            update();
        });
        shots.addListener((o, was, now) -> {
            if (!updating) {
                shotsChosen = true;
            }
            update();
        });
        pick.addListener((o, was, now) -> update());
        seed.addListener((o, was, now) -> update());
        name.addListener((o, was, now) -> update());
        update();
    }

    private static int defaultShots(int takeable) {
        return Math.max(1, Math.min(NewClassPlan.DEFAULT_SHOTS, takeable));
    }

    public StringProperty name() {
        return name;
    }

    /** Whether the selection's labelled images are taken too (they leave their classes). */
    public BooleanProperty relabel() {
        return relabel;
    }

    public IntegerProperty shots() {
        return shots;
    }

    public ObjectProperty<NewClassPlan.Pick> pick() {
        return pick;
    }

    public LongProperty seed() {
        return seed;
    }

    /** How many images the class would take: the most shots there can be. */
    public ReadOnlyIntegerProperty takeable() {
        return takeable.getReadOnlyProperty();
    }

    /** What the plan does, in a sentence or two. */
    public ReadOnlyStringProperty outcome() {
        return outcome.getReadOnlyProperty();
    }

    /** Why the class cannot be made yet (empty: it can). */
    public ReadOnlyStringProperty problem() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty ready() {
        return ready.getReadOnlyProperty();
    }

    /** Whether the selection holds labelled images (the relabel choice means something). */
    public boolean holdsLabelled() {
        return holding.labelledTotal() > 0;
    }

    /** What the selection holds: "110 images selected: 70 unlabelled, 40 labelled (airplane 22, ship 18, 1 of them a shot)". */
    public String holdingText() {
        int total = holding.unlabelled() + holding.labelledTotal();
        if (holding.labelledTotal() == 0) {
            return Messages.get("newClass.holds.unlabelled", total);
        }
        List<String> parts = new ArrayList<>();
        for (int k : holding.classes()) {
            int n = holding.labelled()[k] + holding.shots()[k];
            String part = state.classNames().get(k) + " " + n;
            parts.add(holding.shots()[k] == 0 ? part : part + " " + Messages.get("newClass.holds.shots", holding.shots()[k]));
        }
        return holding.unlabelled() == 0 ? Messages.get("newClass.holds.labelled", total, String.join(", ", parts))
                : Messages.get("newClass.holds", total, holding.unlabelled(), holding.labelledTotal(), String.join(", ", parts));
    }

    /** The label of the relabel choice: "Also take the 40 labelled images (they leave airplane and ship)". */
    public String relabelText() {
        List<String> names = new ArrayList<>();
        for (int k : holding.classes()) {
            names.add(state.classNames().get(k));
        }
        String from = names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + " " + Messages.get("newClass.relabel.more", names.size() - 3);
        return Messages.get("newClass.relabel", holding.labelledTotal(), from);
    }

    /** The plan as chosen now (null while nothing can be taken). */
    public NewClassPlan.Result plan() {
        return plan;
    }

    private void update() {
        int n = takeable.get();
        plan = n == 0 ? null : NewClassPlan.plan(state, selection,
                new NewClassPlan.Choice(relabel.get(), Math.max(1, shots.get()), pick.get(), seed.get()));
        String nm = name.get() == null ? "" : name.get().strip();
        if (plan == null) {
            outcome.set("");
            problem.set(Messages.get(holdsLabelled() ? "newClass.problem.onlyLabelled" : "newClass.problem.empty"));
        } else if (nm.isEmpty()) {
            problem.set(Messages.get("newClass.problem.name"));
        } else if (state.classNames().contains(nm)) {
            problem.set(Messages.get("newClass.problem.taken", nm));
        } else {
            problem.set("");
        }
        if (plan != null) {
            StringBuilder text = new StringBuilder(plan.members().length == 0
                    ? Messages.get("newClass.outcome.shotsOnly", plan.shots().length)
                    : Messages.get("newClass.outcome", plan.shots().length, plan.members().length));
            if (plan.untouched() > 0) {
                text.append(' ').append(Messages.get("newClass.outcome.untouched", plan.untouched()));
            }
            if (!plan.keptShotsOf().isEmpty()) {
                text.append(' ').append(Messages.get("newClass.outcome.kept", String.join(", ", plan.keptShotsOf())));
            }
            outcome.set(text.toString());
        }
        ready.set(problem.get().isEmpty());
    }
}
