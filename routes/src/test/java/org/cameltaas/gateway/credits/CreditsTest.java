package org.cameltaas.gateway.credits;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.tenancy.CreditStore;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credits end to end on one real gateway (embedded H2) in front of the fake upstream: reserve before upstream,
 * settle after, refuse with 403 insufficient_credits, and the admin calls that set balances and limits.
 */
class CreditsTest {

    static final String PRICES = """
            models:
              per-request-model: {per_request: 1}
              token-model: {input_per_million: 1000000, output_per_million: 2000000}
              stream-model: {output_per_million: 1000000}
              claude-priced: {input_per_million: 1000000, output_per_million: 1000000}
            """;

    static FakeUpstream upstream;
    static CreditsGateway gateway;
    static Path prices;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        Path dir = Files.createTempDirectory("taas-credits-test");
        prices = dir.resolve("prices.yaml");
        Files.writeString(prices, PRICES);
        gateway = CreditsGateway.start(upstream, dir, prices, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    static String chat(String model, String extra) {
        return "{\"model\":\"" + model + "\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void twoHundredParallelRequestsAgainstTwentyCreditsGetExactlyTwentyAnswersAndTheLedgerMatches() throws Exception {
        String[] tenant = gateway.tenant();
        JsonNode topUp = gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 20, \"note\": \"start\"}", 200);
        assertEquals(0, new BigDecimal("20").compareTo(topUp.get("balance").decimalValue()), topUp.toString());

        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(CreditsGateway.HTTP.sendAsync(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", ""))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            HttpResponse<String> response = reply.get(60, TimeUnit.SECONDS);
            if (response.statusCode() == 200) {
                ok++;
                assertEquals("1", response.headers().firstValue("x-credits-used").orElseThrow());
            } else {
                assertEquals(403, response.statusCode(), response.body());
                assertEquals("insufficient_credits", Json.parse(response.body()).get("error").get("code").asText());
                refused++;
            }
        }
        assertEquals(20, ok, "a balance of 20 at 1 a request: the bound is 0, every estimate is exact");
        assertEquals(180, refused);
        JsonNode project = gateway.settled(tenant[0]);
        assertEquals(0, project.get("balance").decimalValue().signum(), project.toString());
        CreditStore store = gateway.tenancy().credits();
        assertEquals(0, store.ledgerSum(tenant[0], null).signum(), "top-up + charges = the balance");
        assertEquals(0, new BigDecimal("-20").compareTo(store.ledgerSum(tenant[0], CreditStore.CHARGE)));
        // the usage events carry the settled cost: their sum is what was charged
        BigDecimal events = BigDecimal.ZERO;
        for (int i = 0; i < 200; i++) {
            events = gateway.adminOk("GET", "/usage?project_id=" + tenant[0], null, 200).get("credits").decimalValue();
            if (events.compareTo(new BigDecimal("20")) == 0) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(0, new BigDecimal("20").compareTo(events), "usage events' credits");
    }

    @Test
    void aRefusalSaysTheBalanceTheEstimateAndHowToTopUpInEachSurfacesEnvelope() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 0.5}", 200);
        int before = upstream.requestCount();
        HttpResponse<String> openai = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", "")));
        assertEquals(403, openai.statusCode(), openai.body());
        JsonNode error = Json.parse(openai.body()).get("error");
        assertEquals("insufficient_credits", error.get("code").asText());
        String message = error.get("message").asText();
        assertTrue(message.contains("balance 0.5") && message.contains("up to 1")
                && message.contains("POST /admin/v1/projects/" + tenant[0] + "/credits"), message);

        HttpResponse<String> anthropic = gateway.send(gateway.post("/v1/messages", tenant[2],
                "{\"model\":\"per-request-model\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals(403, anthropic.statusCode(), anthropic.body());
        JsonNode envelope = Json.parse(anthropic.body());
        assertEquals("error", envelope.get("type").asText());
        assertEquals("permission_error", envelope.get("error").get("type").asText());
        assertTrue(envelope.get("error").get("message").asText().contains("Insufficient credits"));
        assertEquals(before, upstream.requestCount(), "nothing went upstream");
    }

    @Test
    void aSliceTakesCreditsAheadAndGivesBackWhatNoRequestHoldsOnceIdle() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 1000}", 200);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> reply = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", "")));
            assertEquals(200, reply.statusCode(), reply.body());
        }
        JsonNode busy = gateway.settled(tenant[0]);
        assertEquals(0, new BigDecimal("997").compareTo(busy.get("balance").decimalValue()), busy.toString());
        assertTrue(busy.get("reserved").decimalValue().signum() > 0, "the slice holds credits ahead: " + busy);
        JsonNode idle = busy;
        for (int i = 0; i < 100 && idle.get("reserved").decimalValue().signum() != 0; i++) {
            Thread.sleep(50);
            idle = gateway.project(tenant[0]);
        }
        assertEquals(0, idle.get("reserved").decimalValue().signum(), "given back within 2 s of idling: " + idle);
        assertEquals(0, new BigDecimal("997").compareTo(idle.get("balance").decimalValue()));
        assertEquals(0, idle.get("balance").decimalValue().compareTo(gateway.tenancy().credits().ledgerSum(tenant[0], null)));
    }

    @Test
    void aReplyCarriesItsCostFromTheReportedUsageAndTheReservationCoveredTheWorstCase() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 1000}", 200);
        upstream.enqueue(Script.ok().reply("fine").usage(10, 5));
        HttpResponse<String> reply = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("token-model", ",\"max_tokens\":50")));
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("20", reply.headers().firstValue("x-credits-used").orElseThrow(), "10 in at 1 + 5 out at 2");
        JsonNode project = gateway.settled(tenant[0]);
        assertEquals(0, new BigDecimal("980").compareTo(project.get("balance").decimalValue()), project.toString());

        // a worst case (prompt estimate + max_tokens at the output price) the balance cannot cover is refused
        HttpResponse<String> tooMuch = gateway.send(gateway.post("/v1/chat/completions", tenant[2],
                chat("token-model", ",\"max_tokens\":100000")));
        assertEquals(403, tooMuch.statusCode(), tooMuch.body());

        // an unpriced model is free: no header of cost beyond 0, the balance unchanged
        HttpResponse<String> free = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("unpriced-model", "")));
        assertEquals(200, free.statusCode(), free.body());
        assertFalse(free.headers().firstValue("x-credits-used").isPresent(), "nothing reserved, nothing charged");
    }

    @Test
    void refusalsChargesAndOpenReservationsAreMetered() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 1}", 200);
        assertEquals(200, gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", ""))).statusCode());
        assertEquals(403, gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", ""))).statusCode());
        gateway.settled(tenant[0]);
        String metrics = gateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.base() + "/metrics")).GET())
                .body();
        assertTrue(metrics.contains("taas_credit_refusals_total{project=\"" + tenant[0] + "\"} 1.0"), metrics);
        assertTrue(metrics.contains("taas_credits_charged_total{model=\"per-request-model\",project=\"" + tenant[0] + "\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("taas_credit_reservations_open "), metrics);
    }

    @Test
    void anUnmeteredProjectIsNotChargedAndHasNoCreditHeaders() throws Exception {
        String[] tenant = gateway.tenant();
        JsonNode project = gateway.project(tenant[0]);
        assertTrue(project.get("balance").isNull(), project.toString());
        assertEquals(0, project.get("reserved").decimalValue().signum());
        HttpResponse<String> reply = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", "")));
        assertEquals(200, reply.statusCode(), reply.body());
        assertFalse(reply.headers().firstValue("x-credits-used").isPresent());
    }

    @Test
    void aFailedUpstreamIsNotCharged() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 5}", 200);
        upstream.enqueue(Script.status(500).message("boom"));
        HttpResponse<String> failed = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", "")));
        assertTrue(failed.statusCode() >= 500, failed.statusCode() + " " + failed.body());
        JsonNode project = gateway.settled(tenant[0]);
        assertEquals(0, new BigDecimal("5").compareTo(project.get("balance").decimalValue()), project.toString());
        assertEquals(0, gateway.tenancy().credits().ledgerSum(tenant[0], CreditStore.CHARGE).signum());
    }

    @Test
    void aCancelledStreamIsChargedForTheTokensItDelivered() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 10000}", 200);
        upstream.enqueue(Script.ok().reply("word ".repeat(400).trim()).chunkDelay(Duration.ofMillis(10)));
        HttpResponse<InputStream> stream = CreditsGateway.HTTP.send(gateway.post("/v1/chat/completions", tenant[2],
                chat("stream-model", ",\"stream\":true,\"max_tokens\":1000")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        BigDecimal reserved = new BigDecimal(stream.headers().firstValue("x-credits-reserved").orElseThrow());
        assertEquals(0, new BigDecimal("1000").compareTo(reserved), "1000 tokens out at 1 each, the prompt is free");
        InputStream body = stream.body();
        byte[] some = new byte[2048];
        int read = 0;
        while (read < 1500) {
            int n = body.read(some, 0, some.length);
            assertTrue(n > 0);
            read += n;
        }
        body.close();
        JsonNode project = gateway.settled(tenant[0]);
        BigDecimal charged = new BigDecimal("10000").subtract(project.get("balance").decimalValue());
        assertTrue(charged.signum() > 0 && charged.compareTo(new BigDecimal("400")) < 0,
                "charged for what was delivered before the client left, not for the whole reply: " + charged);
        assertEquals(0, charged.negate().compareTo(gateway.tenancy().credits().ledgerSum(tenant[0], CreditStore.CHARGE)));
    }

    @Test
    void aCompletedStreamSettlesFromItsFinalUsage() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 10000}", 200);
        upstream.enqueue(Script.ok().reply("a short reply").usage(7, 3));
        HttpResponse<String> stream = gateway.send(gateway.post("/v1/chat/completions", tenant[2],
                chat("stream-model", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")));
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("x-credits-reserved").isPresent());
        assertTrue(stream.body().contains("[DONE]"));
        assertTrue(stream.body().contains("\"credits_used\":3"), "the final usage event carries the cost: " + stream.body());
        JsonNode project = gateway.settled(tenant[0]);
        assertEquals(0, new BigDecimal("9997").compareTo(project.get("balance").decimalValue()), "3 out at 1: " + project);
    }

    @Test
    void anAnthropicStreamCarriesItsCostInItsFinalUsageEvent() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 1000}", 200);
        upstream.enqueue(Script.ok().reply("hello there").usage(5, 4));
        HttpResponse<String> stream = gateway.send(gateway.post("/v1/messages", tenant[2],
                "{\"model\":\"claude-priced\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.headers().firstValue("x-credits-reserved").isPresent());
        assertTrue(stream.body().contains("\"credits_used\":9"), "message_delta: 5 in + 4 out at 1: " + stream.body());
        JsonNode project = gateway.settled(tenant[0]);
        assertEquals(0, new BigDecimal("991").compareTo(project.get("balance").decimalValue()), project.toString());
    }

    @Test
    void pricesAreReadAgainWhenTheirFileChanges() throws Exception {
        String[] tenant = gateway.tenant();
        gateway.adminOk("POST", "/projects/" + tenant[0] + "/credits", "{\"amount\": 100}", 200);
        Path own = prices.resolveSibling("prices.yaml");
        String used = null;
        try {
            Files.writeString(own, PRICES.replace("per-request-model: {per_request: 1}", "per-request-model: {per_request: 2.5}"));
            Files.setLastModifiedTime(own, FileTime.from(Instant.now().plusSeconds(5)));
            for (int i = 0; i < 100 && !"2.5".equals(used); i++) {
                HttpResponse<String> reply = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("per-request-model", "")));
                assertEquals(200, reply.statusCode(), reply.body());
                used = reply.headers().firstValue("x-credits-used").orElseThrow();
                Thread.sleep(50);
            }
        } finally {
            Files.writeString(own, PRICES);
            Files.setLastModifiedTime(own, FileTime.from(Instant.now().plusSeconds(10)));
        }
        assertEquals("2.5", used);
    }

    @Test
    void projectDefaultsAndTokenLimitsAreSetThroughTheAdminApiAndApply() throws Exception {
        String[] tenant = gateway.tenant();
        JsonNode project = gateway.adminOk("PATCH", "/projects/" + tenant[0], "{\"default_rpm\": 1}", 200);
        assertEquals(1, project.get("default_rpm").asInt());
        assertTrue(project.get("default_tpm").isNull() && project.get("default_max_concurrent").isNull(), project.toString());
        JsonNode token = gateway.adminOk("GET", "/tokens/" + tenant[1], null, 200);
        assertTrue(token.get("rpm").isNull() && token.has("tpm") && token.has("max_concurrent"), token.toString());
        assertEquals(200, gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("unpriced-model", ""))).statusCode());
        HttpResponse<String> limited = gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("unpriced-model", "")));
        assertEquals(429, limited.statusCode(), "the project's default rpm applies: " + limited.body());

        // the token's own limit overrides the default; null goes back to it
        token = gateway.adminOk("PATCH", "/tokens/" + tenant[1], "{\"rpm\": 1000, \"max_concurrent\": 5}", 200);
        assertEquals(1000, token.get("rpm").asInt());
        assertEquals(5, token.get("max_concurrent").asInt());
        assertEquals(200, gateway.send(gateway.post("/v1/chat/completions", tenant[2], chat("unpriced-model", ""))).statusCode());
        token = gateway.adminOk("PATCH", "/tokens/" + tenant[1], "{\"rpm\": null}", 200);
        assertTrue(token.get("rpm").isNull());
        assertEquals(5, token.get("max_concurrent").asInt(), "fields not named are kept");
    }

    @Test
    void everyRefusalOfTheNewAdminFields() throws Exception {
        String[] tenant = gateway.tenant();
        String p = "/projects/" + tenant[0];
        String t = "/tokens/" + tenant[1];
        refused("PATCH", p, "{\"default_rpm\": 0}", 422, "invalid_value", "default_rpm");
        refused("PATCH", p, "{\"default_tpm\": -5}", 422, "invalid_value", "default_tpm");
        refused("PATCH", p, "{\"default_max_concurrent\": 1.5}", 422, "invalid_value", "default_max_concurrent");
        refused("PATCH", p, "{\"default_rpm\": \"10\"}", 422, "invalid_value", "default_rpm");
        refused("PATCH", p, "{\"balance\": 10}", 422, "invalid_value", "balance");
        refused("PATCH", p, "{\"reserved\": 0}", 422, "invalid_value", "reserved");
        refused("PATCH", p, "{\"name\": \"x\"}", 400, "unknown_parameter", "name");
        refused("PATCH", p, "[1]", 400, "invalid_json", null);
        refused("PATCH", "/projects/proj_missing", "{\"default_rpm\": 1}", 404, "project_not_found", null);
        refused("PATCH", t, "{\"rpm\": 0}", 422, "invalid_value", "rpm");
        refused("PATCH", t, "{\"tpm\": 3000000000}", 422, "invalid_value", "tpm");
        refused("PATCH", t, "{\"max_concurrent\": true}", 422, "invalid_value", "max_concurrent");
        refused("PATCH", t, "{\"models\": []}", 400, "unknown_parameter", "models");
        refused("PATCH", "/tokens/tok_missing", "{\"rpm\": 1}", 404, "token_not_found", null);
        String c = p + "/credits";
        refused("POST", c, "{}", 422, "missing_required_parameter", "amount");
        refused("POST", c, "{\"amount\": \"10\"}", 422, "invalid_value", "amount");
        refused("POST", c, "{\"amount\": 0}", 422, "invalid_value", "amount");
        refused("POST", c, "{\"amount\": 0.0000001}", 422, "invalid_value", "amount");
        refused("POST", c, "{\"amount\": 1e13}", 422, "invalid_value", "amount");
        refused("POST", c, "{\"amount\": 1, \"note\": 5}", 422, "invalid_value", "note");
        refused("POST", c, "{\"amount\": 1, \"note\": \"" + "n".repeat(501) + "\"}", 422, "invalid_value", "note");
        refused("POST", c, "{\"amount\": 1, \"project\": 5}", 400, "unknown_parameter", "project");
        refused("POST", c, "{\"amount\": -1}", 409, "balance_below_zero", "amount");
        refused("GET", c, null, 405, "method_not_allowed", null);
        refused("POST", "/projects/proj_missing/credits", "{\"amount\": 1}", 404, "project_not_found", null);
        assertTrue(gateway.project(tenant[0]).get("balance").isNull(), "no refusal changed the balance");

        // a correction within the balance is taken, and recorded
        gateway.adminOk("POST", c, "{\"amount\": 10}", 200);
        JsonNode corrected = gateway.adminOk("POST", c, "{\"amount\": -4.25, \"note\": \"refund\"}", 200);
        assertEquals(0, new BigDecimal("5.75").compareTo(corrected.get("balance").decimalValue()), corrected.toString());
        refused("POST", c, "{\"amount\": -6}", 409, "balance_below_zero", "amount");
        assertEquals(0, new BigDecimal("5.75").compareTo(gateway.tenancy().credits().ledgerSum(tenant[0], null)));
        assertEquals(0, new BigDecimal("-4.25").compareTo(gateway.tenancy().credits().ledgerSum(tenant[0], CreditStore.CORRECTION)));
    }

    private static void refused(String method, String path, String body, int status, String code, String param) throws Exception {
        HttpResponse<String> response = gateway.admin(method, path, body);
        assertEquals(status, response.statusCode(), method + " " + path + " " + body + ": " + response.body());
        JsonNode error = Json.parse(response.body()).get("error");
        assertEquals(code, error.get("code").asText(), response.body());
        if (param != null) {
            assertEquals(param, error.get("param").asText(), response.body());
        }
    }
}
