package org.cameltaas.tenancy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Teams in the tenancy database (H2 or PostgreSQL, the same SQL). */
public final class JdbcTeams implements Teams {

    private final Database db;

    public JdbcTeams(Database db) {
        this.db = db;
    }

    @Override
    public Team create(String name) {
        Team team = new Team(Ids.next("team"), name, Sql.now());
        return db.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)")) {
                insert.setString(1, team.id());
                insert.setString(2, team.name());
                Sql.setTime(insert, 3, team.createdAt());
                insert.executeUpdate();
            }
            return team;
        });
    }

    @Override
    public Optional<Team> find(String id) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT id, name, created_at FROM teams WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(team(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Page<Team> list(String onlyId, String after, int limit) {
        return db.read(c -> {
            String sql = "SELECT id, name, created_at FROM teams WHERE id > ?" + (onlyId != null ? " AND id = ?" : "")
                    + " ORDER BY id LIMIT ?";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int i = 1;
                select.setString(i++, after == null ? "" : after);
                if (onlyId != null) {
                    select.setString(i++, onlyId);
                }
                select.setInt(i, limit + 1);
                List<Team> teams = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        teams.add(team(rows));
                    }
                }
                return Pages.of(teams, limit);
            }
        });
    }

    private static Team team(ResultSet rows) throws SQLException {
        return new Team(rows.getString("id"), rows.getString("name"), Sql.time(rows, "created_at"));
    }
}
