package org.cameltaas.component.protocol.responses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasNonRetryableException;
import org.cameltaas.component.TaasRetryableException;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.provider.StreamMapper;
import org.junit.jupiter.api.Test;

import static org.cameltaas.component.protocol.responses.JsonAssertions.assertJson;
import static org.cameltaas.component.protocol.responses.JsonAssertions.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponsesViaChatStreamTest {

    private static final String REQUEST = """
            {"model":"gpt-4o","input":"Weather in Paris and Rome?","stream":true,
             "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}""";

    private final ObjectNode request = json(REQUEST);
    private final StreamMapper mapper = new ResponsesViaChat().fromChatStream(request, "openai");
    private final List<SseEvent> events = new ArrayList<>();

    /** A chunk of the chat stream "chatcmpl-s1" with this delta and finish_reason. */
    private static String chunk(String delta, String finishReason) {
        return """
                {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000100,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"delta":%s,"finish_reason":%s}]}"""
                .formatted(delta, finishReason == null ? "null" : "\"" + finishReason + "\"");
    }

    private static String delta(String delta) {
        return chunk(delta, null);
    }

    private static final String USAGE_CHUNK = """
            {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1700000100,"model":"gpt-4o-2024-08-06",
             "choices":[],"usage":{"prompt_tokens":50,"completion_tokens":30,"total_tokens":80,
             "prompt_tokens_details":{"cached_tokens":10},"completion_tokens_details":{"reasoning_tokens":0}}}""";

    private void feed(String... chunks) throws TaasUpstreamException {
        for (String data : chunks) {
            mapper.map(SseEvent.data(data), events::add);
        }
    }

    private List<String> types() {
        return events.stream().map(SseEvent::event).toList();
    }

    private JsonNode data(int i) throws Exception {
        return events.get(i).json();
    }

    private List<JsonNode> ofType(String type) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (SseEvent event : events) {
            if (type.equals(event.event())) {
                found.add(event.json());
            }
        }
        return found;
    }

    @Test
    void textAndTwoParallelToolCallsBecomeTheResponsesEventSequence() throws Exception {
        feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"));
        assertFalse(mapper.hasContent(), "the role chunk carries no content");
        feed(delta("{\"content\":\"Checking \"}"),
                delta("{\"content\":\"both cities.\"}"),
                delta("""
                        {"tool_calls":[{"index":0,"id":"call_paris","type":"function",
                          "function":{"name":"get_weather","arguments":""}}]}"""),
                delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"),
                delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}"),
                delta("""
                        {"tool_calls":[{"index":1,"id":"call_rome","type":"function",
                          "function":{"name":"get_weather","arguments":""}}]}"""),
                delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Ro\"}}]}"),
                delta("{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"me\\\"}\"}}]}"),
                chunk("{}", "tool_calls"),
                USAGE_CHUNK);
        assertFalse(mapper.isFinished());
        feed("[DONE]");

        assertEquals(List.of(
                "response.created",
                "response.in_progress",
                "response.output_item.added",
                "response.content_part.added",
                "response.output_text.delta",
                "response.output_text.delta",
                "response.output_text.done",
                "response.content_part.done",
                "response.output_item.done",
                "response.output_item.added",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.done",
                "response.output_item.done",
                "response.output_item.added",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.delta",
                "response.function_call_arguments.done",
                "response.output_item.done",
                "response.completed"), types());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(events.get(i).event(), data(i).get("type").asText(), "type in the data too");
            assertEquals(i, data(i).get("sequence_number").asInt(), "sequence_number of event " + i);
        }
        assertIdsConsistent();

        assertJson("""
                {"id":"resp_s1","object":"response","created_at":1700000100,"status":"in_progress",
                 "model":"gpt-4o-2024-08-06","output":[],"usage":null}""",
                subset(data(0).get("response"), "id", "object", "created_at", "status", "model", "output", "usage"));

        StringBuilder text = new StringBuilder();
        for (JsonNode delta : ofType("response.output_text.delta")) {
            assertEquals(0, delta.get("content_index").asInt());
            assertTrue(delta.get("logprobs").isArray());
            text.append(delta.get("delta").asText());
        }
        assertEquals("Checking both cities.", text.toString());
        assertEquals("Checking both cities.", ofType("response.output_text.done").get(0).get("text").asText());

        Map<String, StringBuilder> arguments = new HashMap<>();
        for (JsonNode delta : ofType("response.function_call_arguments.delta")) {
            arguments.computeIfAbsent(delta.get("item_id").asText(), id -> new StringBuilder())
                    .append(delta.get("delta").asText());
        }
        assertEquals("{\"city\":\"Paris\"}", arguments.get("fc_s1_1").toString());
        assertEquals("{\"city\":\"Rome\"}", arguments.get("fc_s1_2").toString());
        List<JsonNode> argumentsDone = ofType("response.function_call_arguments.done");
        assertEquals("{\"city\":\"Paris\"}", argumentsDone.get(0).get("arguments").asText());
        assertEquals("{\"city\":\"Rome\"}", argumentsDone.get(1).get("arguments").asText());

        JsonNode added = ofType("response.output_item.added").get(1).get("item");
        assertJson("""
                {"type":"function_call","id":"fc_s1_1","call_id":"call_paris","name":"get_weather","arguments":"",
                 "status":"in_progress"}""", added);

        JsonNode completed = data(events.size() - 1).get("response");
        assertEquals("completed", completed.get("status").asText());
        assertJson("""
                [{"type":"message","id":"msg_s1_0","status":"completed","role":"assistant",
                  "content":[{"type":"output_text","text":"Checking both cities.","annotations":[]}]},
                 {"type":"function_call","id":"fc_s1_1","call_id":"call_paris","name":"get_weather",
                  "arguments":"{\\"city\\":\\"Paris\\"}","status":"completed"},
                 {"type":"function_call","id":"fc_s1_2","call_id":"call_rome","name":"get_weather",
                  "arguments":"{\\"city\\":\\"Rome\\"}","status":"completed"}]""", completed.get("output"));
        assertJson("""
                {"input_tokens":50,"input_tokens_details":{"cached_tokens":10},"output_tokens":30,
                 "output_tokens_details":{"reasoning_tokens":0},"total_tokens":80}""", completed.get("usage"));
        assertEquals("Checking both cities.", completed.get("output_text").asText());
        assertJson(REQUEST, request); // echoed, not changed
        assertEquals("get_weather", completed.get("tools").get(0).get("name").asText());

        assertTrue(mapper.hasContent());
        assertTrue(mapper.isFinished());
        assertEquals(new TaasUsage(50, 30, 80, 10, 0), mapper.usage());
        assertEquals("gpt-4o-2024-08-06", mapper.model());
    }

    /** Every event about an item names the id and output_index its output_item.added announced. */
    private void assertIdsConsistent() throws Exception {
        String itemId = null;
        int outputIndex = -1;
        int itemsSeen = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode data = data(i);
            String type = data.get("type").asText();
            if (type.equals("response.output_item.added")) {
                itemId = data.get("item").get("id").asText();
                outputIndex = data.get("output_index").asInt();
                assertEquals(itemsSeen++, outputIndex, "output_index counts the items");
            } else if (type.equals("response.output_item.done")) {
                assertEquals(itemId, data.get("item").get("id").asText());
                assertEquals(outputIndex, data.get("output_index").asInt());
            } else if (data.has("item_id")) {
                assertEquals(itemId, data.get("item_id").asText(), type + " names the open item");
                assertEquals(outputIndex, data.get("output_index").asInt(), type + " has the open item's index");
            }
        }
        assertEquals(3, itemsSeen);
    }

    private static JsonNode subset(JsonNode node, String... fields) {
        ObjectNode out = json("{}");
        for (String field : fields) {
            out.set(field, node.get(field));
        }
        return out;
    }

    @Test
    void reasoningStreamsAsASummaryBeforeTheText() throws Exception {
        feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"),
                delta("{\"reasoning_content\":\"Think\"}"),
                delta("{\"reasoning_content\":\"ing.\"}"),
                delta("{\"content\":\"Answer.\"}"),
                chunk("{}", "stop"),
                "[DONE]");
        assertEquals(List.of(
                "response.created",
                "response.in_progress",
                "response.output_item.added",
                "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done",
                "response.reasoning_summary_part.done",
                "response.output_item.done",
                "response.output_item.added",
                "response.content_part.added",
                "response.output_text.delta",
                "response.output_text.done",
                "response.content_part.done",
                "response.output_item.done",
                "response.completed"), types());
        assertIdsConsistentForTwoItems();
        assertJson("""
                {"item_id":"rs_s1_0","output_index":0,"summary_index":0,"text":"Thinking."}""",
                subset(ofType("response.reasoning_summary_text.done").get(0), "item_id", "output_index",
                        "summary_index", "text"));
        JsonNode completed = data(events.size() - 1).get("response");
        assertJson("""
                [{"type":"reasoning","id":"rs_s1_0","summary":[{"type":"summary_text","text":"Thinking."}]},
                 {"type":"message","id":"msg_s1_1","status":"completed","role":"assistant",
                  "content":[{"type":"output_text","text":"Answer.","annotations":[]}]}]""", completed.get("output"));
        assertTrue(completed.get("usage").isNull(), "no usage chunk, no usage");
    }

    private void assertIdsConsistentForTwoItems() throws Exception {
        List<JsonNode> added = ofType("response.output_item.added");
        assertEquals(2, added.size());
        assertEquals("rs_s1_0", added.get(0).get("item").get("id").asText());
        assertEquals("msg_s1_1", added.get(1).get("item").get("id").asText());
        assertEquals(1, ofType("response.output_text.delta").get(0).get("output_index").asInt());
    }

    @Test
    void aReplyCutByTheTokenLimitEndsIncomplete() throws Exception {
        feed(delta("{\"content\":\"The first half\"}"), chunk("{}", "length"), USAGE_CHUNK, "[DONE]");
        JsonNode last = data(events.size() - 1);
        assertEquals("response.incomplete", last.get("type").asText());
        assertEquals("response.incomplete", events.get(events.size() - 1).event());
        assertEquals("incomplete", last.get("response").get("status").asText());
        assertJson("""
                {"reason":"max_output_tokens"}""", last.get("response").get("incomplete_details"));
        assertFalse(types().contains("response.completed"));
    }

    @Test
    void theChatTerminatorIsNotPassedOn() throws Exception {
        feed(delta("{\"content\":\"x\"}"), chunk("{}", "stop"), "[DONE]");
        assertTrue(events.stream().noneMatch(SseEvent::isDone));
        assertTrue(events.stream().allMatch(e -> e.event() != null), "every event is named");
    }

    @Test
    void anErrorBeforeContentIsRetryable() throws Exception {
        feed(delta("{\"role\":\"assistant\",\"content\":\"\"}"));
        TaasUpstreamException failure = assertThrows(TaasUpstreamException.class, () -> feed("""
                {"error":{"message":"The server is overloaded","type":"server_error","code":null}}"""));
        assertInstanceOf(TaasRetryableException.class, failure);
        assertEquals(TaasUpstreamException.Failure.STREAM_ERROR, failure.getFailure());
        assertEquals("server_error", failure.getErrorType());
    }

    @Test
    void anErrorAfterContentIsNotRetryable() throws Exception {
        feed(delta("{\"content\":\"Half an answer\"}"));
        TaasUpstreamException failure = assertThrows(TaasUpstreamException.class, () -> feed("""
                {"error":{"message":"The server is overloaded","type":"server_error","code":null}}"""));
        assertInstanceOf(TaasNonRetryableException.class, failure);
        assertEquals("The server is overloaded", failure.getUpstreamMessage());
    }

    @Test
    void aLateFragmentOfAClosedToolCallIsABrokenStream() throws Exception {
        feed(delta("{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}]}"),
                delta("{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}"));
        TaasUpstreamException failure = assertThrows(TaasUpstreamException.class,
                () -> feed(delta("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]}")));
        assertEquals(TaasUpstreamException.Failure.MALFORMED, failure.getFailure());
        assertFalse(failure.isRetryable());
    }

    @Test
    void aStreamOfOnlyTheTerminatorIsAnEmptyCompletedResponse() throws Exception {
        feed("[DONE]");
        assertEquals(List.of("response.created", "response.in_progress", "response.completed"), types());
        JsonNode response = data(2).get("response");
        assertEquals("gpt-4o", response.get("model").asText());
        assertEquals(0, response.get("output").size());
    }
}
