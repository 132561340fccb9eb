package org.protolens.ui.analysis;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.protolens.core.analysis.Suggestions;
import org.protolens.core.project.History;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Commands;
import org.protolens.ui.common.Messages;

/**
 * The suggestions' state: which ranking (most uncertain first, or likely members of one class),
 * whether near-duplicates are spread out, and what deciding on a suggestion does. Accepting puts
 * the image into the suggested class as a labelled image; making it a shot of a new class (its
 * prototype moves at once) is a choice of its own. "Not this class" marks it, so that it is offered
 * its next class.
 */
public final class SuggestionsViewModel {
    /** How many suggestions the list holds. */
    static final int SHOWN = 200;

    public enum Order { UNCERTAIN, LIKELY }

    /** The ranked suggestions of one state, and the words above them. */
    public record Ranking(WorkspaceState state, List<Suggestions.Suggestion> suggestions, String summary, List<String> classes,
                          String ofClass) {
    }

    private final Commands commands;
    private final ObjectProperty<Order> order = new SimpleObjectProperty<>(Order.UNCERTAIN);
    private final StringProperty ofClass = new SimpleStringProperty();
    private final BooleanProperty diverse = new SimpleBooleanProperty();

    public SuggestionsViewModel(Commands commands) {
        this.commands = commands;
    }

    public ObjectProperty<Order> order() {
        return order;
    }

    /** The class whose likely members are ranked (the last class when none is chosen). */
    public StringProperty ofClass() {
        return ofClass;
    }

    public BooleanProperty diverse() {
        return diverse;
    }

    /** Ranks the likely members of class {@code name}. */
    public void showLikelyMembers(String name) {
        ofClass.set(name);
        order.set(Order.LIKELY);
    }

    /** The ranking of {@code s} with today's choices, to be computed in the background. */
    Supplier<Ranking> prepare(WorkspaceState s) {
        Order o = order.get();
        String chosen = ofClass.get();
        boolean spread = diverse.get();
        return () -> rank(s, o, chosen, spread);
    }

    static Ranking rank(WorkspaceState w, Order order, String chosen, boolean diverse) {
        if (w == null) {
            return new Ranking(null, List.of(), "", List.of(), null);
        }
        String cls = chosen != null && w.classNames().contains(chosen) ? chosen
                : w.classNames().isEmpty() ? null : w.classNames().getLast();
        if (w.classNames().isEmpty()) {
            return new Ranking(w, List.of(), Messages.get("suggestions.noClasses"), List.of(), null);
        }
        boolean likely = order == Order.LIKELY;
        List<Suggestions.Suggestion> s = likely ? Suggestions.likelyMembers(w, w.classNames().indexOf(cls), SHOWN, diverse)
                : Suggestions.uncertain(w, SHOWN, diverse);
        int unlabelled = w.unlabelledCount();
        String summary = unlabelled == 0 ? Messages.get("suggestions.allLabelled")
                : Messages.get(likely ? "suggestions.summary.likely" : "suggestions.summary.uncertain", unlabelled,
                        s.size() < unlabelled ? 1 : 0, s.size(), cls);
        return new Ranking(w, s, summary, w.classNames(), cls);
    }

    /** Whether {@code s} could be accepted as a shot: its class is a new class. */
    static boolean canBeShot(WorkspaceState w, Suggestions.Suggestion s) {
        return w.kind(s.suggested()) == Workspace.Kind.NOVEL;
    }

    /** The edit accepting {@code s} makes: a labelled image of the class, or with {@code asShot} one of its shots. */
    static History.Edit acceptance(WorkspaceState w, Suggestions.Suggestion s, boolean asShot) {
        String name = w.classNames().get(s.suggested());
        boolean shot = asShot && canBeShot(w, s);
        return History.relabel(Messages.get(shot ? "edit.acceptShot" : "edit.accept", w.imagePath(s.image()), name),
                new int[] {s.image()}, name, shot);
    }

    /** The image joins the suggested class as a labelled image (undoable). */
    public CompletableFuture<Void> accept(WorkspaceState w, Suggestions.Suggestion s) {
        return commands.edit(acceptance(w, s, false));
    }

    /** The image becomes a shot of the suggested new class: its prototype moves (undoable). */
    public CompletableFuture<Void> acceptAsShot(WorkspaceState w, Suggestions.Suggestion s) {
        return commands.edit(acceptance(w, s, true));
    }

    /** Marks the image as not of the suggested class: it is offered its next class, or no longer for that class. */
    public CompletableFuture<Void> reject(WorkspaceState w, Suggestions.Suggestion s) {
        return commands.edit(History.reject(w.classNames().get(s.suggested()), new int[] {s.image()}));
    }

    /** The numbers behind a suggestion, in words. */
    static String why(WorkspaceState w, Suggestions.Suggestion s) {
        String next = s.runnerUp() < 0 || s.runnerUp() >= w.classNames().size() ? ""
                : Messages.get("suggestions.margin", String.format(Locale.ROOT, Math.abs(s.margin()) < 1e-3 ? "%.1e" : "%.3f", s.margin()),
                        w.classNames().get(s.runnerUp()));
        return Messages.get("suggestions.similarity", String.format(Locale.ROOT, "%.3f", s.score())) + next;
    }
}
