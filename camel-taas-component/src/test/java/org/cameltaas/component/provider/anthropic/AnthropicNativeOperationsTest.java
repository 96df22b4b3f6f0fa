package org.cameltaas.component.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.EventCollector;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The messages operation passes through untouched; models is mapped; nothing else is offered. */
class AnthropicNativeOperationsTest extends AnthropicTestSupport {

    @Test
    void messagesBodyGoesUpstreamByteForByteAndTheReplyStaysAnthropic() {
        String body = "{\"model\":\"claude-x\",\"max_tokens\":100,\"temperature\":0.70,\"top_k\":5,"
                      + "\"system\":[{\"type\":\"text\",\"text\":\"sys\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                      + "\"messages\":[{\"role\":\"user\",\"content\":\"bonjour\"}]}";
        Exchange reply = call(uri("messages", null), body);
        assertNull(reply.getException());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/messages", sent.path());
        assertEquals(body, sent.bodyText(), "the caller's own bytes");
        assertEquals(API_KEY, sent.header("x-api-key"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));

        JsonNode json = reply.getMessage().getBody(JsonNode.class);
        assertEquals("message", json.get("type").asText());
        assertEquals("Echo: bonjour", json.at("/content/0/text").asText());
        assertEquals(json.at("/usage/input_tokens").asInt(), reply.getMessage().getHeader(TaasConstants.PROMPT_TOKENS));
    }

    @Test
    void messagesStreamPassesEventsThroughUnchanged() throws Exception {
        String body = "{\"model\":\"claude-x\",\"max_tokens\":100,\"stream\":true,"
                      + "\"messages\":[{\"role\":\"user\",\"content\":\"bonjour\"}]}";
        Exchange reply = call(uri("messages", null), body);
        assertNull(reply.getException());
        assertEquals(body, upstream.lastRequest().bodyText());
        TaasStream stream = reply.getMessage().getBody(TaasStream.class);
        EventCollector events = EventCollector.drain(stream);
        assertNull(events.awaitEnd());
        assertEquals("message_start", events.events.get(0).event());
        assertEquals("message_stop", events.events.get(events.events.size() - 1).event());
        StringBuilder text = new StringBuilder();
        for (SseEvent e : events.events) {
            if ("content_block_delta".equals(e.event())) {
                text.append(e.json().at("/delta/text").asText());
            }
        }
        assertEquals("Echo: bonjour", text.toString());
        TaasUsage usage = stream.completion().get().usage();
        assertEquals(2, usage.completionTokens());
    }

    @Test
    void modelsAreListedInOpenAiShape() {
        upstream.enqueue(Script.ok().body("{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\","
                                          + "\"display_name\":\"Claude Sonnet 4.5\",\"created_at\":\"2025-09-29T00:00:00Z\"},"
                                          + "{\"type\":\"model\",\"id\":\"claude-3-haiku\",\"display_name\":\"Claude Haiku 3\","
                                          + "\"created_at\":\"2024-03-07T00:00:00+00:00\"}],"
                                          + "\"has_more\":false,\"first_id\":\"claude-sonnet-4-5\",\"last_id\":\"claude-3-haiku\"}"));
        Exchange reply = call(uri("models", null), null);
        assertNull(reply.getException());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("GET", sent.method());
        assertEquals("/v1/models", sent.path());
        assertEquals("1000", sent.query("limit"), "one page holds every model");
        assertEquals(API_KEY, sent.header("x-api-key"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));

        JsonNode list = reply.getMessage().getBody(JsonNode.class);
        assertEquals("{\"object\":\"list\",\"data\":["
                     + "{\"id\":\"claude-sonnet-4-5\",\"object\":\"model\",\"created\":1759104000,\"owned_by\":\"anthropic\"},"
                     + "{\"id\":\"claude-3-haiku\",\"object\":\"model\",\"created\":1709769600,\"owned_by\":\"anthropic\"}]}",
                list.toString());
    }

    @Test
    void otherOperationsAreRefusedWhenTheEndpointIsCreated() {
        Exception error = assertThrows(Exception.class, () -> context.getEndpoint(uri("embeddings", null)).createProducer());
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause.getMessage());
        assertTrue(cause.getMessage().contains("does not support embeddings"), cause.getMessage());
    }
}
