package org.protolens.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Paths that a file in a folder names, checked to stay inside that folder, and names for folders. */
public final class FolderFiles {
    private FolderFiles() {
    }

    /**
     * Refuses a path that a project names outside its own folder: absolute, climbing out with
     * "..", or reaching out through a symbolic link. A project or backbone folder someone sent is
     * untrusted; it may only name its own files. A null path passes (the field is optional or checked elsewhere).
     */
    public static void requireInside(Path dir, String path, Path file, String field) throws IOException {
        if (path == null) {
            return;
        }
        Path root = dir.toAbsolutePath().normalize();
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw new IOException(file + ": \"" + field + "\" is not a file name (" + e.getReason() + ")");
        }
        Path resolved = root.resolve(p).normalize();
        if (p.isAbsolute() || path.startsWith("/") || path.startsWith("\\") || !resolved.startsWith(root) || resolved.equals(root)) {
            throw new IOException(file + ": \"" + field + "\" names " + path
                    + ", which is outside " + root + "; only files inside that folder may be named");
        }
        if (Files.exists(resolved)) {
            Path real = resolved.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new IOException(file + ": \"" + field + "\" names " + path + ", a link to " + real
                        + " outside " + root + "; only files inside that folder may be named");
            }
        }
    }

    /** A class name as a folder name: path separators and characters no file system allows become "_". */
    public static String folderName(String className) {
        String s = className.strip().replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_");
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            s = "_" + s;
        }
        return s;
    }
}
