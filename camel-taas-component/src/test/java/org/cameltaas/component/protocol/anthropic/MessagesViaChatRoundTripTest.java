package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.junit.jupiter.api.Test;

import static org.cameltaas.component.protocol.anthropic.TestJson.assertJson;
import static org.cameltaas.component.protocol.anthropic.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An agent loop through the translation: the ids a client gets back are the ones the upstream recognises. */
class MessagesViaChatRoundTripTest {

    private final MessagesViaChat translation = new MessagesViaChat();

    @Test
    void toolIdsNamesAndSignedThinkingSurviveARoundTrip() {
        ObjectNode firstRequest = json("""
                {"model":"claude-alias","max_tokens":500,
                 "tools":[{"name":"weather","description":"Weather now","input_schema":{"type":"object",
                           "properties":{"city":{"type":"string"}}}}],
                 "messages":[{"role":"user","content":"Weather in Paris and Rome?"}]}""");
        ObjectNode chatRequest = translation.toChatRequest(firstRequest, TranslationOptions.DEFAULTS);
        assertEquals("weather", chatRequest.at("/tools/0/function/name").asText());

        ObjectNode chatReply = json("""
                {"id":"chatcmpl-r1","model":"gpt-x","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                  "role":"assistant","content":null,"reasoning_content":"Two lookups.","reasoning_signature":"sig-9",
                  "tool_calls":[
                    {"id":"call_paris","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_rome","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]}}],
                 "usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70}}""");
        ObjectNode reply = translation.fromChatResponse(chatReply, firstRequest);
        assertEquals("call_paris", reply.at("/content/1/id").asText());
        assertEquals("call_rome", reply.at("/content/2/id").asText());
        assertEquals("weather", reply.at("/content/2/name").asText());

        // the client sends the assistant turn back as it got it, with a result for each call
        ObjectNode secondRequest = firstRequest.deepCopy();
        secondRequest.withArray("messages").addObject().put("role", "assistant").set("content", reply.get("content"));
        secondRequest.withArray("messages").add(json("""
                {"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"call_paris","content":"18C"},
                  {"type":"tool_result","tool_use_id":"call_rome","content":"24C"}]}"""));
        JsonNode messages = translation.toChatRequest(secondRequest, TranslationOptions.DEFAULTS).get("messages");

        assertJson("""
                [{"role":"user","content":"Weather in Paris and Rome?"},
                 {"role":"assistant","content":null,"reasoning_content":"Two lookups.","reasoning_signature":"sig-9",
                  "tool_calls":[
                    {"id":"call_paris","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"call_rome","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_paris","content":"18C"},
                 {"role":"tool","tool_call_id":"call_rome","content":"24C"}]""", messages);
    }
}
