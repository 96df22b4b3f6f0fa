package org.cameltaas.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatSurfaceTest extends GatewayTestSupport {

    @Test
    void healthNeedsNoToken() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/health")).GET());
        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"ok\"}", response.body());
    }

    @Test
    void modelsListsTheDeclaredCatalog() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1/models"))
                .header("Authorization", "Bearer " + MASTER_KEY).GET());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = Json.parse(response.body());
        assertEquals("list", json.get("object").asText());
        boolean found = false;
        for (JsonNode m : json.get("data")) {
            assertEquals("model", m.get("object").asText());
            assertTrue(m.has("owned_by") && m.has("created"));
            found |= m.get("id").asText().equals("claude-sonnet-4") && m.get("owned_by").asText().equals("anthropic");
        }
        assertTrue(found, response.body());
    }

    @Test
    void chatIsForwardedByteForByteWithTheGatewayHeaders() throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi gateway\"}],"
                      + "\"temperature\":0.70,\"vendor_extension\":{\"x\":[1,2]}}";
        HttpResponse<String> response = post("/v1/chat/completions", body);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = Json.parse(response.body());
        assertEquals("Echo: hi gateway", json.at("/choices/0/message/content").asText());
        UUID.fromString(response.headers().firstValue("x-request-id").orElseThrow());
        assertEquals("gpt-4o", response.headers().firstValue("x-model-used").orElseThrow());
        assertTrue(response.headers().firstValue("x-session-id").orElseThrow().startsWith("sess_"));
        assertFalse(response.headers().firstValue("authorization").isPresent(), "request headers never echo back");

        RecordedRequest sent = upstream.lastRequest();
        assertEquals(body, sent.bodyText());
        assertEquals("Bearer " + UPSTREAM_KEY, sent.header("authorization"), "the upstream gets its own key, not the client's");
    }

    @Test
    void aliasAndProviderFormsRoute() throws Exception {
        HttpResponse<String> alias = post("/v1/chat/completions",
                "{\"model\":\"gpt4\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}");
        assertEquals(200, alias.statusCode(), alias.body());
        assertEquals("gpt-4o", alias.headers().firstValue("x-model-used").orElseThrow());

        HttpResponse<String> explicit = post("/v1/chat/completions",
                "{\"model\":\"openai/some-new-model\",\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}");
        assertEquals(200, explicit.statusCode(), explicit.body());
        assertEquals("some-new-model", upstream.lastRequest().bodyJson().get("model").asText());
        assertEquals("openai/some-new-model", explicit.headers().firstValue("x-model-used").orElseThrow());

        HttpResponse<String> undeclared = post("/v1/chat/completions",
                "{\"model\":\"my-finetune\",\"messages\":[{\"role\":\"user\",\"content\":\"c\"}]}");
        assertEquals(200, undeclared.statusCode(), undeclared.body());
        assertEquals("my-finetune", upstream.lastRequest().bodyJson().get("model").asText());
    }

    @Test
    void streamingRelaysEveryEventThenDone() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"stream it\"}]}");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertTrue(response.headers().firstValue("x-request-id").isPresent());
        StringBuilder text = new StringBuilder();
        String last = null;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data: ")) {
                last = line.substring(6);
                if (!last.equals("[DONE]")) {
                    text.append(Json.parse(last).at("/choices/0/delta/content").asText(""));
                }
            }
        }
        assertEquals("Echo: stream it", text.toString());
        assertEquals("[DONE]", last);
        assertFalse(response.body().contains("\"choices\":[]"), "the usage chunk the client did not ask for is hidden");
    }

    @Test
    void aW3cTraceContextContinuesUpstream() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("traceparent", traceparent)
                .header("tracestate", "vendor=abc")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"t\"}]}")));
        assertEquals(200, response.statusCode());
        assertEquals(traceparent, upstream.lastRequest().header("traceparent"));
        assertEquals("vendor=abc", upstream.lastRequest().header("tracestate"));
    }

    @Test
    void sessionIdPrecedence() throws Exception {
        String withMetadata = "{\"model\":\"gpt-4o\",\"metadata\":{\"session_id\":\"meta-1\",\"sticky_key\":\"sticky-1\"},"
                              + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        HttpResponse<String> header = send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + MASTER_KEY).header("X-Session-Id", "hdr-1")
                .POST(HttpRequest.BodyPublishers.ofString(withMetadata)));
        assertEquals("hdr-1", header.headers().firstValue("x-session-id").orElseThrow());
        assertEquals("meta-1", post("/v1/chat/completions", withMetadata).headers().firstValue("x-session-id").orElseThrow());
        String sticky = "{\"model\":\"gpt-4o\",\"metadata\":{\"sticky_key\":\"sticky-1\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        assertEquals("sticky-1", post("/v1/chat/completions", sticky).headers().firstValue("x-session-id").orElseThrow());
        String plain = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"same start\"}]}";
        String first = post("/v1/chat/completions", plain).headers().firstValue("x-session-id").orElseThrow();
        String again = post("/v1/chat/completions", plain).headers().firstValue("x-session-id").orElseThrow();
        assertEquals(first, again, "the heuristic is stable for the same token and first message");
    }
}
