package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultsTest extends FakeUpstreamTestSupport {

    private static final String CHAT = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a b c d\"}]}";
    private static final String CHAT_STREAM =
            "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b c d\"}]}";

    @Test
    void headerDelayHoldsBackTheResponseHeaders() throws Exception {
        upstream.enqueue(Script.ok().headerDelay(Duration.ofMillis(250)));

        long start = System.nanoTime();
        HttpResponse<String> response = http.postJson("/v1/chat/completions", CHAT);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(200, response.statusCode());
        assertTrue(elapsedMillis >= 240, "took " + elapsedMillis + " ms");
    }

    @Test
    void cutAfterEventsClosesWithoutTerminator() throws Exception {
        upstream.enqueue(Script.ok().cutAfterEvents(3));

        String raw = RawHttp.exchange(upstream.port(), RawHttp.post(upstream.port(), "/v1/chat/completions", CHAT_STREAM, true));

        assertEquals(3, RawHttp.count(raw, "data: "));
        assertFalse(raw.contains("[DONE]"));
        assertFalse(raw.endsWith("0\r\n\r\n"), "no terminating chunk");
        RecordedRequest request = upstream.takeRequest(TestHttp.WAIT);
        request.connectionClosed().get(1, TimeUnit.SECONDS);
        assertFalse(request.completedNormally());
    }

    @Test
    void cutStreamFailsTheJdkClient() throws Exception {
        upstream.enqueue(Script.ok().cutAfterEvents(2));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> http.client.sendAsync(
                http.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(CHAT_STREAM)).build(),
                HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS));

        assertInstanceOf(IOException.class, failure.getCause());
    }

    @Test
    void normalStreamCompletesNormally() throws Exception {
        http.postJson("/v1/chat/completions", CHAT_STREAM);

        RecordedRequest request = upstream.takeRequest(TestHttp.WAIT);
        assertTrue(waitFor(request::completedNormally));
    }

    @Test
    void malformedEventCarriesTruncatedJson() throws Exception {
        upstream.enqueue(Script.ok().malformedEventAt(1));

        List<String> data = TestHttp.sseData(http.postJson("/v1/chat/completions", CHAT_STREAM).body());

        assertEquals("{\"id\":", data.get(1));
        TestHttp.json(data.get(2)); // the rest is intact
        assertEquals("[DONE]", data.get(data.size() - 1));
    }

    @Test
    void trickleDeliversTheSameJsonSlowly() throws Exception {
        HttpResponse<String> normal = http.postJson("/v1/chat/completions", CHAT);
        upstream.enqueue(Script.ok().trickle(Duration.ofMillis(3), 32));

        long start = System.nanoTime();
        HttpResponse<String> trickled = http.postJson("/v1/chat/completions", CHAT);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        int pieces = (trickled.body().length() + 31) / 32;
        assertTrue(elapsedMillis >= pieces * 3L - 5, "took " + elapsedMillis + " ms for " + pieces + " pieces");
        JsonNode a = TestHttp.json(normal);
        JsonNode b = TestHttp.json(trickled);
        assertEquals(a.path("choices"), b.path("choices"));
        assertEquals(String.valueOf(trickled.body().length()), trickled.headers().firstValue("content-length").orElse(""));
    }

    @Test
    void trickledStreamStillParses() throws Exception {
        upstream.enqueue(Script.ok().trickle(Duration.ofMillis(1), 7));

        List<String> data = TestHttp.sseData(http.postJson("/v1/chat/completions", CHAT_STREAM).body());

        assertEquals("[DONE]", data.get(data.size() - 1));
        StringBuilder text = new StringBuilder();
        for (String d : data.subList(1, data.size() - 2)) {
            text.append(TestHttp.json(d).path("choices").get(0).path("delta").path("content").asText());
        }
        assertEquals("Echo: a b c d", text.toString());
    }

    @Test
    void midStreamErrorOpenAi() throws Exception {
        upstream.enqueue(Script.ok().midStreamError(2).message("boom"));

        List<String> data = TestHttp.sseData(http.postJson("/v1/chat/completions", CHAT_STREAM).body());

        assertEquals(3, data.size());
        JsonNode error = TestHttp.json(data.get(2)).path("error");
        assertEquals("boom", error.path("message").asText());
        assertEquals("server_error", error.path("type").asText());
    }

    @Test
    void midStreamErrorAnthropic() throws Exception {
        upstream.enqueue(Script.ok().midStreamError(1));

        String body = http.postJson("/v1/messages",
                "{\"model\":\"c\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").body();

        List<String> blocks = TestHttp.sseBlocks(body, "\n");
        assertEquals(2, blocks.size());
        assertTrue(blocks.get(1).startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\""));
    }

    @Test
    void midStreamErrorResponsesAndGemini() throws Exception {
        upstream.enqueue(Script.ok().midStreamError(2)).enqueue(Script.ok().midStreamError(1));

        List<String> responses = TestHttp.sseBlocks(http.postJson("/v1/responses",
                "{\"model\":\"m\",\"stream\":true,\"input\":\"x\"}").body(), "\n");
        List<String> gemini = TestHttp.sseBlocks(http.postJson("/v1beta/models/g:streamGenerateContent?alt=sse",
                "{\"contents\":[{\"parts\":[{\"text\":\"x y\"}]}]}").body(), "\r\n");

        assertEquals(3, responses.size());
        assertTrue(responses.get(2).startsWith("event: response.failed\n"));
        JsonNode failed = TestHttp.json(responses.get(2).split("\n")[1].substring("data: ".length()));
        assertEquals("failed", failed.path("response").path("status").asText());
        assertEquals(2, failed.path("sequence_number").asInt());
        assertEquals(2, gemini.size());
        assertEquals("INTERNAL", TestHttp.json(gemini.get(1).substring("data: ".length())).path("error").path("status").asText());
    }

    @Test
    void resetConnectionFailsTheClientButIsRecorded() throws Exception {
        upstream.enqueue(Script.ok().resetConnection());

        ExecutionException failure = assertThrows(ExecutionException.class, () -> http.client.sendAsync(
                http.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
                HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS));

        assertInstanceOf(IOException.class, failure.getCause());
        RecordedRequest request = upstream.takeRequest(TestHttp.WAIT);
        assertEquals("/v1/chat/completions", request.path());
        request.connectionClosed().get(1, TimeUnit.SECONDS);
        assertFalse(request.completedNormally());
    }

    @Test
    void chunkDelayPacesEvents() throws Exception {
        upstream.enqueue(Script.ok().reply("one two").chunkDelay(Duration.ofMillis(30)));

        long start = System.nanoTime();
        List<String> data = TestHttp.sseData(http.postJson("/v1/chat/completions", CHAT_STREAM).body());
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(5, data.size()); // role, two words, finish, [DONE]
        assertTrue(elapsedMillis >= 5 * 30 - 5, "took " + elapsedMillis + " ms");
    }

    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }
}
