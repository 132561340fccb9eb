package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.embed.Preprocessing;

/** File > New Project and File > Save As: what the new folder holds and how it opens. */
class NewProjectTest {
    @TempDir
    Path dir;

    private static Path fashion() {
        return TestResources.samples().resolve("fashion-fewshot");
    }

    /** Images of the sample with their stored embeddings, handed to a project as an import would. */
    private record Rows(List<ImportPlan.Item> items, List<byte[]> keys, FloatMatrix rows, int[] sourceLabels) {
    }

    private static Rows importable(Workspace source, int count, Workspace.Kind kind, boolean labelled) {
        List<ImportPlan.Item> items = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        int[] rows = new int[count];
        int[] labels = new int[count];
        int step = source.imageCount() / count;
        for (int j = 0; j < count; j++) {
            rows[j] = j * step;
            labels[j] = source.label(rows[j]);
            String label = labelled ? source.classNames().get(labels[j]) : null;
            items.add(new ImportPlan.Item(source.imageFile(rows[j]), label, labelled ? kind : null, false));
            byte[] key = new byte[32];
            key[0] = (byte) j;
            key[1] = (byte) (j >> 8);
            keys.add(key);
        }
        return new Rows(items, keys, source.embeddings().selectRows(rows), labels);
    }

    private static double cos(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int j = 0; j < a.length; j++) {
            ab += a[j] * b[j];
            aa += a[j] * a[j];
            bb += b[j] * b[j];
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void aNewProjectKeepsTheBackboneAndBaseClassesAndPredictsImportedImagesWithThem() throws IOException {
        Path made = OpenProject.create(dir.resolve("shoes"), "Shoes", fashion(), true);
        ProjectManifest source = ProjectManifest.read(fashion());
        FloatMatrix protos = source.basePrototypes(fashion());
        assertTrue(Files.isRegularFile(made.resolve("backbone").resolve("backbone.json")), "the backbone is copied");
        try (OpenProject sample = OpenProject.open(copyOfSample());
                OpenProject s = OpenProject.open(made)) {
            Workspace w = s.workspace();
            assertEquals("Shoes", w.name());
            assertEquals(0, w.imageCount(), "a new project holds no images");
            assertEquals(source.baseClasses().stream().map(ProjectManifest.ClassEntry::name).toList(), w.classNames());

            Rows r = importable(sample.workspace(), 40, null, false);
            for (int j = 0; j < r.keys().size(); j++) {
                s.cache().put(r.keys().get(j), r.rows().row(j));
            }
            w.addImported(r.items(), r.keys(), r.rows());
            assertEquals(40, w.imageCount());
            for (int i = 0; i < 40; i++) {
                int best = 0;
                for (int k = 1; k < protos.rows(); k++) {
                    if (cos(r.rows().row(i), protos.row(k)) > cos(r.rows().row(i), protos.row(best))) {
                        best = k;
                    }
                }
                assertEquals(best, w.predicted(i), "image " + i + " is predicted by the kept base prototypes");
            }
            s.save("Import");
        }
        try (OpenProject s = OpenProject.open(made)) {
            assertEquals(40, s.workspace().imageCount(), "imported images come back on reopening");
            assertTrue(s.problems().isEmpty(), s.problems().toString());
        }
    }

    @Test
    void aNewProjectWithoutBaseClassesGetsItsClassesFromTheFirstImport() throws IOException {
        Path made = OpenProject.create(dir.resolve("own"), "Own classes", fashion(), false);
        int[] predicted;
        List<String> names;
        try (OpenProject sample = OpenProject.open(copyOfSample());
                OpenProject s = OpenProject.open(made)) {
            Workspace w = s.workspace();
            assertEquals(List.of(), w.classNames());
            Rows r = importable(sample.workspace(), 60, Workspace.Kind.BASE_FROM_IMAGES, true);
            for (int j = 0; j < r.keys().size(); j++) {
                s.cache().put(r.keys().get(j), r.rows().row(j));
            }
            w.addImported(r.items(), r.keys(), r.rows());
            names = List.copyOf(w.classNames());
            assertTrue(names.size() >= 5, "one base class per label imported: " + names);
            for (int k = 0; k < names.size(); k++) {
                assertEquals(Workspace.Kind.BASE_FROM_IMAGES, w.kind(k));
            }
            int right = 0;
            for (int i = 0; i < 60; i++) {
                right += w.predicted(i) == w.label(i) ? 1 : 0;
            }
            assertTrue(right >= 45, "the classes' own images are mostly predicted as them: " + right + "/60");
            predicted = w.predictions();
            s.save("Import");
        }
        try (OpenProject s = OpenProject.open(made)) {
            assertEquals(names, s.workspace().classNames());
            assertArrayEquals(predicted, s.workspace().predictions());
        }
    }

    @Test
    void saveAsCopiesTheWholeProjectAndLeavesTheOriginalAsItWas() throws IOException {
        Path original = copyOfSample();
        List<String> classes;
        int[] predicted;
        try (OpenProject s = OpenProject.open(original)) {
            Workspace w = s.workspace();
            int bag = w.classNames().indexOf("Bag");
            int[] picked = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(3).mapToInt(Integer::intValue).toArray();
            History h = new History(w);
            h.apply(History.newClass("Clutch", picked));
            s.save(h.nextUndo().description());
            classes = List.copyOf(w.classNames());
            predicted = w.predictions();
        }
        Path saved = dir.resolve("elsewhere").resolve("fashion-clutch");
        OpenProject.copyWhole(original, saved);
        try (OpenProject s = OpenProject.open(saved)) {
            assertEquals(classes, s.workspace().classNames());
            assertArrayEquals(predicted, s.workspace().predictions());
            assertEquals(List.of("New class “Clutch” from 3 images"), s.catalog().history(), "the history goes along");
        }
        Path empty = Files.createDirectories(dir.resolve("empty"));
        OpenProject.copyWhole(original, empty);
        assertTrue(Files.isRegularFile(empty.resolve(ProjectCatalog.FILE_NAME)), "an empty folder is a fine target");
        IOException inside = assertThrows(IOException.class, () -> OpenProject.copyWhole(original, original.resolve("copy")));
        assertTrue(inside.getMessage().contains("inside the project"), inside.getMessage());
        IOException taken = assertThrows(IOException.class, () -> OpenProject.copyWhole(original, saved));
        assertTrue(taken.getMessage().contains("exists already"), taken.getMessage());
        assertThrows(IOException.class, () -> OpenProject.create(saved, "x", fashion(), true), "a new project never overwrites one");
    }

    private Path copyOfSample() throws IOException {
        Path p = dir.resolve("sample-" + System.nanoTime());
        OpenProject.copy(fashion(), p);
        return p;
    }

    /**
     * A project with one's own TorchScript file: the model is loaded and a dummy batch run first
     * (its embedding length found), then copied with a backbone.json of the input size and
     * normalisation asked for; the project opens empty, ready for images. A file that is no
     * model is refused by name, and nothing is left behind.
     */
    @Test
    void aProjectStartsFromOnesOwnTorchScriptFileCheckedFirst() throws IOException {
        Path model = TestResources.torchscript("tiny.pt");
        var p = new Preprocessing(32, 32, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        OpenProject.BackboneCheck check = OpenProject.checkBackbone(model, p);
        assertEquals(16, check.dim(), "the dummy batch gives the embedding length");
        Path project = OpenProject.createWithBackbone(dir.resolve("mine"), "Mine", model, p);
        var spec = BackboneSpec.read(project.resolve("backbone/backbone.json"));
        assertEquals("tiny.pt", spec.weights());
        assertEquals(32, spec.input().width());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, spec.input().std());
        try (OpenProject open = OpenProject.open(project)) {
            assertEquals(0, open.workspace().imageCount());
            assertEquals(List.of(), open.workspace().classNames());
            assertEquals(16, open.workspace().dim());
        }
        Path notAModel = TestResources.torchscript("tiny.json");
        IOException e = assertThrows(IOException.class, () -> OpenProject.createWithBackbone(dir.resolve("bad"), "Bad", notAModel, p));
        assertTrue(e.getMessage().contains("tiny.json"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("bad")) && !Files.exists(dir.resolve(".bad.creating")), "nothing is left behind");
    }

    /**
     * A project from a model URL (here a file:// archive, fetched, unpacked and cached by DJL as an
     * https:// one would be): the TorchScript file is copied into the project, which then opens
     * without the URL.
     */
    @Test
    void aProjectFromAModelUrlHoldsTheDownloadedModel() throws IOException {
        Path zip = TestResources.tinyModelZip(dir.resolve("tinynet.zip"));
        var p = new Preprocessing(32, 32, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f});
        List<Long> seen = new ArrayList<>();
        String url = zip.toUri().toString();
        assertEquals(16, OpenProject.checkZoo(url, p, (what, done, total) -> seen.add(done)).dim());
        assertTrue(!seen.isEmpty(), "the download's progress was reported");
        Path project = OpenProject.createFromZoo(dir.resolve("zoo"), "From the zoo", url, p, null);
        Files.delete(zip);
        var spec = BackboneSpec.read(project.resolve("backbone/backbone.json"));
        assertEquals("tinynet.pt", spec.weights());
        assertArrayEquals(Files.readAllBytes(TestResources.torchscript("tiny.pt")),
                Files.readAllBytes(project.resolve("backbone/tinynet.pt")), "the model itself, in the project");
        try (OpenProject open = OpenProject.open(project)) {
            assertEquals(16, open.workspace().dim());
        }
        IOException e = assertThrows(IOException.class, () -> OpenProject.createFromZoo(dir.resolve("none"), "None",
                dir.resolve("absent.zip").toUri().toString(), p, null));
        assertTrue(e.getMessage().contains("absent.zip") && e.getMessage().contains("cannot load"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("none")), "nothing is left behind");
    }
}
