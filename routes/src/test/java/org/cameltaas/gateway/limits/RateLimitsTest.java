package org.cameltaas.gateway.limits;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-token limits on one gateway (embedded back end): headers, 429s, tokens corrected by usage, slots. */
class RateLimitsTest {

    static final String HEADERS = "taas_headers_token_0001";
    static final String RPM3 = "taas_rpm3_token_0002";
    static final String TPM = "taas_tpm_token_0003";
    static final String STREAM_TPM = "taas_stream_tpm_token_0004";
    static final String ONE_AT_A_TIME = "taas_one_at_a_time_0005";
    static final String UNLIMITED = "taas_unlimited_token_0006";
    static final String RPM1 = "taas_rpm1_token_0007";
    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the world\"}]}";
    static final String STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";

    static FakeUpstream upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        upstream = FakeUpstream.start();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(HEADERS, "\"rpm\": 50, \"tpm\": 100000");
        tokens.put(RPM3, "\"rpm\": 3");
        tokens.put(TPM, "\"tpm\": 1000");
        tokens.put(STREAM_TPM, "\"tpm\": 1000");
        tokens.put(ONE_AT_A_TIME, "\"max_concurrent\": 1");
        tokens.put(UNLIMITED, "");
        tokens.put(RPM1, "\"rpm\": 1");
        Path file = TestGateway.tokensFile(tokens);
        gateway = TestGateway.start(upstream, file, Map.of("TAAS_IP_LIMIT", "off"));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    @Test
    void everyReplyCarriesTheRequestAndTokenTriosInOpenAisFormats() throws Exception {
        HttpResponse<String> first = gateway.send(gateway.chat(HEADERS, CHAT));
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("50", header(first, "x-ratelimit-limit-requests"));
        assertEquals("49", header(first, "x-ratelimit-remaining-requests"));
        assertTrue(header(first, "x-ratelimit-reset-requests").matches("(\\d+m)?\\d+(\\.\\d+)?s|\\d+ms"),
                header(first, "x-ratelimit-reset-requests"));
        assertEquals("100000", header(first, "x-ratelimit-limit-tokens"));
        long remainingTokens = Long.parseLong(header(first, "x-ratelimit-remaining-tokens"));
        assertTrue(remainingTokens < 100000 && remainingTokens > 99900, "the prompt estimate was taken: " + remainingTokens);
        assertTrue(header(first, "x-ratelimit-reset-tokens").matches("(\\d+m)?\\d+(\\.\\d+)?s|\\d+ms"));

        // a stream has them too: they are in the head, before the first event
        HttpResponse<InputStream> stream = TestGateway.HTTP.send(gateway.chat(HEADERS, STREAM).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertEquals("50", stream.headers().firstValue("x-ratelimit-limit-requests").orElseThrow());
        assertEquals("48", stream.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
        assertEquals("100000", stream.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow());
        try (InputStream body = stream.body()) {
            assertTrue(new String(body.readAllBytes(), StandardCharsets.UTF_8).contains("[DONE]"));
        }

        // errors after the checks carry them as well; a token without limits gets none
        upstream.enqueue(Script.status(400).message("upstream says no"));
        HttpResponse<String> denied = gateway.send(gateway.chat(HEADERS, CHAT));
        assertEquals(400, denied.statusCode(), denied.body());
        assertEquals("47", header(denied, "x-ratelimit-remaining-requests"));
        HttpResponse<String> unlimited = gateway.send(gateway.chat(UNLIMITED, CHAT));
        assertEquals(200, unlimited.statusCode());
        assertTrue(unlimited.headers().firstValue("x-ratelimit-limit-requests").isEmpty());
    }

    @Test
    void overTheRpmIs429RateLimitExceededWithRetryAfterAndNothingGoesUpstream() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, gateway.send(gateway.chat(RPM3, CHAT)).statusCode());
        }
        int upstreamCalls = upstream.requestCount();
        HttpResponse<String> refused = gateway.send(gateway.chat(RPM3, CHAT));
        assertEquals(429, refused.statusCode(), refused.body());
        JsonNode error = Json.parse(refused.body()).get("error");
        assertEquals("rate_limit_exceeded", error.get("code").asText());
        assertEquals("requests", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("requests per minute"), error.toString());
        long retryAfter = Long.parseLong(header(refused, "retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("0", header(refused, "x-ratelimit-remaining-requests"));
        assertEquals(upstreamCalls, upstream.requestCount(), "a refused request never reaches the upstream");

        // the Messages surface answers in Anthropic's envelope
        HttpResponse<String> messages = gateway.send(HttpRequest.newBuilder(URI.create(gateway.base() + "/v1/messages"))
                .header("x-api-key", RPM3).header("anthropic-version", "2023-06-01").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4\",\"max_tokens\":10,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertEquals(429, messages.statusCode(), messages.body());
        JsonNode anthropic = Json.parse(messages.body());
        assertEquals("error", anthropic.get("type").asText());
        assertEquals("rate_limit_error", anthropic.get("error").get("type").asText());
        assertTrue(messages.headers().firstValue("retry-after").isPresent());
    }

    @Test
    void tokensPerMinuteAreCorrectedToTheReportedUsage() throws Exception {
        upstream.enqueue(Script.ok().usage(600, 300));
        HttpResponse<String> first = gateway.send(gateway.chat(TPM, CHAT));
        assertEquals(200, first.statusCode(), first.body());
        long estimate = 1000 - Long.parseLong(header(first, "x-ratelimit-remaining-tokens"));
        assertTrue(estimate > 0 && estimate < 50, "estimate " + estimate);

        // 900 were used, not the estimate: the next request sees 1000 - 900 - its own estimate
        upstream.enqueue(Script.ok().usage(10, 5));
        HttpResponse<String> second = gateway.send(gateway.chat(TPM, CHAT));
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(1000 - 900 - estimate, Long.parseLong(header(second, "x-ratelimit-remaining-tokens")));

        // the second used 15: what its estimate took beyond that came back; a prompt larger than what is left is refused
        String big = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "lorem ipsum dolor sit amet ".repeat(30) + "\"}]}";
        int upstreamCalls = upstream.requestCount();
        HttpResponse<String> refused = gateway.send(gateway.chat(TPM, big));
        assertEquals(429, refused.statusCode(), refused.body());
        JsonNode error = Json.parse(refused.body()).get("error");
        assertEquals("rate_limit_exceeded", error.get("code").asText());
        assertEquals("tokens", error.get("type").asText());
        assertEquals(String.valueOf(1000 - 900 - 15), header(refused, "x-ratelimit-remaining-tokens"));
        assertTrue(refused.headers().firstValue("retry-after").isPresent());
        assertEquals(upstreamCalls, upstream.requestCount());
    }

    @Test
    void aStreamCorrectsTheTokensFromItsFinalUsage() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three").usage(400, 200));
        HttpResponse<String> stream = gateway.send(gateway.chat(STREAM_TPM, STREAM));
        assertEquals(200, stream.statusCode());
        assertTrue(stream.body().contains("[DONE]"));
        long estimate = 1000 - Long.parseLong(header(stream, "x-ratelimit-remaining-tokens"));

        HttpResponse<String> next = gateway.send(gateway.chat(STREAM_TPM, STREAM));
        assertEquals(200, next.statusCode());
        assertEquals(1000 - 600 - estimate, Long.parseLong(header(next, "x-ratelimit-remaining-tokens")));
    }

    @Test
    void maxConcurrentHoldsASlotUntilTheStreamEnds() throws Exception {
        upstream.enqueue(Script.ok().reply("w ".repeat(300).trim()).chunkDelay(Duration.ofMillis(20)));
        HttpResponse<InputStream> open = TestGateway.HTTP.send(gateway.chat(ONE_AT_A_TIME, STREAM).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, open.statusCode());
        HttpResponse<String> second = gateway.send(gateway.chat(ONE_AT_A_TIME, CHAT));
        assertEquals(429, second.statusCode(), second.body());
        assertEquals("rate_limit_exceeded", Json.parse(second.body()).get("error").get("code").asText());
        assertEquals("1", header(second, "retry-after"));
        assertTrue(Json.parse(second.body()).get("error").get("message").asText().contains("in flight"));

        open.body().close(); // the client leaves: the stream ends, its slot comes back
        int status = 0;
        for (int attempt = 0; attempt < 100 && status != 200; attempt++) {
            status = gateway.send(gateway.chat(ONE_AT_A_TIME, CHAT)).statusCode();
            if (status != 200) {
                Thread.sleep(50);
            }
        }
        assertEquals(200, status, "the slot was given back when the stream ended");
        // a finished request gives its slot back at once
        assertEquals(200, gateway.send(gateway.chat(ONE_AT_A_TIME, CHAT)).statusCode());
    }

    @Test
    void rejectionsAreCountedByLimit() throws Exception {
        assertEquals(200, gateway.send(gateway.chat(RPM1, CHAT)).statusCode());
        assertEquals(429, gateway.send(gateway.chat(RPM1, CHAT)).statusCode());
        String scrape = gateway.get("/metrics", null, null).body();
        assertTrue(scrape.contains("taas_rate_limited_total{limit=\"rpm\"}"), scrape);
        assertFalse(scrape.contains("taas_rate_limiter_failures_total{"), "no back-end failures in process");
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + ": "
                + response.headers().map()));
    }

}
