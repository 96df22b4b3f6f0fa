package org.cameltaas.component.protocol.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasNonRetryableException;
import org.cameltaas.component.TaasRetryableException;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.cameltaas.component.protocol.anthropic.TestJson.assertJson;
import static org.cameltaas.component.protocol.anthropic.TestJson.json;
import static org.cameltaas.component.protocol.anthropic.TestJson.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagesViaChatStreamTest {

    private static final String HEAD = "\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-x\"";

    /** What an OpenAI-compatible server streams for reasoning, text and two parallel tool calls. */
    private static final List<String> CHUNKS = List.of(
            delta("{\"role\":\"assistant\",\"content\":\"\"}"),
            delta("{\"reasoning_content\":\"Two cities, \"}"),
            delta("{\"reasoning_content\":\"two calls.\"}"),
            delta("{\"reasoning_signature\":\"sig-\"}"),
            delta("{\"reasoning_signature\":\"xyz\"}"),
            delta("{\"content\":\"Checking \"}"),
            delta("{\"content\":\"both.\"}"),
            delta("""
                    {"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"weather","arguments":""}}]}"""),
            delta("""
                    {"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]}"""),
            delta("""
                    {"tool_calls":[{"index":0,"function":{"arguments":"\\"Paris\\"}"}}]}"""),
            delta("""
                    {"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"weather","arguments":"{\\"ci"}}]}"""),
            delta("""
                    {"tool_calls":[{"index":1,"function":{"arguments":"ty\\":\\"Rome\\"}"}}]}"""),
            "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":null}",
            "{" + HEAD + ",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":40,"
                    + "\"total_tokens\":140,\"prompt_tokens_details\":{\"cached_tokens\":30}}}",
            "[DONE]");

    private final StreamMapper mapper = new MessagesViaChat().fromChatStream(json("""
            {"model":"claude-alias","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}"""),
            "openai");
    private final List<SseEvent> events = new ArrayList<>();

    private static String delta(String delta) {
        return "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}],\"usage\":null}";
    }

    private void feed(List<String> chunks) throws TaasUpstreamException {
        for (String chunk : chunks) {
            mapper.map(SseEvent.data(chunk), events::add);
        }
    }

    @Test
    void emitsTheAnthropicEventSequence() throws Exception {
        feed(CHUNKS);
        assertEquals(List.of(
                "message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop"), names());
        for (SseEvent event : events) {
            assertEquals(event.event(), data(event).path("type").asText(), "data repeats the event name: " + event);
        }
    }

    @Test
    void startsTheMessageWithIdModelAndNoUsageYet() throws Exception {
        feed(CHUNKS);
        assertJson("""
                {"type":"message_start","message":{"id":"msg_s1","type":"message","role":"assistant","model":"gpt-x",
                 "content":[],"stop_reason":null,"stop_sequence":null,
                 "usage":{"input_tokens":0,"output_tokens":0,"cache_read_input_tokens":0,
                          "cache_creation_input_tokens":0}}}""", data(events.get(0)));
        assertJson("{\"type\":\"ping\"}", data(events.get(1)));
    }

    @Test
    void numbersTheBlocksAndCarriesEachKindsDeltas() throws Exception {
        feed(CHUNKS);
        List<JsonNode> starts = ofType("content_block_start");
        assertJson("""
                [{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}},
                 {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}},
                 {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_1","name":"weather","input":{}}},
                 {"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"call_2","name":"weather","input":{}}}]""",
                Json.MAPPER.createArrayNode().addAll(starts));
        assertEquals(List.of(0, 1, 2, 3), ofType("content_block_stop").stream()
                .map(stop -> stop.get("index").asInt()).collect(Collectors.toList()));

        assertEquals("Two cities, two calls.", joined(0, "thinking_delta", "thinking"));
        assertEquals("sig-xyz", joined(0, "signature_delta", "signature"));
        assertEquals("Checking both.", joined(1, "text_delta", "text"));
        assertEquals("{\"city\":\"Paris\"}", joined(2, "input_json_delta", "partial_json"));
        assertEquals("{\"city\":\"Rome\"}", joined(3, "input_json_delta", "partial_json"));
    }

    @Test
    void theSignatureIsTheLastDeltaOfTheThinkingBlock() throws Exception {
        feed(CHUNKS);
        assertJson("""
                {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig-xyz"}}""",
                data(events.get(5)));
        assertEquals("content_block_stop", events.get(6).event());
    }

    @Test
    void endsWithStopReasonAndFinalUsage() throws Exception {
        feed(CHUNKS);
        assertJson("""
                {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
                 "usage":{"output_tokens":40,"input_tokens":70,"cache_read_input_tokens":30,
                          "cache_creation_input_tokens":0}}""", data(events.get(events.size() - 2)));
        assertJson("{\"type\":\"message_stop\"}", data(events.get(events.size() - 1)));
        assertTrue(mapper.isFinished());
        assertEquals(new TaasUsage(100, 40, 140, 30, 0), mapper.usage());
        assertEquals("gpt-x", mapper.model());
    }

    @Test
    void contentBeginsWithTheFirstDeltaThatCarriesSome() throws Exception {
        feed(CHUNKS.subList(0, 1));
        assertFalse(mapper.hasContent(), "a role-only chunk is structure");
        assertFalse(mapper.isFinished());
        feed(CHUNKS.subList(1, 2));
        assertTrue(mapper.hasContent());
    }

    @Test
    void aPlainTextStreamEndsTheTurn() throws Exception {
        feed(List.of(delta("{\"role\":\"assistant\",\"content\":\"Hi\"}"), delta("{\"content\":\" there\"}"),
                "{" + HEAD + ",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", "[DONE]"));
        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names());
        assertEquals("Hi there", joined(0, "text_delta", "text"));
        assertEquals("end_turn", data(events.get(6)).at("/delta/stop_reason").asText());
    }

    @Test
    void anEmptyStreamIsStillAWellFormedMessage() throws Exception {
        feed(List.of("[DONE]"));
        assertEquals(List.of("message_start", "ping", "message_delta", "message_stop"), names());
        assertEquals("claude-alias", data(events.get(0)).at("/message/model").asText());
    }

    @Test
    void anErrorBeforeContentMayBeRetried() throws Exception {
        feed(CHUNKS.subList(0, 1));
        TaasUpstreamException e = assertThrows(TaasUpstreamException.class, () -> feed(List.of("""
                {"error":{"message":"The server is overloaded","type":"server_error","code":null}}""")));
        assertInstanceOf(TaasRetryableException.class, e);
        assertEquals("The server is overloaded", e.getUpstreamMessage());
    }

    @Test
    void anErrorAfterContentCannotBeRetried() throws Exception {
        feed(CHUNKS.subList(0, 6));
        TaasUpstreamException e = assertThrows(TaasUpstreamException.class, () -> feed(List.of("""
                {"error":{"message":"The server is overloaded","type":"server_error","code":null}}""")));
        assertInstanceOf(TaasNonRetryableException.class, e);
    }

    @Test
    void interleavedToolCallArgumentsAreAMalformedStream() throws Exception {
        feed(CHUNKS.subList(0, 11)); // the second call has started, closing the first
        TaasUpstreamException e = assertThrows(TaasUpstreamException.class, () -> feed(List.of(delta("""
                {"tool_calls":[{"index":0,"function":{"arguments":"x"}}]}"""))));
        assertEquals(TaasUpstreamException.Failure.MALFORMED, e.getFailure());
    }

    private List<String> names() {
        return events.stream().map(SseEvent::event).collect(Collectors.toList());
    }

    private List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.event())).map(MessagesViaChatStreamTest::data)
                .collect(Collectors.toList());
    }

    /** The concatenated deltas of one kind in one block, checking none strayed into another block. */
    private String joined(int index, String deltaType, String field) {
        StringBuilder text = new StringBuilder();
        for (JsonNode delta : ofType("content_block_delta")) {
            if (deltaType.equals(delta.at("/delta/type").asText())) {
                if (delta.get("index").asInt() == index) {
                    text.append(delta.at("/delta/" + field).asText());
                }
            }
        }
        return text.toString();
    }

    private static JsonNode data(SseEvent event) {
        return parse(event.data());
    }
}
