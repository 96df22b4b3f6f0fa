package org.cameltaas.component;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operations the provider does not speak travel as chat completions and come back in their own protocol. */
class TranslationViaChatTest extends TaasTestSupport {

    private static final String MESSAGES = "{\"model\":\"fake-gpt\",\"max_tokens\":50,\"system\":\"be brief\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"translate me\"}]}";

    @Test
    void anthropicMessagesOverAChatOnlyUpstream() {
        Exchange reply = call(uri("messages", null), MESSAGES);
        assertNull(reply.getException());
        JsonNode message = reply.getMessage().getBody(JsonNode.class);
        assertEquals("message", message.get("type").asText());
        assertEquals("Echo: translate me", message.at("/content/0/text").asText());
        assertEquals("end_turn", message.get("stop_reason").asText());
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
        JsonNode sent = upstream.lastRequest().bodyJson();
        assertEquals("system", sent.at("/messages/0/role").asText());
        assertEquals("be brief", sent.at("/messages/0/content").asText());
        assertEquals(50, sent.get("max_tokens").asInt());
    }

    @Test
    void anthropicMessagesStreamedOverAChatOnlyUpstreamWithAToolCall() throws Exception {
        upstream.enqueue(Script.ok().reply("checking").toolCall("lookup", "{\"q\":\"camel\"}"));
        Exchange reply = call(uri("messages", "stream=true"), MESSAGES);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(assertInstanceOf(TaasStream.class, reply.getMessage().getBody()));
        assertNull(events.awaitEnd());
        List<String> names = new ArrayList<>();
        StringBuilder json = new StringBuilder();
        for (SseEvent e : events.events) {
            names.add(e.event());
            if ("content_block_delta".equals(e.event()) && e.json().at("/delta/type").asText().equals("input_json_delta")) {
                json.append(e.json().at("/delta/partial_json").asText());
            }
        }
        assertEquals("message_start", names.get(0));
        assertEquals("message_stop", names.get(names.size() - 1));
        assertTrue(names.contains("content_block_start"));
        assertEquals("{\"q\":\"camel\"}", json.toString());
        assertTrue(upstream.lastRequest().bodyJson().at("/stream_options/include_usage").asBoolean());
        TaasStream.Result result = reply.getMessage().getBody(TaasStream.class).completion().get();
        assertTrue(result.usage().completionTokens() > 0, "usage reaches the caller's metering through the translation");
    }
}
