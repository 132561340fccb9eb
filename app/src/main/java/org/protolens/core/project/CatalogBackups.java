package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.protolens.core.io.AtomicFiles;
import org.sqlite.SQLiteConfig;

/**
 * Copies of a project's catalog (its classes, labels and shots: the person's work) in the
 * project's {@code backups/} folder, so that a catalog damaged by a disk error, a sync tool or a
 * half-made copy costs at most the edits since the last copy, never the labels.
 *
 * <p>A copy is made when the project opens, every {@link #EVERY} minutes while the person edits,
 * and when it closes, each time only if the catalog changed since the newest copy (its revision:
 * one more with each write). The newest {@link #KEEP} copies are kept. A copy is a whole SQLite
 * database written with VACUUM INTO to a temporary name and then renamed, so a crash never leaves
 * a half-written one. Restoring one puts the damaged catalog aside in {@code backups/} (nothing is
 * deleted) and the copy in its place.
 */
public final class CatalogBackups {
    public static final String FOLDER = "backups";
    /** How many copies are kept. */
    public static final int KEEP = 8;
    /** Minutes between two copies while the person edits. */
    public static final long EVERY = 10;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("catalog-(\\d{8}T\\d{6}Z)-r(\\d{1,18})\\.db");

    /**
     * A copy of the catalog and what it holds.
     *
     * @param at       when it was made
     * @param revision the catalog's revision it holds
     * @param classes  the classes made or imported in the app that it holds
     * @param labelled images with a label
     * @param images   image rows (the project's and the imported ones)
     */
    public record Backup(Path file, Instant at, long revision, int classes, int labelled, int images) {
    }

    private CatalogBackups() {
    }

    /**
     * Copies the catalog into {@code dir}/backups unless the newest copy already holds its
     * revision, then keeps the newest {@link #KEEP}; returns the copy made, or null for none.
     */
    public static Path takeIfChanged(ProjectCatalog catalog, Path dir) throws IOException {
        long revision = catalog.revision();
        Path folder = dir.resolve(FOLDER);
        List<Path> copies = copies(folder);
        if (!copies.isEmpty() && revisionOf(copies.getFirst()) == revision) {
            return null;
        }
        Files.createDirectories(folder);
        writeReadme(folder);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path target = folder.resolve("catalog-" + STAMP.format(now) + "-r" + revision + ".db");
        while (Files.exists(target)) {
            now = now.plusSeconds(1);
            target = folder.resolve("catalog-" + STAMP.format(now) + "-r" + revision + ".db");
        }
        Path tmp = folder.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            catalog.copyTo(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        List<Path> all = copies(folder);
        for (int i = KEEP; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        return target;
    }

    /** The copies of {@code dir}'s catalog that can be read, newest first; unreadable ones are left out. */
    public static List<Backup> list(Path dir) {
        List<Backup> out = new ArrayList<>();
        for (Path p : copies(dir.resolve(FOLDER))) {
            Backup b = read(p);
            if (b != null) {
                out.add(b);
            }
        }
        return out;
    }

    /**
     * Puts {@code backup} in place of {@code dir}'s catalog: the catalog there now (with its
     * write-ahead log) moves to backups/damaged-TIME/, and a copy of the backup becomes
     * catalog.db. The project must be closed.
     *
     * @return the folder the replaced catalog was moved to (null when there was none)
     */
    public static Path restore(Path dir, Backup backup) throws IOException {
        Path folder = dir.resolve(FOLDER);
        if (!backup.file().toAbsolutePath().normalize().getParent().equals(folder.toAbsolutePath().normalize())) {
            throw new IOException(backup.file() + ": not one of " + folder + "'s copies");
        }
        if (read(backup.file()) == null) {
            throw new IOException(backup.file() + ": cannot be read as a project catalog");
        }
        Path catalog = dir.resolve(ProjectCatalog.FILE_NAME);
        Path aside = null;
        List<Path> present = new ArrayList<>();
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path f = dir.resolve(ProjectCatalog.FILE_NAME + suffix);
            if (Files.exists(f)) {
                present.add(f);
            }
        }
        if (!present.isEmpty()) {
            aside = folder.resolve("damaged-" + STAMP.format(Instant.now()));
            for (int k = 2; Files.exists(aside); k++) {
                aside = folder.resolve("damaged-" + STAMP.format(Instant.now()) + "-" + k);
            }
            Files.createDirectories(aside);
            for (Path f : present) {
                Files.move(f, aside.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Path tmp = dir.resolve("." + ProjectCatalog.FILE_NAME + ".restoring");
        Files.copy(backup.file(), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, catalog, StandardCopyOption.ATOMIC_MOVE);
        return aside;
    }

    /** The copies in {@code folder}, newest first (by the time and revision in their names). */
    private static List<Path> copies(Path folder) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, "catalog-*.db")) {
            for (Path p : s) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing((Path p) -> p.getFileName().toString().substring(8, 24))
                .thenComparingLong(CatalogBackups::revisionOf).reversed());
        return out;
    }

    private static long revisionOf(Path copy) {
        Matcher m = NAME.matcher(copy.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(2)) : -1;
    }

    /** What a copy holds, read without changing it; null when it cannot be read as a catalog. */
    private static Backup read(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement()) {
            int classes = count(s, "SELECT count(*) FROM classes");
            int images = count(s, "SELECT count(*) FROM images");
            int labelled = count(s, "SELECT count(*) FROM images WHERE label IS NOT NULL");
            Instant at = STAMP.parse(m.group(1), Instant::from);
            return new Backup(file, at, Long.parseLong(m.group(2)), classes, labelled, images);
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    private static int count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static void writeReadme(Path folder) {
        Path readme = folder.resolve("README.txt");
        if (Files.exists(readme)) {
            return;
        }
        try {
            AtomicFiles.writeString(readme, "Copies of this project's catalog.db (its classes, labels and shots), made by ProtoLens\n"
                    + "when the project opens, every " + EVERY + " minutes of editing and when it closes; the newest " + KEEP
                    + " are kept.\nIf catalog.db is ever damaged, ProtoLens offers to restore the newest copy (the damaged one\n"
                    + "is kept in a damaged-TIME folder here). Back this folder up with the project.\n");
        } catch (IOException e) {
            // a folder that cannot take the README still takes the copies, or says why
        }
    }
}
