package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnthropicMessagesTest extends FakeUpstreamTestSupport {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"good morning\"}]}]";

    @Test
    void jsonReplyHasTextBlockStopReasonAndUsage() throws Exception {
        HttpResponse<String> response = http.postJson("/v1/messages",
                "{\"model\":\"claude-x\",\"max_tokens\":100,\"system\":\"be nice\"," + MESSAGES + "}");

        assertTrue(response.headers().firstValue("request-id").orElse("").startsWith("req_"));
        JsonNode body = TestHttp.json(response);
        assertEquals("message", body.path("type").asText());
        assertEquals("assistant", body.path("role").asText());
        assertEquals("claude-x", body.path("model").asText());
        assertTrue(body.path("id").asText().startsWith("msg_"));
        assertEquals("text", body.path("content").get(0).path("type").asText());
        assertEquals("Echo: good morning", body.path("content").get(0).path("text").asText());
        assertEquals("end_turn", body.path("stop_reason").asText());
        assertTrue(body.path("stop_sequence").isNull());
        assertEquals(4, body.path("usage").path("input_tokens").asInt());
        assertEquals(3, body.path("usage").path("output_tokens").asInt());
        assertEquals(0, body.path("usage").path("cache_read_input_tokens").asInt());
    }

    @Test
    void jsonReplyWithThinkingAndToolUse() throws Exception {
        upstream.enqueue(Script.ok().reasoning("hmm").toolCall("get_weather", "{\"city\":\"Oslo\"}"));

        JsonNode body = TestHttp.json(http.postJson("/v1/messages", "{\"model\":\"c\",\"max_tokens\":10," + MESSAGES + "}"));

        JsonNode thinking = body.path("content").get(0);
        assertEquals("thinking", thinking.path("type").asText());
        assertEquals("hmm", thinking.path("thinking").asText());
        assertTrue(!thinking.path("signature").asText().isEmpty());
        JsonNode toolUse = body.path("content").get(1);
        assertEquals("tool_use", toolUse.path("type").asText());
        assertTrue(toolUse.path("id").asText().startsWith("toolu_"));
        assertEquals("Oslo", toolUse.path("input").path("city").asText());
        assertEquals("tool_use", body.path("stop_reason").asText());
    }

    @Test
    void streamEmitsNamedEventsFromMessageStartToMessageStop() throws Exception {
        upstream.enqueue(Script.ok().reply("Sure thing").toolCall("f", "{\"x\":true}"));

        HttpResponse<String> response = http.postJson("/v1/messages",
                "{\"model\":\"c\",\"max_tokens\":10,\"stream\":true," + MESSAGES + "}");

        List<String> names = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StringBuilder json = new StringBuilder();
        JsonNode messageDelta = null;
        for (String block : TestHttp.sseBlocks(response.body(), "\n")) {
            String[] lines = block.split("\n");
            String name = lines[0].substring("event: ".length());
            JsonNode data = TestHttp.json(lines[1].substring("data: ".length()));
            assertEquals(name, data.path("type").asText());
            names.add(name);
            JsonNode delta = data.path("delta");
            if (delta.path("type").asText().equals("text_delta")) {
                text.append(delta.path("text").asText());
            } else if (delta.path("type").asText().equals("input_json_delta")) {
                assertEquals(1, data.path("index").asInt());
                json.append(delta.path("partial_json").asText());
            } else if (name.equals("message_delta")) {
                messageDelta = data;
            }
        }
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta",
                "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names);
        assertEquals("Sure thing", text.toString());
        assertEquals("{\"x\":true}", json.toString());
        assertEquals("tool_use", messageDelta.path("delta").path("stop_reason").asText());
        assertTrue(messageDelta.path("delta").path("stop_sequence").isNull());
        assertEquals(5, messageDelta.path("usage").path("output_tokens").asInt());
    }

    @Test
    void streamedThinkingHasThinkingDeltasThenSignatureDelta() throws Exception {
        upstream.enqueue(Script.ok().reasoning("a b").reply("c"));

        String body = http.postJson("/v1/messages", "{\"model\":\"c\",\"max_tokens\":10,\"stream\":true," + MESSAGES + "}").body();

        assertTrue(body.contains("\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"));
        int thinking = body.indexOf("\"thinking_delta\",\"thinking\":\" b\"");
        int signature = body.indexOf("\"signature_delta\"");
        int text = body.indexOf("\"text_delta\"");
        assertTrue(thinking > 0 && signature > thinking && text > signature);
    }

    @Test
    void missingMaxTokensIsAnAnthropicInvalidRequest() throws Exception {
        HttpResponse<String> response = http.postJson("/v1/messages", "{\"model\":\"c\"," + MESSAGES + "}");

        assertEquals(400, response.statusCode());
        JsonNode body = TestHttp.json(response);
        assertEquals("error", body.path("type").asText());
        assertEquals("invalid_request_error", body.path("error").path("type").asText());
        assertTrue(body.path("error").path("message").asText().contains("max_tokens"));
    }

    @Test
    void countTokensCountsPromptWords() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1/messages/count_tokens",
                "{\"model\":\"c\",\"system\":\"one two\"," + MESSAGES + "}"));

        assertEquals(4, body.path("input_tokens").asInt());
    }
}
