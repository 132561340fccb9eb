package org.protolens.ui.shell;

import java.util.List;
import java.util.Optional;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Stage;
import org.protolens.core.project.SavedSelections;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;

/**
 * Edit > Save Selection As, Saved Selections and Delete Saved Selection: the map's selection kept
 * under a name in the project ({@code selections.json}), to be selected again later. The file is
 * read when a project opens and written in the background; a file that cannot be read is said in
 * the notice bar, naming it.
 */
final class SelectionsMenu {
    private final Stage stage;
    private final ProjectState project;
    private final Tasks tasks;
    private final MenuItem save = new MenuItem(Messages.get("menu.edit.saveSelection"));
    private final Menu saved = new Menu(Messages.get("menu.edit.savedSelections"));
    private final Menu delete = new Menu(Messages.get("menu.edit.deleteSelection"));

    SelectionsMenu(Stage stage, ProjectState project, Tasks tasks) {
        this.stage = stage;
        this.project = project;
        this.tasks = tasks;
        save.setId("menu-save-selection");
        saved.setId("menu-saved-selections");
        delete.setId("menu-delete-selection");
        save.setOnAction(e -> askAndSave());
        save.disableProperty().bind(project.selection().map(sel -> sel == null || sel.length == 0).orElse(true));
        show(List.of());
        project.workspace().addListener((o, was, now) -> {
            if (now == null) {
                show(List.of());
            } else if (was == null || !now.dir().equals(was.dir())) {
                tasks.run(Tasks.Lane.FILES, Messages.get("selections.reading"), j -> SavedSelections.read(now.dir()), this::show)
                        .onFailure(this::failed);
            }
        });
    }

    /** The Edit menu's items: save, the saved ones, delete. */
    List<MenuItem> items() {
        return List.of(new SeparatorMenuItem(), save, saved, delete);
    }

    private void askAndSave() {
        WorkspaceState s = project.workspace().get();
        int[] images = project.selection().get();
        if (s == null || images == null || images.length == 0) {
            return;
        }
        TextInputDialog d = new TextInputDialog(Messages.get("selections.defaultName", saved.getItems().size() + 1));
        d.initOwner(stage);
        d.setTitle(Messages.get("selections.save.title"));
        d.setHeaderText(Messages.get("selections.save.header", images.length));
        d.getEditor().setId("selection-name");
        Optional<String> name = d.showAndWait().map(String::strip).filter(n -> !n.isEmpty());
        name.ifPresent(n -> tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("selections.saving", n),
                j -> SavedSelections.save(s, n, images)).onDone(all -> {
                    show(all);
                    project.notices().note(Messages.get("selections.saved", n, images.length), List.of());
                }).onFailure(this::failed), true));
    }

    /** Fills the menus with {@code all}. */
    private void show(List<SavedSelections.Selection> all) {
        saved.getItems().clear();
        delete.getItems().clear();
        for (SavedSelections.Selection sel : all) {
            MenuItem recall = new MenuItem(Messages.get("selections.item", sel.name(), sel.images().size()));
            recall.setMnemonicParsing(false);
            recall.setOnAction(e -> recall(sel));
            saved.getItems().add(recall);
            MenuItem gone = new MenuItem(sel.name());
            gone.setMnemonicParsing(false);
            gone.setOnAction(e -> delete(sel.name()));
            delete.getItems().add(gone);
        }
        saved.setDisable(all.isEmpty());
        delete.setDisable(all.isEmpty());
    }

    private void recall(SavedSelections.Selection sel) {
        WorkspaceState s = project.workspace().get();
        if (s == null) {
            return;
        }
        tasks.run(Tasks.Lane.VIEWS, Messages.get("selections.recalling", sel.name()), j -> SavedSelections.recall(s, sel), r -> {
            if (project.workspace().get() == null || !project.workspace().get().dir().equals(s.dir())) {
                return;
            }
            project.selection().set(r.images());
            if (r.gone() > 0) {
                project.notices().note(Messages.get("selections.gone", sel.name(), r.gone()), List.of());
            }
        });
    }

    private void delete(String name) {
        WorkspaceState s = project.workspace().get();
        if (s != null) {
            tasks.start(tasks.job(Tasks.Lane.FILES, Messages.get("selections.deleting", name), j -> SavedSelections.delete(s, name))
                    .onDone(this::show).onFailure(this::failed), true);
        }
    }

    private void failed(Throwable e) {
        project.notices().problem(Messages.get("selections.failed"), List.of(String.valueOf(e.getMessage())));
    }
}
