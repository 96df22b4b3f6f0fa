package org.cameltaas.gateway;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every answer yields exactly one usage event in the ledger, with what the request did. */
class UsageLedgerTest extends GatewayTestSupport {

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}";

    @Test
    void twoHundredParallelRequestsAreTwoHundredEvents() throws Exception {
        JsonNode token = newToken();
        String secret = token.get("token").asText();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> requestIds = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            assertEquals(200, response.statusCode(), response.body());
            requestIds.add(response.headers().firstValue("x-request-id").orElseThrow());
        }
        assertEquals(200, requestIds.size());

        List<JsonNode> events = events("token_id=" + token.get("id").asText(), list -> list.size() >= 200);
        assertEquals(200, events.size());
        Set<String> recorded = new HashSet<>();
        for (JsonNode event : events) {
            recorded.add(event.get("request_id").asText());
            assertEquals(token.get("project_id"), event.get("project_id"));
            assertEquals(token.get("team_id"), event.get("team_id"));
            assertEquals("chatCompletions", event.get("surface").asText());
            assertEquals("gpt-4o", event.get("model_requested").asText());
            assertEquals("openai", event.get("provider").asText());
            assertEquals(200, event.get("status").asInt());
            assertEquals("completed", event.get("outcome").asText());
            assertTrue(event.get("prompt_tokens").asInt() > 0 && event.get("completion_tokens").asInt() > 0, event.toString());
            assertTrue(event.get("latency_ms").asDouble() > 0);
            assertTrue(event.get("upstream_ms").asDouble() > 0 && event.get("upstream_ms").asDouble() <= event.get("latency_ms").asDouble(),
                    "the upstream's share of the time: " + event);
        }
        assertEquals(requestIds, recorded);

        JsonNode usage = Json.parse(admin("/usage?token_id=" + token.get("id").asText()).body());
        assertEquals(200, usage.get("requests").asInt());
        assertEquals(0, usage.get("errors").asInt());
        assertEquals(200L * events.get(0).get("prompt_tokens").asInt(), usage.get("prompt_tokens").asLong());
    }

    @Test
    void errorsAreMeteredToo() throws Exception {
        HttpResponse<String> unauthorized = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT)));
        assertEquals(401, unauthorized.statusCode());
        JsonNode event = event(unauthorized.headers().firstValue("x-request-id").orElseThrow());
        assertEquals(401, event.get("status").asInt());
        assertEquals("invalid_api_key", event.get("error_code").asText());
        assertEquals("failed", event.get("outcome").asText());
        assertTrue(event.get("token_id").isNull());

        upstream.enqueue(Script.status(500));
        upstream.enqueue(Script.status(500));
        upstream.enqueue(Script.status(500));
        HttpResponse<String> failed = post("/v1/chat/completions", CHAT);
        assertTrue(failed.statusCode() >= 500, failed.body());
        JsonNode upstreamFailure = event(failed.headers().firstValue("x-request-id").orElseThrow());
        assertEquals(failed.statusCode(), upstreamFailure.get("status").asInt());
        assertEquals("admin", upstreamFailure.get("token_id").asText(), "the master key's id, never the key");
    }

    @Test
    void aSessionsRequestsComeInOrderWithTheirModels() throws Exception {
        String session = "sess-ledger-" + System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (String model : new String[] {"gpt-4o", "gpt4", "gpt-4o-mini"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", "application/json")
                    .header("X-Session-Id", session)
                    .POST(HttpRequest.BodyPublishers.ofString(CHAT.replace("gpt-4o", model))));
            assertEquals(200, response.statusCode(), response.body());
            ids.add(response.headers().firstValue("x-request-id").orElseThrow());
        }
        List<JsonNode> events = events("session_id=" + session, list -> list.size() >= 3);
        assertEquals(ids, events.stream().map(e -> e.get("request_id").asText()).toList(), "oldest first");
        assertEquals("gpt4", events.get(1).get("model_requested").asText());
        assertEquals("gpt-4o", events.get(1).get("model_used").asText(), "the alias resolved");
        assertEquals(session, events.get(0).get("session_id").asText());
    }

    @Test
    void aStreamRecordsItsEventWhenItEnds() throws Exception {
        String session = "sess-stream-" + System.nanoTime();
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", "application/json")
                .header("X-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"go on\"}]}")));
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("[DONE]"));
        JsonNode event = event(response.headers().firstValue("x-request-id").orElseThrow());
        assertEquals("completed", event.get("outcome").asText());
        assertTrue(event.get("ttft_ms").isNumber(), event.toString());
        assertTrue(event.get("latency_ms").asDouble() >= event.get("ttft_ms").asDouble(), event.toString());
        assertTrue(event.get("upstream_ms").asDouble() <= event.get("ttft_ms").asDouble(), "to the stream's head: " + event);
        assertTrue(event.get("completion_tokens").asInt() > 0, "the usage the upstream reported: " + event);
    }

    @Test
    void aStreamTheClientLeftIsCancelled() throws Exception {
        String session = "sess-left-" + System.nanoTime();
        upstream.enqueue(Script.ok().reply("w ".repeat(200).trim()).chunkDelay(Duration.ofMillis(20)));
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            byte[] body = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + MASTER_KEY
                    + "\r\nX-Session-Id: " + session + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int events = 0;
            for (String line = in.readLine(); line != null && events < 3; line = in.readLine()) {
                if (line.startsWith("data: ")) {
                    events++;
                }
            }
            assertEquals(3, events);
        }
        List<JsonNode> events = events("session_id=" + session, list -> !list.isEmpty());
        assertEquals(1, events.size());
        assertEquals("cancelled", events.get(0).get("outcome").asText());
    }

    @Test
    void healthMetricsAndTheAdminApiAreNotMetered() throws Exception {
        long before = Json.parse(admin("/usage").body()).get("requests").asLong();
        send(HttpRequest.newBuilder(URI.create(base() + "/health")).GET());
        admin("/teams");
        HttpResponse<String> counted = post("/v1/chat/completions", CHAT);
        event(counted.headers().firstValue("x-request-id").orElseThrow());
        long after = Json.parse(admin("/usage").body()).get("requests").asLong();
        assertEquals(before + 1, after, "one metered request in between (other tests of this class run one at a time)");
    }

    // -------------------------------------------------------------------------------------------------------

    static HttpResponse<String> admin(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + "/admin/v1" + pathAndQuery))
                .header("Authorization", "Bearer " + MASTER_KEY).GET());
    }

    static JsonNode newToken() throws Exception {
        String project = TenancyAdminApiTest.newProject();
        return TenancyAdminApiTest.created(TenancyAdminApiTest.admin("POST", "/tokens",
                "{\"project_id\":\"" + project + "\",\"name\":\"ledger\"}", MASTER_KEY));
    }

    /** One event by request id, polled until the shipper delivered it (bounded: 10 s). */
    static JsonNode event(String requestId) throws Exception {
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = admin("/requests/" + requestId);
            if (response.statusCode() == 200) {
                return Json.parse(response.body());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no usage event for " + requestId);
    }

    /** Every event the query selects (all pages), polled until {@code enough} holds (bounded: 10 s). */
    static List<JsonNode> events(String query, Predicate<List<JsonNode>> enough) throws Exception {
        List<JsonNode> events = List.of();
        for (int i = 0; i < 200; i++) {
            events = allPages(query);
            if (enough.test(events)) {
                Thread.sleep(200); // and nothing more arrives
                return allPages(query);
            }
            Thread.sleep(50);
        }
        return events;
    }

    private static List<JsonNode> allPages(String query) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 100; page++) {
            JsonNode list = Json.parse(admin("/requests?limit=100&" + query + (after != null ? "&after=" + after : "")).body());
            list.get("data").forEach(events::add);
            if (!list.get("has_more").asBoolean()) {
                break;
            }
            after = list.get("last_id").asText();
        }
        assertFalse(events.size() > 10_000);
        return events;
    }
}
