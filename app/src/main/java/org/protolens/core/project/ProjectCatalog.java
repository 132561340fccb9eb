package org.protolens.core.project;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A project's catalog in SQLite ({@code catalog.db} in the project folder): the novel classes,
 * every image's label and shot flag, the calibration settings, and a log of the edits. The images,
 * their embeddings and the base prototypes stay as {@code project.json} lists them. Every write is
 * one transaction, so a crash leaves the previous state or the new one.
 */
public final class ProjectCatalog implements AutoCloseable {
    public static final String FILE_NAME = "catalog.db";
    private static final int SCHEMA = 1;

    /**
     * The state the catalog keeps.
     *
     * @param novelClasses in order, after the project's base classes
     * @param labels       per image (project.json's order), a class name or null
     * @param lastEdit     the edit that led here, logged in the history; null for none
     */
    public record Snapshot(List<String> novelClasses, String[] labels, boolean[] shots, double alpha, double tau,
                           boolean calibrationOn, String lastEdit) {
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
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS classes(position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
                s.execute("CREATE TABLE IF NOT EXISTS images(position INTEGER PRIMARY KEY, label TEXT, shot INTEGER NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS history(seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
                        + " description TEXT NOT NULL)");
            }
            ProjectCatalog catalog = new ProjectCatalog(file, c);
            String version = catalog.meta("schema");
            if (version != null && Integer.parseInt(version) > SCHEMA) {
                c.close();
                throw new IOException(file + ": catalog version " + version + " is newer than this ProtoLens reads (" + SCHEMA + ")");
            }
            return catalog;
        } catch (SQLException e) {
            throw new IOException(file + ": cannot open the project catalog (" + e.getMessage() + ")", e);
        }
    }

    private String meta(String key) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** The stored state, or null for a catalog that was never written. */
    public Snapshot read(int imageCount) throws IOException {
        try {
            if (meta("schema") == null) {
                return null;
            }
            List<String> novel = new ArrayList<>();
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT name FROM classes ORDER BY position")) {
                while (r.next()) {
                    novel.add(r.getString(1));
                }
            }
            String[] labels = new String[imageCount];
            boolean[] shots = new boolean[imageCount];
            int rows = 0;
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT position, label, shot FROM images ORDER BY position")) {
                while (r.next()) {
                    int i = r.getInt(1);
                    if (i < 0 || i >= imageCount) {
                        throw new IOException(file + ": lists image " + i + ", but the project has " + imageCount);
                    }
                    labels[i] = r.getString(2);
                    shots[i] = r.getInt(3) != 0;
                    rows++;
                }
            }
            if (rows != imageCount) {
                throw new IOException(file + ": has " + rows + " images, the project lists " + imageCount);
            }
            return new Snapshot(novel, labels, shots, Double.parseDouble(meta("alpha")), Double.parseDouble(meta("tau")),
                    Boolean.parseBoolean(meta("calibrationOn")), null);
        } catch (SQLException | NumberFormatException | NullPointerException e) {
            throw new IOException(file + ": damaged project catalog (" + e.getMessage() + ")", e);
        }
    }

    /** Replaces the stored state with {@code s} in one transaction. */
    public void write(Snapshot s) throws IOException {
        try {
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                st.execute("DELETE FROM classes");
                st.execute("DELETE FROM images");
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO classes(position, name) VALUES (?, ?)")) {
                for (int k = 0; k < s.novelClasses().size(); k++) {
                    p.setInt(1, k);
                    p.setString(2, s.novelClasses().get(k));
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO images(position, label, shot) VALUES (?, ?, ?)")) {
                for (int i = 0; i < s.labels().length; i++) {
                    p.setInt(1, i);
                    p.setString(2, s.labels()[i]);
                    p.setInt(3, s.shots()[i] ? 1 : 0);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
                for (String[] kv : new String[][] {{"schema", Integer.toString(SCHEMA)}, {"alpha", Double.toString(s.alpha())},
                    {"tau", Double.toString(s.tau())}, {"calibrationOn", Boolean.toString(s.calibrationOn())}}) {
                    p.setString(1, kv[0]);
                    p.setString(2, kv[1]);
                    p.addBatch();
                }
                p.executeBatch();
            }
            if (s.lastEdit() != null) {
                try (PreparedStatement p = db.prepareStatement("INSERT INTO history(at, description) VALUES (?, ?)")) {
                    p.setString(1, java.time.Instant.now().toString());
                    p.setString(2, s.lastEdit());
                    p.executeUpdate();
                }
            }
            db.commit();
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the failure below is what the user needs to hear about
            }
            throw new IOException(file + ": cannot save the project (" + e.getMessage() + ")", e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is closing or broken; the next write reports it
            }
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
