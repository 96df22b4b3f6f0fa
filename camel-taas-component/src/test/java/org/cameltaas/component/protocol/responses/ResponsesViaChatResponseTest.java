package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.junit.jupiter.api.Test;

import static org.cameltaas.component.protocol.responses.JsonAssertions.assertJson;
import static org.cameltaas.component.protocol.responses.JsonAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponsesViaChatResponseTest {

    private final ResponsesViaChat translation = new ResponsesViaChat();

    @Test
    void aTextReplyIsAWholeResponseObject() {
        ObjectNode response = translation.fromChatResponse(json("""
                {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,
                          "prompt_tokens_details":{"cached_tokens":8},
                          "completion_tokens_details":{"reasoning_tokens":0}}}"""),
                json("""
                        {"model":"gpt-4o","input":"Hi"}"""));
        assertJson("""
                {"id":"resp_abc","object":"response","created_at":1700000000,"status":"completed",
                 "background":false,"error":null,"incomplete_details":null,"instructions":null,
                 "max_output_tokens":null,"model":"gpt-4o-2024-08-06",
                 "output":[{"type":"message","id":"msg_abc_0","status":"completed","role":"assistant",
                            "content":[{"type":"output_text","text":"Hello there.","annotations":[]}]}],
                 "parallel_tool_calls":true,"previous_response_id":null,
                 "reasoning":{"effort":null,"summary":null},"store":false,"temperature":1,
                 "text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1,
                 "truncation":"disabled",
                 "usage":{"input_tokens":12,"input_tokens_details":{"cached_tokens":8},"output_tokens":3,
                          "output_tokens_details":{"reasoning_tokens":0},"total_tokens":15},
                 "user":null,"metadata":{},"output_text":"Hello there."}""", response);
    }

    @Test
    void reasoningTextAndToolCallsBecomeItemsInThatOrder() {
        ObjectNode response = translation.fromChatResponse(json("""
                {"id":"chatcmpl-t1","created":1700000001,"model":"deepseek-reasoner",
                 "choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"Need both cities.",
                   "content":"Checking.","tool_calls":[
                     {"id":"call_paris","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                     {"id":"call_rome","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":40,"completion_tokens":25,"total_tokens":65,
                          "completion_tokens_details":{"reasoning_tokens":9}}}"""),
                json("""
                        {"model":"deepseek-reasoner","input":"Weather?","tools":[{"type":"function","name":"get_weather"}],
                         "tool_choice":"required","reasoning":{"effort":"high"}}"""));
        assertJson("""
                [{"type":"reasoning","id":"rs_t1_0","summary":[{"type":"summary_text","text":"Need both cities."}]},
                 {"type":"message","id":"msg_t1_1","status":"completed","role":"assistant",
                  "content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
                 {"type":"function_call","id":"fc_t1_2","call_id":"call_paris","name":"get_weather",
                  "arguments":"{\\"city\\":\\"Paris\\"}","status":"completed"},
                 {"type":"function_call","id":"fc_t1_3","call_id":"call_rome","name":"get_weather",
                  "arguments":"{\\"city\\":\\"Rome\\"}","status":"completed"}]""", response.get("output"));
        assertEquals("completed", response.get("status").asText());
        assertJson("""
                {"input_tokens":40,"input_tokens_details":{"cached_tokens":0},"output_tokens":25,
                 "output_tokens_details":{"reasoning_tokens":9},"total_tokens":65}""", response.get("usage"));
        assertJson("""
                [{"type":"function","name":"get_weather"}]""", response.get("tools"));
        assertEquals("required", response.get("tool_choice").asText());
        assertJson("""
                {"effort":"high"}""", response.get("reasoning"));
        assertEquals("Checking.", response.get("output_text").asText());
    }

    @Test
    void aToolCallOnlyReplyHasNoMessageItem() {
        ObjectNode response = translation.fromChatResponse(json("""
                {"id":"chatcmpl-t2","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant",
                 "content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                 "finish_reason":"tool_calls"}]}"""), json("""
                {"model":"m","input":"x"}"""));
        assertEquals(1, response.get("output").size());
        assertEquals("function_call", response.get("output").get(0).get("type").asText());
        assertEquals("call_1", response.get("output").get(0).get("call_id").asText());
        assertEquals("", response.get("output_text").asText());
        assertTrue(response.get("usage").isNull(), "no usage reported, none invented");
    }

    @Test
    void aReplyCutByTheTokenLimitIsIncomplete() {
        ObjectNode response = translation.fromChatResponse(json("""
                {"id":"chatcmpl-l","created":1,"model":"m","choices":[{"index":0,
                 "message":{"role":"assistant","content":"The first half"},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":16,"total_tokens":21}}"""), json("""
                {"model":"m","input":"x","max_output_tokens":16}"""));
        assertEquals("incomplete", response.get("status").asText());
        assertJson("""
                {"reason":"max_output_tokens"}""", response.get("incomplete_details"));
        assertEquals(16, response.get("max_output_tokens").asInt());
        assertEquals("The first half", response.get("output_text").asText());
    }

    @Test
    void theRequestsSettingsAreEchoed() {
        ObjectNode response = translation.fromChatResponse(json("""
                {"id":"chatcmpl-e","created":1,"model":"m","choices":[{"index":0,
                 "message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}]}"""), json("""
                {"model":"m","instructions":"Be exact.","input":"x","temperature":0.2,"top_p":0.5,
                 "parallel_tool_calls":false,"store":true,"metadata":{"k":"v"},"user":"u",
                 "text":{"format":{"type":"json_object"}}}"""));
        assertEquals("Be exact.", response.get("instructions").asText());
        assertEquals("0.2", response.get("temperature").asText());
        assertEquals("0.5", response.get("top_p").asText());
        assertEquals(false, response.get("parallel_tool_calls").asBoolean());
        assertEquals(true, response.get("store").asBoolean());
        assertJson("""
                {"k":"v"}""", response.get("metadata"));
        assertJson("""
                {"format":{"type":"json_object"}}""", response.get("text"));
        assertEquals("u", response.get("user").asText());
    }

    @Test
    void aRefusalIsARefusalPart() {
        ObjectNode response = translation.fromChatResponse(json("""
                {"id":"chatcmpl-r","created":1,"model":"m","choices":[{"index":0,
                 "message":{"role":"assistant","content":null,"refusal":"I can't help with that."},
                 "finish_reason":"stop"}]}"""), json("""
                {"model":"m","input":"x"}"""));
        assertJson("""
                [{"type":"refusal","refusal":"I can't help with that."}]""",
                response.get("output").get(0).get("content"));
    }

    @Test
    void functionCallsRoundTripWithTheirIds() {
        ObjectNode first = translation.fromChatResponse(json("""
                {"id":"chatcmpl-rt","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant",
                 "content":null,"tool_calls":[
                   {"id":"call_Xy1","type":"function","function":{"name":"read","arguments":"{\\"path\\":\\"a\\"}"}},
                   {"id":"call_Zq2","type":"function","function":{"name":"read","arguments":"{\\"path\\":\\"b\\"}"}}]},
                 "finish_reason":"tool_calls"}]}"""), json("""
                {"model":"m","input":"read a and b"}"""));
        // the client replays the output items and adds its outputs, as Codex does
        ObjectNode next = json("""
                {"model":"m","input":[{"role":"user","content":"read a and b"}]}""");
        first.get("output").forEach(next.withArray("input")::add);
        next.withArray("input").add(json("""
                {"type":"function_call_output","call_id":"call_Xy1","output":"A"}"""));
        next.withArray("input").add(json("""
                {"type":"function_call_output","call_id":"call_Zq2","output":"B"}"""));

        ObjectNode chat = translation.toChatRequest(next, TranslationOptions.DEFAULTS);
        assertJson("""
                [{"role":"user","content":"read a and b"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_Xy1","type":"function","function":{"name":"read","arguments":"{\\"path\\":\\"a\\"}"}},
                   {"id":"call_Zq2","type":"function","function":{"name":"read","arguments":"{\\"path\\":\\"b\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_Xy1","content":"A"},
                 {"role":"tool","tool_call_id":"call_Zq2","content":"B"}]""", chat.get("messages"));
    }
}
