package org.cameltaas.component.provider.gemini;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.EventCollector;
import org.cameltaas.component.TaasNonRetryableException;
import org.cameltaas.component.TaasRetryableException;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gemini's SSE stream (CRLF framed, no terminator) as OpenAI chat.completion.chunk events ending in [DONE]. */
class GeminiStreamingTest extends GeminiTestSupport {

    private static final String ASK = "{\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}";

    private EventCollector stream(Script script, String body) throws Exception {
        upstream.enqueue(script);
        Exchange reply = call(uri("chatCompletions", "stream=true"), body);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        assertNull(events.awaitEnd());
        return events;
    }

    @Test
    void textArrivesAsContentDeltasAndTheStreamEndsWithDone() throws Exception {
        upstream.enqueue(Script.ok().reply("Streams of words, é and 漢字 too"));
        Exchange reply = call(uri("chatCompletions", "stream=true"), ASK);
        assertNull(reply.getException());
        TaasStream stream = reply.getMessage().getBody(TaasStream.class);
        EventCollector events = EventCollector.drain(stream);
        assertNull(events.awaitEnd());

        RecordedRequest request = received();
        assertEquals("/v1beta/models/gemini-x:streamGenerateContent", request.path());
        assertEquals("sse", request.query("alt"));
        assertEquals("text/event-stream", request.header("accept"));
        assertEquals(API_KEY, request.header("x-goog-api-key"));
        assertFalse(request.uri().contains(API_KEY));
        assertFalse(request.bodyJson().has("stream"), "Gemini's body has no stream flag: the action says it");

        assertEquals("Streams of words, é and 漢字 too", events.joined("content"));
        List<JsonNode> chunks = events.chunks();
        assertEquals("{\"role\":\"assistant\",\"content\":\"\"}", chunks.get(0).at("/choices/0/delta").toString());
        for (JsonNode chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            assertEquals(chunks.get(0).get("id"), chunk.get("id"), "one id for the whole stream");
            assertEquals(MODEL, chunk.get("model").asText());
            assertFalse(chunk.get("choices").isEmpty(), "no usage chunk: the caller did not ask for it");
        }
        assertEquals(List.of("stop"), events.finishReasons());
        assertTrue(events.events.get(events.events.size() - 1).isDone(), "[DONE] comes last");

        TaasStream.Result result = stream.completion().get(5, TimeUnit.SECONDS);
        assertNull(result.error());
        assertEquals(new TaasUsage(2, 7, 9, 0, 0), result.usage(), "metered from the last usageMetadata");
        assertEquals(MODEL, result.model());
    }

    @Test
    void crlfFramingSplitAcrossTinyReadsIsReassembledExactly() throws Exception {
        EventCollector events = stream(Script.ok().reply("trickled words: ünïcödé, 漢字 and more")
                .trickle(Duration.ofMillis(1), 3), ASK);
        assertEquals("trickled words: ünïcödé, 漢字 and more", events.joined("content"));
        assertTrue(events.events.get(events.events.size() - 1).isDone());
    }

    @Test
    void theUsageChunkComesBeforeDoneWhenTheCallerAskedForIt() throws Exception {
        EventCollector events = stream(Script.ok().reply("counted words"),
                "{\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}");
        List<SseEvent> all = events.events;
        assertTrue(all.get(all.size() - 1).isDone());
        JsonNode usageChunk = all.get(all.size() - 2).json();
        assertTrue(usageChunk.get("choices").isEmpty());
        assertEquals("{\"prompt_tokens\":2,\"completion_tokens\":2,\"total_tokens\":4,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}",
                usageChunk.get("usage").toString());
        assertEquals(1, events.chunks().stream().filter(c -> c.has("usage")).count());
    }

    @Test
    void eachFunctionCallIsOneToolCallDeltaWithItsWholeArguments() throws Exception {
        EventCollector events = stream(Script.ok()
                .toolCall("get_weather", "{\"city\":\"Paris\",\"days\":3}")
                .toolCall("get_time", "{\"tz\":\"CET\"}"), ASK);
        List<JsonNode> calls = new ArrayList<>();
        for (JsonNode chunk : events.chunks()) {
            chunk.at("/choices/0/delta/tool_calls").forEach(calls::add);
        }
        assertEquals(2, calls.size());
        assertEquals(0, calls.get(0).get("index").asInt());
        assertEquals(1, calls.get(1).get("index").asInt());
        assertTrue(calls.get(0).get("id").asText().startsWith("call_"));
        assertEquals("function", calls.get(0).get("type").asText());
        assertEquals("get_weather", calls.get(0).at("/function/name").asText());
        assertEquals("{\"city\":\"Paris\",\"days\":3}", calls.get(0).at("/function/arguments").asText());
        assertEquals("get_time", calls.get(1).at("/function/name").asText());
        assertEquals("{\"tz\":\"CET\"}", calls.get(1).at("/function/arguments").asText());
        assertEquals(List.of("tool_calls"), events.finishReasons());
    }

