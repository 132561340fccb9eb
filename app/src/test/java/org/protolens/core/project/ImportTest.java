package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;

/** Images imported into an open project: how drops are read, labelled, predicted and kept. */
class ImportTest {
    @TempDir
    Path dir;

    private static void touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
    }

    @Test
    void aDropIsSortedIntoClassFoldersLooseImagesAndSkippedFiles() throws IOException {
        Path drop = dir.resolve("drop");
        touch(drop.resolve("sandal/b.jpg"));
        touch(drop.resolve("sandal/a.png"));
        touch(drop.resolve("sandal/deeper/c.jpeg"));
        touch(drop.resolve("boot/x.jpg"));
        touch(drop.resolve("empty/readme.txt"));
        touch(drop.resolve("loose1.jpg"));
        touch(drop.resolve("notes.txt"));
        touch(dir.resolve("single.webp"));
        touch(dir.resolve("known.jpg"));
        ImportPlan plan = ImportPlan.of(List.of(drop, dir.resolve("single.webp"), dir.resolve("known.jpg"), dir.resolve("gone.jpg")),
                Set.of(dir.resolve("known.jpg").toAbsolutePath().normalize()));
        assertEquals(List.of("boot", "sandal"), plan.groups().stream().map(ImportPlan.Group::name).toList());
        assertEquals(List.of(drop.resolve("sandal/a.png"), drop.resolve("sandal/b.jpg"), drop.resolve("sandal/deeper/c.jpeg")),
                plan.groups().get(1).files(), "a class folder's images, sub-folders included, by name");
        assertEquals(List.of(drop.resolve("loose1.jpg"), dir.resolve("single.webp")), plan.loose());
        assertEquals("drop", plan.suggestedLooseName());
        assertEquals(6, plan.imageCount());
        Map<Path, String> skipped = new LinkedHashMap<>();
        plan.skipped().forEach(s -> skipped.put(s.file(), s.reason()));
        assertTrue(skipped.get(drop.resolve("notes.txt")).startsWith("not an image file"), skipped.toString());
        assertEquals("is in the project already", skipped.get(dir.resolve("known.jpg")));
        assertTrue(skipped.containsKey(dir.resolve("gone.jpg")));

        // new classes: the first two images of each folder are shots, and come first
        Map<String, Workspace.Kind> existing = Map.of("boot", Workspace.Kind.BASE);
        List<ImportPlan.Item> items = plan.items(ImportPlan.GroupsAs.NOVEL, 2, ImportPlan.LooseAs.NEW_CLASS, "misc", existing);
        assertEquals(6, items.size());
        assertEquals(new ImportPlan.Item(drop.resolve("boot/x.jpg"), "boot", Workspace.Kind.BASE, false), items.get(0),
                "a folder named like an existing base class labels into it, no shots");
        assertEquals(List.of(true, true, false), items.subList(1, 4).stream().map(ImportPlan.Item::shot).toList());
        assertTrue(items.subList(4, 6).stream().allMatch(i -> i.shot() && "misc".equals(i.label())));
        assertTrue(plan.items(ImportPlan.GroupsAs.UNLABELLED, 2, ImportPlan.LooseAs.UNLABELLED, null, existing)
                .stream().allMatch(i -> i.label() == null));
    }

    @Test
    void aFolderOfTrainAndTestFoldersOfClassFoldersIsTakenByItsClassFolders() throws IOException {
        Path drop = dir.resolve("dataset");
        touch(drop.resolve("train/cat/1.jpg"));
        touch(drop.resolve("train/cat/2.jpg"));
        touch(drop.resolve("train/dog/3.jpg"));
        touch(drop.resolve("test/cat/4.jpg"));
        touch(drop.resolve("test/owl/5.jpg"));
        touch(drop.resolve("README.md"));
        ImportPlan plan = ImportPlan.of(List.of(drop), Set.of());
        assertEquals(List.of("test", "train"), plan.splits().stream().map(ImportPlan.Split::name).toList());
        assertEquals(List.of("test", "train"), plan.groups().stream().map(ImportPlan.Group::name).toList(),
                "as dropped, one class per split, so the person chooses");
        assertTrue(plan.splitsLookLikeADataset());
        ImportPlan both = plan.byClassFolders(List.of("train", "test"));
        assertEquals(List.of("cat", "dog", "owl"), both.groups().stream().map(ImportPlan.Group::name).toList());
        assertEquals(List.of(drop.resolve("test/cat/4.jpg"), drop.resolve("train/cat/1.jpg"), drop.resolve("train/cat/2.jpg")),
                both.groups().getFirst().files(), "a class's images from every split chosen");
        ImportPlan train = plan.byClassFolders(List.of("train"));
        assertEquals(List.of("cat", "dog"), train.groups().stream().map(ImportPlan.Group::name).toList());
        assertEquals(3, train.imageCount());
        assertEquals(1, train.skipped().size(), "README.md is skipped either way");

        // class folders with images of their own, or with a folder of photos inside, are no splits
        Path plain = dir.resolve("plain");
        touch(plain.resolve("sandal/a.jpg"));
        touch(plain.resolve("sandal/2019/b.jpg"));
        touch(plain.resolve("boot/2020/c.jpg"));
        ImportPlan p2 = ImportPlan.of(List.of(plain), Set.of());
        assertTrue(p2.splits().isEmpty(), "one sub-folder has images of its own: the sub-folders are the classes");
        Path albums = dir.resolve("albums");
        touch(albums.resolve("summer/beach/x.jpg"));
        touch(albums.resolve("winter/snow/y.jpg"));
        ImportPlan p3 = ImportPlan.of(List.of(albums), Set.of());
        assertEquals(2, p3.splits().size());
        assertFalse(p3.splitsLookLikeADataset(), "folders of folders with no split names and no shared class: the outer ones first");
    }

    @Test
    void imagesFromOutsideAreCopiedIntoTheProjectUnderTheirClassWithoutOverwritingAny() throws IOException {
        Path project = dir.resolve("project");
        Path inside = project.resolve("images/mine.png");
        touch(inside);
        touch(project.resolve("images/imported/Clog/a.png"));
        Path drop = dir.resolve("drop");
        touch(drop.resolve("x/a.png"));
        touch(drop.resolve("y/a.png"));
        touch(drop.resolve("loose.png"));
        List<ImportPlan.Item> items = List.of(
                new ImportPlan.Item(drop.resolve("x/a.png"), "Clog", Workspace.Kind.NOVEL, true),
                new ImportPlan.Item(drop.resolve("y/a.png"), "Clog", Workspace.Kind.NOVEL, false),
                new ImportPlan.Item(drop.resolve("gone.png"), "Clog", Workspace.Kind.NOVEL, false),
                new ImportPlan.Item(drop.resolve("loose.png"), null, null, false),
                new ImportPlan.Item(inside, null, null, false));
        List<ImportPlan.NotCopied> failed = new ArrayList<>();
        List<ImportPlan.Item> copied = ImportPlan.copiedInto(project, items, failed, () -> false);
        assertEquals(List.of(project.resolve("images/imported/Clog/a 2.png"), project.resolve("images/imported/Clog/a 3.png"),
                project.resolve("images/imported/unlabelled/loose.png"), inside), copied.stream().map(ImportPlan.Item::file).toList(),
                "a name taken gets a number; a file in the project stays where it is");
        assertEquals(List.of(true, false, false, false), copied.stream().map(ImportPlan.Item::shot).toList());
        assertEquals(1, failed.size());
        assertEquals(drop.resolve("gone.png"), failed.getFirst().file());
        assertTrue(Files.exists(drop.resolve("x/a.png")), "the originals stay");
        assertArrayEquals(Files.readAllBytes(drop.resolve("y/a.png")), Files.readAllBytes(copied.get(1).file()));
    }

    @Test
    void anUnreadableShotPassesItsTurnToTheNextImageOfItsClass() {
        List<ImportPlan.Item> items = new ArrayList<>();
        for (String c : List.of("slipper", "clog")) {
            for (int j = 0; j < 5; j++) {
                items.add(new ImportPlan.Item(dir.resolve(c + j + ".png"), c, Workspace.Kind.NOVEL, j < 2));
            }
        }
        items.add(new ImportPlan.Item(dir.resolve("loose.png"), null, null, false));
        ImportPlan.Progress progress = new ImportPlan.Progress(items);
        // slipper0 (a shot) cannot be read; the batch after it brings slipper1 to slipper3
        progress.failed(dir.resolve("slipper0.png"));
        List<ImportPlan.Item> batch = progress.embedded(List.of(dir.resolve("slipper1.png"), dir.resolve("slipper2.png"),
                dir.resolve("slipper3.png")));
        assertEquals(List.of(true, true, false), batch.stream().map(ImportPlan.Item::shot).toList(),
                "the first readable member takes the lost shot: still two");
        // every clog but the last is unreadable: the last one is its only shot, one shot short
        for (int j = 0; j < 4; j++) {
            progress.failed(dir.resolve("clog" + j + ".png"));
        }
        batch = progress.embedded(List.of(dir.resolve("slipper4.png"), dir.resolve("clog4.png"), dir.resolve("loose.png")));
        assertEquals(List.of(false, true, false), batch.stream().map(ImportPlan.Item::shot).toList(),
                "a class's shots go to its own images only, and unlabelled images are never shots");
        assertEquals(1, progress.shotsLost());
    }

    /** Fashion sample rows used as "imported" images: their embeddings and files exist. */
    private record Picked(List<ImportPlan.Item> items, List<byte[]> keys, FloatMatrix rows) {
    }

    private static Picked pick(Workspace w, int[] rows, String label, Workspace.Kind kind, int shots) {
        List<ImportPlan.Item> items = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int j = 0; j < rows.length; j++) {
            items.add(new ImportPlan.Item(w.imageFile(rows[j]), label, kind, j < shots));
            byte[] key = new byte[32];
            key[0] = (byte) j;
            key[1] = (byte) (j >> 8);
            key[2] = (byte) label.hashCode();
            keys.add(key);
        }
        return new Picked(items, keys, w.embeddings().selectRows(rows));
    }

    @Test
    void importedClassesArePredictedAndKeptAcrossReopening() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        int before;
        int[] predicted;
        List<String> classes;
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            before = w.imageCount();
            int bag = w.classNames().indexOf("Bag");
            int shirt = w.classNames().indexOf("Shirt");
            int[] bags = w.imagesOf(bag).stream().filter(i -> !w.isShot(i)).limit(12).mapToInt(Integer::intValue).toArray();
            int[] shirts = w.imagesOf(shirt).stream().filter(i -> !w.isShot(i)).limit(10).mapToInt(Integer::intValue).toArray();
            // a new novel class "Satchel" of 12 bag images, 3 of them shots; a new base class "Blouse" of 10 shirts
            Picked satchel = pick(w, bags, "Satchel", Workspace.Kind.NOVEL, 3);
            Picked blouse = pick(w, shirts, "Blouse", Workspace.Kind.BASE_FROM_IMAGES, 0);
            for (Picked p : List.of(satchel, blouse)) {
                for (int j = 0; j < p.keys().size(); j++) {
                    s.cache().put(p.keys().get(j), p.rows().row(j));
                }
            }
            // the first batch holds 5 satchel images, the second the rest and the blouses
            int first = w.addImported(satchel.items().subList(0, 5), satchel.keys().subList(0, 5),
                    satchel.rows().selectRows(new int[] {0, 1, 2, 3, 4}));
            assertEquals(before, first);
            int satchelK = w.classNames().indexOf("Satchel");
            assertEquals(Workspace.Kind.NOVEL, w.kind(satchelK));
            List<ImportPlan.Item> rest = new ArrayList<>(satchel.items().subList(5, 12));
            rest.addAll(blouse.items());
            List<byte[]> restKeys = new ArrayList<>(satchel.keys().subList(5, 12));
            restKeys.addAll(blouse.keys());
            float[] restRows = new float[rest.size() * w.dim()];
            for (int j = 0; j < 7; j++) {
                System.arraycopy(satchel.rows().row(5 + j), 0, restRows, j * w.dim(), w.dim());
            }
            System.arraycopy(blouse.rows().data(), 0, restRows, 7 * w.dim(), blouse.rows().data().length);
            w.addImported(rest, restKeys, new FloatMatrix(rest.size(), w.dim(), restRows));
            assertEquals(before + 22, w.imageCount());
            assertEquals(12, w.stats(satchelK).images());
            assertEquals(3, w.stats(satchelK).shots());
            int blouseK = w.classNames().indexOf("Blouse");
            assertEquals(Workspace.Kind.BASE_FROM_IMAGES, w.kind(blouseK));
            assertTrue(w.isBase(blouseK));
            // a base class from images: its prototype is the mean of its images
            float[] mean = new float[w.dim()];
            for (int i = before + 12; i < before + 22; i++) {
                float[] e = w.embedding(i);
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += e[j] / 10;
                }
            }
            assertArrayEquals(mean, w.rawPrototype(blouseK), 1e-5f);
            // an imported copy of an image is predicted exactly as the image it copies
            for (int j = 0; j < 12; j++) {
                assertArrayEquals(w.similarities(bags[j]), w.similarities(before + j), 1e-6f);
                assertEquals(w.predicted(bags[j]), w.predicted(before + j));
            }
            assertTrue(Arrays.stream(w.predictions()).anyMatch(p -> p == satchelK), "the new class takes images");
            s.save("Imported 22 images");
            predicted = w.predictions();
            classes = List.copyOf(w.classNames());
        }
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            assertTrue(s.problems().isEmpty(), s.problems().toString());
            assertEquals(before + 22, w.imageCount());
            assertEquals(classes, w.classNames());
            assertArrayEquals(predicted, w.predictions(), "the reopened project predicts as it did");
            assertEquals(Workspace.Kind.BASE_FROM_IMAGES, w.kind(w.classNames().indexOf("Blouse")));
            assertTrue(w.imagePaths().subList(w.projectImageCount(), w.imageCount()).stream()
                    .map(p -> w.dir().resolve(p).toAbsolutePath().normalize()).toList()
                    .contains(w.imageFile(before).toAbsolutePath().normalize()));
        }
        // an embedding the cache lost, of an image whose file has changed since: set aside with its label, named
        Path cacheDir;
        try (OpenProject s = OpenProject.open(project)) {
            cacheDir = s.cache().folder();
        }
        Path keys = cacheDir.resolve("keys.sha256");
        byte[] all = Files.readAllBytes(keys);
        Files.write(keys, Arrays.copyOf(all, all.length - 32));
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(before + 21, s.workspace().imageCount());
            assertEquals(1, s.catalog().readHeld().images().size(), "kept in the catalog");
            assertEquals("Blouse", s.catalog().readHeld().images().getFirst().label());
            String said = String.join("\n", s.problems());
            assertTrue(said.contains("1 image is set aside") && said.contains("embedding is missing"), said);
            assertFalse(said.contains(HexFormat.of().formatHex(new byte[32])));
        }
    }
}
