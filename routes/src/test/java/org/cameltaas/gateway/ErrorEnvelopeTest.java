package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error status of the surface, each in the OpenAI envelope with a top-level detail. */
class ErrorEnvelopeTest extends GatewayTestSupport {

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static HttpRequest.Builder chat(String body) {
        return HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertError(post("/v1/chat/completions", "{\"model\": \"gpt-4o\", "), 400, "invalid_json");
        assertError(post("/v1/chat/completions", "[1,2]"), 400, "invalid_json");
        assertError(post("/v1/chat/completions", ""), 400, "invalid_json");
        assertEquals(0, upstream.requestCount(), "nothing invalid goes upstream");
    }

    @Test
    void missingOrUnknownTokenIs401() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)));
        assertError(none, 401, "invalid_api_key");
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer taas_not_a_real_token").POST(HttpRequest.BodyPublishers.ofString(CHAT)));
        JsonNode error = assertError(wrong, 401, "invalid_api_key");
        assertFalse(error.toString().contains("taas_not_a_real_token"), "the presented token is never echoed");
        HttpResponse<String> apiKeyHeader = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("x-api-key", MASTER_KEY).POST(HttpRequest.BodyPublishers.ofString(CHAT)));
        assertEquals(200, apiKeyHeader.statusCode(), "x-api-key authenticates too");
    }

    @Test
    void aModelOutsideTheTokensListIs403() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + LIMITED_TOKEN).POST(HttpRequest.BodyPublishers.ofString(CHAT)));
        assertError(response, 403, "model_not_allowed");
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + LIMITED_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(CHAT.replace("gpt-4o", "gpt-4o-mini"))));
        assertEquals(200, allowed.statusCode(), allowed.body());
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        assertError(post("/v1/nope", CHAT), 404, "not_found");
        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + MASTER_KEY).GET());
        assertError(get, 405, "method_not_allowed");
    }

    @Test
    void unknownProviderIs404() throws Exception {
        assertError(post("/v1/chat/completions", CHAT.replace("gpt-4o", "nowhere/model")), 404, "model_not_found");
    }

    @Test
    void tooLargeIs413() throws Exception {
        String huge = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(21 * 1024 * 1024) + "\"}]}";
        assertError(post("/v1/chat/completions", huge), 413, "request_too_large");
    }

    @Test
    void unsupportedContentTypeIs415NeverAnEmptyReply() throws Exception {
        HttpResponse<String> form = send(chat(CHAT).setHeader("Content-Type", "application/x-www-form-urlencoded"));
        assertError(form, 415, "unsupported_media_type");
        HttpResponse<String> text = send(chat(CHAT).setHeader("Content-Type", "text/plain"));
        assertError(text, 415, "unsupported_media_type");
    }

    @Test
    void schemaViolationsAre422NamingTheParameter() throws Exception {
        assertEquals("temperature", assertError(post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 422, null)
                .get("param").asText());
        assertEquals("messages", assertError(post("/v1/chat/completions", "{\"model\":\"gpt-4o\"}"), 422, null)
                .get("param").asText());
        assertEquals("messages", assertError(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}"), 422, null)
                .get("param").asText());
        assertEquals("messages[0].role", assertError(post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}"), 422, null).get("param").asText());
        assertEquals("model", assertError(post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 422, null).get("param").asText());
        assertEquals("top_p", assertError(post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"top_p\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), 422, null)
                .get("param").asText());
        assertEquals(0, upstream.requestCount());
    }

    @Test
    void aFaultInsideTheGatewayIs500WithoutInternals() throws Exception {
        // an operator's model route with a bug in it
        gateway.getCamelContext().addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:model-broken").routeId("model-broken")
                        .throwException(new IllegalStateException("secret internal detail"));
            }
        });
        HttpResponse<String> response = post("/v1/chat/completions", CHAT.replace("gpt-4o", "broken"));
        assertError(response, 500, "internal_error");
        assertFalse(response.body().contains("secret internal detail"));
        assertFalse(response.body().contains("IllegalStateException"));
        gateway.getCamelContext().getRouteController().stopRoute("model-broken");
        gateway.getCamelContext().removeRoute("model-broken");
    }

    @Test
    void upstreamRateLimitPassesThroughAs429WithRetryAfter() throws Exception {
        upstream.enqueue(Script.status(429).retryAfter("7").message("Slow down please"));
        HttpResponse<String> response = post("/v1/chat/completions", CHAT);
        JsonNode error = assertError(response, 429, null);
        assertEquals("Slow down please", error.get("message").asText());
        assertEquals("7", response.headers().firstValue("retry-after").orElseThrow());
    }

    @Test
    void upstreamClientErrorsPassThroughWithTheirStatusAndMessage() throws Exception {
        upstream.enqueue(Script.status(400).message("This model's maximum context length is 128000 tokens"));
        JsonNode error = assertError(post("/v1/chat/completions", CHAT), 400, null);
        assertEquals("This model's maximum context length is 128000 tokens", error.get("message").asText());
    }

    @Test
    void upstreamServerErrorIs502AndNeverLeaksTheUpstreamKey() throws Exception {
        upstream.enqueue(Script.status(500).body("{\"error\":{\"message\":\"boom with key " + UPSTREAM_KEY + "\"}}"));
        HttpResponse<String> response = post("/v1/chat/completions", CHAT);
        assertError(response, 502, null);
        assertFalse(response.body().contains(UPSTREAM_KEY));
    }

    @Test
    void anOperationTheModelsProviderCannotServeIs400() throws Exception {
        JsonNode error = assertError(post("/v1/embeddings", "{\"model\":\"claude-sonnet-4\",\"input\":\"x\"}"), 400,
                "unsupported_operation");
        assertTrue(error.get("message").asText().contains("anthropic provider does not support embeddings"),
                error.get("message").asText());
        assertEquals(0, upstream.requestCount(), "nothing went upstream");
    }

    @Test
    void unconfiguredUpstreamIs503NamingTheVariable() throws Exception {
        JsonNode gemini = assertError(post("/v1/chat/completions", CHAT.replace("gpt-4o", "gemini-2.0-flash")), 503,
                "upstream_not_configured");
        assertTrue(gemini.get("message").asText().contains("GEMINI_API_KEY"));
    }

    @Test
    void upstreamOfflineIs503() throws Exception {
        upstream.enqueue(Script.ok().resetConnection());
        HttpResponse<String> response = post("/v1/chat/completions", CHAT);
        assertTrue(response.statusCode() == 502 || response.statusCode() == 503, response.body());
        assertError(response, response.statusCode(), null);
    }

    @Test
    void upstreamTimeoutIs504() throws Exception {
        upstream.enqueue(Script.ok().headerDelay(Duration.ofSeconds(11)));
        assertError(post("/v1/chat/completions", CHAT), 504, "upstream_timeout");
    }

    @Test
    void aStreamThatFailsAfterItBeganEndsWithAnErrorEvent() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four five").cutAfterEvents(3));
        HttpResponse<String> response = post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertEquals(200, response.statusCode());
        String[] events = response.body().split("\n\n");
        String last = events[events.length - 1];
        assertTrue(last.startsWith("data: {\"error\""), response.body());
        assertTrue(last.contains("upstream_stream_cut"), last);
    }
}
