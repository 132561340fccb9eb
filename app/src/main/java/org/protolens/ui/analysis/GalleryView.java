package org.protolens.ui.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.GridCell;
import org.controlsfx.control.GridView;
import org.protolens.core.project.WorkspaceState;
import org.protolens.ui.common.ImageActions;
import org.protolens.ui.common.Messages;
import org.protolens.ui.common.ProjectState;
import org.protolens.ui.common.Tasks;
import org.protolens.ui.common.Theme;
import org.protolens.ui.common.Thumbnails;

/**
 * The latest selection (or every image) as a grid of large thumbnails, each with its path in the
 * project, label and prediction; the size is adjustable, the grid virtualised (only the visible
 * cells load their image). Clicking a thumbnail inspects its image, the arrow keys, Home and End
 * move through the grid; the inspected image is framed. Ctrl-click chooses more thumbnails (or
 * takes one back), Shift-click every one from the last clicked, Ctrl+A all of them: the chosen
 * ones get an amber frame here and an amber halo on the map. Double-click or Space shows the
 * inspected image full size; a number key or L labels the chosen images (the inspected one when
 * none is chosen).
 */
final class GalleryView extends AnalysisView<GalleryView.Shown> {
    private static final int SMALLEST = 48;
    private static final int LARGEST = 320;

    /** The images to show and what the line above the grid says. */
    record Shown(WorkspaceState state, List<Integer> images, String summary) {
    }

    private final Thumbnails thumbnails;
    private final ImageActions actions;
    private final ObservableList<Integer> items = FXCollections.observableArrayList();
    private final GridView<Integer> grid = new GridView<>(items);
    private final Label summary = new Label();
    private final Slider size = new Slider(SMALLEST, LARGEST, 128);
    /** the thumbnails chosen, in the order they were chosen; every change ends with {@link #chosenChanged()} */
    private final Set<Integer> chosen = new LinkedHashSet<>();
    /** where a Shift-click's range starts: the last thumbnail clicked */
    private int anchor = -1;
    private WorkspaceState state;

