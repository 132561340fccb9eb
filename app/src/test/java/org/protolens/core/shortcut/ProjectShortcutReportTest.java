package org.protolens.core.shortcut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.Backbone;
import org.protolens.core.embed.BackboneLoader;
import org.protolens.core.embed.EmbeddingPipeline;
import org.protolens.core.project.ImportPlan;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.Workspace;
import org.protolens.core.project.WorkspaceState;

/** The Shortcut bias tab's report on a project made of a shortcut dataset's images: the command line's figures, and the project's own. */
class ProjectShortcutReportTest {
    @TempDir
    Path dir;

    @Test
    void theProjectsReportEqualsTheCommandLinesOnTheSameDataset() throws IOException {
        Path project = OpenProject.create(dir.resolve("shapes"), "Shapes", TestResources.samples().resolve("fashion-fewshot"), false);
        Path data = project.resolve("dataset");
        List<ShortcutDataset.Item> items = ShortcutDataset.write(new ShortcutDataset.Spec(4, ShortcutDataset.Shortcut.BACKGROUND_COLOUR,
                0.8, 0.95, 16, 6, 1.0, 16, 32, 3), data);
        List<Path> files = items.stream().map(i -> data.resolve(i.path())).toList();
        FloatMatrix embedded;
        try (OpenProject open = OpenProject.open(project)) {
            Workspace w = open.workspace();
            assertNull(ProjectShortcutReport.findManifest(w.state()), "no images yet, no dataset");
            List<byte[]> keys = new ArrayList<>();
            try (Backbone b = BackboneLoader.folder(project.resolve(w.manifest().backbone()), null)) {
                // as the importer embeds the images (the same code as protolens shortcut-report)
                embedded = new EmbeddingPipeline(b, open.cache(), 16, 1).embed(files, new EmbeddingPipeline.Listener() {
                    @Override
                    public void progress(int done, int total) {
                    }

                    @Override
                    public void embedded(List<Path> paths, List<byte[]> sha256, FloatMatrix rows) {
                        keys.addAll(sha256);
                    }
                }, null).embeddings();
            }
            // the images imported as the window does: circle, square and triangle base classes; cross new, its first 5 images shots
            List<ImportPlan.Item> plan = new ArrayList<>();
            int[] crossShots = {0};
            for (int j = 0; j < items.size(); j++) {
                String label = ShortcutDataset.className(items.get(j).label());
                boolean novel = label.equals("cross");
                plan.add(new ImportPlan.Item(files.get(j), label, novel ? Workspace.Kind.NOVEL : Workspace.Kind.BASE,
                        novel && crossShots[0]++ < 5));
            }
            w.addImported(plan, keys, embedded);
            WorkspaceState s = w.state();
            assertEquals(data.toAbsolutePath().normalize(), ProjectShortcutReport.findManifest(s).toAbsolutePath().normalize(),
                    "the dataset is found beside the project's images");

            ProjectShortcutReport.Result r = ProjectShortcutReport.of(s, data, 0, 1);
            assertEquals(items.size(), r.matched());
            assertEquals(0, r.missing());
            assertEquals(5, r.shots(), "the project's shots per new class");
            ShortcutReport.Result cli = ShortcutReport.of(items, embedded, Set.of("cross"), 5, 1, s.calibration());
            assertEquals(cli.raw(), r.protocol().raw(), "alpha = 0: the command line's figures");
            assertEquals(cli.calibrated(), r.protocol().calibrated(), "TEEN: the command line's figures");
            assertEquals(cli.rawNovel(), r.protocol().rawNovel());
            assertEquals(ShortcutReport.json(cli).toString(), ShortcutReport.json(r.protocol()).toString(), "the same JSON");

            // the project's own predictions: every labelled image that is no shot, split into aligned and conflicts
            int evaluated = 0;
            int conflictsToShortcut = 0;
            int conflicts = 0;
            for (int j = 0; j < items.size(); j++) {
                if (s.isEvaluated(j)) {
                    evaluated++;
                    ShortcutDataset.Item it = items.get(j);
                    if (!it.aligned()) {
                        conflicts++;
                        conflictsToShortcut += s.classNames().get(s.predicted(j)).equals(ShortcutDataset.className(it.shortcut())) ? 1 : 0;
                    }
                }
            }
            assertEquals(evaluated, r.now().aligned() + r.now().conflicts());
            assertEquals(conflicts, r.now().conflicts());
            assertEquals(conflictsToShortcut / (double) conflicts, r.now().shortcutShare(), 1e-12);
            assertEquals(1.0, r.now().optimalReliance(), "Q > P: the optimal classifier follows the shortcut");
            assertTrue(Math.abs(r.now().bias() - (r.now().reliance() - 1)) < 1e-12);
        }
    }

