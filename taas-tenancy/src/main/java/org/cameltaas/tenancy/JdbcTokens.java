package org.cameltaas.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;


/**
 * Tokens in the tenancy database. Every change sets {@code updated_at} from the database's clock, which is what
 * each replica's {@link TokenCache} polls; {@link #touch} leaves it alone (last use is not a change to propagate).
 */
public final class JdbcTokens implements Tokens {

    private static final String COLUMNS = "id, project_id, team_id, name, role, models, prefix, expires_at, created_at,"
            + " last_used_at, revoked_at, secret_hash, previous_hash, previous_valid_until, rpm, tpm, max_concurrent";

    private final Database db;

    public JdbcTokens(Database db) {
        this.db = db;
    }

    @Override
    public IssuedToken create(String projectId, String name, String role, List<String> models, Instant expiresAt) {
        String secret = Secrets.newToken();
        return db.inTransaction(c -> {
            String teamId;
            try (PreparedStatement project = c.prepareStatement("SELECT team_id FROM projects WHERE id = ?")) {
                project.setString(1, projectId);
                try (ResultSet rows = project.executeQuery()) {
                    if (!rows.next()) {
                        throw TenancyException.notFound("project", projectId);
                    }
                    teamId = rows.getString(1);
                }
            }
            String id = Ids.next("tok");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO tokens (id, project_id, team_id, name, role,"
                    + " models, secret_hash, prefix, expires_at, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
                insert.setString(1, id);
                insert.setString(2, projectId);
                insert.setString(3, teamId);
                insert.setString(4, name);
                insert.setString(5, role);
                insert.setString(6, Sql.jsonList(models));
                insert.setString(7, Secrets.hash(secret));
                insert.setString(8, Secrets.displayPrefix(secret));
                Sql.setTime(insert, 9, expiresAt);
                Sql.setTime(insert, 10, Instant.now());
                insert.executeUpdate();
            }
            return new IssuedToken(load(c, id).orElseThrow().token(), secret);
        });
    }

    @Override
    public Optional<Token> find(String id) {
        return db.read(c -> load(c, id).map(TokenEntry::token));
    }

    @Override
    public Page<Token> list(String teamId, String projectId, String after, int limit) {
        return db.read(c -> {
            String sql = "SELECT " + COLUMNS + " FROM tokens WHERE id > ?" + (teamId != null ? " AND team_id = ?" : "")
                    + (projectId != null ? " AND project_id = ?" : "") + " ORDER BY id LIMIT ?";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                select.setString(i++, after == null ? "" : after);
                if (teamId != null) {
                    select.setString(i++, teamId);
                }
                if (projectId != null) {
                    select.setString(i++, projectId);
                }
                select.setInt(i, limit + 1);
                List<Token> tokens = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tokens.add(entry(rows).token());
                    }
                }
                return Pages.of(tokens, limit);
            }
        });
    }

    @Override
    public Token revoke(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE tokens SET revoked_at = COALESCE(revoked_at, CURRENT_TIMESTAMP),"
                    + " previous_hash = NULL, previous_valid_until = NULL, updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
                update.setString(1, id);
                if (update.executeUpdate() == 0) {
                    throw TenancyException.notFound("token", id);
                }
            }
            return load(c, id).orElseThrow().token();
        });
    }

    @Override
    public IssuedToken rotate(String id, Duration grace) {
        String secret = Secrets.newToken();
        return db.inTransaction(c -> {
            TokenEntry current = load(c, id).orElseThrow(() -> TenancyException.notFound("token", id));
            if (current.token().revokedAt() != null) {
                throw new TenancyException(409, "token_revoked", null, "Token " + id + " is revoked; issue a new one.");
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE tokens SET previous_hash = secret_hash,"
                    + " previous_valid_until = ?, secret_hash = ?, prefix = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
                Sql.setTime(update, 1, Instant.now().plus(grace));
                update.setString(2, Secrets.hash(secret));
                update.setString(3, Secrets.displayPrefix(secret));
                update.setString(4, id);
                update.executeUpdate();
            }
            return new IssuedToken(load(c, id).orElseThrow().token(), secret);
        });
    }

    @Override
    public Instant now() {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getObject(1, OffsetDateTime.class).toInstant();
            }
        });
    }

    @Override
    public List<TokenEntry> changedSince(Instant since) {
        return db.read(c -> {
            String sql = "SELECT " + COLUMNS + " FROM tokens" + (since != null ? " WHERE updated_at >= ?" : "");
            try (PreparedStatement select = c.prepareStatement(sql)) {
                if (since != null) {
                    Sql.setTime(select, 1, since);
                }
                List<TokenEntry> entries = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(rows));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public void touch(Map<String, Instant> lastUsed) {
        if (lastUsed.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE tokens SET last_used_at = ?"
                    + " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
                for (Map.Entry<String, Instant> used : lastUsed.entrySet()) {
                    Sql.setTime(update, 1, used.getValue());
                    update.setString(2, used.getKey());
                    Sql.setTime(update, 3, used.getValue());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    private static Optional<TokenEntry> load(Connection c, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(entry(rows)) : Optional.empty();
            }
        }
    }

    private static TokenEntry entry(ResultSet rows) throws SQLException {
        Token token = new Token(rows.getString("id"), rows.getString("project_id"), rows.getString("team_id"),
                rows.getString("name"), rows.getString("role"), Sql.stringList(rows.getString("models"), "tokens.models"), rows.getString("prefix"),
                Sql.time(rows, "expires_at"), Sql.time(rows, "created_at"), Sql.time(rows, "last_used_at"),
                Sql.time(rows, "revoked_at"), Sql.integer(rows, "rpm"), Sql.integer(rows, "tpm"),
                Sql.integer(rows, "max_concurrent"));
        return new TokenEntry(token, rows.getString("secret_hash"), rows.getString("previous_hash"),
                Sql.time(rows, "previous_valid_until"));
    }


}