    GalleryView(ProjectState project, Tasks tasks, Theme theme, Thumbnails thumbnails, ImageActions actions) {
        super(project, tasks, theme, "gallery-view");
        this.thumbnails = thumbnails;
        this.actions = actions;
        summary.setId("gallery-summary");
        size.setId("gallery-size");
        size.setPrefWidth(160);
        size.setTooltip(new Tooltip(Messages.get("gallery.size.tip")));
        Label sizeLabel = new Label(Messages.get("gallery.size"));
        sizeLabel.setMinWidth(Region.USE_PREF_SIZE);
        summary.setMinWidth(0);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(8, summary, gap, sizeLabel, size);
        top.setAlignment(Pos.CENTER_LEFT);
        grid.setId("gallery-grid");
        grid.cellWidthProperty().bind(size.valueProperty());
        grid.cellHeightProperty().bind(size.valueProperty().add(30));
        grid.setHorizontalCellSpacing(6);
        grid.setVerticalCellSpacing(6);
        grid.setCellFactory(g -> new Cell());
        // the arrow keys, Home and End move the inspected image through the grid
        grid.setFocusTraversable(true);
        grid.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.A && e.isShortcutDown()) {
                chosen.addAll(items);
                chosenChanged();
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE && !chosen.isEmpty()) {
                chosen.clear();
                chosenChanged();
                e.consume();
            } else if (step(e.getCode()) || actions.handle(e, this::chosenOrInspected, () -> List.copyOf(items), grid)
                    || actions.remove(e, this::chosenOrInspected, grid, this::unchoose)) {
                e.consume();
            }
        });
        // the chosen thumbnails are drawn on the map with a halo while the gallery is shown
        shownProperty().addListener((o, was, now) -> highlight());
        VBox.setVgrow(grid, Priority.ALWAYS);
        getChildren().setAll(top, grid);
        project.selection().addListener((o, a, b) -> refresh());
        // the inspected image's frame follows the inspector, wherever it was chosen
        project.inspected().addListener((o, a, b) -> markCells());
        refresh();
    }

    private void markCells() {
        grid.lookupAll(".gallery-cell").forEach(n -> {
            if (n instanceof Cell c) {
                c.mark();
            }
        });
    }

    private void highlight() {
        project.highlighted().set(shownProperty().get() ? chosen.stream().mapToInt(Integer::intValue).toArray() : new int[0]);
    }

    /** The images chosen here, or else the inspected image when the grid shows it: what a number key labels. */
    private int[] chosenOrInspected() {
        if (!chosen.isEmpty()) {
            return chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        int inspected = project.inspected().get();
        return items.contains(inspected) ? new int[] {inspected} : new int[0];
    }

    /** The images chosen in the grid, in the order they were chosen. */
    List<Integer> chosen() {
        return List.copyOf(chosen);
    }

    private String summaryText() {
        String base = shownSummary == null ? "" : shownSummary;
        return chosen.isEmpty() ? base : base + " " + Messages.get("gallery.chosen", chosen.size());
    }

    /** A click on thumbnail {@code i}: alone, Ctrl (taken or given back) or Shift (a run from the last click). */
    private void click(int i, boolean ctrl, boolean shift) {
        project.inspected().set(i);
        if (shift && anchor >= 0 && items.contains(anchor)) {
            int from = items.indexOf(anchor);
            int to = items.indexOf(i);
            for (int k = Math.min(from, to); k <= Math.max(from, to); k++) {
                chosen.add(items.get(k));
            }
        } else if (ctrl) {
            if (!chosen.remove(i)) {
                chosen.add(i);
            }
            anchor = i;
        } else {
            anchor = i;
            if (chosen.isEmpty()) {
                return;
            }
            chosen.clear();
        }
        chosenChanged();
    }

    private void unchoose() {
        chosen.clear();
        chosenChanged();
    }

    /** Once per change of the chosen thumbnails, however many it chose: the halo on the map, the frames, the summary. */
    private void chosenChanged() {
        highlight();
        markCells();
        summary.setText(summaryText());
    }

    /** Moves the inspected image by a key (the first image when none of the grid's is inspected); false: not a moving key. */
    private boolean step(KeyCode key) {
        if (items.isEmpty()) {
            return false;
        }
        double cell = grid.getCellWidth() + grid.getHorizontalCellSpacing() * 2;
        int columns = Math.max(1, (int) ((grid.getWidth() - 20) / Math.max(1, cell)));
        int at = items.indexOf(project.inspected().get());
        int to = switch (key) {
            case LEFT -> at - 1;
            case RIGHT -> at + 1;
            case UP -> at - columns;
            case DOWN -> at + columns;
            case HOME -> 0;
            case END -> items.size() - 1;
            default -> Integer.MIN_VALUE;
        };
        if (to == Integer.MIN_VALUE) {
            return false;
        }
        int index = at < 0 ? 0 : Math.max(0, Math.min(items.size() - 1, to));
        project.inspected().set(items.get(index));
        if (grid.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            flow.scrollTo(index / columns);
        }
        return true;
    }

    @Override
    protected Supplier<Shown> prepare(WorkspaceState s) {
        int[] selected = project.selection().get();
        return () -> {
            if (s == null) {
                return new Shown(null, List.of(), Messages.get("gallery.none"));
            }
            int[] shown = selected != null && selected.length > 0 ? selected : IntStream.range(0, s.imageCount()).toArray();
            List<Integer> list = new ArrayList<>(shown.length);
            for (int i : shown) {
                if (i < s.imageCount()) {
                    list.add(i);
                }
            }
            String text = selected != null && selected.length > 0 ? Messages.get("gallery.selected", list.size())
                    : Messages.get("gallery.all", list.size());
            return new Shown(s, list, text);
        };
    }

    private String shownSummary;

    @Override
    protected void show(Shown shown) {
        state = shown.state();
        items.setAll(shown.images());
        // what was chosen stays chosen where it is still shown
        if (chosen.retainAll(new HashSet<>(shown.images()))) {
            chosenChanged();
        }
        shownSummary = shown.summary();
        summary.setText(summaryText());
    }

    /** One thumbnail with its path, label and prediction. */
    private final class Cell extends GridCell<Integer> {
        private final ImageView image = new ImageView();
        private final Label caption = new Label();
        private final VBox box = new VBox(2, image, caption);

        Cell() {
            getStyleClass().add("gallery-cell");
            image.setPreserveRatio(true);
            image.setSmooth(false);
            image.fitWidthProperty().bind(size.valueProperty().subtract(4));
            image.fitHeightProperty().bind(size.valueProperty().subtract(4));
            caption.getStyleClass().add("gallery-caption");
            caption.maxWidthProperty().bind(size.valueProperty());
            box.setAlignment(Pos.TOP_CENTER);
            setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && getItem() != null) {
                    if (e.getClickCount() == 2) {
                        actions.view(List.copyOf(items));
                    } else {
                        click(getItem(), e.isShortcutDown(), e.isShiftDown());
                    }
                    grid.requestFocus();
                }
            });
        }

        @Override
        protected void updateItem(Integer i, boolean empty) {
            super.updateItem(i, empty);
            WorkspaceState s = state;
            if (empty || i == null || s == null || i >= s.imageCount()) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            image.setImage(thumbnails.get(s.imageFile(i), LARGEST));
            String label = s.label(i) < 0 ? Messages.get("gallery.unlabelled") : s.classNames().get(s.label(i));
            int p = s.predicted(i);
            String predicted = p < 0 ? "–" : s.classNames().get(p);
            caption.setText(label.equals(predicted) ? label : label + " → " + predicted);
            String path = s.imagePath(i);
            setTooltip(new Tooltip(Messages.get("gallery.cell.tip", path, label, predicted)));
            pseudoClassStateChanged(WRONG, s.label(i) >= 0 && p != s.label(i));
            mark();
            setGraphic(box);
        }

        /** Frames the inspected image and the chosen ones. */
        void mark() {
            boolean here = !isEmpty() && getItem() != null;
            pseudoClassStateChanged(INSPECTED, here && getItem() == project.inspected().get());
            pseudoClassStateChanged(CHOSEN, here && chosen.contains(getItem()));
        }
    }

    private static final PseudoClass WRONG = PseudoClass.getPseudoClass("wrong");
    private static final PseudoClass INSPECTED = PseudoClass.getPseudoClass("inspected");
    private static final PseudoClass CHOSEN = PseudoClass.getPseudoClass("chosen");
}
