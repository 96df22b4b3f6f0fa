package org.cameltaas.tenancy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Projects in the tenancy database. */
public final class JdbcProjects implements Projects {

    static final String COLUMNS = "id, team_id, name, created_at, default_rpm, default_tpm, default_max_concurrent, balance,"
            + " reserved";

    private final Database db;

    public JdbcProjects(Database db) {
        this.db = db;
    }

    @Override
    public Project create(String teamId, String name) {
        Project project = new Project(Ids.next("proj"), teamId, name, Sql.now());
        return db.inTransaction(c -> {
            try (PreparedStatement team = c.prepareStatement("SELECT id FROM teams WHERE id = ?")) {
                team.setString(1, teamId);
                try (ResultSet rows = team.executeQuery()) {
                    if (!rows.next()) {
                        throw TenancyException.notFound("team", teamId);
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO projects (id, team_id, name, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, project.id());
                insert.setString(2, teamId);
                insert.setString(3, name);
                Sql.setTime(insert, 4, project.createdAt());
                insert.executeUpdate();
            }
            return project;
        });
    }

    @Override
    public Optional<Project> find(String id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM projects WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(project(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Page<Project> list(String teamId, String after, int limit) {
        return db.read(c -> {
            String sql = "SELECT " + COLUMNS + " FROM projects WHERE id > ?"
                    + (teamId != null ? " AND team_id = ?" : "") + " ORDER BY id LIMIT ?";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                select.setString(i++, after == null ? "" : after);
                if (teamId != null) {
                    select.setString(i++, teamId);
                }
                select.setInt(i, limit + 1);
                List<Project> projects = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        projects.add(project(rows));
                    }
                }
                return Pages.of(projects, limit);
            }
        });
    }

    static Project project(ResultSet rows) throws SQLException {
        return new Project(rows.getString("id"), rows.getString("team_id"), rows.getString("name"), Sql.time(rows, "created_at"),
                Sql.integer(rows, "default_rpm"), Sql.integer(rows, "default_tpm"), Sql.integer(rows, "default_max_concurrent"),
                rows.getBigDecimal("balance"), rows.getBigDecimal("reserved"));
    }
}
