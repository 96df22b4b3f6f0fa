package org.cameltaas.component.provider.anthropic;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasNonRetryableException;
import org.cameltaas.component.TaasRetryableException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The translations on JSON literals, for the cases the fake upstream does not produce. */
class AnthropicTranslationUnitTest {

    private static JsonNode parse(String singleQuoted) throws Exception {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private static JsonNode translate(String singleQuotedChat) throws Exception {
        return ChatRequestTranslator.translate(parse(singleQuotedChat), "claude-x", false);
    }

    private static String refusal(String singleQuotedChat) {
        return assertThrows(IllegalArgumentException.class, () -> translate(singleQuotedChat)).getMessage();
    }

    @Test
    void toolArgumentsMustBeAJsonObjectButMayBeEmpty() throws Exception {
        String call = "{'messages':[{'role':'assistant','tool_calls':[{'id':'c1','type':'function',"
                      + "'function':{'name':'f','arguments':%s}}]}]}";
        assertEquals(parse("{}"), translate(call.formatted("''")).at("/messages/0/content/0/input"),
                "a tool without parameters streams no argument text at all");
        assertTrue(refusal(call.formatted("'{}garbage'")).startsWith("invalid_tool_arguments: tool call c1"));
        assertTrue(refusal(call.formatted("'[1,2]'")).contains("not a JSON object"));
    }

    @Test
    void refusalsCarryACode() {
        assertTrue(refusal("{'n':2,'messages':[]}").startsWith("n_not_supported: "));
        assertTrue(refusal("{'messages':[{'role':'function','content':'x'}]}").startsWith("unsupported_role: "));
        assertTrue(refusal("{'messages':[],'reasoning_effort':'extreme'}").startsWith("invalid_reasoning_effort: "));
        assertTrue(refusal("{'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'ftp://x/y.png'}}]}]}")
                .startsWith("invalid_image_url: "));
        assertTrue(refusal("{'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png,abc'}}]}]}")
                .startsWith("invalid_data_url: "));
        assertTrue(refusal("{'messages':[{'role':'system','content':[{'type':'image_url','image_url':{'url':'https://x/y.png'}}]}]}")
                .startsWith("unsupported_content_part: "));
        assertTrue(refusal("{'messages':[],'tools':[{'type':'custom','custom':{'name':'x'}}]}")
                .startsWith("unsupported_tool_type: "));
        assertTrue(refusal("{'messages':[],'tools':[{'type':'function','function':{'name':'f'}}],'tool_choice':'sometimes'}")
                .startsWith("invalid_tool_choice: "));
        assertTrue(refusal("{'messages':[],'response_format':{'type':'yaml'}}").startsWith("invalid_response_format: "));
        assertTrue(refusal("{'messages':[{'role':'tool','content':'x'}]}").startsWith("invalid_tool_message: "));
    }

    @Test
    void filePartsWithInlineDataBecomeDocuments() throws Exception {
        JsonNode body = translate("{'messages':[{'role':'user','content':[{'type':'file','file':"
                                  + "{'filename':'a.pdf','file_data':'data:application/pdf;base64,JVBERi0='}}]}]}");
        assertEquals(parse("[{'type':'document','source':{'type':'base64','media_type':'application/pdf',"
                           + "'data':'JVBERi0='},'title':'a.pdf'}]"), body.at("/messages/0/content"));
        assertTrue(refusal("{'messages':[{'role':'user','content':[{'type':'file','file':{'file_id':'file-1'}}]}]}")
                .startsWith("unsupported_file: "));
    }

    @Test
    void toolResultsLeadTheirUserTurn() throws Exception {
        JsonNode body = translate("{'messages':[{'role':'user','content':'look this up'},"
                                  + "{'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}}]},"
                                  + "{'role':'user','content':'also, hurry'},{'role':'tool','tool_call_id':'c1','content':'found'}]}");
        assertEquals(parse("[{'type':'tool_result','tool_use_id':'c1','content':'found'},{'type':'text','text':'also, hurry'}]"),
                body.at("/messages/2/content"));
    }

    @Test
    void emptyAssistantMessagesAreLeftOutAndTheTurnsAroundThemMerge() throws Exception {
        JsonNode body = translate("{'messages':[{'role':'user','content':'a'},{'role':'assistant','content':''},"
                                  + "{'role':'user','content':'b'}]}");
        assertEquals(parse("[{'role':'user','content':[{'type':'text','text':'a'},{'type':'text','text':'b'}]}]"),
                body.get("messages"));
    }

    @Test
    void nothingOpenAiOnlyReachesAnthropic() throws Exception {
        JsonNode body = translate("{'model':'alias','messages':[{'role':'user','content':'x'}],'stream':true,"
                                  + "'stream_options':{'include_usage':true},'presence_penalty':1,'logit_bias':{'1':2},"
                                  + "'service_tier':'auto','store':true,'modalities':['text'],'response_format':{'type':'text'}}");
        assertEquals(parse("{'model':'claude-x','max_tokens':4096,'messages':[{'role':'user','content':'x'}]}"), body,
                "stream follows the request's stream flag, not the body's");
    }

    @Test
    void jsonSchemaWithoutSchemaStillAsksForJson() throws Exception {
        JsonNode body = translate("{'messages':[{'role':'user','content':'x'}],'response_format':{'type':'json_schema','json_schema':{'name':'n'}}}");
        assertTrue(body.get("system").asText().contains("JSON object"));
    }

    @Test
    void modelDatesReadAsEpochSeconds() {
        assertEquals(1759104000L, ModelListTranslator.epochSeconds("2025-09-29T00:00:00Z"));
        assertEquals(0L, ModelListTranslator.epochSeconds("yesterday"));
        assertEquals(0L, ModelListTranslator.epochSeconds(null));
    }

    @Test
    void streamMapperKeepsToolIndexesApartFromBlockIndexesAndCountsCacheTokens() throws Exception {
        ChatChunkStreamMapper mapper = new ChatChunkStreamMapper("anthropic", "claude-x", true);
        List<SseEvent> out = new ArrayList<>();
        mapper.map(event("message_start", "{'type':'message_start','message':{'id':'msg_9','model':'claude-y',"
                + "'usage':{'input_tokens':5,'cache_read_input_tokens':100,'cache_creation_input_tokens':7,'output_tokens':1}}}"), out::add);
        assertFalse(mapper.hasContent(), "the role chunk is not content");
        mapper.map(event("content_block_start", "{'type':'content_block_start','index':0,'content_block':{'type':'thinking','thinking':''}}"), out::add);
        mapper.map(event("content_block_delta", "{'type':'content_block_delta','index':0,'delta':{'type':'thinking_delta','thinking':'hmm'}}"), out::add);
        assertTrue(mapper.hasContent());
        mapper.map(event("content_block_stop", "{'type':'content_block_stop','index':0}"), out::add);
        mapper.map(event("content_block_start", "{'type':'content_block_start','index':1,'content_block':"
                + "{'type':'tool_use','id':'toolu_a','name':'f','input':{}}}"), out::add);
        mapper.map(event("content_block_delta", "{'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta','partial_json':''}}"), out::add);
        mapper.map(event("content_block_delta", "{'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta','partial_json':'{}'}}"), out::add);
        mapper.map(event("some_future_event", "{'type':'some_future_event'}"), out::add);
        mapper.map(event("message_delta", "{'type':'message_delta','delta':{'stop_reason':'tool_use'},"
                + "'usage':{'input_tokens':6,'output_tokens':30}}"), out::add);
        mapper.map(event("message_stop", "{'type':'message_stop'}"), out::add);

        assertEquals(7, out.size(), "role, thinking, tool start, one argument delta, finish, usage, [DONE]");
        assertEquals("claude-y", out.get(0).json().get("model").asText());
        assertEquals(parse("[{'index':0,'id':'toolu_a','type':'function','function':{'name':'f','arguments':''}}]"),
                out.get(2).json().at("/choices/0/delta/tool_calls"));
        assertEquals(parse("[{'index':0,'function':{'arguments':'{}'}}]"), out.get(3).json().at("/choices/0/delta/tool_calls"));
        assertEquals("tool_calls", out.get(4).json().at("/choices/0/finish_reason").asText());
        assertEquals(parse("{'prompt_tokens':113,'completion_tokens':30,'total_tokens':143,"
                           + "'prompt_tokens_details':{'cached_tokens':100}}"), out.get(5).json().get("usage"));
        assertTrue(out.get(6).isDone());
        assertTrue(mapper.isFinished());
        assertEquals(new TaasUsage(113, 30, 143, 100, 0), mapper.usage());
    }

    @Test
    void streamErrorsAreRetryableOnlyBeforeContentAndWhenTransient() throws Exception {
        String overloaded = "{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}";
        ChatChunkStreamMapper early = new ChatChunkStreamMapper("anthropic", "m", false);
        assertInstanceOf(TaasRetryableException.class,
                assertThrows(Exception.class, () -> early.map(event("error", overloaded), e -> { })));

        ChatChunkStreamMapper late = new ChatChunkStreamMapper("anthropic", "m", false);
        late.map(event("content_block_delta", "{'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'a'}}"), e -> { });
        assertInstanceOf(TaasNonRetryableException.class,
                assertThrows(Exception.class, () -> late.map(event("error", overloaded), e -> { })));

        ChatChunkStreamMapper invalid = new ChatChunkStreamMapper("anthropic", "m", false);
        assertInstanceOf(TaasNonRetryableException.class, assertThrows(Exception.class, () -> invalid.map(
                event("error", "{'type':'error','error':{'type':'invalid_request_error','message':'no'}}"), e -> { })));
    }

    private static SseEvent event(String name, String singleQuotedData) {
        return new SseEvent(name, singleQuotedData.replace('\'', '"'), null);
    }
}