    /** The shortcut sample: its backbone learnt the background colour although the shape alone tells every class. */
    @Test
    void theShortcutSampleReportsABiasTowardsTheBackground() throws IOException {
        Path copy = TestResources.sampleCopy("shapes-shortcut", dir.resolve("sample"));
        try (OpenProject open = OpenProject.open(copy)) {
            WorkspaceState s = open.workspace().state();
            Path data = ProjectShortcutReport.findManifest(s);
            assertEquals(copy.resolve("images").toAbsolutePath().normalize(), data.toAbsolutePath().normalize());
            ProjectShortcutReport.Result r = ProjectShortcutReport.of(s, data, 0, 1);
            assertEquals(610, r.matched());
            assertEquals(1.0, r.protocol().coreP(), "the shape always shows the label");
            assertEquals(-1.0, r.protocol().raw().optimalReliance(), "so the optimal classifier follows the shape");
            assertTrue(r.protocol().raw().bias() > 0.5, "the prototypes follow the background: bias " + r.protocol().raw().bias());
            assertTrue(r.nowRaw().bias() > 0.5, "and so does the project as it opens: bias " + r.nowRaw().bias());
        }
    }

    @Test
    void aFolderWithoutTheProjectsImagesIsRefusedByName() throws IOException {
        Path project = OpenProject.create(dir.resolve("empty"), "Empty", TestResources.samples().resolve("fashion-fewshot"), false);
        Path data = dir.resolve("elsewhere");
        ShortcutDataset.write(new ShortcutDataset.Spec(2, ShortcutDataset.Shortcut.PATCH, 0.9, 0.9, 10, 4, 1.0, 3, 16, 1), data);
        try (OpenProject open = OpenProject.open(project)) {
            var e = assertThrows(IOException.class, () -> ProjectShortcutReport.of(open.workspace().state(), data, 0, 1));
            assertTrue(e.getMessage().contains(data.resolve("manifest.csv").toString()) && e.getMessage().contains("none of its 6"),
                    e.getMessage());
        }
        assertTrue(Files.isRegularFile(data.resolve("manifest.csv")));
    }

    /** A manifest is read once while its file stays as it is (a report is made at every alpha step) and again when it changes. */
    @Test
    void aManifestIsReadAgainOnlyWhenItsFileChanged() throws IOException {
        Path data = dir.resolve("data");
        ShortcutDataset.write(new ShortcutDataset.Spec(2, ShortcutDataset.Shortcut.BACKGROUND_COLOUR, 0.8, 0.95, 16, 6, 1.0, 8, 32, 3),
                data);
        List<ShortcutDataset.Item> first = ProjectShortcutReport.manifest(data);
        assertTrue(first == ProjectShortcutReport.manifest(data), "unchanged: the same items, not read again");
        Path csv = data.resolve(ShortcutDataset.MANIFEST);
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.removeLast();
        Files.write(csv, lines);
        Files.setLastModifiedTime(csv, FileTime.fromMillis(Files.getLastModifiedTime(csv).toMillis() + 2000));
        List<ShortcutDataset.Item> again = ProjectShortcutReport.manifest(data);
        assertEquals(first.size() - 1, again.size(), "changed: read again");
    }
}
