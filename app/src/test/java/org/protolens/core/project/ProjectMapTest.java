package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protolens.TestResources;
import org.protolens.core.map.MapLayout;

/** The map a project opens on. */
class ProjectMapTest {
    @TempDir
    Path dir;

    @Test
    void aProjectWithoutAMapKeepsThePcaMapItFirstOpensOn() throws IOException {
        Path project = dir.resolve("fashion");
        OpenProject.copy(TestResources.samples().resolve("fashion-fewshot"), project);
        WorkspaceState s = Workspace.open(project).state();
        Path file = project.resolve(ProjectMap.FILE_NAME);

        List<String> notes = new ArrayList<>();
        MapLayout first = ProjectMap.open(s, notes);
        assertEquals(MapLayout.Method.PCA, first.method());
        assertTrue(Files.isRegularFile(file), "the map is stored");
        assertEquals(List.of(), notes);
        MapLayout again = ProjectMap.open(s, notes);
        assertArrayEquals(first.xy(), again.xy(), "the next open shows the same map");
        assertEquals(List.of(), notes);
        // read from the file, not fitted again: a point moved in the file is where the next open shows it
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(24, 123.5f);
        Files.write(file, bytes);
        assertEquals(123.5f, ProjectMap.open(s, notes).xy()[0]);

        // a damaged map file: said once by its name, and replaced
        Files.writeString(file, "not a map");
        MapLayout mended = ProjectMap.open(s, notes);
        assertEquals(1, notes.size());
        assertTrue(notes.getFirst().contains(file.toString()), notes.getFirst());
        assertArrayEquals(first.xy(), mended.xy());
        notes.clear();
        assertArrayEquals(first.xy(), ProjectMap.open(s, notes).xy());
        assertEquals(List.of(), notes, "the map file was mended");
    }
}
