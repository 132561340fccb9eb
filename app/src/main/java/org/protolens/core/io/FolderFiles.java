package org.protolens.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

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
        Path resolved = lexicallyInside(root, path, file, field);
        if (Files.exists(resolved)) {
            Path real = resolved.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new IOException(file + ": \"" + field + "\" names " + path + ", a link to " + real
                        + " outside " + root + "; only files inside that folder may be named");
            }
        }
    }

    /**
     * Checks many paths named inside one folder, as {@link #requireInside} does, with one look at
     * the file system per path: the real location of each folder the files lie in is found once,
     * and a file's own real path only where it is a link. How a project's 100,000 image paths are
     * checked at open.
     */
    public static final class Inside {
        private final Path root;
        private Path realRoot;
        private final Map<Path, Path> realFolders = new HashMap<>();

        public Inside(Path dir) {
            root = dir.toAbsolutePath().normalize();
        }

        /**
         * Whether {@code path} names a regular file (through links that stay inside); refused as
         * {@link #requireInside} refuses it.
         */
        public boolean isFileInside(String path, Path file, String field) throws IOException {
            if (path == null) {
                return false;
            }
            Path resolved = lexicallyInside(root, path, file, field);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(resolved, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return false;
            }
            Path folder = resolved.getParent();
            Path realFolder = realFolders.get(folder);
            if (realFolder == null) {
                realFolder = folder.toRealPath();
                realFolders.put(folder, realFolder);
            }
            if (realRoot == null) {
                realRoot = root.toRealPath();
            }
            Path real;
            try {
                real = a.isSymbolicLink() ? resolved.toRealPath() : realFolder.resolve(resolved.getFileName());
            } catch (NoSuchFileException e) {
                // a link to nothing
                return false;
            }
            if (!real.startsWith(realRoot)) {
                throw new IOException(file + ": \"" + field + "\" names " + path + ", a link to " + real
                        + " outside " + root + "; only files inside that folder may be named");
            }
            return a.isSymbolicLink() ? Files.isRegularFile(real) : a.isRegularFile();
        }
    }

    private static Path lexicallyInside(Path root, String path, Path file, String field) throws IOException {
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
        return resolved;
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
