package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorRepliesTest extends FakeUpstreamTestSupport {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    private static final String ANTHROPIC = "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    private static final String GEMINI = "{\"contents\":[{\"parts\":[{\"text\":\"x\"}]}]}";

    @Test
    void openAiRateLimitWithRetryAfter() throws Exception {
        upstream.enqueue(Script.status(429).retryAfter("2"));

        HttpResponse<String> response = http.postJson("/v1/chat/completions", CHAT);

        assertEquals(429, response.statusCode());
        assertEquals("2", response.headers().firstValue("retry-after").orElse(null));
        assertTrue(response.headers().firstValue("x-request-id").isPresent());
        JsonNode error = TestHttp.json(response).path("error");
        assertEquals("Rate limit reached", error.path("message").asText());
        assertEquals("rate_limit_error", error.path("type").asText());
        assertTrue(error.path("param").isNull());
        assertEquals("rate_limit_exceeded", error.path("code").asText());
        assertEquals(1, upstream.requestCount(), "failed requests are recorded too");
    }

    @Test
    void openAiServerErrorWithCustomMessageAndHeader() throws Exception {
        upstream.enqueue(Script.status(503).message("try later").header("x-extra", "yes"));

        HttpResponse<String> response = http.postJson("/v1/embeddings", "{\"input\":\"x\"}");

        assertEquals(503, response.statusCode());
        assertEquals("yes", response.headers().firstValue("x-extra").orElse(null));
        JsonNode error = TestHttp.json(response).path("error");
        assertEquals("try later", error.path("message").asText());
        assertEquals("server_error", error.path("type").asText());
    }

    @Test
    void anthropicOverloadedAndRateLimitShapes() throws Exception {
        upstream.enqueue(Script.status(529)).enqueue(Script.status(429).retryAfter("7"));

        HttpResponse<String> overloaded = http.postJson("/v1/messages", ANTHROPIC);
        HttpResponse<String> limited = http.postJson("/v1/messages", ANTHROPIC);

        assertEquals(529, overloaded.statusCode());
        assertTrue(overloaded.headers().firstValue("request-id").orElse("").startsWith("req_"));
        JsonNode body = TestHttp.json(overloaded);
        assertEquals("error", body.path("type").asText());
        assertEquals("overloaded_error", body.path("error").path("type").asText());
        assertEquals("Overloaded", body.path("error").path("message").asText());
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("retry-after").orElse(null));
        assertEquals("rate_limit_error", TestHttp.json(limited).path("error").path("type").asText());
    }

    @Test
    void geminiStatusNames() throws Exception {
        upstream.enqueue(Script.status(429).retryAfter("3")).enqueue(Script.status(503)).enqueue(Script.status(401));

        HttpResponse<String> exhausted = http.postJson("/v1beta/models/g:generateContent", GEMINI);
        HttpResponse<String> unavailable = http.postJson("/v1beta/models/g:streamGenerateContent?alt=sse", GEMINI);
        HttpResponse<String> unauthenticated = http.postJson("/v1beta/models/g:generateContent", GEMINI);

        JsonNode error = TestHttp.json(exhausted).path("error");
        assertEquals(429, error.path("code").asInt());
        assertEquals("RESOURCE_EXHAUSTED", error.path("status").asText());
        assertTrue(!error.path("message").asText().isEmpty());
        assertEquals("3", exhausted.headers().firstValue("retry-after").orElse(null));
        assertEquals("UNAVAILABLE", TestHttp.json(unavailable).path("error").path("status").asText());
        assertEquals(503, unavailable.statusCode());
        assertEquals("UNAUTHENTICATED", TestHttp.json(unauthenticated).path("error").path("status").asText());
    }

    @Test
    void rawBodyIsSentVerbatim() throws Exception {
        upstream.enqueue(Script.status(500).body("{\"weird\":true}"));
        upstream.enqueue(Script.ok().body("{\"custom\":1}"));

        HttpResponse<String> error = http.postJson("/v1/chat/completions", CHAT);
        HttpResponse<String> ok = http.postJson("/v1/chat/completions", CHAT);

        assertEquals(500, error.statusCode());
        assertEquals("{\"weird\":true}", error.body());
        assertEquals(200, ok.statusCode());
        assertEquals("{\"custom\":1}", ok.body());
    }

    @Test
    void unknownPathIsAnOpenAi404() throws Exception {
        HttpResponse<String> response = http.postJson("/v1/nothing", "{}");

        assertEquals(404, response.statusCode());
        assertEquals("invalid_request_error", TestHttp.json(response).path("error").path("type").asText());
    }

    @Test
    void malformedJsonBodyIsA400() throws Exception {
        HttpResponse<String> chat = http.postJson("/v1/chat/completions", "{\"model\":");
        HttpResponse<String> anthropic = http.postJson("/v1/messages", "not json");

        assertEquals(400, chat.statusCode());
        assertEquals("invalid_request_error", TestHttp.json(chat).path("error").path("type").asText());
        assertEquals(400, anthropic.statusCode());
        assertEquals("invalid_request_error", TestHttp.json(anthropic).path("error").path("type").asText());
        assertEquals("{\"model\":", upstream.requests().get(0).bodyText());
    }
}
