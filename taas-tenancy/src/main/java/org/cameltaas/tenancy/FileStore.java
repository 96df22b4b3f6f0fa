package org.cameltaas.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Files API's metadata and each project's storage use, in the tenancy database every replica shares. The quota
 * is exact across replicas: {@link #insert} locks the project's {@code file_storage} row, checks that the file fits
 * and adds its size in the transaction that inserts it; {@link #delete} gives the bytes back in the same way.
 */
public final class FileStore {

    /** One stored file's metadata; {@code projectId} is the owner, never shown to clients. */
    public record StoredFile(String id, String projectId, String filename, String purpose, long bytes, String contentType,
                             Instant createdAt) {
    }

    /** An upload that would take the project past its quota; nothing was stored. */
    public static final class QuotaExceededException extends RuntimeException {
        private final long used;
        private final long limit;
        private final long requested;

        QuotaExceededException(long used, long limit, long requested) {
            super("storage quota exceeded", null, false, false);
            this.used = used;
            this.limit = limit;
            this.requested = requested;
        }

        public long used() {
            return used;
        }

        public long limit() {
            return limit;
        }

        public long requested() {
            return requested;
        }
    }

    private static final String COLUMNS = "id, project_id, filename, purpose, bytes, content_type, created_at";

    private final Database db;

    public FileStore(Database db) {
        this.db = db;
    }

    /** A new file id in OpenAI's form ({@code file-} and lower-case letters and digits), sorting by creation time. */
    public static String newId() {
        return "file-" + Ids.next("f").substring(2);
    }

    /**
     * Stores the file's metadata if it fits the project's quota ({@code limitBytes}); one transaction with the
     * project's storage row locked.
     *
     * @return the project's storage use after the insert
     * @throws QuotaExceededException when it does not fit (nothing stored)
     */
    public long insert(StoredFile file, long limitBytes) {
        ensureStorageRow(file.projectId());
        return db.inTransaction(c -> {
            long used = lockedUse(c, file.projectId());
            if (used + file.bytes() > limitBytes) {
                throw new QuotaExceededException(used, limitBytes, file.bytes());
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO files (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, file.id());
                insert.setString(2, file.projectId());
                insert.setString(3, file.filename());
                insert.setString(4, file.purpose());
                insert.setLong(5, file.bytes());
                insert.setString(6, file.contentType());
                Sql.setTime(insert, 7, file.createdAt());
                insert.executeUpdate();
            }
            addUse(c, file.projectId(), file.bytes());
            return used + file.bytes();
        });
    }

    /** The project's file, or empty when it has none of that id (another project's file included). */
    public Optional<StoredFile> get(String projectId, String id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM files WHERE id = ? AND project_id = ?")) {
                select.setString(1, id);
                select.setString(2, projectId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(file(rows)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Up to {@code limit} of the project's files by id (that is, by creation), newest first unless {@code ascending};
     * after the id {@code after} in that order when given; only those of {@code purpose} when given.
     */
    public List<StoredFile> list(String projectId, String purpose, String after, int limit, boolean ascending) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM files WHERE project_id = ?");
        if (purpose != null) {
            sql.append(" AND purpose = ?");
        }
        if (after != null) {
            sql.append(ascending ? " AND id > ?" : " AND id < ?");
        }
        sql.append(" ORDER BY id ").append(ascending ? "ASC" : "DESC").append(" LIMIT ?");
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement(sql.toString())) {
                int i = 1;
                select.setString(i++, projectId);
                if (purpose != null) {
                    select.setString(i++, purpose);
                }
                if (after != null) {
                    select.setString(i++, after);
                }
                select.setInt(i, limit);
                List<StoredFile> files = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        files.add(file(rows));
                    }
                }
                return files;
            }
        });
    }

    /** Deletes the project's file and gives its bytes back to the quota; empty when the project has no such file. */
    public Optional<StoredFile> delete(String projectId, String id) {
        ensureStorageRow(projectId);
        return db.inTransaction(c -> {
            lockedUse(c, projectId);
            Optional<StoredFile> found;
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM files WHERE id = ? AND project_id = ?")) {
                select.setString(1, id);
                select.setString(2, projectId);
                try (ResultSet rows = select.executeQuery()) {
                    found = rows.next() ? Optional.of(file(rows)) : Optional.empty();
                }
            }
            if (found.isPresent()) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM files WHERE id = ?")) {
                    delete.setString(1, id);
                    delete.executeUpdate();
                }
                addUse(c, projectId, -found.get().bytes());
            }
            return found;
        });
    }

    /** The bytes the project's files take. */
    public long used(String projectId) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT used_bytes FROM file_storage WHERE project_id = ?")) {
                select.setString(1, projectId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? rows.getLong(1) : 0L;
                }
            }
        });
    }

    /** The row to lock must exist; two replicas creating it at once is fine (one insert wins, the other is a no-op). */
    private void ensureStorageRow(String projectId) {
        db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM file_storage WHERE project_id = ?")) {
                select.setString(1, projectId);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO file_storage (project_id, used_bytes) VALUES (?, 0)")) {
                insert.setString(1, projectId);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
            return null;
        });
    }

    private static long lockedUse(Connection c, String projectId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT used_bytes FROM file_storage WHERE project_id = ? FOR UPDATE")) {
            select.setString(1, projectId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("no file_storage row for the project");
                }
                return rows.getLong(1);
            }
        }
    }

    private static void addUse(Connection c, String projectId, long delta) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE file_storage SET used_bytes = used_bytes + ? WHERE project_id = ?")) {
            update.setLong(1, delta);
            update.setString(2, projectId);
            update.executeUpdate();
        }
    }

    private static StoredFile file(ResultSet rows) throws SQLException {
        return new StoredFile(rows.getString("id"), rows.getString("project_id"), rows.getString("filename"),
                rows.getString("purpose"), rows.getLong("bytes"), rows.getString("content_type"), Sql.time(rows, "created_at"));
    }

    /** Now, as both databases store it. */
    public static Instant now() {
        return Sql.now();
    }
}
