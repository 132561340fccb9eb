package org.protolens.core.embed;

import ai.djl.Model;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.protolens.core.io.AtomicFiles;

/** Writes a built-in architecture's weights and {@code backbone.json} as a backbone folder. */
public final class BuiltinBackbones {
    private BuiltinBackbones() {
    }

    /**
     * Saves an initialised block of {@code arch} into {@code dir} (replaced as a whole: a crash
     * leaves either the old folder or the new one).
     */
    public static void write(Path dir, BuiltinArchitecture arch, Block block, Preprocessing preprocessing,
                             List<String> classNames, JsonNode provenance) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            // a temporary folder is private (0700); the backbone folder is readable like any other
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            String weights;
            try (Model model = Model.newInstance(arch.id(), "PyTorch")) {
                model.setBlock(block);
                model.save(tmp, arch.id());
            }
            try (Stream<Path> s = Files.list(tmp)) {
                weights = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".params")).findFirst()
                        .orElseThrow(() -> new IOException("DJL wrote no .params file"));
            }
            new BackboneSpec(BackboneSpec.FORMAT_BUILTIN, arch.id(), weights, BackboneSpec.Input.of(preprocessing),
                    classNames, provenance).write(tmp.resolve(BackboneSpec.FILE_NAME));
            if (Files.exists(dir)) {
                Path old = parent.resolve("." + dir.getFileName() + ".old");
                AtomicFiles.deleteTree(old);
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.deleteTree(old);
            } else {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }
}
