package org.cameltaas.component.provider.gemini;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Gemini receives for an OpenAI chat request: path, credentials and the translated body. */
class GeminiChatRequestTest extends GeminiTestSupport {

    private JsonNode sent(String openAiRequest) throws Exception {
        Exchange reply = call(uri("chatCompletions", null), openAiRequest);
        assertNull(reply.getException());
        return received().bodyJson();
    }

    @Test
    void callsGenerateContentForTheModelWithTheKeyInAHeaderOnly() throws Exception {
        Exchange reply = call(uri("chatCompletions", "upstreamHeader.X-Trace=t-1"),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertNull(reply.getException());
        RecordedRequest request = received();
        assertEquals("POST", request.method());
        assertEquals("/v1beta/models/gemini-x:generateContent", request.path());
        assertEquals(API_KEY, request.header("x-goog-api-key"));
        assertFalse(request.uri().contains(API_KEY), "the key never travels in the URL");
        assertNull(request.query("key"));
        assertNull(request.header("authorization"));
        assertEquals("t-1", request.header("x-trace"));
        assertEquals("application/json", request.header("content-type"));
        assertEquals("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hello\"}]}]}", request.bodyText());
    }

    @Test
    void aModelNamedTheGeminiWayLosesItsPrefix() throws Exception {
        template.request(uri("chatCompletions", null), e -> {
            e.getMessage().setBody("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            e.getMessage().setHeader(TaasConstants.MODEL, "models/gemini-2.5-flash");
        });
        assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", received().path());
    }

    @Test
    void systemMessagesBecomeTheSystemInstructionAndRolesAlternate() throws Exception {
        JsonNode body = sent("""
                {"messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
                  {"role":"user","content":"Hi"},
                  {"role":"assistant","content":"Bonjour"},
                  {"role":"user","content":"How are you?"},
                  {"role":"user","content":[{"type":"text","text":"And the weather?"}]}
                ]}""");
        assertEquals("{\"parts\":[{\"text\":\"Be brief.\"},{\"text\":\"Answer in French.\"}]}",
                body.get("systemInstruction").toString());
        JsonNode contents = body.get("contents");
        assertEquals(3, contents.size(), "the two user messages in a row are one turn");
        assertEquals("user", contents.at("/0/role").asText());
        assertEquals("model", contents.at("/1/role").asText());
        assertEquals("Bonjour", contents.at("/1/parts/0/text").asText());
        assertEquals("[{\"text\":\"How are you?\"},{\"text\":\"And the weather?\"}]", contents.at("/2/parts").toString());
    }

    @Test
    void imagesAndAudioBecomeInlineDataOrFileReferences() throws Exception {
        JsonNode body = sent("""
                {"messages":[{"role":"user","content":[
                  {"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.webp?size=large"}},
                  {"type":"image_url","image_url":{"url":"https://example.com/render"}},
                  {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}
                ]}]}""");
        JsonNode parts = body.at("/contents/0/parts");
        assertEquals("What is this?", parts.at("/0/text").asText());
        assertEquals("{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}", parts.get(1).toString());
        assertEquals("{\"fileData\":{\"mimeType\":\"image/webp\",\"fileUri\":\"https://example.com/cat.webp?size=large\"}}",
                parts.get(2).toString());
        assertEquals("image/jpeg", parts.at("/3/fileData/mimeType").asText(), "no extension: the default image type");
        assertEquals("{\"inlineData\":{\"mimeType\":\"audio/wav\",\"data\":\"UklGRg==\"}}", parts.get(4).toString());
    }

    @Test
    void toolsAreDeclaredWithSchemasGeminiAccepts() throws Exception {
        JsonNode body = sent("""
                {"messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather by city","strict":true,
                   "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                     "additionalProperties":false,
                     "properties":{
                       "city":{"type":"string"},
                       "strict":{"type":"boolean","description":"a property that happens to be called strict"},
                       "where":{"type":"object","additionalProperties":false,"properties":{"lat":{"type":"number"}}},
                       "days":{"type":"array","items":{"type":"object","additionalProperties":{"type":"string"}}}},
                     "required":["city"]}}},
                   {"type":"function","function":{"name":"now"}}],
                 "tool_choice":"required"}""");
        JsonNode declarations = body.at("/tools/0/functionDeclarations");
        assertEquals(2, declarations.size());
        JsonNode weather = declarations.get(0);
        assertEquals("get_weather", weather.get("name").asText());
        assertEquals("Weather by city", weather.get("description").asText());
        assertFalse(weather.has("strict"));
        assertEquals("""
                {"type":"object","properties":{"city":{"type":"string"},\
                "strict":{"type":"boolean","description":"a property that happens to be called strict"},\
                "where":{"type":"object","properties":{"lat":{"type":"number"}}},\
                "days":{"type":"array","items":{"type":"object"}}},"required":["city"]}""",
                weather.get("parameters").toString());
        assertEquals("{\"name\":\"now\"}", declarations.get(1).toString());
        assertEquals("{\"functionCallingConfig\":{\"mode\":\"ANY\"}}", body.get("toolConfig").toString());
    }

    @Test
    void eachToolChoiceHasItsFunctionCallingMode() throws Exception {
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]";
        Map<String, String> expected = Map.of(
                "\"auto\"", "{\"mode\":\"AUTO\"}",
                "\"none\"", "{\"mode\":\"NONE\"}",
                "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}", "{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"f\"]}");
        for (Map.Entry<String, String> choice : expected.entrySet()) {
            JsonNode body = sent("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + tools + ",\"tool_choice\":"
                    + choice.getKey() + "}");
            assertEquals(choice.getValue(), body.at("/toolConfig/functionCallingConfig").toString(), choice.getKey());
        }
    }

    @Test
    void toolCallsAndTheirResultsKeepTheFunctionNames() throws Exception {
        JsonNode body = sent("""
                {"messages":[
                  {"role":"user","content":"Weather in Paris and the time?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"days\\":2}"}},
                    {"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]},
                  {"role":"tool","tool_call_id":"call_b","content":"12:00"},
                  {"role":"tool","tool_call_id":"call_a","content":"{\\"temp\\":21}"},
                  {"role":"user","content":"Thanks"}
                ]}""");
        JsonNode contents = body.get("contents");
        assertEquals(3, contents.size(), "the tool results and the next user message share the user turn");
        assertEquals("model", contents.at("/1/role").asText());
        assertEquals("[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\",\"days\":2}}},"
                + "{\"functionCall\":{\"name\":\"get_time\",\"args\":{}}}]", contents.at("/1/parts").toString());
        assertEquals("user", contents.at("/2/role").asText());
        assertEquals("[{\"functionResponse\":{\"name\":\"get_time\",\"response\":{\"result\":\"12:00\"}}},"
                + "{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"temp\":21}}},"
                + "{\"text\":\"Thanks\"}]", contents.at("/2/parts").toString());
    }

    @Test
    void unparsableToolArgumentsFailBeforeAnythingIsSent() {
        Exchange reply = call(uri("chatCompletions", null), """
                {"messages":[{"role":"user","content":"x"},
                  {"role":"assistant","tool_calls":[{"id":"call_9","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}""");
        IllegalArgumentException error = assertInstanceOf(IllegalArgumentException.class, reply.getException());
        assertTrue(error.getMessage().contains("call_9") && error.getMessage().contains("f"), error.getMessage());
        assertEquals(0, upstream.requestCount());
    }

    @Test
    void aToolResultForAnUnknownCallFailsBeforeAnythingIsSent() {
        Exchange reply = call(uri("chatCompletions", null),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"tool\",\"tool_call_id\":\"call_x\",\"content\":\"1\"}]}");
        assertInstanceOf(IllegalArgumentException.class, reply.getException());
        assertEquals(0, upstream.requestCount());
    }

    @Test
    void samplingOptionsGoToGenerationConfigExactlyAndTheRestIsDropped() throws Exception {
        Exchange reply = call(uri("chatCompletions", null), """
                {"messages":[{"role":"user","content":"x"}],"temperature":0.70,"top_p":0.9,"max_tokens":100,
                 "stop":"END","n":2,"presence_penalty":0.5,"frequency_penalty":-0.25,"seed":42,
                 "user":"u-1","logit_bias":{"50256":-100},"parallel_tool_calls":false}""");
        assertNull(reply.getException());
        String text = received().bodyText();
        assertTrue(text.contains("\"temperature\":0.70,"), "numbers keep the caller's exact form: " + text);
        JsonNode body = Json.parse(text);
        assertEquals("{\"temperature\":0.70,\"topP\":0.9,\"candidateCount\":2,\"presencePenalty\":0.5,"
                + "\"frequencyPenalty\":-0.25,\"seed\":42,\"maxOutputTokens\":100,\"stopSequences\":[\"END\"]}",
                body.get("generationConfig").toString());
        assertEquals(2, body.size(), "contents and generationConfig only: " + body);
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() throws Exception {
        JsonNode body = sent("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":10,"
                + "\"max_completion_tokens\":20,\"stop\":[\"a\",\"b\"]}");
        assertEquals(20, body.at("/generationConfig/maxOutputTokens").asInt());
        assertEquals("[\"a\",\"b\"]", body.at("/generationConfig/stopSequences").toString());
    }

    @Test
    void jsonModeAndJsonSchema() throws Exception {
        JsonNode jsonMode = sent("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"response_format\":{\"type\":\"json_object\"}}");
        assertEquals("{\"responseMimeType\":\"application/json\"}", jsonMode.get("generationConfig").toString());

        JsonNode schema = sent("""
                {"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema","json_schema":
                  {"name":"answer","strict":true,"schema":{"type":"object","additionalProperties":false,
                    "properties":{"answer":{"type":"string"}},"required":["answer"]}}}}""");
        assertEquals("{\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"object\","
                + "\"properties\":{\"answer\":{\"type\":\"string\"}},\"required\":[\"answer\"]}}",
                schema.get("generationConfig").toString());
    }

    @Test
    void reasoningEffortBecomesAThinkingBudget() throws Exception {
        Map<String, Integer> budgets = Map.of("low", 1024, "medium", 8192, "high", 24576);
        for (Map.Entry<String, Integer> effort : budgets.entrySet()) {
            JsonNode body = sent("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"reasoning_effort\":\""
                    + effort.getKey() + "\"}");
            assertEquals("{\"thinkingBudget\":" + effort.getValue() + ",\"includeThoughts\":true}",
                    body.at("/generationConfig/thinkingConfig").toString(), effort.getKey());
        }
    }

    @Test
    void earlierThoughtsAndTheirSignatureGoBackFirstInTheModelTurn() throws Exception {
        JsonNode body = sent("""
                {"messages":[{"role":"user","content":"6*7?"},
                  {"role":"assistant","content":"42","reasoning_content":"six sevens","reasoning_signature":"c2ln"},
                  {"role":"user","content":"and 6*8?"}]}""");
        assertEquals("[{\"text\":\"six sevens\",\"thought\":true,\"thoughtSignature\":\"c2ln\"},{\"text\":\"42\"}]",
                body.at("/contents/1/parts").toString());
    }

    @Test
    void theGeminiObjectIsMergedIntoTheBodyAsItIs() throws Exception {
        JsonNode body = sent("""
                {"messages":[{"role":"user","content":"x"}],"temperature":0.2,
                 "gemini":{"safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}],
                           "generationConfig":{"topK":40}}}""");
        assertEquals("{\"temperature\":0.2,\"topK\":40}", body.get("generationConfig").toString());
        assertEquals("BLOCK_NONE", body.at("/safetySettings/0/threshold").asText());
        assertFalse(body.has("gemini"));
    }
}
