package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** An open project: its workspace, restored from and saved to its catalog. */
public final class ProjectSession implements AutoCloseable {
    private final Workspace workspace;
    private final ProjectCatalog catalog;

    private ProjectSession(Workspace workspace, ProjectCatalog catalog) {
        this.workspace = workspace;
        this.catalog = catalog;
    }

    /**
     * Opens the project folder {@code dir}: the images and base prototypes from project.json, the
     * classes, labels, shots and settings from catalog.db (created on first open).
     */
    public static ProjectSession open(Path dir) throws IOException {
        Workspace w = Workspace.open(dir);
        ProjectCatalog c = ProjectCatalog.open(dir);
        try {
            ProjectCatalog.Snapshot s = c.read(w.imageCount());
            if (s == null) {
                c.write(w.snapshot(null));
            } else {
                w.restore(s, dir.resolve(ProjectCatalog.FILE_NAME));
            }
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new ProjectSession(w, c);
    }

    public Workspace workspace() {
        return workspace;
    }

    /** Stores the workspace's current state; {@code lastEdit} names the edit that led to it (null: none). */
    public void save(String lastEdit) throws IOException {
        catalog.write(workspace.snapshot(lastEdit));
    }

    /** Stores a snapshot taken earlier (for writing off the thread that edits). */
    public void save(ProjectCatalog.Snapshot snapshot) throws IOException {
        catalog.write(snapshot);
    }

    public ProjectCatalog catalog() {
        return catalog;
    }

    @Override
    public void close() throws IOException {
        catalog.close();
    }

    /**
     * Copies a project folder (project.json and the files it names, but not a catalog) to
     * {@code target}, which must not exist yet: how a read-only sample becomes the user's project.
     */
    public static void copy(Path from, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + ": exists already");
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".copying");
        AtomicFiles.deleteTree(tmp);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                String rel = from.relativize(p).toString();
                if (rel.startsWith(ProjectCatalog.FILE_NAME)) {
                    continue;
                }
                Path q = tmp.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
