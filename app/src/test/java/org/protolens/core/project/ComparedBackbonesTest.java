package org.protolens.core.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project remembers the backbones added to its comparison, and a damaged list is refused by name. */
class ComparedBackbonesTest {
    @TempDir
    Path dir;

    @Test
    void noFileIsNoBackbone() throws IOException {
        assertEquals(List.of(), ComparedBackbones.read(dir.resolve("project")));
    }

    @Test
    void backbonesInsideTheProjectMoveWithIt() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path inside = Files.createDirectories(project.resolve("backbones").resolve("resnet"));
        Path outside = dir.resolve("models").resolve("net.pt");
        String url = "djl://ai.djl.pytorch/resnet18_embedding";
        ComparedBackbones.write(project, List.of(inside.toString(), outside.toString(), url, inside.toString()));
        String text = Files.readString(project.resolve(ComparedBackbones.FILE_NAME));
        assertTrue(text.contains("\"backbones/resnet\""), "stored relative to the project: " + text);
        assertEquals(List.of(inside.toString(), outside.toString(), url), ComparedBackbones.read(project), "in the order added, once");

        Path moved = dir.resolve("moved");
        Files.move(project, moved);
        assertEquals(moved.resolve("backbones").resolve("resnet").toString(), ComparedBackbones.read(moved).getFirst(),
                "the one inside follows the project");
    }

    @Test
    void aDamagedOrForeignListIsRefusedNamingTheFile() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path file = project.resolve(ComparedBackbones.FILE_NAME);
        for (String bad : List.of("{\"format\": \"protolens-compared-backbones\", \"version\": 1, \"backbones\": [",
                "[1, 2]",
                "{\"format\": \"protolens-compared-backbones\", \"version\": 2, \"backbones\": []}",
                "{\"format\": \"protolens-compared-backbones\", \"version\": 1, \"backbones\": \"a\"}",
                "{\"format\": \"protolens-compared-backbones\", \"version\": 1, \"backbones\": [3]}",
                "{\"format\": \"protolens-compared-backbones\", \"version\": 1, \"backbones\": [\"a\\u0000b\"]}")) {
            Files.writeString(file, bad);
            IOException e = assertThrows(IOException.class, () -> ComparedBackbones.read(project), bad);
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }
}
