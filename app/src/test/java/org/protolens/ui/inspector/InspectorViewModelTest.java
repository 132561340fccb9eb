package org.protolens.ui.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/** What the inspector says of an image, read as a person reads it. */
class InspectorViewModelTest {
    @TempDir
    Path dir;

    @Test
    void anImageWhoseFileIsMissingIsStillPredictedAndSaysItsFileIsMissing() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("p"));
        WorkspaceState before = Workspace.open(project).state();
        int gone = 7;
        InspectorViewModel.Details was = InspectorViewModel.detailsOf(before, gone);
        Files.delete(before.imageFile(gone));
        WorkspaceState s = Workspace.open(project).state();

        InspectorViewModel.Details missing = InspectorViewModel.detailsOf(s, gone);
        assertTrue(missing.verdict().startsWith(was.verdict() + "\n"), missing.verdict());
        assertTrue(missing.verdict().endsWith("Its file is missing: the picture cannot be shown until it is back."),
                missing.verdict());
        assertEquals(was.bars(), missing.bars(), "its similarities come from its embedding, which the project keeps");
        assertEquals(before.imagePath(gone), missing.file());

        InspectorViewModel.Details there = InspectorViewModel.detailsOf(s, gone + 1);
        assertFalse(there.verdict().contains("missing"), there.verdict());
    }
}
