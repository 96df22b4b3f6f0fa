package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.protocol.TranslationOptions;
import org.junit.jupiter.api.Test;

import static org.cameltaas.component.protocol.anthropic.TestJson.assertJson;
import static org.cameltaas.component.protocol.anthropic.TestJson.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagesViaChatRequestTest {

    private static final TranslationOptions DROP_TOOLS = new TranslationOptions(true);

    private final MessagesViaChat translation = new MessagesViaChat();

    private ObjectNode toChat(String anthropic) {
        return translation.toChatRequest(json(anthropic), TranslationOptions.DEFAULTS);
    }

    private IllegalArgumentException refusal(String anthropic) {
        return assertThrows(IllegalArgumentException.class, () -> toChat(anthropic));
    }

    @Test
    void translatesTheMessagesOperation() {
        assertEquals(TaasOperation.messages, translation.operation());
    }

    @Test
    void mapsTopLevelParametersKeepingExactDecimals() {
        ObjectNode chat = toChat("""
                {"model":"claude-x","max_tokens":1024,"temperature":0.70,"top_p":0.9,"top_k":40,
                 "stop_sequences":["END","STOP"],"metadata":{"user_id":"u-42"},"service_tier":"auto",
                 "messages":[{"role":"user","content":"hi"}]}""");
        assertJson("""
                {"model":"claude-x","messages":[{"role":"user","content":"hi"}],"max_tokens":1024,
                 "temperature":0.70,"top_p":0.9,"stop":["END","STOP"],"user":"u-42"}""", chat);
    }

    @Test
    void systemStringBecomesTheFirstMessage() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"system":"Be brief.","messages":[{"role":"user","content":"hi"}]}""");
        assertJson("""
                [{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]""", chat.get("messages"));
    }

    @Test
    void systemTextBlocksAreJoinedAndLoseCacheControl() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,
                 "system":[{"type":"text","text":"You are Claude Code."},
                           {"type":"text","text":"Use tools.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":"hi"}]}""");
        assertJson("""
                {"role":"system","content":"You are Claude Code.\\n\\nUse tools."}""", chat.get("messages").get(0));
    }

    @Test
    void aSingleTextBlockBecomesAPlainString() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"hello","cache_control":{"type":"ephemeral"}}]}]}""");
        assertJson("""
                [{"role":"user","content":"hello"}]""", chat.get("messages"));
    }

    @Test
    void imagesBecomeImageUrlParts() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"compare"},
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]}""");
        assertJson("""
                [{"role":"user","content":[
                  {"type":"text","text":"compare"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]""", chat.get("messages"));
    }

    @Test
    void anImageFromTheFilesApiIsRefused() {
        IllegalArgumentException e = refusal("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"file","file_id":"file_1"}}]}]}""");
        assertTrue(e.getMessage().startsWith("unsupported_content_block: messages[0].content[0]"), e.getMessage());
    }

    @Test
    void toolResultsBecomeToolMessagesBeforeTheUsersText() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"text","text":"here you go"},
                  {"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"},
                  {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,
                   "content":[{"type":"text","text":"city"},{"type":"text","text":"not found"}]}]}]}""");
        assertJson("""
                [{"role":"tool","tool_call_id":"toolu_1","content":"sunny"},
                 {"role":"tool","tool_call_id":"toolu_2","content":"Error: city\\nnot found"},
                 {"role":"user","content":"here you go"}]""", chat.get("messages"));
    }

    @Test
    void aTurnOfToolResultsOnlyHasNoUserMessage() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"toolu_1"}]}]}""");
        assertJson("""
                [{"role":"tool","tool_call_id":"toolu_1","content":""}]""", chat.get("messages"));
    }

    @Test
    void imagesReturnedByAToolTravelInTheUserMessage() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"toolu_1","content":[
                    {"type":"text","text":"screenshot taken"},
                    {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}]}]}]}""");
        assertJson("""
                [{"role":"tool","tool_call_id":"toolu_1","content":"screenshot taken"},
                 {"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/"}}]}]""",
                chat.get("messages"));
    }

    @Test
    void documentsAreRefused() {
        IllegalArgumentException e = refusal("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBER"}}]}]}""");
        assertTrue(e.getMessage().startsWith("document_not_supported: "), e.getMessage());
    }

    @Test
    void documentsInsideToolResultsAreRefusedToo() {
        IllegalArgumentException e = refusal("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"tool_result","tool_use_id":"t","content":[
                    {"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}]}""");
        assertTrue(e.getMessage().startsWith("document_not_supported: "), e.getMessage());
    }

    @Test
    void assistantTurnsCarryTextToolCallsAndSignedReasoning() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[
                  {"role":"user","content":"weather in Paris and Rome?"},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"Two cities, two calls.","signature":"sig-abc"},
                    {"type":"redacted_thinking","data":"ENCRYPTED"},
                    {"type":"text","text":"Checking both."},
                    {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris","days":2}},
                    {"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Rome"},
                     "cache_control":{"type":"ephemeral"}}]}]}""");
        assertJson("""
                {"role":"assistant","content":"Checking both.",
                 "reasoning_content":"Two cities, two calls.","reasoning_signature":"sig-abc",
                 "tool_calls":[
                   {"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":2}"}},
                   {"id":"toolu_2","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]}""",
                chat.get("messages").get(1));
    }

    @Test
    void anAssistantTurnOfToolCallsOnlyHasNullContent() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"go"},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"run","input":{}}]}]}""");
        ObjectNode assistant = (ObjectNode) chat.get("messages").get(1);
        assertTrue(assistant.get("content").isNull());
        assertEquals("{}", assistant.at("/tool_calls/0/function/arguments").asText());
    }

    @Test
    void anAssistantStringStaysAString() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"},
                  {"role":"assistant","content":"Hello!"}]}""");
        assertJson("""
                {"role":"assistant","content":"Hello!"}""", chat.get("messages").get(1));
    }

    @Test
    void customToolsBecomeFunctionTools() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[
                  {"name":"weather","description":"Current weather",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
                   "cache_control":{"type":"ephemeral"}},
                  {"type":"custom","name":"now","input_schema":{"type":"object"}}]}""");
        assertJson("""
                [{"type":"function","function":{"name":"weather","description":"Current weather",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                 {"type":"function","function":{"name":"now","parameters":{"type":"object"}}}]""", chat.get("tools"));
    }

    @Test
    void serverToolsAreRefusedByName() {
        IllegalArgumentException e = refusal("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[
                  {"name":"weather","input_schema":{"type":"object"}},
                  {"type":"web_search_20250305","name":"web_search","max_uses":3}]}""");
        assertTrue(e.getMessage().startsWith("hosted_tool_not_supported: web_search "), e.getMessage());
    }

    @Test
    void aServerToolWithoutNameIsRefusedByType() {
        IllegalArgumentException e = refusal("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[
                  {"type":"bash_20250124"}]}""");
        assertTrue(e.getMessage().startsWith("hosted_tool_not_supported: bash_20250124 "), e.getMessage());
    }

    @Test
    void serverToolsAreDroppedWhenTheEndpointAllows() {
        ObjectNode chat = translation.toChatRequest(json("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[
                  {"type":"web_search_20250305","name":"web_search"},
                  {"name":"weather","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"any"}}"""), DROP_TOOLS);
        assertEquals(1, chat.get("tools").size());
        assertEquals("weather", chat.at("/tools/0/function/name").asText());
        assertEquals("required", chat.get("tool_choice").asText());
    }

    @Test
    void whenEveryToolIsDroppedSoIsTheToolChoice() {
        ObjectNode chat = translation.toChatRequest(json("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"type":"bash_20250124","name":"bash"}],"tool_choice":{"type":"any"}}"""), DROP_TOOLS);
        assertFalse(chat.has("tools"));
        assertFalse(chat.has("tool_choice"));
    }

    @Test
    void serverToolBlocksInTheHistoryFollowTheSameRule() {
        String request = """
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"news?"},
                  {"role":"assistant","content":[
                    {"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"news"}},
                    {"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]},
                    {"type":"text","text":"Here is the news."}]}]}""";
        IllegalArgumentException e = refusal(request);
        assertTrue(e.getMessage().startsWith("hosted_tool_not_supported: "), e.getMessage());
        ObjectNode chat = translation.toChatRequest(json(request), DROP_TOOLS);
        assertJson("""
                {"role":"assistant","content":"Here is the news."}""", chat.get("messages").get(1));
    }

    @Test
    void toolChoicesMapOneToOne() {
        assertEquals("\"auto\"", toolChoice("{\"type\":\"auto\"}"));
        assertEquals("\"required\"", toolChoice("{\"type\":\"any\"}"));
        assertEquals("\"none\"", toolChoice("{\"type\":\"none\"}"));
        assertEquals("{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}",
                toolChoice("{\"type\":\"tool\",\"name\":\"weather\"}"));
    }

    @Test
    void disablingParallelToolUseTurnsOffParallelToolCalls() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"name":"weather","input_schema":{"type":"object"}}],
                 "tool_choice":{"type":"auto","disable_parallel_tool_use":true}}""");
        assertEquals("auto", chat.get("tool_choice").asText());
        assertFalse(chat.get("parallel_tool_calls").asBoolean(true));
    }

    @Test
    void streamingAsksForTheUsageChunk() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        assertTrue(chat.get("stream").asBoolean());
        assertJson("{\"include_usage\":true}", chat.get("stream_options"));
        ObjectNode notStreaming = toChat("""
                {"model":"m","max_tokens":10,"stream":false,"messages":[{"role":"user","content":"hi"}]}""");
        assertFalse(notStreaming.get("stream").asBoolean());
        assertFalse(notStreaming.has("stream_options"));
    }

    @Test
    void thinkingBudgetBecomesAReasoningEffort() {
        assertEquals("low", effort(1024));
        assertEquals("low", effort(2048));
        assertEquals("medium", effort(2049));
        assertEquals("medium", effort(8192));
        assertEquals("high", effort(8193));
        assertFalse(toChat("""
                {"model":"m","max_tokens":10,"thinking":{"type":"disabled"},
                 "messages":[{"role":"user","content":"hi"}]}""").has("reasoning_effort"));
    }

    @Test
    void aSystemTurnInsideMessagesBecomesASystemMessageAtItsPlace() {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"system":"Be kind","messages":[{"role":"user","content":"hi"},
                 {"role":"system","content":[{"type":"text","text":"Answer in French"}]},
                 {"role":"user","content":"how are you?"}]}""");
        assertEquals("system", chat.at("/messages/0/role").asText());
        assertEquals("Be kind", chat.at("/messages/0/content").asText());
        assertEquals("system", chat.at("/messages/2/role").asText());
        assertEquals("Answer in French", chat.at("/messages/2/content").asText());
        assertEquals("user", chat.at("/messages/3/role").asText());
    }

    @Test
    void malformedRequestsAreRefusedWithACode() {
        assertTrue(refusal("{\"model\":\"m\",\"max_tokens\":1}").getMessage().startsWith("invalid_request: messages"));
        assertTrue(refusal("""
                {"model":"m","max_tokens":1,"messages":[{"role":"tool","content":"x"}]}""")
                .getMessage().startsWith("invalid_request: messages[0].role"));
        assertTrue(refusal("""
                {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"search_result"}]}]}""")
                .getMessage().startsWith("unsupported_content_block: messages[0].content[0]"));
    }

    private String toolChoice(String anthropicChoice) {
        ObjectNode chat = toChat("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"name":"weather","input_schema":{"type":"object"}}],"tool_choice":%s}"""
                .formatted(anthropicChoice));
        assertFalse(chat.has("parallel_tool_calls"));
        return chat.get("tool_choice").toString();
    }

    private String effort(int budget) {
        return toChat("""
                {"model":"m","max_tokens":16000,"thinking":{"type":"enabled","budget_tokens":%d},
                 "messages":[{"role":"user","content":"hi"}]}""".formatted(budget)).get("reasoning_effort").asText();
    }
}
