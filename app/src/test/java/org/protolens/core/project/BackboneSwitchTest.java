package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.analysis.BackboneComparison;
import org.protolens.core.embed.BackboneLoader;

/**
 * Switching a project to another backbone keeps every label, shot and class, shows every image
 * with the new backbone's rows, and switching back restores the old backbone's files exactly.
 */
class BackboneSwitchTest {
    @TempDir
    Path dir;

    @Test
    void aProjectSwitchedToAnotherBackboneKeepsItsLabelsAndSwitchesBackExactly() throws Exception {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("project"));
        byte[] prototypesBefore = Files.readAllBytes(project.resolve("base-prototypes.npy"));
        WorkspaceState before;
        try (OpenProject p = OpenProject.open(project)) {
            // an imported image (a bag under another name) and a label changed in the app
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
            WorkspaceState s = p.workspace().state();
            int original = s.imagesOf(s.classNames().indexOf("Bag"))[0];
            Path copy = Files.copy(s.imageFile(original), elsewhere.resolve("tote.png"));
            FloatMatrix row = s.embeddings().selectRows(new int[] {original});
            EmbeddingsImport.apply(p, new EmbeddingsImport.Source(copy, row, List.of(copy.toAbsolutePath().normalize()),
                    Map.of(copy.toAbsolutePath().normalize(), "Bag"), BackboneLoader.fingerprintOf(s.backboneDir())));
            History h = new History(p.workspace());
            WorkspaceState now = p.workspace().state();
            int relabelled = -1;
            for (int i = 0; i < now.imageCount() && relabelled < 0; i++) {
                if (!now.isShot(i) && now.label(i) > 0 && now.isBase(now.label(i))) {
                    relabelled = i;
                }
            }
            h.apply(History.assign("label one", new int[] {relabelled}, new int[] {0}));
            p.save("label one");
            before = p.workspace().state();
        }
        assertTrue(before.imported().size() == 1 && before.imageCount() == before.projectImageCount() + 1);

        // another backbone: the small test network, a TorchScript file with its preprocessing beside it
        String tiny = TestResources.torchscript("tiny.pt").toString();
        List<String> problems = new ArrayList<>();
        FloatMatrix rows = BackboneComparison.embed(before, tiny, problems, (d, t) -> { }, () -> false);
        assertEquals(List.of(), problems);
        BackboneSwitch.Result r = BackboneSwitch.apply(before, tiny, rows);
        assertEquals("backbone", r.previous());
        assertTrue(r.backbone().startsWith("backbones/tiny-"), r.backbone());
        assertFalse(r.reused());

        WorkspaceState after;
        try (OpenProject p = OpenProject.open(project)) {
            assertEquals(List.of(), p.problems(), "every row is there, the imported image's from the cache");
            after = p.workspace().state();
        }
        assertEquals(project.resolve(r.backbone()), after.backboneDir());
        assertEquals(before.imagePaths(), after.imagePaths());
        assertArrayEquals(before.labels(), after.labels(), "every label kept");
        for (int i = 0; i < before.imageCount(); i++) {
            assertEquals(before.isShot(i), after.isShot(i));
        }
        assertEquals(before.classNames(), after.classNames());
        assertArrayEquals(rows.data(), after.embeddings().values(), "the images are shown with the new backbone's rows");
        int coat = after.classNames().indexOf("Coat");
        float[] mean = new float[rows.cols()];
        int[] coats = after.imagesOf(coat);
        for (int i : coats) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += rows.get(i, j);
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= coats.length;
        }
        assertArrayEquals(mean, after.rawPrototype(coat), 1e-5f,
                "a base prototype is the mean of its labelled images under the new backbone");
        assertTrue(ComparedBackbones.read(project).contains(project.resolve("backbone").toAbsolutePath().normalize().toString()),
                "the Backbones tab offers the one left behind");
        assertFalse(Files.exists(project.resolve(ProjectMap.FILE_NAME)), "the map is made again for the new rows");

        // and back: the old backbone's files, its prototypes from the whole training set included, come back as they were
        FloatMatrix old = BackboneComparison.embed(after, project.resolve("backbone").toString(), problems, (d, t) -> { }, () -> false);
        BackboneSwitch.Result back = BackboneSwitch.apply(after, project.resolve("backbone").toString(), old);
        assertEquals("backbone", back.backbone());
        assertTrue(back.reused());
        try (OpenProject p = OpenProject.open(project)) {
            WorkspaceState again = p.workspace().state();
            assertEquals(List.of(), p.problems());
            assertEquals("base-prototypes.npy", again.manifest().basePrototypes());
            assertArrayEquals(before.embeddings().values(), again.embeddings().values());
            assertArrayEquals(before.labels(), again.labels());
            assertArrayEquals(before.basePrototypes().data(), again.basePrototypes().data());
            assertEquals(before.manifest().classes(), again.manifest().classes(), "the training-image counts too");
        }
        assertArrayEquals(prototypesBefore, Files.readAllBytes(project.resolve("base-prototypes.npy")));
    }

    @Test
    void aBackboneThatCannotReadAnImageOrGivesABaseClassNoImagesIsRefusedAndNothingChanges() throws Exception {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("project"));
        WorkspaceState s;
        try (OpenProject p = OpenProject.open(project)) {
            s = p.workspace().state();
        }
        byte[] manifest = Files.readAllBytes(project.resolve(ProjectManifest.FILE_NAME));
        String tiny = TestResources.torchscript("tiny.pt").toString();
        FloatMatrix rows = BackboneComparison.embed(s, tiny, new ArrayList<>(), (d, t) -> { }, () -> false);
        float[] broken = rows.data().clone();
        Arrays.fill(broken, 3 * rows.cols(), 4 * rows.cols(), Float.NaN);
        IOException unread = assertThrows(IOException.class,
                () -> BackboneSwitch.apply(s, tiny, new FloatMatrix(rows.rows(), rows.cols(), broken)));
        assertTrue(unread.getMessage().contains(s.imagePath(3)) && unread.getMessage().contains("keeps its backbone"),
                unread.getMessage());
        assertArrayEquals(manifest, Files.readAllBytes(project.resolve(ProjectManifest.FILE_NAME)), "project.json as it was");
        try (OpenProject p = OpenProject.open(project)) {
            assertEquals(List.of(), p.problems());
            assertEquals(project.resolve("backbone"), p.workspace().state().backboneDir());
        }
    }

}
