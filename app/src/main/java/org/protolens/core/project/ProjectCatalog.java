package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.protolens.core.proto.PrototypeHead;
import org.protolens.core.proto.TeenCalibration;

/**
 * A project's catalog in SQLite ({@code catalog.db} in the project folder): the classes made or
 * imported in the app, every image's label and shot flag, the images imported after the project
 * was made (path and SHA-256 of the file, whose embedding is in the project's embedding cache),
 * the calibration settings, and a log of the edits. The project's own images, their embeddings and
 * the base prototypes stay as {@code project.json} lists them. Every write is one transaction, so a
 * crash leaves the previous state or the new one.
 */
public final class ProjectCatalog implements AutoCloseable {
    /**
     * The catalog file exists but cannot be read as a catalog (not a database, a broken table, a
     * value ProtoLens never writes): a copy from backups/ can take its place.
     */
    public static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }

        Damaged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final String FILE_NAME = "catalog.db";
    /** 4: images and classes set aside while their embeddings cannot be had (held_images, held_classes) */
    private static final int SCHEMA = 4;

    /**
     * A class made or imported in the app: {@link Workspace.Kind#NOVEL} or
     * {@link Workspace.Kind#BASE_FROM_IMAGES} (stored as "novel" and "base").
     */
    public record ClassRecord(String name, Workspace.Kind kind) {
    }

    /**
     * The state the catalog keeps.
     *
     * @param classes  in order, after the project's base classes
     * @param labels   per image (project.json's images, then the imported ones), a class name or null
     * @param rejected per image, the classes it is marked as not belonging to (names, one per line), or null
     * @param imported the images added after the project was made, in order
     * @param lastEdit the edit that led here, logged in the history; null for none
     */
    public record Snapshot(List<ClassRecord> classes, String[] labels, boolean[] shots, String[] rejected,
                           List<Workspace.ImportedImage> imported,
                           double alpha, double tau, boolean calibrationOn, PrototypeHead head, String lastEdit) {
    }

    /**
     * An image set aside with its label, shot flag and marks, because its embedding could not be had
     * (the cache lost it and its file is missing or changed) or its class waits for such images.
     *
     * @param position a project image's index (its label is held, the image stays in the project), or null
     * @param image    an imported image (set aside as a whole), or null
     */
    public record HeldImage(Integer position, Workspace.ImportedImage image, String label, boolean shot, String rejected) {
    }

    /** What is set aside, kept apart from the images and classes the project shows, until it can be restored. */
    public record Held(List<ClassRecord> classes, List<HeldImage> images) {
        public static final Held NONE = new Held(List.of(), List.of());

        public boolean isEmpty() {
            return classes.isEmpty() && images.isEmpty();
        }
    }

    /** How a class's kind is stored: "novel" or "base" (a base class from imported images). */
    static String stored(Workspace.Kind kind) {
        return switch (kind) {
            case NOVEL -> ProjectManifest.NOVEL;
            case BASE_FROM_IMAGES -> ProjectManifest.BASE;
            case BASE -> throw new IllegalArgumentException("the project's own base classes are not stored in the catalog");
        };
    }

    /** The kind a stored name means, or null for none. */
    static Workspace.Kind kindOf(String stored) {
        return ProjectManifest.NOVEL.equals(stored) ? Workspace.Kind.NOVEL
                : ProjectManifest.BASE.equals(stored) ? Workspace.Kind.BASE_FROM_IMAGES : null;
    }

    private final Path file;
    private final Connection db;

    private ProjectCatalog(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (or creates) the catalog of the project folder {@code dir}. */
    public static ProjectCatalog open(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // FULL: a committed edit is on disk before the write returns, so an acknowledged label survives power loss
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS classes(position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                        + " kind TEXT NOT NULL DEFAULT 'novel')");
                s.execute("CREATE TABLE IF NOT EXISTS images(position INTEGER PRIMARY KEY, label TEXT, shot INTEGER NOT NULL,"
                        + " path TEXT, sha256 BLOB)");
                // catalogs of schema 1 knew novel classes and the project's own images only
                addColumnIfMissing(s, "classes", "kind", "TEXT NOT NULL DEFAULT 'novel'");
                addColumnIfMissing(s, "images", "path", "TEXT");
                addColumnIfMissing(s, "images", "sha256", "BLOB");
                // schema 3: "not this class" marks
                addColumnIfMissing(s, "images", "rejected", "TEXT");
                s.execute("CREATE TABLE IF NOT EXISTS held_classes(position INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                        + " kind TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS held_images(seq INTEGER PRIMARY KEY, position INTEGER, path TEXT,"
                        + " sha256 BLOB, label TEXT, shot INTEGER NOT NULL, rejected TEXT)");
                s.execute("CREATE TABLE IF NOT EXISTS history(seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
                        + " description TEXT NOT NULL)");
            }
            ProjectCatalog catalog = new ProjectCatalog(file, c);
            String version = catalog.meta("schema");
            if (version != null && !version.matches("[1-9][0-9]{0,3}")) {
                c.close();
                throw new Damaged(file + ": damaged project catalog (schema version \"" + version + "\")");
            }
            if (version != null && Integer.parseInt(version) > SCHEMA) {
                c.close();
                throw new IOException(file + ": catalog version " + version + " is newer than this ProtoLens reads (" + SCHEMA + ")");
            }
            return catalog;
        } catch (SQLException | RuntimeException e) {
            throw new Damaged(file + ": cannot open the project catalog (" + e.getMessage() + ")", e);
        }
    }

    private static void addColumnIfMissing(Statement s, String table, String column, String type) throws SQLException {
        try (ResultSet r = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (r.next()) {
                if (column.equals(r.getString("name"))) {
                    return;
                }
            }
        }
        s.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    private String meta(String key) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /**
     * The stored state, or null for a catalog that was never written.
     *
     * @param projectImages how many images project.json lists: the rows after them are imported images
     */
    public Snapshot read(int projectImages) throws IOException {
        try {
            if (meta("schema") == null) {
                return null;
            }
            List<ClassRecord> classes = new ArrayList<>();
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("SELECT name, kind FROM classes ORDER BY position")) {
                while (r.next()) {
                    Workspace.Kind kind = kindOf(r.getString(2));
                    if (kind == null) {
                        throw new IOException(file + ": class \"" + r.getString(1) + "\" has kind " + r.getString(2));
                    }
                    classes.add(new ClassRecord(r.getString(1), kind));
                }
            }
            List<String> labels = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            List<Boolean> shots = new ArrayList<>();
            List<Workspace.ImportedImage> imported = new ArrayList<>();
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("SELECT position, label, shot, path, sha256, rejected FROM images ORDER BY position")) {
                while (r.next()) {
                    int i = r.getInt(1);
                    if (i != labels.size()) {
                        throw new IOException(file + ": image rows skip from " + labels.size() + " to " + i);
                    }
                    labels.add(r.getString(2));
                    rejected.add(r.getString(6));
                    shots.add(r.getInt(3) != 0);
                    if (i >= projectImages) {
                        String path = r.getString(4);
                        byte[] sha = r.getBytes(5);
                        if (path == null || sha == null || sha.length != 32) {
                            throw new IOException(file + ": imported image " + i + " has no path or file hash");
                        }
                        imported.add(new Workspace.ImportedImage(path, sha));
                    }
                }
            }
            if (labels.size() < projectImages) {
                throw new IOException(file + ": has " + labels.size() + " images, the project lists " + projectImages);
            }
            boolean[] shotArray = new boolean[shots.size()];
            for (int i = 0; i < shotArray.length; i++) {
                shotArray[i] = shots.get(i);
            }
            double alpha = Double.parseDouble(meta("alpha"));
            double tau = Double.parseDouble(meta("tau"));
            new TeenCalibration(alpha, tau); // refuses values out of range, naming them
            String headName = meta("head");
            PrototypeHead head = headName == null ? PrototypeHead.CALIBRATED : PrototypeHead.of(headName);
            if (head == null) {
                throw new Damaged(file + ": damaged project catalog (prototypes \"" + headName + "\" are none ProtoLens makes)");
            }
            return new Snapshot(classes, labels.toArray(String[]::new), shotArray, rejected.toArray(String[]::new), imported, alpha,
                    tau, Boolean.parseBoolean(meta("calibrationOn")), head, null);
        } catch (SQLException | RuntimeException e) {
            throw new Damaged(file + ": damaged project catalog (" + e.getMessage() + ")", e);
        }
    }

    /** The images and classes set aside (see {@link HeldImage}); empty when none are. */
    public Held readHeld() throws IOException {
        try {
            List<ClassRecord> classes = new ArrayList<>();
            try (Statement s = db.createStatement();
                    ResultSet r = s.executeQuery("SELECT name, kind FROM held_classes ORDER BY position")) {
                while (r.next()) {
                    Workspace.Kind kind = kindOf(r.getString(2));
                    if (kind == null) {
                        throw new IOException(file + ": set-aside class \"" + r.getString(1) + "\" has kind " + r.getString(2));
                    }
                    classes.add(new ClassRecord(r.getString(1), kind));
                }
            }
            List<HeldImage> images = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT position, path, sha256, label, shot, rejected FROM held_images ORDER BY seq")) {
                while (r.next()) {
                    Integer position = r.getObject(1) == null ? null : r.getInt(1);
                    String path = r.getString(2);
                    byte[] sha = r.getBytes(3);
                    Workspace.ImportedImage im = null;
                    if (position == null) {
                        if (path == null || sha == null || sha.length != 32) {
                            throw new IOException(file + ": a set-aside image has no path or file hash");
                        }
                        im = new Workspace.ImportedImage(path, sha);
                    } else if (position < 0) {
                        throw new IOException(file + ": a set-aside label names image " + position);
                    }
                    images.add(new HeldImage(position, im, r.getString(4), r.getInt(5) != 0, r.getString(6)));
                }
            }
            return new Held(List.copyOf(classes), List.copyOf(images));
        } catch (SQLException | RuntimeException e) {
            throw new Damaged(file + ": damaged project catalog (" + e.getMessage() + ")", e);
        }
    }

    /** Replaces the stored state and what is set aside, in one transaction, logging {@code edits}. */
    public void write(Snapshot s, List<String> edits, Held held) throws IOException {
        inTransaction("save the project", () -> {
            putState(s, edits);
            try (Statement st = db.createStatement()) {
                st.execute("DELETE FROM held_classes");
                st.execute("DELETE FROM held_images");
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO held_classes(position, name, kind) VALUES (?, ?, ?)")) {
                for (int k = 0; k < held.classes().size(); k++) {
                    p.setInt(1, k);
                    p.setString(2, held.classes().get(k).name());
                    p.setString(3, stored(held.classes().get(k).kind()));
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO held_images(seq, position, path, sha256, label, shot, rejected) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int j = 0; j < held.images().size(); j++) {
                    HeldImage h = held.images().get(j);
                    p.setInt(1, j);
                    if (h.position() == null) {
                        p.setNull(2, Types.INTEGER);
                    } else {
                        p.setInt(2, h.position());
                    }
                    p.setString(3, h.image() == null ? null : h.image().path());
                    p.setBytes(4, h.image() == null ? null : h.image().sha256());
                    p.setString(5, h.label());
                    p.setInt(6, h.shot() ? 1 : 0);
                    p.setString(7, h.rejected());
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
    }

    /** Replaces the stored state with {@code s} in one transaction, logging its last edit. */
    public void write(Snapshot s) throws IOException {
        write(s, s.lastEdit() == null ? List.of() : List.of(s.lastEdit()));
    }

    /** Replaces the stored state with {@code s} in one transaction, logging the edits that led to it. */
    public void write(Snapshot s, List<String> edits) throws IOException {
        inTransaction("save the project", () -> putState(s, edits));
    }

    /** The images, classes, settings and log lines of {@code s}; what is set aside stays as it is. */
    private void putState(Snapshot s, List<String> edits) throws SQLException {
        {
            try (Statement st = db.createStatement()) {
                st.execute("DELETE FROM classes");
                st.execute("DELETE FROM images");
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO classes(position, name, kind) VALUES (?, ?, ?)")) {
                for (int k = 0; k < s.classes().size(); k++) {
                    p.setInt(1, k);
                    p.setString(2, s.classes().get(k).name());
                    p.setString(3, stored(s.classes().get(k).kind()));
                    p.addBatch();
                }
                p.executeBatch();
            }
            int projectImages = s.labels().length - s.imported().size();
            try (PreparedStatement p = db.prepareStatement(
                    "INSERT INTO images(position, label, shot, path, sha256, rejected) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < s.labels().length; i++) {
                    p.setInt(1, i);
                    p.setString(2, s.labels()[i]);
                    p.setInt(3, s.shots()[i] ? 1 : 0);
                    Workspace.ImportedImage im = i < projectImages ? null : s.imported().get(i - projectImages);
                    p.setString(4, im == null ? null : im.path());
                    p.setBytes(5, im == null ? null : im.sha256());
                    p.setString(6, s.rejected()[i]);
                    p.addBatch();
                }
                p.executeBatch();
            }
            putSettings(s.alpha(), s.tau(), s.calibrationOn(), s.head());
            putHistory(edits);
        }
    }

    private void putHistory(List<String> edits) throws SQLException {
        if (edits.isEmpty()) {
            return;
        }
        try (PreparedStatement p = db.prepareStatement("INSERT INTO history(at, description) VALUES (?, ?)")) {
            for (String edit : edits) {
                p.setString(1, Instant.now().toString());
                p.setString(2, edit);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: all of it is stored, or (on a failure) none of it. */
    private void inTransaction(String what, Work work) throws IOException {
        try {
            db.setAutoCommit(false);
            work.run();
            db.commit();
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the failure below is what the user needs to hear about
            }
            throw new IOException(file + ": cannot " + what + " (" + e.getMessage() + ")", e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is closing or broken; the next write reports it
            }
        }
    }

    private void putSettings(double alpha, double tau, boolean calibrationOn, PrototypeHead head) throws SQLException {
        long next = revisionOrZero() + 1;
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
            for (String[] kv : new String[][] {{"schema", Integer.toString(SCHEMA)}, {"alpha", Double.toString(alpha)},
                {"tau", Double.toString(tau)}, {"calibrationOn", Boolean.toString(calibrationOn)}, {"head", head.id()},
                {"revision", Long.toString(next)}}) {
                p.setString(1, kv[0]);
                p.setString(2, kv[1]);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /**
     * Stores only the settings (a slider moved, the prototypes chosen), logging the edits that
     * changed them, in one transaction: what a change of the calibration alone needs (the images
     * and classes stored last stay as they are).
     */
    public void writeSettings(double alpha, double tau, boolean calibrationOn, PrototypeHead head, List<String> edits)
            throws IOException {
        inTransaction("save the settings", () -> {
            putSettings(alpha, tau, calibrationOn, head);
            putHistory(edits);
        });
    }

    private long revisionOrZero() throws SQLException {
        String r = meta("revision");
        try {
            return r == null ? 0 : Math.max(0, Long.parseLong(r));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * How many writes the catalog has stored: one more with each (a labelling or the settings).
     * Catalogs written before it was counted start at 0.
     */
    public long revision() throws IOException {
        try {
            return revisionOrZero();
        } catch (SQLException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a consistent copy of the catalog as it is now to {@code target} (which must not
     * exist), with SQLite's VACUUM INTO: a whole database, not its write-ahead log.
     */
    public void copyTo(Path target) throws IOException {
        try (PreparedStatement p = db.prepareStatement("VACUUM INTO ?")) {
            p.setString(1, target.toAbsolutePath().toString());
            p.execute();
        } catch (SQLException e) {
            throw new IOException(file + ": cannot copy the catalog to " + target + " (" + e.getMessage() + ")", e);
        }
    }

    /** The logged edits, oldest first. */
    public List<String> history() throws IOException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT description FROM history ORDER BY seq")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
