package org.cameltaas.component.provider.anthropic;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the upstream receives for OpenAI chat requests: the Anthropic Messages body and headers. */
class AnthropicRequestTranslationTest extends AnthropicTestSupport {

    private Exchange chat(String singleQuotedBody) {
        Exchange reply = call(chatUri(null), json(singleQuotedBody));
        assertNull(reply.getException(), () -> "unexpected " + reply.getException());
        return reply;
    }

    @Test
    void sendsTheMessagesRequestWithAnthropicHeadersAndNoBearerToken() {
        chat("{'model':'alias','messages':[{'role':'user','content':'hi'}]}");
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("POST", sent.method());
        assertEquals("/v1/messages", sent.path());
        assertEquals(API_KEY, sent.header("x-api-key"));
        assertEquals("2023-06-01", sent.header("anthropic-version"));
        assertEquals("application/json", sent.header("content-type"));
        assertEquals("application/json", sent.header("accept"));
        assertNull(sent.header("authorization"), "Anthropic authenticates with x-api-key only");
        assertEquals(json("{'model':'claude-x','max_tokens':4096,'messages':[{'role':'user','content':'hi'}]}"),
                sent.bodyText(), "the endpoint's model, the default max_tokens, nothing OpenAI-only");
    }

    @Test
    void callerHeadersReplaceOursWithoutDuplicates() {
        call(chatUri("upstreamHeader.Anthropic-Version=2099-01-01"), json("{'messages':[{'role':'user','content':'hi'}]}"),
                Map.of(TaasConstants.UPSTREAM_HEADERS, Map.of("anthropic-beta", "prompt-caching-2024-07-31")));
        RecordedRequest sent = upstream.lastRequest();
        assertEquals(java.util.List.of("2099-01-01"), sent.headers().get("anthropic-version"));
        assertEquals("prompt-caching-2024-07-31", sent.header("anthropic-beta"));
    }

    @Test
    void noApiKeyMeansNoKeyHeader() {
        String uri = "taas:chatCompletions?provider=anthropic&model=claude-x&baseUrl=" + upstream.baseUrl() + "/v1";
        assertNull(call(uri, json("{'messages':[{'role':'user','content':'hi'}]}")).getException());
        assertNull(upstream.lastRequest().header("x-api-key"));
    }

    @Test
    void systemAndDeveloperMessagesBecomeTheSystemPromptAndTurnsAlternate() throws Exception {
        chat("{'messages':[{'role':'system','content':'Be brief.'},"
             + "{'role':'user','content':'first'},{'role':'user','content':[{'type':'text','text':'second'}]},"
             + "{'role':'assistant','content':'answer'},"
             + "{'role':'developer','content':[{'type':'text','text':'Use French.','cache_control':{'type':'ephemeral'}}]},"
             + "{'role':'user','content':'third'}]}");
        JsonNode sent = sentBody();
        assertEquals(parse("[{'type':'text','text':'Be brief.'},"
                           + "{'type':'text','text':'Use French.','cache_control':{'type':'ephemeral'}}]"), sent.get("system"));
        assertEquals(parse("[{'role':'user','content':[{'type':'text','text':'first'},{'type':'text','text':'second'}]},"
                           + "{'role':'assistant','content':'answer'},{'role':'user','content':'third'}]"),
                sent.get("messages"));
    }

    @Test
    void oneSystemMessageIsAPlainString() throws Exception {
        chat("{'messages':[{'role':'system','content':[{'type':'text','text':'Be brief.'}]},{'role':'user','content':'q'}]}");
        assertEquals("Be brief.", sentBody().get("system").asText());
    }

    @Test
    void imagesByUrlAndByDataUrl() throws Exception {
        chat("{'messages':[{'role':'user','content':[{'type':'text','text':'compare'},"
             + "{'type':'image_url','image_url':{'url':'https://example.com/cat.png','detail':'high'}},"
             + "{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0KGgo='}}]}]}");
        assertEquals(parse("[{'type':'text','text':'compare'},"
                           + "{'type':'image','source':{'type':'url','url':'https://example.com/cat.png'}},"
                           + "{'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBORw0KGgo='}}]"),
                sentBody().at("/messages/0/content"));
    }

    @Test
    void toolsAndToolChoice() throws Exception {
        chat("{'messages':[{'role':'user','content':'weather?'}],"
             + "'tools':[{'type':'function','function':{'name':'get_weather','description':'Weather of a city',"
             + "'parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']},'strict':true}},"
             + "{'type':'function','function':{'name':'now'}}],"
             + "'tool_choice':{'type':'function','function':{'name':'get_weather'}},'parallel_tool_calls':false}");
        JsonNode sent = sentBody();
        assertEquals(parse("[{'name':'get_weather','description':'Weather of a city',"
                           + "'input_schema':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}},"
                           + "{'name':'now','input_schema':{'type':'object'}}]"), sent.get("tools"));
        assertEquals(parse("{'type':'tool','name':'get_weather','disable_parallel_tool_use':true}"), sent.get("tool_choice"));
        assertFalse(sent.has("parallel_tool_calls"));
    }

