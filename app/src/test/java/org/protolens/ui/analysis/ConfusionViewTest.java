package org.protolens.ui.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.protolens.TestResources;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/** The confusion heatmaps with more classes than they draw: a search picks the rows, and the columns follow them. */
class ConfusionViewTest {
    @Test
    void aSearchDrawsTheClassesWhoseNamesHoldItAndWhereTheirImagesWent() throws IOException {
        WorkspaceState w = Workspace.open(TestResources.samples().resolve("omniglot-manyclass")).state();
        assertTrue(w.classCount() > ConfusionView.MAX_CELLS);
        ConfusionView.Numbers found = ConfusionView.numbersOf(w, "LATIN-character1");
        assertTrue(!found.rows().isEmpty() && found.rows().size() <= ConfusionView.MAX_CELLS);
        for (int k : found.rows()) {
            assertTrue(w.classNames().get(k).toLowerCase(Locale.ROOT).contains("latin-character1"), w.classNames().get(k));
            assertTrue(found.cols().contains(k), "a row's own class is a column, the diagonal drawn");
        }
        // every image of the found rows predicted as a class drawn as a column, but for the columns left out
        int[][] now = found.after();
        for (int r : found.rows()) {
            for (int c = 0; c < now[r].length; c++) {
                if (now[r][c] > 0 && !found.cols().contains(c)) {
                    assertTrue(found.cols().size() == ConfusionView.MAX_CELLS, "a column is left out only when there is no room");
                }
            }
        }
        assertTrue(found.summary().contains("whose names hold “LATIN-character1”"), found.summary());
        ConfusionView.Numbers none = ConfusionView.numbersOf(w, "no such class");
        assertEquals(List.of(), none.rows());
        assertTrue(none.summary().startsWith("No labelled class's name holds"), none.summary());
    }
}
