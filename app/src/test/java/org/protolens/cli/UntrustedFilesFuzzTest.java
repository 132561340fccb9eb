package org.protolens.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.protolens.TestResources;
import org.protolens.core.FloatMatrix;
import org.protolens.core.embed.BackboneSpec;
import org.protolens.core.interop.ProjectExport;
import org.protolens.core.io.NpyFile;
import org.protolens.core.io.ParquetEmbeddings;
import org.protolens.core.io.PathLines;
import org.protolens.core.map.MapLayout;
import org.protolens.core.project.BackboneSwitch;
import org.protolens.core.project.ComparedBackbones;
import org.protolens.core.project.EmbeddingsImport;
import org.protolens.core.project.OpenProject;
import org.protolens.core.project.ProjectManifest;
import org.protolens.core.project.SavedSelections;
import org.protolens.core.project.Workspace;
import org.protolens.core.shortcut.ShortcutDataset;

/**
 * Every parser of a file someone may send (project.json, .npy, labels CSV, backbone.json, split
 * files, map-layout.bin, paths lists, a shortcut dataset's manifest.csv, saved selections, compared backbones,
 * the backbone and labels beside imported embeddings, the record of backbones switched from, Parquet
 * embeddings)
 * refuses what it cannot read with an IOException that names the file, and never fails another
 * way (a runtime exception, an error, a hang).
 *
 * <p>The first byte of an input chooses the parser, the rest is the file. Seeds (one valid file
 * each) are in {@code src/test/resources/org/protolens/cli/UntrustedFilesFuzzTestInputs}. A plain
 * test run replays them and every finding kept there; with {@code JAZZER_FUZZ=1} (as the build
 * sets it) Jazzer mutates them, guided by coverage, for {@code maxDuration}. A crash it finds is
 * written there as a new input and becomes a regression case.
 */
class UntrustedFilesFuzzTest {
    private static Path root;
    private static Path project;
    private static Workspace workspace;
    private static FloatMatrix mapEmbeddings;

    private static synchronized void setUp() throws IOException {
        if (root != null) {
            return;
        }
        root = Files.createTempDirectory("protolens-fuzz");
        root.toFile().deleteOnExit();
        project = root.resolve("project");
        OpenProject.copy(TestResources.samples().resolve("fashion-fewshot"), project);
        workspace = Workspace.open(project);
        mapEmbeddings = NpyFile.readMatrix(TestResources.samples().resolve("cifar10-fewshot/embeddings.npy"));
    }

    @FuzzTest(maxDuration = "45s")
    void untrustedFilesAreRefusedByNameNeverCrash(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        setUp();
        byte[] file = Arrays.copyOfRange(input, 1, input.length);
        int parser = Math.floorMod(input[0], 14);
        Path target = switch (parser) {
            case 0 -> project.resolve(ProjectManifest.FILE_NAME);
            case 3 -> root.resolve(BackboneSpec.FILE_NAME);
            case 7 -> root.resolve(ShortcutDataset.MANIFEST);
            case 8 -> root.resolve(SavedSelections.FILE_NAME);
            case 9 -> root.resolve(ComparedBackbones.FILE_NAME);
            case 10 -> EmbeddingsImport.besides(root.resolve("rows.npy"));
            case 12 -> Files.createDirectories(root.resolve(BackboneSwitch.FOLDER)).resolve("switched.json");
            case 13 -> root.resolve("rows.parquet");
            default -> root.resolve("input-" + parser);
        };
        Files.write(target, file);
        try {
            switch (parser) {
                case 0 -> ProjectManifest.read(project);
                case 1 -> NpyFile.readMatrix(target);
                case 2 -> ProjectExport.readLabels(workspace.state(), target);
                case 3 -> BackboneSpec.read(target);
                case 4 -> FscilCommand.readSplit(target);
                case 5 -> MapLayout.read(target, mapEmbeddings);
                case 7 -> ShortcutDataset.readManifest(root).forEach(it -> it.objectMask(32, 32));
                case 8 -> SavedSelections.read(root);
                case 9 -> ComparedBackbones.read(root);
                case 10 -> EmbeddingsImport.fingerprintBeside(root.resolve("rows.npy"));
                case 11 -> EmbeddingsImport.readLabels(target);
                case 12 -> BackboneSwitch.switchedFrom(root);
                case 13 -> ParquetEmbeddings.read(List.of(target));
                default -> PathLines.read(target);
            }
        } catch (IOException e) {
            assertNotNull(e.getMessage(), "a refusal says why");
            assertTrue(e.getMessage().contains(target.getFileName().toString()) || e.getMessage().contains(project.toString()),
                    "a refusal names the file: " + e.getMessage());
        }
    }
}
