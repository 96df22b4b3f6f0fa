package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code GET /admin/v1/usage/series}: the ledger's events over time, for the console's charts. Each bucket (a
 * minute, an hour or a day, aligned to UTC) has its requests, errors, tokens, credits and the p50/p99 of latency and
 * time to first token; the whole range has the same plus its top models. Computed by the database in one pass per
 * answer: the bucket of an event is a {@code CASE} over the bucket edges (bound parameters, the same SQL on H2 and
 * PostgreSQL), the percentiles are {@code PERCENTILE_CONT ... WITHIN GROUP}, which both have.
 */
public final class UsageSeries {

    /** The query parameters this call takes (the filters besides from and to are the ledger's). */
    static final String[] QUERY = {"bucket", "team_id", "project_id", "token_id", "model", "from", "to"};

    private static final Map<String, Duration> BUCKETS = Map.of(
            "minute", Duration.ofMinutes(1), "hour", Duration.ofHours(1), "day", Duration.ofDays(1));
    /** Buckets when {@code from} is not given. */
    private static final Map<String, Integer> DEFAULT_COUNT = Map.of("minute", 60, "hour", 24, "day", 30);
    static final int MAX_BUCKETS = 200;
    private static final int TOP_MODELS = 10;

    private static final String AGGREGATES = "COUNT(*), COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0),"
            + " COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(credits), 0),"
            + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY latency_ms), PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY latency_ms),"
            + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ttft_ms), PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY ttft_ms)";

    private final Database db;

    public UsageSeries(Database db) {
        this.db = db;
    }

    /**
     * @param bucket {@code minute}, {@code hour} or {@code day} (null: minute)
     * @param filter the scoped filter; its from and to are rounded out to whole buckets
     */
    ObjectNode answer(String bucket, UsageFilter filter, Instant now) {
        String name = bucket == null || bucket.isBlank() ? "minute" : bucket;
        Duration size = BUCKETS.get(name);
        if (size == null) {
            throw TenancyException.invalid("bucket", "bucket must be minute, hour or day");
        }
        long step = size.toSeconds();
        Instant to = align(filter.to() != null ? filter.to() : now, step, true);
        Instant from = align(filter.from() != null ? filter.from() : to.minusSeconds(step * DEFAULT_COUNT.get(name)), step, false);
        if (!from.isBefore(to)) {
            throw TenancyException.invalid("to", "to must be after from");
        }
        long count = (to.getEpochSecond() - from.getEpochSecond()) / step;
        if (count > MAX_BUCKETS) {
            throw TenancyException.invalid("from", "at most " + MAX_BUCKETS + " buckets per call (this range has " + count
                    + " " + name + "s): narrow the range or use a larger bucket");
        }
        List<Instant> edges = new ArrayList<>();
        for (long i = 1; i < count; i++) {
            edges.add(from.plusSeconds(i * step));
        }
        UsageFilter range = new UsageFilter(filter.teamId(), filter.projectId(), filter.tokenId(), null, filter.model(), from, to);

        ObjectNode answer = UsageJson.MAPPER.createObjectNode();
        answer.put("object", "usage_series");
        answer.put("bucket", name);
        answer.put("from", from.getEpochSecond());
        answer.put("to", to.getEpochSecond());
        db.read(c -> {
            ObjectNode[] buckets = new ObjectNode[(int) count];
            for (int i = 0; i < count; i++) {
                buckets[i] = empty(from.plusSeconds(i * step));
            }
            Where where = where(range);
            StringBuilder which = new StringBuilder("CASE");
            for (int i = 0; i < edges.size(); i++) {
                which.append(" WHEN created_at < ? THEN ").append(i);
            }
            which.append(" ELSE ").append(edges.size()).append(" END");
            String sql = "SELECT b, " + AGGREGATES + " FROM (SELECT " + which + " AS b, status, prompt_tokens,"
                    + " completion_tokens, credits, latency_ms, ttft_ms FROM usage_events" + where.sql() + ") e"
                    + " GROUP BY b ORDER BY b";
            try (PreparedStatement select = c.prepareStatement(sql)) {
                int p = 1;
                for (Instant edge : edges) {
                    Sql.setTime(select, p++, edge);
                }
                where.bind(select, p);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        fill(buckets[rows.getInt(1)], rows, 2);
                    }
                }
            }
            ArrayNode data = answer.putArray("data");
            for (ObjectNode b : buckets) {
                data.add(b);
            }
            try (PreparedStatement select = c.prepareStatement("SELECT " + AGGREGATES + " FROM usage_events" + where.sql())) {
                where.bind(select, 1);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    ObjectNode total = empty(null);
                    fill(total, rows, 1);
                    answer.set("total", total);
                }
            }
            try (PreparedStatement select = c.prepareStatement("SELECT COALESCE(model_used, model_requested) AS m, COUNT(*),"
                    + " COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0),"
                    + " COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM usage_events" + where.sql()
                    + " GROUP BY COALESCE(model_used, model_requested) ORDER BY COUNT(*) DESC, m LIMIT " + TOP_MODELS)) {
                where.bind(select, 1);
                ArrayNode models = answer.putArray("models");
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ObjectNode m = models.addObject();
                        m.put("model", rows.getString(1));
                        m.put("requests", rows.getLong(2));
                        m.put("errors", rows.getLong(3));
                        m.put("tokens", rows.getLong(4));
                    }
                }
            }
            return null;
        });
        return answer;
    }

    /** Rounds down (or up, for an end) to a whole bucket since the epoch: UTC minutes, hours and days. */
    static Instant align(Instant time, long step, boolean up) {
        long seconds = time.getEpochSecond();
        long floor = Math.floorDiv(seconds, step) * step;
        boolean exact = floor == seconds && time.getNano() == 0;
        return Instant.ofEpochSecond(up && !exact ? floor + step : floor);
    }

    private static ObjectNode empty(Instant start) {
        ObjectNode b = UsageJson.MAPPER.createObjectNode();
        if (start != null) {
            b.put("start", start.getEpochSecond());
        }
        b.put("requests", 0);
        b.put("errors", 0);
        b.put("prompt_tokens", 0);
        b.put("completion_tokens", 0);
        b.put("credits", BigDecimal.ZERO);
        b.putNull("latency_p50_ms");
        b.putNull("latency_p99_ms");
        b.putNull("ttft_p50_ms");
        b.putNull("ttft_p99_ms");
        return b;
    }

    private static void fill(ObjectNode b, ResultSet rows, int first) throws SQLException {
        b.put("requests", rows.getLong(first));
        b.put("errors", rows.getLong(first + 1));
        b.put("prompt_tokens", rows.getLong(first + 2));
        b.put("completion_tokens", rows.getLong(first + 3));
        b.put("credits", CreditsAdmin.plain(rows.getBigDecimal(first + 4)));
        milliseconds(b, "latency_p50_ms", rows, first + 5);
        milliseconds(b, "latency_p99_ms", rows, first + 6);
        milliseconds(b, "ttft_p50_ms", rows, first + 7);
        milliseconds(b, "ttft_p99_ms", rows, first + 8);
    }

    private static void milliseconds(ObjectNode b, String field, ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        if (rows.wasNull()) {
            b.putNull(field);
        } else {
            b.put(field, Math.round(value * 10) / 10.0);
        }
    }

    private static Where where(UsageFilter filter) {
        Where where = new Where();
        where.add("team_id = ?", filter.teamId());
        where.add("project_id = ?", filter.projectId());
        where.add("token_id = ?", filter.tokenId());
        where.add("COALESCE(model_used, model_requested) = ?", filter.model());
        where.add("created_at >= ?", filter.from());
        where.add("created_at < ?", filter.to());
        return where;
    }

    /** The WHERE clause of the filters that are set, and their values in order. */
    private static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();

        void add(String condition, Object value) {
            if (value != null) {
                conditions.add(condition);
                values.add(value);
            }
        }

        String sql() {
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }

        void bind(PreparedStatement statement, int first) throws SQLException {
            int i = first;
            for (Object value : values) {
                if (value instanceof Instant time) {
                    Sql.setTime(statement, i++, time);
                } else {
                    statement.setString(i++, (String) value);
                }
            }
        }
    }
}