    @Test
    void toolChoiceStrings() throws Exception {
        String tools = ",'tools':[{'type':'function','function':{'name':'f'}}]";
        for (String[] pair : new String[][] {{"auto", "auto"}, {"required", "any"}, {"none", "none"}}) {
            chat("{'messages':[{'role':'user','content':'x'}]" + tools + ",'tool_choice':'" + pair[0] + "'}");
            assertEquals(parse("{'type':'" + pair[1] + "'}"), sentBody().get("tool_choice"));
        }
        chat("{'messages':[{'role':'user','content':'x'}]" + tools + ",'parallel_tool_calls':false}");
        assertEquals(parse("{'type':'auto','disable_parallel_tool_use':true}"), sentBody().get("tool_choice"));
    }

    @Test
    void toolCallsAndToolResultsRoundTrip() throws Exception {
        chat("{'messages':[{'role':'user','content':'weather in Paris and Rome?'},"
             + "{'role':'assistant','content':null,'tool_calls':["
             + "{'id':'toolu_1','type':'function','function':{'name':'get_weather','arguments':'{\\\"city\\\":\\\"Paris\\\",\\\"days\\\":2.50}'}},"
             + "{'id':'toolu_2','type':'function','function':{'name':'get_weather','arguments':'{\\\"city\\\":\\\"Rome\\\"}'}}]},"
             + "{'role':'tool','tool_call_id':'toolu_1','content':'sunny'},"
             + "{'role':'tool','tool_call_id':'toolu_2','content':[{'type':'text','text':'rainy'}]},"
             + "{'role':'user','content':'thanks, summarise'}]}");
        JsonNode messages = sentBody().get("messages");
        assertEquals(3, messages.size(), "the tool results and the next user message form one user turn");
        assertEquals(parse("{'role':'assistant','content':["
                           + "{'type':'tool_use','id':'toolu_1','name':'get_weather','input':{'city':'Paris','days':2.50}},"
                           + "{'type':'tool_use','id':'toolu_2','name':'get_weather','input':{'city':'Rome'}}]}"),
                messages.get(1));
        assertEquals(parse("{'role':'user','content':["
                           + "{'type':'tool_result','tool_use_id':'toolu_1','content':'sunny'},"
                           + "{'type':'tool_result','tool_use_id':'toolu_2','content':[{'type':'text','text':'rainy'}]},"
                           + "{'type':'text','text':'thanks, summarise'}]}"), messages.get(2));
        assertTrue(upstream.lastRequest().bodyText().contains("\"days\":2.50"), "argument numbers keep their exact form");
    }

    @Test
    void signedReasoningOfAnEarlierAnswerGoesBackAsAThinkingBlock() throws Exception {
        chat("{'messages':[{'role':'user','content':'q'},"
             + "{'role':'assistant','content':'a','reasoning_content':'let me think','reasoning_signature':'c2ln'},"
             + "{'role':'assistant','content':'b','reasoning_content':'unsigned thoughts from elsewhere'},"
             + "{'role':'user','content':'q2'}]}");
        assertEquals(parse("[{'type':'thinking','thinking':'let me think','signature':'c2ln'},"
                           + "{'type':'text','text':'a'},{'type':'text','text':'b'}]"), sentBody().at("/messages/1/content"));
    }

    @Test
    void samplingStopAndLimits() throws Exception {
        chat("{'messages':[{'role':'user','content':'x'}],'max_tokens':300,'temperature':1.7,'top_p':0.90,"
             + "'stop':'END','user':'u-42','seed':7,'frequency_penalty':0.5,'logprobs':true,'n':1}");
        JsonNode sent = sentBody();
        assertEquals(300, sent.get("max_tokens").asInt());
        assertEquals("1", sent.get("temperature").toString(), "Anthropic's temperature goes up to 1");
        assertTrue(upstream.lastRequest().bodyText().contains("\"top_p\":0.90"));
        assertEquals(parse("['END']"), sent.get("stop_sequences"));
        assertEquals(parse("{'user_id':'u-42'}"), sent.get("metadata"));
        for (String dropped : new String[] {"seed", "frequency_penalty", "logprobs", "n", "user", "stop"}) {
            assertFalse(sent.has(dropped), dropped + " has no Anthropic counterpart");
        }

        chat("{'messages':[{'role':'user','content':'x'}],'max_completion_tokens':77,'max_tokens':5,'temperature':0.70,"
             + "'stop':['a','b'],'metadata':{'user_id':'m-1','session':'s'}}");
        sent = sentBody();
        assertEquals(77, sent.get("max_tokens").asInt(), "max_completion_tokens wins");
        assertTrue(upstream.lastRequest().bodyText().contains("\"temperature\":0.70"), "numbers keep their exact form");
        assertEquals(parse("['a','b']"), sent.get("stop_sequences"));
        assertEquals(parse("{'user_id':'m-1'}"), sent.get("metadata"));
    }

