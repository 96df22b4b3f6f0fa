package org.cameltaas.component.provider.anthropic;

import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.EventCollector;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anthropic event streams as OpenAI chat.completion.chunk streams. */
class AnthropicStreamingTest extends AnthropicTestSupport {

    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"stream me please\"}]}";
    private static final String CHAT_WITH_USAGE = "{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                                                  + "\"messages\":[{\"role\":\"user\",\"content\":\"stream me please\"}]}";

    private TaasStream stream(Exchange reply) {
        assertNull(reply.getException(), () -> "unexpected " + reply.getException());
        assertEquals(true, reply.getMessage().getHeader(TaasConstants.STREAMING));
        return assertInstanceOf(TaasStream.class, reply.getMessage().getBody());
    }

    @Test
    void textDeltasArriveAsChunksEndingWithFinishReasonAndDone() throws Exception {
        upstream.enqueue(Script.ok().reply("Hello, streaming  world! \u00e9t\u00e9"));
        TaasStream stream = stream(call(chatUri("stream=true"), CHAT));
        EventCollector events = EventCollector.drain(stream);
        assertNull(events.awaitEnd());

        assertTrue(events.events.get(events.events.size() - 1).isDone(), "[DONE] ends the stream");
        List<JsonNode> chunks = events.chunks();
        assertEquals("Hello, streaming  world! \u00e9t\u00e9", events.joined("content"), "deltas join to the exact text");
        assertEquals(parse("{'role':'assistant','content':''}"), chunks.get(0).at("/choices/0/delta"));

        String id = chunks.get(0).get("id").asText();
        assertTrue(id.startsWith("msg_"));
        for (JsonNode chunk : chunks) {
            assertEquals(id, chunk.get("id").asText(), "one id for the whole stream");
            assertEquals(MODEL, chunk.get("model").asText());
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            assertEquals(chunks.get(0).get("created"), chunk.get("created"));
            assertFalse(chunk.get("choices").isEmpty(), "no usage chunk: the caller did not ask for it");
        }
        JsonNode last = chunks.get(chunks.size() - 1);
        assertEquals("stop", last.at("/choices/0/finish_reason").asText());
        assertTrue(last.at("/choices/0/delta").isEmpty());
        for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
            assertTrue(chunk.at("/choices/0/finish_reason").isNull());
        }

        TaasStream.Result result = stream.completion().get(5, TimeUnit.SECONDS);
        assertNull(result.error());
        assertEquals(new TaasUsage(3, 4, 7, 0, 0), result.usage(), "input from message_start, output from message_delta");
        assertEquals(MODEL, result.model());
    }

    @Test
    void usageChunkOnlyWhenTheCallerAskedForIt() throws Exception {
        upstream.enqueue(Script.ok().reply("one two").usage(12, 2));
        EventCollector events = EventCollector.drain(stream(call(chatUri(null), CHAT_WITH_USAGE)));
        assertNull(events.awaitEnd());
        SseEvent usageEvent = events.events.get(events.events.size() - 2);
        JsonNode usageChunk = usageEvent.json();
        assertTrue(usageChunk.get("choices").isEmpty());
        assertEquals(parse("{'prompt_tokens':12,'completion_tokens':2,'total_tokens':14,"
                           + "'prompt_tokens_details':{'cached_tokens':0}}"), usageChunk.get("usage"));
        assertEquals(events.chunks().get(0).get("id"), usageChunk.get("id"));
        assertTrue(events.events.get(events.events.size() - 1).isDone());
    }

    @Test
    void toolCallDeltasReassembleUnderTheirOwnIndexAndId() throws Exception {
        String args0 = "{\"query\":\"camel routes\",\"limit\":3}";
        String args1 = "{\"city\":\"Z\\u00fcrich\",\"unit\":\"c\"}";
        upstream.enqueue(Script.ok().reply("Let me look.").toolCall("lookup", args0).toolCall("weather", args1));
        EventCollector events = EventCollector.drain(stream(call(chatUri("stream=true"), CHAT)));
        assertNull(events.awaitEnd());

        StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
        String[] ids = new String[2];
        String[] names = new String[2];
        for (JsonNode chunk : events.chunks()) {
            for (JsonNode call : chunk.at("/choices/0/delta/tool_calls")) {
                int index = call.get("index").asInt();
                if (call.has("id")) {
                    assertNull(ids[index], "the id comes once, with the name");
                    ids[index] = call.get("id").asText();
                    names[index] = call.at("/function/name").asText();
                    assertEquals("function", call.get("type").asText());
                }
                arguments[index].append(call.at("/function/arguments").asText(""));
            }
        }
        assertEquals("Let me look.", events.joined("content"));
        assertTrue(ids[0].startsWith("toolu_") && ids[1].startsWith("toolu_") && !ids[0].equals(ids[1]));
        assertEquals("lookup", names[0]);
        assertEquals("weather", names[1]);
        assertEquals(args0, arguments[0].toString());
        assertEquals(args1, arguments[1].toString());
        List<JsonNode> chunks = events.chunks();
        assertEquals("tool_calls", chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText());
    }

    @Test
    void thinkingDeltasBecomeReasoningContentAndSignature() throws Exception {
        upstream.enqueue(Script.ok().reasoning("weigh the options first").reply("answer"));
        EventCollector events = EventCollector.drain(stream(call(chatUri("stream=true"), CHAT)));
        assertNull(events.awaitEnd());
        assertEquals("weigh the options first", events.joined("reasoning_content"));
        assertEquals(Base64.getEncoder().encodeToString("fake-signature:weigh the options first".getBytes()),
                events.joined("reasoning_signature"));
        assertEquals("answer", events.joined("content"));
    }
}
