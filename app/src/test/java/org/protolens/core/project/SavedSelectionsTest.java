package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;

/** Selections saved under a name come back with the same images, whatever changed in the project meanwhile. */
class SavedSelectionsTest {
    @TempDir
    Path dir;

    @Test
    void aSavedSelectionComesBackWithItsImagesAfterOthersWereRemoved() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        try (OpenProject open = OpenProject.open(project)) {
            Workspace w = open.workspace();
            assertEquals(List.of(), SavedSelections.read(project), "none before the first is saved");
            // two imported images, then a selection of a project image and the second imported one
            var rows = w.embeddings(0, 2);
            w.addImages(List.of(new Workspace.ImportedImage(w.imagePaths().get(0) + "-copy-a", new byte[32]),
                    new Workspace.ImportedImage(w.imagePaths().get(1) + "-copy-b", new byte[32])), rows);
            int a = w.imageCount() - 2;
            int b = w.imageCount() - 1;
            SavedSelections.save(w.state(), "To review", new int[] {b, 5, 5});
            SavedSelections.save(w.state(), "Other", new int[] {7});
            List<SavedSelections.Selection> saved = SavedSelections.save(w.state(), "To review", new int[] {b, 5});
            assertEquals(List.of("Other", "To review"), saved.stream().map(SavedSelections.Selection::name).toList(),
                    "saving under a name again replaces that selection");
            w.removeImages(new int[] {a});
            var recalled = SavedSelections.recall(w.state(), SavedSelections.read(project).get(1));
            assertArrayEquals(new int[] {5, b - 1}, recalled.images(), "the image after the removed one moved up, and is found");
            assertEquals(0, recalled.gone());
            w.removeImages(new int[] {b - 1});
            var half = SavedSelections.recall(w.state(), SavedSelections.read(project).get(1));
            assertArrayEquals(new int[] {5}, half.images());
            assertEquals(1, half.gone(), "an image no longer in the project is left out, and counted");
            assertEquals(List.of("Other"), SavedSelections.delete(w.state(), "To review").stream()
                    .map(SavedSelections.Selection::name).toList());
        }
    }

    @Test
    void aReceivedFileThatIsNoListOfSelectionsIsRefusedNamingIt() throws IOException {
        Path file = dir.resolve(SavedSelections.FILE_NAME);
        for (String bad : List.of("[1, 2]", "{\"format\": \"x\", \"version\": 1, \"selections\": []}",
                "{\"format\": \"protolens-selections\", \"version\": 2, \"selections\": []}",
                "{\"format\": \"protolens-selections\", \"version\": 1, \"selections\": [{\"name\": \"\", \"images\": []}]}",
                "{\"format\": \"protolens-selections\", \"version\": 1, \"selections\": [{\"name\": \"a\", \"images\": [\"x\"]},"
                        + " {\"name\": \"a\", \"images\": []}]}")) {
            Files.writeString(file, bad);
            IOException e = assertThrows(IOException.class, () -> SavedSelections.read(dir), bad);
            assertTrue(e.getMessage().contains(SavedSelections.FILE_NAME), e.getMessage());
        }
    }
}
