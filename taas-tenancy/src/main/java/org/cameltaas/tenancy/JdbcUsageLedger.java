package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The usage ledger in the tenancy database. {@code ON CONFLICT DO NOTHING} dedupes on the primary key, the request
 * id (H2 takes the clause without a conflict target only; the table has no other unique key).
 */
public final class JdbcUsageLedger implements UsageLedger {

    private static final String COLUMNS = "request_id, created_at, session_id, token_id, team_id, project_id, surface,"
            + " model_requested, model_used, provider, fallback_depth, prompt_tokens, completion_tokens, cached_tokens,"
            + " status, error_code, latency_ms, ttft_ms, outcome, credits, upstream_ms";

    private final Database db;
    private final CreditStore credits;

    /** {@code credits}: charges the costs of the events stored, in the same transaction (null: no charging). */
    public JdbcUsageLedger(Database db, CreditStore credits) {
        this.db = db;
        this.credits = credits;
    }

    @Override
    public int record(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, CreditStore.Charged> charged = new HashMap<>();
        int added = db.inTransaction(c -> {
            charged.clear(); // a retried transaction starts over
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO usage_events (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (UsageEvent e : events) {
                    int i = 1;
                    insert.setString(i++, e.requestId());
                    Sql.setTime(insert, i++, Instant.ofEpochMilli(e.createdAt()));
                    Sql.setString(insert, i++, cut(e.sessionId(), 200));
                    Sql.setString(insert, i++, cut(e.tokenId(), 100));
                    Sql.setString(insert, i++, cut(e.teamId(), 100));
                    Sql.setString(insert, i++, cut(e.projectId(), 100));
                    Sql.setString(insert, i++, cut(e.surface(), 64));
                    Sql.setString(insert, i++, cut(e.modelRequested(), 200));
                    Sql.setString(insert, i++, cut(e.modelUsed(), 200));
                    Sql.setString(insert, i++, cut(e.provider(), 64));
                    insert.setInt(i++, e.fallbackDepth());
                    insert.setInt(i++, e.promptTokens());
                    insert.setInt(i++, e.completionTokens());
                    insert.setInt(i++, e.cachedTokens());
                    insert.setInt(i++, e.status());
                    Sql.setString(insert, i++, cut(e.errorCode(), 100));
                    setDouble(insert, i++, e.latencyMs());
                    setDouble(insert, i++, e.ttftMs());
                    insert.setString(i++, e.outcome());
                    if (e.credits() == null) {
                        insert.setNull(i++, Types.NUMERIC);
                    } else {
                        insert.setBigDecimal(i++, e.credits());
                    }
                    setDouble(insert, i, e.upstreamMs());
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                List<UsageEvent> stored = new ArrayList<>(events.size());
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        stored.add(events.get(i));
                    }
                }
                if (credits != null) {
                    charged.putAll(credits.charge(c, stored));
                }
                return stored.size();
            }
        });
        if (credits != null) {
            credits.charged(charged);
        }
        return added;
    }

    @Override
    public Optional<UsageEvent> find(String requestId) {
        return db.read(c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM usage_events WHERE request_id = ?")) {
                select.setString(1, requestId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(event(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Page<UsageEvent> list(UsageFilter filter, String after, int limit) {
        return db.read(c -> {
            Where where = where(filter);
            Instant afterTime = null;
            if (after != null) {
                try (PreparedStatement cursor = c.prepareStatement("SELECT created_at FROM usage_events WHERE request_id = ?")) {
                    cursor.setString(1, after);
                    try (ResultSet rows = cursor.executeQuery()) {
                        if (!rows.next()) {
                            throw TenancyException.notFound("request", after);
                        }
                        afterTime = Sql.time(rows, "created_at");
                    }
                }
                where.add("(created_at > ? OR created_at = ? AND request_id > ?)");
            }
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM usage_events" + where.sql()
                    + " ORDER BY created_at, request_id LIMIT ?")) {
                int i = where.bind(select);
                if (after != null) {
                    Sql.setTime(select, i++, afterTime);
                    Sql.setTime(select, i++, afterTime);
                    select.setString(i++, after);
                }
                select.setInt(i, limit + 1);
                List<UsageEvent> events = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        events.add(event(rows));
                    }
                }
                return Pages.of(events, limit);
            }
        });
    }

    @Override
    public UsageTotals totals(UsageFilter filter) {
        return db.read(c -> {
            Where where = where(filter);
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*),"
                    + " COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0), COALESCE(SUM(prompt_tokens), 0),"
                    + " COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cached_tokens), 0), COALESCE(SUM(credits), 0)"
                    + " FROM usage_events" + where.sql())) {
                where.bind(select);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return new UsageTotals(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                            rows.getLong(5), rows.getBigDecimal(6).stripTrailingZeros());
                }
            }
        });
    }

    private static Where where(UsageFilter filter) {
        Where where = new Where();
        where.add("team_id = ?", filter.teamId());
        where.add("project_id = ?", filter.projectId());
        where.add("token_id = ?", filter.tokenId());
        where.add("session_id = ?", filter.sessionId());
        where.add("COALESCE(model_used, model_requested) = ?", filter.model());
        where.addTime("created_at >= ?", filter.from());
        where.addTime("created_at < ?", filter.to());
        return where;
    }

    /** A WHERE clause of the filters that are set, and their values in order. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();

        void add(String condition, String value) {
            if (value != null) {
                conditions.add(condition);
                values.add(value);
            }
        }

        void addTime(String condition, Instant value) {
            if (value != null) {
                conditions.add(condition);
                values.add(value);
            }
        }

        void add(String condition) {
            conditions.add(condition);
        }

        String sql() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }

        /** Binds the values; returns the next parameter index. */
        int bind(PreparedStatement statement) throws SQLException {
            int i = 1;
            for (Object value : values) {
                if (value instanceof Instant time) {
                    Sql.setTime(statement, i++, time);
                } else {
                    statement.setString(i++, (String) value);
                }
            }
            return i;
        }
    }

    private static UsageEvent event(ResultSet rows) throws SQLException {
        BigDecimal credits = rows.getBigDecimal("credits");
        return new UsageEvent(rows.getString("request_id"), Sql.time(rows, "created_at").toEpochMilli(),
                rows.getString("session_id"), rows.getString("token_id"), rows.getString("team_id"),
                rows.getString("project_id"), rows.getString("surface"), rows.getString("model_requested"),
                rows.getString("model_used"), rows.getString("provider"), rows.getInt("fallback_depth"),
                rows.getInt("prompt_tokens"), rows.getInt("completion_tokens"), rows.getInt("cached_tokens"),
                rows.getInt("status"), rows.getString("error_code"), nullableDouble(rows, "latency_ms"),
                nullableDouble(rows, "ttft_ms"), rows.getString("outcome"),
                credits == null ? null : credits.stripTrailingZeros(), null, nullableDouble(rows, "upstream_ms"));
    }

    private static Double nullableDouble(ResultSet rows, String column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