    @Test
    void thoughtsStreamAsReasoningContent() throws Exception {
        EventCollector events = stream(Script.ok().reasoning("first think hard").reply("the answer"), ASK);
        assertEquals("first think hard", events.joined("reasoning_content"));
        assertEquals("the answer", events.joined("content"));
        assertFalse(events.joined("reasoning_signature").isEmpty(), "the signature travels too, for the next turn");
    }

    @Test
    void aStreamCutAfterContentEndsWithStreamCut() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four five").cutAfterEvents(2));
        Exchange reply = call(uri("chatCompletions", "stream=true"), ASK);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.STREAM_CUT, error.getFailure());
        assertEquals("one two", events.joined("content"));
        assertFalse(events.events.stream().anyMatch(SseEvent::isDone), "no [DONE] for a cut stream");
    }

    @Test
    void aStreamCutBeforeContentFailsTheExchangeRetryably() {
        upstream.enqueue(Script.ok().reply("never seen").cutAfterEvents(0));
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(uri("chatCompletions", "stream=true"), ASK).getException());
        assertEquals(Failure.STREAM_CUT, error.getFailure());
    }

    @Test
    void aStreamThatEndsCleanlyWithoutAFinishReasonWasCutNotFinished() throws Exception {
        String chunk = "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"half an\"}]},"
                + "\"index\":0}],\"modelVersion\":\"gemini-x\"}\r\n\r\n";
        try (CleanlyEndingSseServer server = new CleanlyEndingSseServer(chunk)) {
            Exchange reply = call("taas:chatCompletions?provider=gemini&stream=true&model=gemini-x&baseUrl=" + server.baseUrl(),
                    ASK);
            assertNull(reply.getException(), "content arrived, so the exchange was committed");
            EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
            TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
            assertEquals(Failure.STREAM_CUT, error.getFailure());
            assertEquals("half an", events.joined("content"));
            assertFalse(events.events.stream().anyMatch(SseEvent::isDone));
        }
    }
    @Test
    void aBlockedPromptStreamsOneFilteredChoice() throws Exception {
        String chunk = "data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                + "\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5}}\r\n\r\n";
        try (CleanlyEndingSseServer server = new CleanlyEndingSseServer(chunk)) {
            EventCollector events = streamFrom(server);
            assertNull(events.awaitEnd());
            assertEquals(List.of("content_filter"), events.finishReasons());
            assertEquals("", events.joined("content"));
            assertTrue(events.events.get(events.events.size() - 1).isDone());
        }
    }

    @Test
    void eachCandidateStreamsAsItsOwnChoice() throws Exception {
        String body = "data: {\"candidates\":["
                + "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"A\"}]},\"index\":0},"
                + "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"B\"}]},\"index\":1}],\"responseId\":\"r-2\"}\r\n\r\n"
                + "data: {\"candidates\":["
                + "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"a\"}]},\"finishReason\":\"STOP\",\"index\":0},"
                + "{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"b\"}]},\"finishReason\":\"MAX_TOKENS\",\"index\":1}],"
                + "\"responseId\":\"r-2\",\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":4,"
                + "\"totalTokenCount\":7}}\r\n\r\n";
        try (CleanlyEndingSseServer server = new CleanlyEndingSseServer(body)) {
            EventCollector events = streamFrom(server);
            assertNull(events.awaitEnd());
            StringBuilder[] texts = {new StringBuilder(), new StringBuilder()};
            for (JsonNode chunk : events.chunks()) {
                assertEquals("r-2", chunk.get("id").asText());
                JsonNode choice = chunk.at("/choices/0");
                texts[choice.get("index").asInt()].append(choice.at("/delta/content").asText(""));
            }
            assertEquals("Aa", texts[0].toString());
            assertEquals("Bb", texts[1].toString());
            assertEquals(List.of("stop", "length"), events.finishReasons());
        }
    }

    private EventCollector streamFrom(CleanlyEndingSseServer server) {
        Exchange reply = call("taas:chatCompletions?provider=gemini&stream=true&model=gemini-x&baseUrl=" + server.baseUrl(),
                ASK);
        assertNull(reply.getException());
        return EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
    }
}
