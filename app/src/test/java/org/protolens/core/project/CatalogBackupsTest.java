package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.proto.TeenCalibration;

/** Copies of the catalog: a damaged catalog costs at most the edits since the last copy, never the labels. */
class CatalogBackupsTest {
    @TempDir
    Path dir;

    private Path project() throws IOException {
        Path project = TestResources.sampleCopy("fashion-fewshot", dir.resolve("fashion"));
        return project;
    }

    /** Makes a new class of four Bag images; returns them. */
    private static int[] relabel(OpenProject s, String name) throws IOException {
        Workspace w = s.workspace();
        int[] picked = w.imagesOf(w.classNames().indexOf("Bag")).stream().filter(i -> !w.isShot(i)).limit(4)
                .mapToInt(Integer::intValue).toArray();
        History h = new History(w);
        h.apply(History.newClass(name, picked));
        s.save(h.nextUndo().description());
        return picked;
    }

    @Test
    void aDamagedCatalogIsRestoredFromTheNewestCopyWithEveryLabel() throws IOException {
        Path project = project();
        int[] picked;
        String[] labels;
        int madeInTheApp;
        try (OpenProject s = OpenProject.open(project)) {
            picked = relabel(s, "Handbag");
            labels = labelsOf(s.workspace());
            madeInTheApp = s.workspace().classNames().size() - s.workspace().manifest().baseClasses().size();
        }
        List<CatalogBackups.Backup> copies = CatalogBackups.list(project);
        assertEquals(2, copies.size(), "one copy when the project was first opened, one when it closed after the edit");
        CatalogBackups.Backup newest = copies.getFirst();
        assertTrue(newest.revision() > copies.get(1).revision());
        assertTrue(Files.isRegularFile(project.resolve(CatalogBackups.FOLDER).resolve("README.txt")));

        // a disk error: pages of the catalog overwritten with noise
        Path catalog = project.resolve(ProjectCatalog.FILE_NAME);
        try (RandomAccessFile f = new RandomAccessFile(catalog.toFile(), "rw")) {
            byte[] noise = new byte[(int) Math.min(f.length() - 100, 16_384)];
            new SplittableRandom(3).nextBytes(noise);
            f.seek(100);
            f.write(noise);
        }
        byte[] damaged = Files.readAllBytes(catalog);
        IOException refused = assertThrows(IOException.class, () -> OpenProject.open(project));
        assertTrue(refused.getMessage().contains(ProjectCatalog.FILE_NAME), refused.getMessage());

        assertEquals(newest.file(), CatalogBackups.list(project).getFirst().file(), "a failed open makes no copy of the damage");
        assertEquals(madeInTheApp, newest.classes(), "the copy holds the new classes, Handbag with them");
        assertTrue(newest.labelled() >= 1000, newest.labelled() + " labelled images");
        Path aside = CatalogBackups.restore(project, newest);
        assertArrayEquals(damaged, Files.readAllBytes(aside.resolve(ProjectCatalog.FILE_NAME)), "the damaged catalog is kept, as it was");
        try (OpenProject s = OpenProject.open(project)) {
            Workspace w = s.workspace();
            assertArrayEquals(labels, labelsOf(w), "every label as it was stored");
            int k = w.classNames().indexOf("Handbag");
            for (int i : picked) {
                assertEquals(k, w.label(i));
                assertTrue(w.isShot(i));
            }
        }
    }

    @Test
    void aCopyIsMadeOnlyWhenTheCatalogChangedAndTheNewestAreKept() throws IOException {
        Path project = project();
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(1, CatalogBackups.list(project).size(), "a first copy when the catalog is made");
            assertTrue(!s.backup(), "nothing changed: no copy");
        }
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(1, CatalogBackups.list(project).size(), "opening and closing without an edit makes no copy");
            for (int k = 0; k < CatalogBackups.KEEP + 3; k++) {
                s.workspace().setCalibration(new TeenCalibration(0.05 * (k + 1), 16));
                s.save((String) null);
                assertTrue(s.backup(), "a changed catalog is copied");
            }
            assertNull(s.backupProblem());
        }
        List<CatalogBackups.Backup> copies = CatalogBackups.list(project);
        assertEquals(CatalogBackups.KEEP, copies.size(), "the newest are kept");
        long[] revisions = copies.stream().mapToLong(CatalogBackups.Backup::revision).toArray();
        long[] sorted = revisions.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[sorted.length - 1], revisions[0], "newest first");
        try (OpenProject s = OpenProject.open(project)) {
            assertEquals(revisions[0], s.catalog().revision(), "the newest copy holds the catalog as it was closed");
        }
    }

    @Test
    void onlyTheProjectsOwnCopiesAreRestored() throws IOException {
        Path project = project();
        try (OpenProject s = OpenProject.open(project)) {
            relabel(s, "Handbag");
        }
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Path foreign = other.resolve(CatalogBackups.list(project).getFirst().file().getFileName());
        Files.copy(CatalogBackups.list(project).getFirst().file(), foreign);
        CatalogBackups.Backup real = CatalogBackups.list(project).getFirst();
        var outside = new CatalogBackups.Backup(foreign, real.at(), real.revision(), real.classes(), real.labelled(), real.images());
        IOException e = assertThrows(IOException.class, () -> CatalogBackups.restore(project, outside));
        assertTrue(e.getMessage().contains("not one of"), e.getMessage());
        Path garbage = project.resolve(CatalogBackups.FOLDER).resolve("catalog-20261207T000000Z-r999.db");
        Files.writeString(garbage, "not a database");
        assertEquals(2, CatalogBackups.list(project).size());
        assertTrue(CatalogBackups.list(project).stream().noneMatch(b -> b.revision() == 999),
                "a file that does not read as a catalog is not offered");
    }

    private static String[] labelsOf(Workspace w) {
        String[] out = new String[w.imageCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = w.label(i) < 0 ? null : w.classNames().get(w.label(i));
        }
        return out;
    }
}
