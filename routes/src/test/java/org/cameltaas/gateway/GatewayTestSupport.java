package org.cameltaas.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.auth.TokenHashes;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts the real gateway (camel-main, the shipped YAML routes) on a free loopback port, in front of a fake upstream. */
abstract class GatewayTestSupport {

    static final String MASTER_KEY = "taas_test_master_key_0001";
    static final String LIMITED_TOKEN = "taas_limited_token_0002";
    static final String UPSTREAM_KEY = "sk-upstream-secret-9999";
    static final String ANTHROPIC_KEY = "sk-ant-upstream-secret-7777";

    static FakeUpstream upstream;
    static Main gateway;
    static int port;
    static HttpClient http;

    @BeforeAll
    static void startGateway() throws Exception {
        startGateway(Map.of());
    }

    /** A subclass that needs more settings hides {@link #startGateway()} with a method calling this one. */
    static void startGateway(Map<String, String> extraEnv) throws Exception {
        upstream = FakeUpstream.start();
        port = freePort();
        Path dir = Files.createTempDirectory("taas-gateway-test");
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "{\"tokens\":[{\"id\":\"tok-limited\",\"hash\":\"" + TokenHashes.hash(LIMITED_TOKEN)
                + "\",\"team\":\"t1\",\"project\":\"p1\",\"models\":[\"gpt-4o-mini\"]}]}");
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", MASTER_KEY);
        env.put("TAAS_TOKENS_FILE", tokens.toString());
        env.put("TAAS_DATA_DIR", dir.toString());
        env.put("OPENAI_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("OPENAI_API_KEY", UPSTREAM_KEY);
        env.put("ANTHROPIC_BASE_URL", upstream.baseUrl() + "/v1");
        env.put("ANTHROPIC_API_KEY", ANTHROPIC_KEY);
        env.put("TAAS_FIRST_TOKEN_TIMEOUT", "8000");
        env.putAll(extraEnv);
        gateway = Gateway.create(env);
        gateway.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.stop();
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }

    static String base() {
        return "http://127.0.0.1:" + port;
    }

    /** An operator's route directory starts as a copy of the routes the jar ships. */
    static void copyShippedRoutes(Path dir) throws IOException {
        try (var shipped = Files.list(Path.of("src/main/resources/camel"))) {
            for (Path p : (Iterable<Path>) shipped::iterator) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + MASTER_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts the OpenAI error envelope (plus detail) and returns its error object. */
    static JsonNode assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"),
                "errors are JSON: " + response.headers().map());
        JsonNode body = Json.parse(response.body());
        JsonNode error = body.get("error");
        assertNotNull(error, response.body());
        assertTrue(error.has("message") && error.has("type") && error.has("code") && error.has("param"), response.body());
        assertEquals(error.get("message").asText(), body.path("detail").asText());
        if (code != null) {
            assertEquals(code, error.get("code").asText(), response.body());
        }
        assertTrue(response.headers().firstValue("x-request-id").isPresent());
        return error;
    }
}
