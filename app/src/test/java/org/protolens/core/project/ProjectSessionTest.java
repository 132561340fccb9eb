package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.core.proto.TeenCalibration;

class ProjectSessionTest {
    @TempDir
    Path dir;

    @Test
    void editsAndSettingsSurviveClosingAndReopening() throws IOException {
        Path project = dir.resolve("my-fashion");
        ProjectSession.copy(SampleProjectsTest.samples().resolve("fashion-fewshot"), project);
        assertTrue(Files.exists(project.resolve("images")) && Files.notExists(project.resolve(ProjectCatalog.FILE_NAME)));
        int[] edited;
        List<String> classes;
        int[] picked;
        try (ProjectSession s = ProjectSession.open(project)) {
            Workspace w = s.workspace();
            int bag = w.classNames().indexOf("Bag");
            picked = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(4).mapToInt(Integer::intValue).toArray();
            History h = new History(w);
            h.apply(History.newClass("Handbag", picked));
            s.save(h.nextUndo().description());
            w.setCalibration(new TeenCalibration(0.3, 8));
            w.setCalibrationEnabled(false);
            s.save((String) null);
            edited = w.predictions();
            classes = List.copyOf(w.classNames());
        }
        try (ProjectSession s = ProjectSession.open(project)) {
            Workspace w = s.workspace();
            assertEquals(classes, w.classNames());
            int k = w.classNames().indexOf("Handbag");
            for (int i : picked) {
                assertEquals(k, w.label(i));
                assertTrue(w.isShot(i));
            }
            assertEquals(0.3, w.calibration().alpha());
            assertEquals(8, w.calibration().tau());
            assertFalse(w.calibrationEnabled());
            assertArrayEquals(edited, w.predictions(), "the reopened project predicts as it did");
            assertEquals(List.of("New class “Handbag” from 4 images"), s.catalog().history());

            // undo, save, reopen: the class is gone again
            History h = new History(w);
            h.apply(History.newClass("Tote", new int[] {picked[0]}));
            h.undo();
            s.save("Undo");
        }
        try (ProjectSession s = ProjectSession.open(project)) {
            assertFalse(s.workspace().classNames().contains("Tote"));
            assertTrue(s.workspace().classNames().contains("Handbag"));
        }
    }

    @Test
    void aDamagedCatalogIsReportedWithItsFile() throws IOException {
        Path project = dir.resolve("p");
        ProjectSession.copy(SampleProjectsTest.samples().resolve("fashion-fewshot"), project);
        Files.writeString(project.resolve(ProjectCatalog.FILE_NAME), "this is not a database, it is text");
        IOException e = assertThrows(IOException.class, () -> ProjectSession.open(project));
        assertTrue(e.getMessage().contains(ProjectCatalog.FILE_NAME), e.getMessage());
        assertThrows(IOException.class, () -> ProjectSession.copy(project, project), "copying onto an existing folder is refused");
    }
}
