package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiResponsesTest extends FakeUpstreamTestSupport {

    @Test
    void jsonReplyHasMessageItemAndUsage() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1/responses",
                "{\"model\":\"gpt-r\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi there\"}]}]}"));

        assertEquals("response", body.path("object").asText());
        assertEquals("completed", body.path("status").asText());
        assertEquals("gpt-r", body.path("model").asText());
        JsonNode item = body.path("output").get(0);
        assertEquals("message", item.path("type").asText());
        assertTrue(item.path("id").asText().startsWith("msg_"));
        JsonNode text = item.path("content").get(0);
        assertEquals("output_text", text.path("type").asText());
        assertEquals("Echo: hi there", text.path("text").asText());
        assertEquals(2, body.path("usage").path("input_tokens").asInt());
        assertEquals(3, body.path("usage").path("output_tokens").asInt());
        assertEquals(5, body.path("usage").path("total_tokens").asInt());
        assertEquals(0, body.path("usage").path("output_tokens_details").path("reasoning_tokens").asInt());
    }

    @Test
    void jsonReplyCarriesReasoningAndFunctionCallItems() throws Exception {
        upstream.enqueue(Script.ok().reasoning("let me see").toolCall("search", "{\"q\":\"x\"}"));

        JsonNode output = TestHttp.json(http.postJson("/v1/responses", "{\"model\":\"m\",\"input\":\"q\"}")).path("output");

        assertEquals("reasoning", output.get(0).path("type").asText());
        assertEquals("let me see", output.get(0).path("summary").get(0).path("text").asText());
        assertFalse(output.get(0).path("encrypted_content").asText().isEmpty());
        JsonNode call = output.get(1);
        assertEquals("function_call", call.path("type").asText());
        assertTrue(call.path("id").asText().startsWith("fc_"));
        assertTrue(call.path("call_id").asText().startsWith("call_"));
        assertEquals("search", call.path("name").asText());
        assertEquals("{\"q\":\"x\"}", call.path("arguments").asText());
        assertEquals(2, output.size());
    }

    @Test
    void streamEmitsTypedEventsInOrderWithSequenceNumbers() throws Exception {
        upstream.enqueue(Script.ok().reply("Hello big world").toolCall("f", "{\"a\":1}"));

        HttpResponse<String> response = http.postJson("/v1/responses",
                "{\"model\":\"m\",\"stream\":true,\"input\":\"x\"}");

        assertFalse(response.body().contains("[DONE]"));
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StringBuilder args = new StringBuilder();
        JsonNode completed = null;
        int sequence = 0;
        for (String block : TestHttp.sseBlocks(response.body(), "\n")) {
            String[] lines = block.split("\n");
            String type = lines[0].substring("event: ".length());
            JsonNode data = TestHttp.json(lines[1].substring("data: ".length()));
            assertEquals(type, data.path("type").asText());
            assertEquals(sequence++, data.path("sequence_number").asInt());
            types.add(type);
            if (type.equals("response.output_text.delta")) {
                assertEquals(0, data.path("content_index").asInt());
                assertTrue(data.path("item_id").asText().startsWith("msg_"));
                text.append(data.path("delta").asText());
            }
            if (type.equals("response.function_call_arguments.delta")) {
                assertEquals(1, data.path("output_index").asInt());
                args.append(data.path("delta").asText());
            }
            if (type.equals("response.completed")) {
                completed = data.path("response");
            }
        }
        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed"), types);
        assertEquals("Hello big world", text.toString());
        assertEquals("{\"a\":1}", args.toString());
        assertEquals("completed", completed.path("status").asText());
        assertEquals(2, completed.path("output").size());
        assertEquals(completed.path("usage").path("input_tokens").asInt()
                + completed.path("usage").path("output_tokens").asInt(), completed.path("usage").path("total_tokens").asInt());
    }
}
