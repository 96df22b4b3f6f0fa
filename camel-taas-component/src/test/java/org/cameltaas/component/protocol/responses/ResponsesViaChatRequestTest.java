package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.protocol.TranslationOptions;
import org.junit.jupiter.api.Test;

import static org.cameltaas.component.protocol.responses.JsonAssertions.assertJson;
import static org.cameltaas.component.protocol.responses.JsonAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponsesViaChatRequestTest {

    private static final TranslationOptions DROP = new TranslationOptions(true);

    private final ResponsesViaChat translation = new ResponsesViaChat();

    private ObjectNode toChat(String request) {
        return translation.toChatRequest(json(request), TranslationOptions.DEFAULTS);
    }

    private String refusal(String request, TranslationOptions options) {
        return assertThrows(IllegalArgumentException.class,
                () -> translation.toChatRequest(json(request), options)).getMessage();
    }

    @Test
    void isTheResponsesOperation() {
        assertEquals(TaasOperation.responses, translation.operation());
    }

    @Test
    void instructionsAndStringInputAreSystemAndUserMessages() {
        assertJson("""
                {"model":"gpt-4o","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":"Hello"}]}""",
                toChat("""
                        {"model":"gpt-4o","instructions":"Be brief.","input":"Hello"}"""));
    }

    @Test
    void messageItemsKeepTheirRolesWithDeveloperAsSystem() {
        ObjectNode chat = toChat("""
                {"model":"m","input":[
                  {"type":"message","role":"developer","content":[{"type":"input_text","text":"Rule one."},
                                                                   {"type":"input_text","text":"Rule two."}]},
                  {"role":"system","content":"Also this."},
                  {"role":"user","content":[{"type":"input_text","text":"Hi"}]},
                  {"type":"message","role":"assistant","id":"msg_1","status":"completed",
                   "content":[{"type":"output_text","text":"Hello!","annotations":[]}]},
                  {"role":"user","content":"Bye"}]}""");
        assertJson("""
                [{"role":"system","content":"Rule one.\\n\\nRule two."},
                 {"role":"system","content":"Also this."},
                 {"role":"user","content":"Hi"},
                 {"role":"assistant","content":"Hello!"},
                 {"role":"user","content":"Bye"}]""", chat.get("messages"));
    }

    @Test
    void aUserMessageWithSeveralPartsOrAnImageKeepsItsParts() {
        ObjectNode chat = toChat("""
                {"model":"m","input":[{"role":"user","content":[
                  {"type":"input_text","text":"What is this?"},
                  {"type":"input_image","image_url":"https://example.com/cat.png","detail":"low"}]},
                  {"role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,AAAA"}]}]}""");
        assertJson("""
                [{"role":"user","content":[
                   {"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}}]},
                 {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}]""",
                chat.get("messages"));
    }

    @Test
    void filesAreRefused() {
        String byFileId = refusal("""
                {"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-123"}]}]}""",
                TranslationOptions.DEFAULTS);
        assertTrue(byFileId.startsWith("file_not_supported: "), byFileId);
        String inputFile = refusal("""
                {"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"file-9"}]}]}""",
                TranslationOptions.DEFAULTS);
        assertTrue(inputFile.startsWith("file_not_supported: "), inputFile);
    }

    @Test
    void functionCallsAndOutputsBecomeToolCallsAndToolMessagesWithTheirIds() {
        ObjectNode chat = toChat("""
                {"model":"m","input":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Two calls."}],
                   "encrypted_content":"gAAAA"},
                  {"type":"function_call","id":"fc_1","call_id":"call_paris","name":"get_weather",
                   "arguments":"{\\"city\\":\\"Paris\\"}","status":"completed"},
                  {"type":"function_call","id":"fc_2","call_id":"call_rome","name":"get_weather",
                   "arguments":"{\\"city\\":\\"Rome\\"}"},
                  {"type":"function_call_output","call_id":"call_paris","output":"18C, sunny"},
                  {"type":"function_call_output","call_id":"call_rome","output":{"temp":21,"sky":"clear"}}]}""");
        assertJson("""
                [{"role":"user","content":"Weather in Paris and Rome?"},
                 {"role":"assistant","content":null,"reasoning_content":"Two calls.","reasoning_signature":"gAAAA","tool_calls":[
                   {"id":"call_paris","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                   {"id":"call_rome","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_paris","content":"18C, sunny"},
                 {"role":"tool","tool_call_id":"call_rome","content":"{\\"temp\\":21,\\"sky\\":\\"clear\\"}"}]""",
                chat.get("messages"));
    }

    @Test
    void aFunctionCallJoinsTheAssistantTextBeforeIt() {
        ObjectNode chat = toChat("""
                {"model":"m","input":[
                  {"role":"user","content":"List files"},
                  {"role":"assistant","content":[{"type":"output_text","text":"Let me look."}]},
                  {"type":"function_call","call_id":"call_ls","name":"shell","arguments":"{}"},
                  {"type":"function_call_output","call_id":"call_ls",
                   "output":[{"type":"input_text","text":"a.txt"}]},
                  {"type":"function_call","call_id":"call_cat","name":"shell","arguments":"{}"}]}""");
        assertJson("""
                [{"role":"user","content":"List files"},
                 {"role":"assistant","content":"Let me look.","tool_calls":[
                   {"id":"call_ls","type":"function","function":{"name":"shell","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"call_ls","content":"a.txt"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_cat","type":"function","function":{"name":"shell","arguments":"{}"}}]}]""",
                chat.get("messages"));
    }

    @Test
    void itemsWithoutAChatCounterpartAreRefused() {
        for (String type : new String[] {"custom_tool_call", "item_reference", "web_search_call"}) {
            String message = refusal("""
                    {"model":"m","input":[{"type":"%s","id":"x","call_id":"c","name":"apply_patch","input":"..."}]}"""
                    .formatted(type), TranslationOptions.DEFAULTS);
            assertTrue(message.startsWith("item_not_supported: "), message);
            assertTrue(message.contains(type), message);
        }
    }

    @Test
    void functionToolsAreNestedAndNamespaceMembersListedOnTheirOwn() {
        ObjectNode chat = toChat("""
                {"model":"m","input":"x","tools":[
                  {"type":"function","name":"get_weather","description":"Weather by city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
                   "strict":true},
                  {"type":"namespace","name":"mcp__docs","description":"Docs server","tools":[
                    {"type":"function","name":"mcp__docs__search","parameters":{"type":"object","properties":{}}}]}],
                 "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false}""");
        assertJson("""
                [{"type":"function","function":{"name":"get_weather","description":"Weather by city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
                   "strict":true}},
                 {"type":"function","function":{"name":"mcp__docs__search",
                   "parameters":{"type":"object","properties":{}}}}]""", chat.get("tools"));
        assertJson("""
                {"type":"function","function":{"name":"get_weather"}}""", chat.get("tool_choice"));
        assertJson("false", chat.get("parallel_tool_calls"));
    }

    @Test
    void toolChoiceKeywordsPassAsTheyAre() {
        for (String choice : new String[] {"auto", "none", "required"}) {
            ObjectNode chat = toChat("""
                    {"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":"%s"}"""
                    .formatted(choice));
            assertEquals(choice, chat.get("tool_choice").asText());
        }
    }

    @Test
    void allowedToolsBecomeChatsAllowedTools() {
        ObjectNode chat = toChat("""
                {"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"function","name":"g"}],
                 "tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"g"}]}}""");
        assertJson("""
                {"type":"allowed_tools","allowed_tools":{"mode":"required",
                  "tools":[{"type":"function","function":{"name":"g"}}]}}""", chat.get("tool_choice"));
    }

    @Test
    void hostedToolsAreRefusedByDefault() {
        for (String type : new String[] {"web_search", "web_search_preview", "file_search", "code_interpreter",
                "computer_use_preview", "image_generation", "local_shell", "mcp", "custom"}) {
            String message = refusal("""
                    {"model":"m","input":"x","tools":[{"type":"function","name":"f"},{"type":"%s"}]}"""
                    .formatted(type), TranslationOptions.DEFAULTS);
            assertTrue(message.startsWith("hosted_tool_not_supported: " + type + " "), message);
        }
    }

    @Test
    void hostedToolsAreDroppedWhenAllowedAndTheirChoiceBecomesAuto() {
        ObjectNode chat = translation.toChatRequest(json("""
                {"model":"m","input":"x","tools":[{"type":"web_search_preview"},{"type":"function","name":"f"}],
                 "tool_choice":{"type":"web_search_preview"}}"""), DROP);
        assertJson("""
                [{"type":"function","function":{"name":"f"}}]""", chat.get("tools"));
        assertEquals("auto", chat.get("tool_choice").asText());
    }

    @Test
    void withoutToolsLeftTheChoiceGoesToo() {
        ObjectNode chat = translation.toChatRequest(json("""
                {"model":"m","input":"x","tools":[{"type":"file_search","vector_store_ids":["vs_1"]}],
                 "tool_choice":"required","parallel_tool_calls":true}"""), DROP);
        assertJson("""
                {"model":"m","messages":[{"role":"user","content":"x"}]}""", chat);
    }

    @Test
    void samplingLimitsAndFormatsAreTranslated() {
        ObjectNode chat = toChat("""
                {"model":"m","input":"x","max_output_tokens":256,"temperature":0.70,"top_p":0.9,"user":"u-1",
                 "metadata":{"team":"a"},"text":{"format":{"type":"json_object"},"verbosity":"low"},
                 "reasoning":{"effort":"minimal","summary":"auto"},"stream":false}""");
        assertJson("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":256,"temperature":0.70,
                 "top_p":0.9,"user":"u-1","response_format":{"type":"json_object"},
                 "verbosity":"low","reasoning_effort":"low","stream":false}""", chat);
        assertEquals("0.70", chat.get("temperature").asText(), "numbers stay as sent");
    }

    @Test
    void aJsonSchemaFormatNestsUnderJsonSchema() {
        ObjectNode chat = toChat("""
                {"model":"m","input":"x","reasoning":{"effort":"high"},"text":{"format":{"type":"json_schema",
                 "name":"city","schema":{"type":"object","properties":{"name":{"type":"string"}}},"strict":true}}}""");
        assertJson("""
                {"type":"json_schema","json_schema":{"name":"city",
                  "schema":{"type":"object","properties":{"name":{"type":"string"}}},"strict":true}}""",
                chat.get("response_format"));
        assertEquals("high", chat.get("reasoning_effort").asText());
    }

    @Test
    void aStreamAsksForTheUsageChunk() {
        ObjectNode chat = toChat("""
                {"model":"m","input":"x","stream":true}""");
        assertJson("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"stream":true,
                 "stream_options":{"include_usage":true}}""", chat);
    }

    @Test
    void openAiStorageAndSchedulingFieldsAreDropped() {
        ObjectNode chat = toChat("""
                {"model":"m","input":"x","store":true,"include":["reasoning.encrypted_content"],
                 "prompt_cache_key":"k","truncation":"auto","service_tier":"flex","background":false}""");
        assertJson("""
                {"model":"m","messages":[{"role":"user","content":"x"}]}""", chat);
    }

    @Test
    void statefulReferencesAreRefused() {
        String previous = refusal("""
                {"model":"m","input":"x","previous_response_id":"resp_123"}""", TranslationOptions.DEFAULTS);
        assertTrue(previous.startsWith("previous_response_not_supported: "), previous);
        String conversation = refusal("""
                {"model":"m","input":"x","conversation":"conv_1"}""", TranslationOptions.DEFAULTS);
        assertTrue(conversation.startsWith("conversation_not_supported: "), conversation);
    }

    @Test
    void aCodexCliRequestTranslates() {
        String codex = """
                {"model":"gpt-5-codex",
                 "instructions":"You are Codex, based on GPT-5. You are running as a coding agent.",
                 "input":[
                   {"type":"message","role":"developer","content":[{"type":"input_text",
                     "text":"<permissions instructions>sandbox: workspace-write</permissions instructions>"}]},
                   {"type":"message","role":"user","content":[{"type":"input_text",
                     "text":"<environment_context>\\n  <cwd>/repo</cwd>\\n</environment_context>"}]},
                   {"type":"message","role":"user","content":[{"type":"input_text","text":"list the files"}]}],
                 "tools":[
                   {"type":"function","name":"shell_command","description":"Runs a shell command.","strict":false,
                    "parameters":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"],
                                  "additionalProperties":false}},
                   {"type":"namespace","name":"mcp__docs","description":"Tools of the docs MCP server","tools":[
                     {"type":"function","name":"mcp__docs__search","description":"Search the docs","strict":false,
                      "parameters":{"type":"object","properties":{"q":{"type":"string"}}}}]},
                   {"type":"web_search"}],
                 "tool_choice":"auto","parallel_tool_calls":false,
                 "reasoning":{"effort":"medium","summary":"auto"},"store":false,"stream":true,
                 "include":["reasoning.encrypted_content"],
                 "prompt_cache_key":"0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}""";

        String message = refusal(codex, TranslationOptions.DEFAULTS);
        assertTrue(message.startsWith("hosted_tool_not_supported: web_search "), message);

        ObjectNode chat = translation.toChatRequest(json(codex), DROP);
        assertJson("""
                {"model":"gpt-5-codex",
                 "messages":[
                   {"role":"system","content":"You are Codex, based on GPT-5. You are running as a coding agent."},
                   {"role":"system","content":"<permissions instructions>sandbox: workspace-write</permissions instructions>"},
                   {"role":"user","content":"<environment_context>\\n  <cwd>/repo</cwd>\\n</environment_context>"},
                   {"role":"user","content":"list the files"}],
                 "tools":[
                   {"type":"function","function":{"name":"shell_command","description":"Runs a shell command.",
                    "parameters":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"],
                                  "additionalProperties":false},"strict":false}},
                   {"type":"function","function":{"name":"mcp__docs__search","description":"Search the docs",
                    "parameters":{"type":"object","properties":{"q":{"type":"string"}}},"strict":false}}],
                 "tool_choice":"auto","parallel_tool_calls":false,
                 "reasoning_effort":"medium","stream":true,"stream_options":{"include_usage":true}}""", chat);
    }

    @Test
    void aMalformedItemIsRefusedWithItsPlace() {
        String message = refusal("""
                {"model":"m","input":[{"role":"user","content":"x"},{"type":"function_call","name":"f"}]}""",
                TranslationOptions.DEFAULTS);
        assertTrue(message.startsWith("invalid_request: input[1] "), message);
    }
}
