package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.cameltaas.component.protocol.anthropic.TestJson.assertJson;
import static org.cameltaas.component.protocol.anthropic.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagesViaChatResponseTest {

    private static final ObjectNode REQUEST = json("""
            {"model":"claude-alias","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}""");

    private final MessagesViaChat translation = new MessagesViaChat();

    private ObjectNode fromChat(String completion) {
        return translation.fromChatResponse(json(completion), REQUEST);
    }

    @Test
    void aTextReplyBecomesAMessageWithCachedTokensMovedOutOfInput() {
        ObjectNode message = fromChat("""
                {"id":"chatcmpl-abc123","object":"chat.completion","created":1,"model":"gpt-x",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":7,"total_tokens":127,
                          "prompt_tokens_details":{"cached_tokens":100}}}""");
        assertJson("""
                {"id":"msg_abc123","type":"message","role":"assistant","model":"gpt-x",
                 "content":[{"type":"text","text":"Hello!"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":20,"output_tokens":7,"cache_read_input_tokens":100,
                          "cache_creation_input_tokens":0}}""", message);
    }

    @Test
    void thinkingComesFirstWithItsSignatureThenTextThenToolUse() {
        ObjectNode message = fromChat("""
                {"id":"chatcmpl-1","model":"gpt-x","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                  "role":"assistant","content":"Let me look.","reasoning_content":"Need the weather.",
                  "reasoning_signature":"sig-1",
                  "tool_calls":[
                    {"id":"call_a","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\",\\"t\\":0.50}"}},
                    {"id":"call_b","type":"function","function":{"name":"clock","arguments":""}}]}}],
                 "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}""");
        assertJson("""
                [{"type":"thinking","thinking":"Need the weather.","signature":"sig-1"},
                 {"type":"text","text":"Let me look."},
                 {"type":"tool_use","id":"call_a","name":"weather","input":{"city":"Paris","t":0.50}},
                 {"type":"tool_use","id":"call_b","name":"clock","input":{}}]""", message.get("content"));
        assertEquals("tool_use", message.get("stop_reason").asText());
    }

    @Test
    void reasoningWithoutSignatureGetsAnEmptyOne() {
        ObjectNode message = fromChat("""
                {"id":"chatcmpl-1","model":"m","choices":[{"index":0,"finish_reason":"stop",
                  "message":{"role":"assistant","content":"4","reasoning":"2+2"}}]}""");
        assertJson("""
                [{"type":"thinking","thinking":"2+2","signature":""},{"type":"text","text":"4"}]""",
                message.get("content"));
    }

    @Test
    void argumentsThatAreNotAJsonObjectAreKeptRaw() {
        ObjectNode message = fromChat("""
                {"id":"chatcmpl-1","model":"m","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                  "role":"assistant","content":null,"tool_calls":[
                    {"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"city\\": \\"Par"}},
                    {"id":"c2","type":"function","function":{"name":"g","arguments":"[1,2]"}}]}}]}""");
        assertJson("""
                [{"type":"tool_use","id":"c1","name":"f","input":{"_raw":"{\\"city\\": \\"Par"}},
                 {"type":"tool_use","id":"c2","name":"g","input":{"_raw":"[1,2]"}}]""", message.get("content"));
    }

    @Test
    void aToolCallWithoutIdGetsOne() {
        ObjectNode message = fromChat("""
                {"id":"chatcmpl-1","model":"m","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                  "role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}}]}""");
        assertTrue(message.at("/content/0/id").asText().startsWith("toolu_"));
    }

    @Test
    void aRefusalIsText() {
        ObjectNode message = fromChat("""
                {"id":"chatcmpl-1","model":"m","choices":[{"index":0,"finish_reason":"content_filter",
                  "message":{"role":"assistant","content":null,"refusal":"I can't help with that."}}]}""");
        assertJson("""
                [{"type":"text","text":"I can't help with that."}]""", message.get("content"));
        assertEquals("refusal", message.get("stop_reason").asText());
    }

    @Test
    void finishReasonsBecomeStopReasons() {
        assertEquals("end_turn", stopReason("\"stop\""));
        assertEquals("max_tokens", stopReason("\"length\""));
        assertEquals("tool_use", stopReason("\"tool_calls\""));
        assertEquals("tool_use", stopReason("\"function_call\""));
        assertEquals("refusal", stopReason("\"content_filter\""));
        assertEquals("end_turn", stopReason("null"));
    }

    @Test
    void aReplyWithoutModelOrUsageNamesTheRequestedModelAndCountsZero() {
        ObjectNode message = fromChat("""
                {"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":""}}]}""");
        assertEquals("claude-alias", message.get("model").asText());
        assertTrue(message.get("id").asText().startsWith("msg_"));
        assertEquals(0, message.get("content").size());
        assertJson("""
                {"input_tokens":0,"output_tokens":0,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}""",
                message.get("usage"));
    }

    private String stopReason(String finishReason) {
        return fromChat("""
                {"id":"chatcmpl-1","model":"m","choices":[{"index":0,"finish_reason":%s,
                  "message":{"role":"assistant","content":"x"}}]}""".formatted(finishReason))
                .get("stop_reason").asText();
    }
}