    @Test
    void reasoningEffortBecomesThinkingWithRoomForTheAnswer() throws Exception {
        chat("{'messages':[{'role':'user','content':'x'}],'reasoning_effort':'medium','max_completion_tokens':1000}");
        JsonNode sent = sentBody();
        assertEquals(parse("{'type':'enabled','budget_tokens':4096}"), sent.get("thinking"));
        assertEquals(5096, sent.get("max_tokens").asInt(), "max_tokens must exceed the budget");
        assertFalse(sent.has("reasoning_effort"));

        chat("{'messages':[{'role':'user','content':'x'}],'reasoning_effort':'high','max_tokens':20000}");
        assertEquals(16384, sentBody().at("/thinking/budget_tokens").asInt());
        assertEquals(20000, sentBody().get("max_tokens").asInt(), "already above the budget: unchanged");

        chat("{'messages':[{'role':'user','content':'x'}],'reasoning_effort':'low'}");
        assertEquals(1024, sentBody().at("/thinking/budget_tokens").asInt());
        assertEquals(4096, sentBody().get("max_tokens").asInt());
    }

    @Test
    void jsonModeBecomesASystemInstruction() throws Exception {
        chat("{'messages':[{'role':'user','content':'x'}],'response_format':{'type':'json_object'}}");
        String system = sentBody().get("system").asText();
        assertTrue(system.contains("JSON object"), system);
        assertFalse(sentBody().has("response_format"));

        chat("{'messages':[{'role':'system','content':'You extract.'},{'role':'user','content':'x'}],"
             + "'response_format':{'type':'json_schema','json_schema':{'name':'person','schema':"
             + "{'type':'object','properties':{'name':{'type':'string'}}}}}}");
        JsonNode blocks = sentBody().get("system");
        assertEquals(2, blocks.size(), "the caller's system prompt stays a block of its own");
        assertEquals("You extract.", blocks.at("/0/text").asText());
        assertTrue(blocks.at("/1/text").asText().endsWith(json("{'type':'object','properties':{'name':{'type':'string'}}}")),
                blocks.at("/1/text").asText());
    }

    @Test
    void anthropicFieldsPassThroughTheEscapeHatch() throws Exception {
        chat("{'messages':[{'role':'user','content':'x'}],'anthropic_top_k':40,"
             + "'anthropic':{'service_tier':'standard_only','thinking':{'type':'enabled','budget_tokens':2048}}}");
        JsonNode sent = sentBody();
        assertEquals(40, sent.get("top_k").asInt());
        assertEquals("standard_only", sent.get("service_tier").asText());
        assertEquals(2048, sent.at("/thinking/budget_tokens").asInt());
        assertFalse(sent.has("anthropic") || sent.has("anthropic_top_k"));
    }

    @Test
    void streamedRequestsAskForEventsAndLeaveOpenAiStreamOptionsOut() {
        call(chatUri("stream=true"), json("{'messages':[{'role':'user','content':'x'}]}"));
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("text/event-stream", sent.header("accept"));
        assertTrue(sent.bodyJson().get("stream").asBoolean());
        assertFalse(sent.bodyJson().has("stream_options"));
    }

    @Test
    void audioIsRefusedBeforeAnythingIsSent() {
        Exchange reply = call(chatUri(null), json("{'messages':[{'role':'user','content':[{'type':'input_audio',"
                                                  + "'input_audio':{'data':'UklGRg==','format':'wav'}}]}]}"));
        IllegalArgumentException error = assertInstanceOf(IllegalArgumentException.class, reply.getException());
        assertTrue(error.getMessage().startsWith("audio_not_supported_by_model: "), error.getMessage());
        assertEquals(0, upstream.requestCount());
    }

    @Test
    void invalidToolArgumentsAreRefusedNamingTheCall() {
        Exchange reply = call(chatUri(null), json("{'messages':[{'role':'user','content':'q'},{'role':'assistant',"
                + "'tool_calls':[{'id':'call_bad','type':'function','function':{'name':'f','arguments':'{\\\"a\\\":'}}]},"
                + "{'role':'tool','tool_call_id':'call_bad','content':'x'}]}"));
        IllegalArgumentException error = assertInstanceOf(IllegalArgumentException.class, reply.getException());
        assertTrue(error.getMessage().startsWith("invalid_tool_arguments: "), error.getMessage());
        assertTrue(error.getMessage().contains("call_bad"), error.getMessage());
        assertEquals(0, upstream.requestCount());
    }
}
