package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.auth.TokenHashes;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fallback chains across providers, balancing, stickiness and bounded attempts, against two fake upstreams. */
class ResilienceTest {

    private static final String KEY = "taas_resilience_key_0001";
    private static final String EAST_ONLY_KEY = "taas_resilience_east_only_0002";
    private static FakeUpstream east;
    private static FakeUpstream west;
    private static Main gateway;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        east = FakeUpstream.start();
        west = FakeUpstream.start();
        Path dir = Files.createTempDirectory("taas-resilience");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        GatewayTestSupport.copyShippedRoutes(routes);
        Files.writeString(routes.resolve("deployments.camel.yaml"), deployment("gpt-east", "openai", east, "m-east")
                + deployment("gpt-west", "openai", west, "m-west")
                + deployment("claude-west", "anthropic", west, "claude-w")
                + deploymentAt("gpt-dead", "openai", "http://127.0.0.1:" + GatewayTestSupport.freePort(), "m-dead")
                + deployment("balance-east", "openai", east, "m-balance-east")
                + deployment("balance-west", "openai", west, "m-balance-west")
                + deployment("storm-a", "openai", east, "m-storm-a")
                + deployment("storm-b", "anthropic", west, "m-storm-b")
                + deployment("plain-a", "openai", east, "")
                + deployment("plain-b", "openai", east, "")
                + """
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-plain
                    parameters:
                      - name: name
                        value: plain
                      - name: deployments
                        value: plain-a,plain-b
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-plain-a-only
                    parameters:
                      - name: name
                        value: plain-a-only
                      - name: deployments
                        value: plain-a
                - templatedRoute:
                    routeTemplateRef: alias
                    routeId: alias-plain-alias
                    parameters:
                      - name: name
                        value: plain-alias
                      - name: target
                        value: plain-b
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-dead-first
                    parameters:
                      - name: name
                        value: dead-first
                      - name: deployments
                        value: gpt-dead,gpt-west
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-bounded
                    parameters:
                      - name: name
                        value: bounded
                      - name: deployments
                        value: gpt-east
                      - name: retries
                        value: "10"
                      - name: deadline
                        value: "1500"
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-storm
                    parameters:
                      - name: name
                        value: storm
                      - name: deployments
                        value: storm-a,storm-b
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-chain
                    parameters:
                      - name: name
                        value: chain
                      - name: deployments
                        value: gpt-east,claude-west
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-balanced
                    parameters:
                      - name: name
                        value: balanced
                      - name: deployments
                        value: balance-east,balance-west
                      - name: policy
                        value: leastInFlight
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-retrying
                    parameters:
                      - name: name
                        value: retrying
                      - name: deployments
                        value: gpt-east
                      - name: retries
                        value: "1"
                      - name: fallbackCodes
                        value: context_length_exceeded
                """);
        int port = GatewayTestSupport.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", KEY);
        env.put("TAAS_METRICS_AUTH", "admin");
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "{\"tokens\":[{\"id\":\"tok-east\",\"hash\":\"" + TokenHashes.hash(EAST_ONLY_KEY)
                + "\",\"team\":\"t1\",\"project\":\"p1\",\"models\":[\"gpt-east\"]}]}");
        env.put("TAAS_TOKENS_FILE", tokens.toString());
        env.put("TAAS_DATA_DIR", dir.resolve("data").toString());
        env.put("TAAS_ROUTES_DIR", routes.toString());
        env.put("TAAS_FIRST_TOKEN_TIMEOUT", "1500");
        gateway = Gateway.create(env);
        gateway.start();
        base = "http://127.0.0.1:" + port;
    }

    private static String deployment(String name, String provider, FakeUpstream upstream, String upstreamModel) {
        return deploymentAt(name, provider, upstream.baseUrl(), upstreamModel);
    }

    private static String deploymentAt(String name, String provider, String baseUrl, String upstreamModel) {
        return """
                - templatedRoute:
                    routeTemplateRef: model
                    routeId: model-%s
                    parameters:
                      - name: name
                        value: %s
                      - name: provider
                        value: %s
                      - name: baseUrl
                        value: %s/v1
                      - name: upstreamModel
                        value: "%s"
                      - name: listed
                        value: "false"
                      - name: circuitBreaker
                        value: "true"
                """.formatted(name, name, provider, baseUrl, upstreamModel);
    }

    @Test
    void aDeploymentAsksItsUpstreamForItsOwnNameNotTheRoutersOrTheAlias() throws Exception {
        assertEquals(200, chat("plain", null, false).statusCode());
        assertEquals("plain-a", east.takeRequest(Duration.ofSeconds(5)).bodyJson().path("model").asText(),
                "a deployment without upstreamModel sends its own name, not the deployments route's");
        assertEquals(200, chat("plain-alias", null, false).statusCode());
        assertEquals("plain-b", east.takeRequest(Duration.ofSeconds(5)).bodyJson().path("model").asText(),
                "an alias asks for its target, not for itself");
    }

    @Test
    void twoDeploymentsOnOneUpstreamHaveABreakerEach() throws Exception {
        for (int i = 0; i < 12; i++) {
            east.enqueue(Script.status(500));
            chat("plain-a-only", null, false);
        }
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer " + KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("taas_circuit_breaker_state{upstream=\"plain-a\"} 2.0"), metrics);
        assertTrue(metrics.contains("taas_circuit_breaker_state{upstream=\"plain-b\"} 0.0"), metrics);
        east.reset();
        assertEquals(200, chat("plain-alias", null, false).statusCode(), "plain-b's circuit stays closed");
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop();
        east.close();
        west.close();
    }

    @BeforeEach
    void reset() {
        east.reset();
        west.reset();
    }

    private static HttpResponse<String> chat(String model, String sessionId, boolean stream) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(body));
        // a fresh session unless the test is about one: stickiness would otherwise carry over between tests
        request.header("X-Session-Id", sessionId != null ? sessionId : "s-" + java.util.UUID.randomUUID());
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFailingPrimaryFallsBackAcrossProvidersWithTheHeaders() throws Exception {
        east.enqueue(Script.status(429).retryAfter("1").message("east is saturated"));
        HttpResponse<String> response = chat("chain", null, false);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("claude-west", response.headers().firstValue("x-model-used").orElseThrow());
        assertEquals("chain", response.headers().firstValue("x-fallback-from").orElseThrow());
        assertEquals("1", response.headers().firstValue("x-fallback-depth").orElseThrow());
        assertEquals("/v1/messages", west.lastRequest().path(), "the fallback spoke Anthropic to its upstream");
        assertEquals(1, east.requestCount());
    }

    @Test
    void anUnreachableDeploymentAndASlowFirstTokenFallBack() throws Exception {
        HttpResponse<String> unreachable = chat("dead-first", null, false);
        assertEquals(200, unreachable.statusCode(), unreachable.body());
        assertEquals("gpt-west", unreachable.headers().firstValue("x-model-used").orElseThrow());

        east.enqueue(Script.ok().headerDelay(Duration.ofSeconds(4)));
        long start = System.nanoTime();
        HttpResponse<String> slow = chat("chain", null, false);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(200, slow.statusCode(), slow.body());
        assertEquals("claude-west", slow.headers().firstValue("x-model-used").orElseThrow());
        assertTrue(millis < 3500, "fell back at the first-token time-out, not after the slow reply: " + millis + " ms");
    }

    @Test
    void theDeadlineBoundsRetries() throws Exception {
        east.setDefault(Script.status(429).retryAfter("1"));
        try {
            long start = System.nanoTime();
            HttpResponse<String> response = chat("bounded", null, false);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(429, response.statusCode(), response.body());
            assertTrue(millis < 3000, "gave up at the deadline: " + millis + " ms");
            assertTrue(east.requestCount() <= 3, "bounded attempts: " + east.requestCount());
        } finally {
            east.reset();
        }
    }

    @Test
    void clientErrorsDoNotFallBack() throws Exception {
        east.enqueue(Script.status(400).message("bad request really"));
        HttpResponse<String> response = chat("chain", null, false);
        assertEquals(400, response.statusCode());
        assertEquals(0, west.requestCount());
    }

    @Test
    void aStreamThatFailsBeforeContentFallsBackInvisibly() throws Exception {
        east.enqueue(Script.ok().midStreamError(1));
        HttpResponse<String> response = chat("chain", null, true);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
        assertFalse(response.body().contains("\"error\""), "the client never saw the failed attempt");
        assertEquals("claude-west", response.headers().firstValue("x-model-used").orElseThrow());
    }

    @Test
    void everythingFailingAnswersTheLastErrorAfterBoundedAttempts() throws Exception {
        east.setDefault(Script.status(503).message("east down"));
        west.setDefault(Script.status(529).message("west overloaded"));
        try {
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String body = "{\"model\":\"storm\",\"messages\":[{\"role\":\"user\",\"content\":\"storm " + i + "\"}]}";
                replies.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                HttpResponse<String> response = reply.get(30, TimeUnit.SECONDS);
                assertTrue(response.statusCode() == 502 || response.statusCode() == 503, response.body());
            }
            assertTrue(east.requestCount() <= 100 && west.requestCount() <= 100,
                    "at most one attempt per deployment per request: east " + east.requestCount() + ", west " + west.requestCount());
            // a hundred failures opened both breakers: the next request is refused without calling anyone
            int eastBefore = east.requestCount();
            int westBefore = west.requestCount();
            HttpResponse<String> offline = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"storm\",\"messages\":[{\"role\":\"user\",\"content\":\"after\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, offline.statusCode(), offline.body());
            assertTrue(offline.body().contains("upstream_offline") && offline.body().contains("storm-b"),
                    "the 503 names the deployment: " + offline.body());
            assertEquals(eastBefore, east.requestCount());
            assertEquals(westBefore, west.requestCount());
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer " + KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("taas_circuit_breaker_state{upstream=\"storm-b\"} 2.0"),
                    metrics.lines().filter(l -> l.contains("circuit")).toList().toString());
        } finally {
            east.reset();
            west.reset();
        }
    }

    @Test
    void retriesHonourRetryAfterAndOperatorCodesFallBack() throws Exception {
        east.enqueue(Script.status(429).retryAfter("1"));
        long start = System.nanoTime();
        HttpResponse<String> response = chat("retrying", null, false);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(2, east.requestCount());
        assertTrue(millis >= 900, "waited for Retry-After: " + millis + " ms");

        east.reset();
        east.enqueue(Script.status(400).body("{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\","
                + "\"code\":\"context_length_exceeded\"}}"));
        HttpResponse<String> second = chat("retrying", null, false);
        assertEquals(400, second.statusCode(), "opt-in codes fall back, but a 400 is not retried after the round");
    }

    @Test
    void leastInFlightSpreadsAndSessionsStickUntilTheirDeploymentFails() throws Exception {
        east.setDefault(Script.ok().headerDelay(Duration.ofMillis(300)));
        west.setDefault(Script.ok().headerDelay(Duration.ofMillis(300)));
        try {
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String body = "{\"model\":\"balanced\",\"messages\":[{\"role\":\"user\",\"content\":\"spread " + i + "\"}]}";
                replies.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                assertEquals(200, reply.get(30, TimeUnit.SECONDS).statusCode());
            }
            assertTrue(east.requestCount() >= 3 && west.requestCount() >= 3,
                    "both deployments took load: east " + east.requestCount() + ", west " + west.requestCount());
        } finally {
            east.reset();
            west.reset();
        }

        String first = chat("balanced", "sticky-1", false).headers().firstValue("x-model-used").orElseThrow();
        for (int i = 0; i < 4; i++) {
            assertEquals(first, chat("balanced", "sticky-1", false).headers().firstValue("x-model-used").orElseThrow(),
                    "the session stays on its deployment");
        }
        FakeUpstream sticky = first.equals("balance-east") ? east : west;
        sticky.enqueue(Script.status(500));
        HttpResponse<String> moved = chat("balanced", "sticky-1", false);
        assertEquals(200, moved.statusCode());
        String other = first.equals("balance-east") ? "balance-west" : "balance-east";
        assertEquals(other, moved.headers().firstValue("x-model-used").orElseThrow(), "affinity never blocks fallback");
        assertEquals(other, chat("balanced", "sticky-1", false).headers().firstValue("x-model-used").orElseThrow(),
                "and the session sticks to its new deployment");
    }

    @Test
    void healthEndpointReportsDeployments() throws Exception {
        east.enqueue(Script.status(503).message("maintenance"));
        chat("chain", null, false);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/deployments"))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode east = null;
        for (JsonNode d : Json.parse(response.body()).get("data")) {
            if (d.get("id").asText().equals("gpt-east")) {
                east = d;
            }
        }
        assertTrue(east != null && east.get("state").asText().equals("failing"), response.body());
        assertTrue(east.get("last_error").asText().contains("maintenance"), response.body());
        assertTrue(Json.parse(response.body()).get("circuit_breakers").size() >= 2, response.body());
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/deployments")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aTenantSeesOnlyItsDeploymentsWithoutErrorDetail() throws Exception {
        east.enqueue(Script.status(503).message("maintenance at http://10.1.2.3"));
        chat("chain", null, false);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/deployments"))
                .header("Authorization", "Bearer " + EAST_ONLY_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = Json.parse(response.body());
        assertEquals(1, report.get("data").size(), response.body());
        assertEquals("gpt-east", report.get("data").get(0).get("id").asText());
        assertFalse(response.body().contains("maintenance"), response.body());
        for (JsonNode breaker : report.get("circuit_breakers")) {
            assertEquals("gpt-east", breaker.get("upstream").asText(), response.body());
        }
    }

    @Test
    void metricsAskForAnAdminTokenWhenProtected() throws Exception {
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Authorization", "Bearer " + EAST_ONLY_KEY).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> admin = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode());
        assertTrue(admin.body().contains("taas_"), "the Prometheus text");
    }
}
