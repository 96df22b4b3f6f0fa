package org.cameltaas.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;


/**
 * Registered deployments and their connector tokens, in the tenancy database (H2 or PostgreSQL, the same SQL).
 * A model is served by one deployment at most: creating a deployment with a model another one serves is 409.
 */
public final class JdbcDeployments {

    /** Connector tokens start so, to be told from client tokens ({@code taas_}) at a glance. */
    public static final String TOKEN_PREFIX = "taasc_";
    private static final String COLUMNS = "id, name, project_id, models, created_at";
    private static final String TOKEN_COLUMNS = "id, deployment_id, name, prefix, created_at, revoked_at";

    private final Database db;

    public JdbcDeployments(Database db) {
        this.db = db;
    }

    public Deployment create(String name, String projectId, List<String> models) {
        Deployment deployment = new Deployment(Ids.next("dep"), name, projectId, models, Sql.now());
        return db.inTransaction(c -> {
            try (PreparedStatement project = c.prepareStatement("SELECT id FROM projects WHERE id = ?")) {
                project.setString(1, projectId);
                try (ResultSet rows = project.executeQuery()) {
                    if (!rows.next()) {
                        throw TenancyException.notFound("project", projectId);
                    }
                }
            }
            Set<String> served = new HashSet<>();
            for (Deployment other : all(c)) {
                served.addAll(other.models());
            }
            for (String model : models) {
                if (served.contains(model)) {
                    throw new TenancyException(409, "duplicate_model", "models",
                            "The model " + model + " is already served by another deployment.");
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO deployments (id, name, project_id, models, created_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, deployment.id());
                insert.setString(2, name);
                insert.setString(3, projectId);
                insert.setString(4, Sql.jsonList(models));
                Sql.setTime(insert, 5, deployment.createdAt());
                insert.executeUpdate();
            }
            return deployment;
        });
    }

    public Optional<Deployment> find(String id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM deployments WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(deployment(rows)) : Optional.empty();
                }
            }
        });
    }

    /** Every deployment, oldest first (a gateway serves them all; there are few). */
    public List<Deployment> all() {
        return db.read(JdbcDeployments::all);
    }

    private static List<Deployment> all(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM deployments ORDER BY id")) {
            List<Deployment> list = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    list.add(deployment(rows));
                }
            }
            return list;
        }
    }

    public ConnectorToken.Issued issueToken(String deploymentId, String name) {
        String secret = TOKEN_PREFIX + Secrets.newToken().substring(Secrets.TOKEN_PREFIX.length());
        ConnectorToken token = new ConnectorToken(Ids.next("ctok"), deploymentId, name, secret.substring(0, TOKEN_PREFIX.length() + 4),
                Sql.now(), null);
        return db.inTransaction(c -> {
            if (find(c, deploymentId) == null) {
                throw TenancyException.notFound("deployment", deploymentId);
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO connector_tokens (id, deployment_id, name, hash,"
                    + " prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, token.id());
                insert.setString(2, deploymentId);
                Sql.setString(insert, 3, name);
                insert.setString(4, Secrets.hash(secret));
                insert.setString(5, token.prefix());
                Sql.setTime(insert, 6, token.createdAt());
                insert.executeUpdate();
            }
            return new ConnectorToken.Issued(token, secret);
        });
    }

    private static Deployment find(Connection c, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM deployments WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? deployment(rows) : null;
            }
        }
    }

    /** The token whose secret this is, revoked or not (the caller decides); empty for an unknown secret. */
    public Optional<ConnectorToken> tokenBySecret(String secret) {
        String hash = Secrets.hash(secret);
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + TOKEN_COLUMNS + ", hash FROM connector_tokens WHERE hash = ?")) {
                select.setString(1, hash);
                try (ResultSet rows = select.executeQuery()) {
                    // the index found it; compare in constant time all the same
                    return rows.next() && Secrets.sameHash(hash, rows.getString("hash")) ? Optional.of(token(rows)) : Optional.empty();
                }
            }
        });
    }

    public Optional<ConnectorToken> token(String id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM connector_tokens WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(token(rows)) : Optional.empty();
                }
            }
        });
    }

    public List<ConnectorToken> tokens(String deploymentId) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + TOKEN_COLUMNS
                    + " FROM connector_tokens WHERE deployment_id = ? ORDER BY id")) {
                select.setString(1, deploymentId);
                List<ConnectorToken> list = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        list.add(token(rows));
                    }
                }
                return list;
            }
        });
    }

    /** Revokes the token (once: a second call keeps the first time) and returns it. */
    public ConnectorToken revokeToken(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE connector_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                Sql.setTime(update, 1, Sql.now());
                update.setString(2, id);
                update.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM connector_tokens WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        throw TenancyException.notFound("connector_token", id);
                    }
                    return token(rows);
                }
            }
        });
    }

    /** The ids among these that are revoked or unknown: a tunnel holding one must close. */
    public Set<String> invalidTokens(Set<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return db.read(c -> {
            Set<String> valid = new HashSet<>();
            List<String> list = new ArrayList<>(ids);
            try (PreparedStatement select = c.prepareStatement("SELECT id FROM connector_tokens WHERE revoked_at IS NULL AND id IN ("
                    + String.join(",", java.util.Collections.nCopies(list.size(), "?")) + ")")) {
                for (int i = 0; i < list.size(); i++) {
                    select.setString(i + 1, list.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        valid.add(rows.getString("id"));
                    }
                }
            }
            Set<String> invalid = new HashSet<>(ids);
            invalid.removeAll(valid);
            return invalid;
        });
    }

    private static Deployment deployment(ResultSet rows) throws SQLException {
        return new Deployment(rows.getString("id"), rows.getString("name"), rows.getString("project_id"),
                Sql.stringList(rows.getString("models"), "deployments.models"), Sql.time(rows, "created_at"));
    }

    private static ConnectorToken token(ResultSet rows) throws SQLException {
        Instant revoked = rows.getObject("revoked_at") == null ? null : Sql.time(rows, "revoked_at");
        return new ConnectorToken(rows.getString("id"), rows.getString("deployment_id"), rows.getString("name"),
                rows.getString("prefix"), Sql.time(rows, "created_at"), revoked);
    }


}
