package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /admin/v1/usage/series through the admin API, run against each database (H2 and PostgreSQL subclasses). */
abstract class UsageSeriesContract {

    /** A minute boundary an hour ago: the events below fall into its first three minutes. */
    private static final long T0 = Math.floorDiv(Instant.now().getEpochSecond() - 3600, 60) * 60;

    Tenancy tenancy;

    abstract TenancySettings settings() throws Exception;

    @BeforeEach
    void open() throws Exception {
        tenancy = Tenancy.open(settings());
        tenancy.ledger().record(List.of(
                event("s-1", T0 + 1, "team_1", "gpt-4o", 200, 10.0, null, "0.5"),
                event("s-2", T0 + 59, "team_1", "gpt-4o", 500, 30.0, null, "0"),
                event("s-3", T0 + 60, "team_1", "claude-sonnet-4", 200, 100.0, 40.0, "1.25"),
                event("s-4", T0 + 179, "team_2", "gpt-4o", 200, 20.0, 5.0, "2"),
                event("s-5", T0 - 1, "team_1", "gpt-4o", 200, 1.0, null, "9"))); // before the range
    }

    @AfterEach
    void close() {
        tenancy.close();
    }

    private JsonNode series(AdminScope scope, String... query) {
        Map<String, String> q = new HashMap<>();
        for (int i = 0; i < query.length; i += 2) {
            q.put(query[i], query[i + 1]);
        }
        AdminApi.Reply reply = tenancy.admin().handle("GET", "/usage/series", q, new byte[0], scope);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    @Test
    void bucketsPerMinuteWithTotalsPercentilesAndTopModels() {
        JsonNode s = series(AdminScope.GLOBAL, "bucket", "minute", "from", String.valueOf(T0 + 30), "to", String.valueOf(T0 + 150));
        assertEquals("usage_series", s.get("object").asText());
        assertEquals(T0, s.get("from").asLong(), "from rounded down to its minute");
        assertEquals(T0 + 180, s.get("to").asLong(), "to rounded up");
        JsonNode data = s.get("data");
        assertEquals(3, data.size(), s.toString());
        assertEquals(T0, data.get(0).get("start").asLong());
        assertEquals(2, data.get(0).get("requests").asLong());
        assertEquals(1, data.get(0).get("errors").asLong());
        assertEquals(0, new BigDecimal("0.5").compareTo(data.get(0).get("credits").decimalValue()));
        assertEquals(1, data.get(1).get("requests").asLong());
        assertEquals(40.0, data.get(1).get("ttft_p50_ms").asDouble());
        assertEquals(1, data.get(2).get("requests").asLong(), "the minute's last second is still in it");
        assertTrue(data.get(0).get("ttft_p50_ms").isNull(), "no stream in that minute");
        assertEquals(20.0, data.get(0).get("latency_p50_ms").asDouble(), "p50 of 10 and 30 (continuous)");
        assertEquals(29.8, data.get(0).get("latency_p99_ms").asDouble());

        JsonNode total = s.get("total");
        assertEquals(4, total.get("requests").asLong());
        assertEquals(1, total.get("errors").asLong());
        assertEquals(80, total.get("prompt_tokens").asLong() + total.get("completion_tokens").asLong());
        assertEquals(0, new BigDecimal("3.75").compareTo(total.get("credits").decimalValue()), total.toString());
        assertEquals(25.0, total.get("latency_p50_ms").asDouble());
        JsonNode models = s.get("models");
        assertEquals("gpt-4o", models.get(0).get("model").asText());
        assertEquals(3, models.get(0).get("requests").asLong());
        assertEquals(1, models.get(0).get("errors").asLong());
        assertEquals("claude-sonnet-4", models.get(1).get("model").asText());
    }

    @Test
    void emptyBucketsAreThereAndLargerBucketsAddUp() {
        JsonNode s = series(AdminScope.GLOBAL, "bucket", "minute", "from", String.valueOf(T0), "to", String.valueOf(T0 + 600));
        assertEquals(10, s.get("data").size());
        assertEquals(0, s.get("data").get(5).get("requests").asLong());
        assertTrue(s.get("data").get(5).get("latency_p50_ms").isNull());
        JsonNode hours = series(AdminScope.GLOBAL, "bucket", "hour", "from", String.valueOf(T0 - 7200));
        long sum = 0;
        for (JsonNode b : hours.get("data")) {
            sum += b.get("requests").asLong();
        }
        assertEquals(5, sum, hours.toString());
        assertEquals(30, series(AdminScope.GLOBAL, "bucket", "day").get("data").size(), "30 days by default");
        assertEquals(60, series(AdminScope.GLOBAL).get("data").size(), "60 minutes by default");
    }

    @Test
    void aTeamAdminSeesItsTeamOnlyAndFiltersApply() {
        JsonNode mine = series(new AdminScope("team_2"), "from", String.valueOf(T0), "to", String.valueOf(T0 + 180));
        assertEquals(1, mine.get("total").get("requests").asLong(), mine.toString());
        TenancyException other = assertThrows(TenancyException.class, () -> tenancy.admin().handle("GET", "/usage/series",
                Map.of("team_id", "team_1"), new byte[0], new AdminScope("team_2")));
        assertEquals(404, other.status());
        JsonNode claude = series(AdminScope.GLOBAL, "model", "claude-sonnet-4", "from", String.valueOf(T0), "to", String.valueOf(T0 + 180));
        assertEquals(1, claude.get("total").get("requests").asLong());
    }

    @Test
    void badQueriesAreRefused() {
        Map<String, Map<String, String>> bad = Map.of(
                "bucket", Map.of("bucket", "week"),
                "from", Map.of("bucket", "minute", "from", String.valueOf(T0 - 86400)),
                "session_id", Map.of("session_id", "s"),
                "to", Map.of("from", String.valueOf(T0 + 60), "to", String.valueOf(T0)));
        bad.forEach((param, query) -> {
            TenancyException e = assertThrows(TenancyException.class,
                    () -> tenancy.admin().handle("GET", "/usage/series", query, new byte[0], AdminScope.GLOBAL), param);
            assertEquals(param, e.param(), e.getMessage());
            assertTrue(e.status() == 400 || e.status() == 422, e.status() + " " + e.getMessage());
        });
        assertThrows(TenancyException.class, () -> tenancy.admin().handle("POST", "/usage/series", Map.of(), new byte[0],
                AdminScope.GLOBAL));
    }

    private static UsageEvent event(String id, long second, String team, String model, int status, Double latency,
                                    Double ttft, String credits) {
        return new UsageEvent(id, second * 1000, null, "tok_1", team, "proj_" + team, "chatCompletions", model, model,
                "openai", 0, 15, 5, 0, status, status >= 400 ? "upstream_error" : null, latency, ttft,
                status >= 400 ? UsageEvent.FAILED : UsageEvent.COMPLETED, new BigDecimal(credits));
    }
}
