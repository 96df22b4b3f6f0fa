package org.cameltaas.component.provider.anthropic;

import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Non-streamed Anthropic messages as OpenAI chat completions. */
class AnthropicReplyTranslationTest extends AnthropicTestSupport {

    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";

    private JsonNode completion(Exchange reply) {
        assertNull(reply.getException(), () -> "unexpected " + reply.getException());
        return reply.getMessage().getBody(JsonNode.class);
    }

    @Test
    void textReply() {
        Exchange reply = call(chatUri(null), CHAT);
        JsonNode json = completion(reply);
        assertTrue(json.get("id").asText().startsWith("msg_"));
        assertEquals("chat.completion", json.get("object").asText());
        assertTrue(Math.abs(json.get("created").asLong() - System.currentTimeMillis() / 1000) < 60);
        assertEquals(MODEL, json.get("model").asText());
        assertEquals(1, json.get("choices").size());
        JsonNode message = json.at("/choices/0/message");
        assertEquals("assistant", message.get("role").asText());
        assertEquals("Echo: hello there", message.get("content").asText());
        assertFalse(message.has("tool_calls") || message.has("reasoning_content"));
        assertEquals("stop", json.at("/choices/0/finish_reason").asText());

        // the fake counts words: "hello there" in, "Echo: hello there" out
        assertEquals(2, json.at("/usage/prompt_tokens").asInt());
        assertEquals(3, json.at("/usage/completion_tokens").asInt());
        assertEquals(5, json.at("/usage/total_tokens").asInt());
        assertEquals(0, json.at("/usage/prompt_tokens_details/cached_tokens").asInt());
        assertEquals(2, reply.getMessage().getHeader(TaasConstants.PROMPT_TOKENS));
        assertEquals(3, reply.getMessage().getHeader(TaasConstants.COMPLETION_TOKENS));
        assertEquals(MODEL, reply.getMessage().getHeader(TaasConstants.MODEL_USED));
        assertEquals("anthropic", reply.getMessage().getHeader(TaasConstants.PROVIDER));
        assertTrue(reply.getMessage().getHeader(TaasConstants.UPSTREAM_REQUEST_ID, String.class).startsWith("req_"),
                "Anthropic's request-id header");
    }

    @Test
    void toolUseBecomesToolCallsWithTheExactArgumentsString() {
        upstream.enqueue(Script.ok().toolCall("lookup", "{\"query\":\"camel routes\",\"limit\":3,\"min\":0.25}")
                .toolCall("now", "{}"));
        JsonNode json = completion(call(chatUri(null), CHAT));
        JsonNode message = json.at("/choices/0/message");
        assertTrue(message.get("content").isNull(), "no text blocks: content is null");
        JsonNode calls = message.get("tool_calls");
        assertEquals(2, calls.size());
        assertTrue(calls.at("/0/id").asText().startsWith("toolu_"));
        assertEquals("function", calls.at("/0/type").asText());
        assertEquals("lookup", calls.at("/0/function/name").asText());
        assertEquals("{\"query\":\"camel routes\",\"limit\":3,\"min\":0.25}", calls.at("/0/function/arguments").asText());
        assertEquals("now", calls.at("/1/function/name").asText());
        assertEquals("{}", calls.at("/1/function/arguments").asText());
        assertEquals("tool_calls", json.at("/choices/0/finish_reason").asText());
    }

    @Test
    void toolArgumentsKeepTheUpstreamsExactNumbers() {
        upstream.enqueue(Script.ok().body(message("[{\"type\":\"tool_use\",\"id\":\"toolu_7\",\"name\":\"pay\","
                + "\"input\":{\"amount\":10.50,\"big\":12345678901234567890}}]", "tool_use", "{}")));
        JsonNode call = completion(call(chatUri(null), CHAT)).at("/choices/0/message/tool_calls/0");
        assertEquals("toolu_7", call.get("id").asText());
        assertEquals("{\"amount\":10.50,\"big\":12345678901234567890}", call.at("/function/arguments").asText());
    }

    @Test
    void thinkingBecomesReasoningContentWithItsSignature() {
        upstream.enqueue(Script.ok().reasoning("first this, then that").reply("done"));
        JsonNode message = completion(call(chatUri(null), CHAT)).at("/choices/0/message");
        assertEquals("done", message.get("content").asText());
        assertEquals("first this, then that", message.get("reasoning_content").asText());
        String signature = Base64.getEncoder().encodeToString("fake-signature:first this, then that".getBytes());
        assertEquals(signature, message.get("reasoning_signature").asText());
    }

    @Test
    void finishReasons() {
        String[][] cases = {{"end_turn", "stop"}, {"stop_sequence", "stop"}, {"max_tokens", "length"},
                {"tool_use", "tool_calls"}, {"refusal", "content_filter"}, {"pause_turn", "stop"}};
        for (String[] c : cases) {
            upstream.enqueue(Script.ok().body(message("[{\"type\":\"text\",\"text\":\"x\"}]", c[0],
                    "{\"input_tokens\":1,\"output_tokens\":1}")));
            assertEquals(c[1], completion(call(chatUri(null), CHAT)).at("/choices/0/finish_reason").asText(), c[0]);
        }
    }

    @Test
    void usageCountsCachedInputAsPromptTokens() {
        upstream.enqueue(Script.ok().body(message("[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]",
                "end_turn", "{\"input_tokens\":10,\"cache_creation_input_tokens\":200,"
                            + "\"cache_read_input_tokens\":3000,\"output_tokens\":42}")));
        Exchange reply = call(chatUri(null), CHAT);
        JsonNode json = completion(reply);
        assertEquals("ab", json.at("/choices/0/message/content").asText(), "text blocks are joined");
        assertEquals(3210, json.at("/usage/prompt_tokens").asInt());
        assertEquals(42, json.at("/usage/completion_tokens").asInt());
        assertEquals(3252, json.at("/usage/total_tokens").asInt());
        assertEquals(3000, json.at("/usage/prompt_tokens_details/cached_tokens").asInt());
        assertEquals(new TaasUsage(3210, 42, 3252, 3000, 0), reply.getMessage().getHeader(TaasConstants.USAGE));
        assertEquals("claude-sonnet-4-5", reply.getMessage().getHeader(TaasConstants.MODEL_USED),
                "the model the upstream reports");
    }

    private static String message(String content, String stopReason, String usage) {
        return "{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
               + "\"content\":" + content + ",\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null,"
               + "\"usage\":" + usage + "}";
    }
}
