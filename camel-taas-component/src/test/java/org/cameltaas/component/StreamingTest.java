package org.cameltaas.component;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingTest extends TaasTestSupport {

    private static final String CHAT = "{\"model\":\"fake-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"stream me please\"}]}";

    @Test
    void chatStreamDeliversEveryEventAndMetersUsageWithoutShowingTheExtraChunk() throws Exception {
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        assertNull(reply.getException());
        assertEquals(true, reply.getMessage().getHeader(TaasConstants.STREAMING));
        assertEquals("text/event-stream", reply.getMessage().getHeader(Exchange.CONTENT_TYPE));
        TaasStream stream = assertInstanceOf(TaasStream.class, reply.getMessage().getBody());

        EventCollector events = EventCollector.drain(stream);
        assertNull(events.awaitEnd());
        assertEquals("Echo: stream me please", events.chatText());
        assertTrue(events.events.get(events.events.size() - 1).isDone(), "[DONE] ends the stream");
        for (SseEvent e : events.events) {
            assertFalse(!e.isDone() && e.json().path("choices").isEmpty(), "the usage chunk the caller did not ask for is hidden");
        }

        JsonNode sent = upstream.lastRequest().bodyJson();
        assertTrue(sent.get("stream").asBoolean());
        assertTrue(sent.at("/stream_options/include_usage").asBoolean(), "usage is asked for so it can be metered");
        TaasStream.Result result = stream.completion().get(5, TimeUnit.SECONDS);
        assertNull(result.error());
        assertEquals(events.chatText().split(" ").length, result.usage().completionTokens());
        assertTrue(result.usage().promptTokens() > 0);
        assertEquals("fake-gpt", result.model());
    }

    @Test
    void usageChunkStaysWhenTheCallerAskedForIt() throws Exception {
        String body = "{\"model\":\"fake-gpt\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Exchange reply = call(uri("chatCompletions", null), body);
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        assertNull(events.awaitEnd());
        assertEquals(body, upstream.lastRequest().bodyText(), "nothing to change: the caller's bytes go upstream");
        SseEvent usageChunk = events.events.get(events.events.size() - 2);
        assertTrue(usageChunk.json().path("choices").isEmpty());
        assertTrue(usageChunk.json().path("usage").path("total_tokens").asInt() > 0);
    }

    @Test
    void streamedToolCallArgumentsArriveAsDeltasWithIdsAndIndexes() throws Exception {
        upstream.enqueue(Script.ok().toolCall("lookup", "{\"query\":\"camel routes\",\"limit\":3}"));
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        assertNull(events.awaitEnd());
        StringBuilder arguments = new StringBuilder();
        String id = null;
        for (SseEvent e : events.events) {
            if (e.isDone()) {
                continue;
            }
            for (JsonNode call : e.json().at("/choices/0/delta/tool_calls")) {
                assertEquals(0, call.get("index").asInt());
                if (call.has("id")) {
                    id = call.get("id").asText();
                }
                arguments.append(call.at("/function/arguments").asText(""));
            }
        }
        assertTrue(id != null && !id.isEmpty());
        assertEquals("{\"query\":\"camel routes\",\"limit\":3}", arguments.toString());
    }

    @Test
    void responsesStream() throws Exception {
        Exchange reply = call(uri("responses", "stream=true"), "{\"model\":\"fake-gpt\",\"input\":\"tell me\"}");
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        assertNull(events.awaitEnd());
        StringBuilder text = new StringBuilder();
        for (SseEvent e : events.events) {
            if ("response.output_text.delta".equals(e.event())) {
                text.append(e.json().get("delta").asText());
            }
        }
        assertEquals("Echo: tell me", text.toString());
        assertEquals("response.completed", events.events.get(events.events.size() - 1).event());
        TaasStream.Result result = reply.getMessage().getBody(TaasStream.class).completion().get(5, TimeUnit.SECONDS);
        assertEquals(text.toString().split(" ").length, result.usage().completionTokens());
    }

    @Test
    void anthropicMessagesStream() throws Exception {
        Exchange reply = call(uri("messages", "provider=anthropic&stream=true"),
                "{\"model\":\"fake-claude\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"bonjour\"}]}");
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        assertNull(events.awaitEnd());
        StringBuilder text = new StringBuilder();
        for (SseEvent e : events.events) {
            if ("content_block_delta".equals(e.event())) {
                text.append(e.json().at("/delta/text").asText());
            }
        }
        assertEquals("Echo: bonjour", text.toString());
        assertEquals("message_stop", events.events.get(events.events.size() - 1).event());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/messages", sent.path());
        assertEquals("2023-06-01", sent.header("anthropic-version"));
        TaasStream.Result result = reply.getMessage().getBody(TaasStream.class).completion().get(5, TimeUnit.SECONDS);
        assertEquals(text.toString().split(" ").length, result.usage().completionTokens());
        assertTrue(result.usage().promptTokens() > 0);
    }

    @Test
    void theSubscriberSetsThePace() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four five six seven eight nine ten"));
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        TaasStream stream = reply.getMessage().getBody(TaasStream.class);
        EventCollector firstTwo = new EventCollector(2);
        stream.subscribe(firstTwo);
        firstTwo.awaitCap();
        Thread.sleep(100); // give a misbehaving publisher the chance to push more than was requested
        assertEquals(2, firstTwo.events.size(), "no event beyond the requested ones");
        firstTwo.cancel();
        assertTrue(stream.completion().get(5, TimeUnit.SECONDS).cancelled());
    }

    @Test
    void cancellingTheSubscriptionClosesTheUpstreamConnectionPromptly() throws Exception {
        upstream.enqueue(Script.ok().reply("a b c d e f g h i j k l m n o p q r s t u v w x y z")
                .chunkDelay(Duration.ofMillis(20)));
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        TaasStream stream = reply.getMessage().getBody(TaasStream.class);
        RecordedRequest sent = upstream.lastRequest();
        EventCollector collector = new EventCollector(3);
        stream.subscribe(collector);
        collector.awaitCap();

        long cancelledAt = System.nanoTime();
        collector.cancel();
        long closedAt = sent.connectionClosed().get(2, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(closedAt - cancelledAt);
        assertTrue(millis < 100, "the upstream saw the connection closed " + millis + " ms after the cancel");
        assertFalse(sent.completedNormally());
        assertTrue(stream.completion().get(5, TimeUnit.SECONDS).cancelled());
    }

    @Test
    void aSecondSubscriberIsRefused() throws Exception {
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        TaasStream stream = reply.getMessage().getBody(TaasStream.class);
        EventCollector first = EventCollector.drain(stream);
        EventCollector second = EventCollector.drain(stream);
        assertInstanceOf(IllegalStateException.class, second.awaitEnd());
        assertNull(first.awaitEnd());
    }
}
