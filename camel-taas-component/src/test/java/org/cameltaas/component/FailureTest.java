package org.cameltaas.component;

import java.net.ServerSocket;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureTest extends TaasTestSupport {

    private static final String CHAT = "{\"model\":\"fake-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    @Test
    void rateLimitIsRetryableWithRetryAfterAndTheBodyKept() {
        upstream.enqueue(Script.status(429).retryAfter("2").message("Rate limit reached for fake-gpt"));
        Exchange reply = call(uri("chatCompletions", null), CHAT);

        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, reply.getException());
        assertEquals(429, error.getStatusCode());
        assertEquals(429, error.getGatewayStatus());
        assertEquals(Failure.HTTP_STATUS, error.getFailure());
        assertEquals(Duration.ofSeconds(2), error.getRetryAfter());
        assertEquals("Rate limit reached for fake-gpt", error.getUpstreamMessage());
        assertEquals("rate_limit_error", error.getErrorType());
        assertTrue(error.getErrorBody().contains("\"error\""), error.getErrorBody());
        assertTrue(error.getMessage().contains("429"));
        assertTrue(error.getUpstreamRequestId().startsWith("req_"));
    }

    @Test
    void serverErrorsAreRetryableAndMapTo502() {
        for (int status : new int[] {500, 502, 503, 529}) {
            upstream.enqueue(Script.status(status));
            TaasUpstreamException error = assertInstanceOf(TaasRetryableException.class,
                    call(uri("chatCompletions", null), CHAT).getException());
            assertEquals(status, error.getStatusCode());
            assertEquals(502, error.getGatewayStatus());
        }
    }

    @Test
    void clientErrorsAreNotRetryableAndPassThroughTheirStatus() {
        for (int status : new int[] {400, 401, 403, 404, 422}) {
            upstream.enqueue(Script.status(status).message("bad thing " + status));
            TaasUpstreamException error = assertInstanceOf(TaasNonRetryableException.class,
                    call(uri("chatCompletions", null), CHAT).getException());
            assertEquals(status, error.getGatewayStatus());
            assertEquals("bad thing " + status, error.getUpstreamMessage());
        }
    }

    @Test
    void theApiKeyNeverAppearsInErrors() {
        upstream.enqueue(Script.status(401).body("{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY
                                                 + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        TaasUpstreamException error = assertInstanceOf(TaasNonRetryableException.class,
                call(uri("chatCompletions", null), CHAT).getException());
        assertFalse(error.getMessage().contains(API_KEY));
        assertFalse(error.getErrorBody().contains(API_KEY));
        assertFalse(error.getUpstreamMessage().contains(API_KEY));
        assertEquals("invalid_api_key", error.getErrorCode());
        assertTrue(error.getUpstreamMessage().contains("***"));
    }

    @Test
    void unreachableUpstreamIsRetryableAndMapsTo503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Exchange reply = call("taas:chatCompletions?baseUrl=http://127.0.0.1:" + closedPort + "/v1&apiKey=RAW(" + API_KEY + ")",
                CHAT);
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, reply.getException());
        assertEquals(Failure.CONNECT, error.getFailure());
        assertEquals(503, error.getGatewayStatus());
        assertFalse(error.getMessage().contains(API_KEY));
    }

    @Test
    void anUpstreamUrlWithoutAValidHostFailsAtOnce() {
        // underscores are common in container names but not valid in a URI host: no wait for a time-out
        long start = System.nanoTime();
        Exchange reply = call("taas:chatCompletions?baseUrl=http://my_llm:8000/v1&firstTokenTimeout=5000&apiKey=RAW(" + API_KEY + ")",
                CHAT);
        assertInstanceOf(IllegalArgumentException.class, reply.getException());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 4000, "failed before the first-token time-out");
    }

    @Test
    void slowHeadersHitTheFirstTokenTimeout() {
        upstream.enqueue(Script.ok().headerDelay(Duration.ofMillis(1500)));
        long start = System.nanoTime();
        Exchange reply = call(uri("chatCompletions", "firstTokenTimeout=200"), CHAT);
        long millis = (System.nanoTime() - start) / 1_000_000;
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, reply.getException());
        assertEquals(Failure.FIRST_TOKEN_TIMEOUT, error.getFailure());
        assertEquals(504, error.getGatewayStatus());
        assertTrue(millis < 1400, "gave up after " + millis + " ms, before the upstream answered");
    }

    @Test
    void aStreamWithoutContentInTimeFailsTheExchangeRetryably() {
        upstream.enqueue(Script.ok().chunkDelay(Duration.ofMillis(1500)));
        Exchange reply = call(uri("chatCompletions", "stream=true&firstTokenTimeout=300"), CHAT);
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, reply.getException());
        assertEquals(Failure.FIRST_TOKEN_TIMEOUT, error.getFailure());
    }

    @Test
    void aStreamThatGoesQuietAfterContentEndsWithAnIdleTimeout() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three").chunkDelay(Duration.ofMillis(100)));
        Exchange reply = call(uri("chatCompletions", "stream=true&idleTimeout=40&firstTokenTimeout=5000"), CHAT);
        // the first events may or may not beat the idle limit; either way the outcome is a typed time-out
        if (reply.getException() != null) {
            assertEquals(Failure.IDLE_TIMEOUT,
                    assertInstanceOf(TaasUpstreamException.class, reply.getException()).getFailure());
            return;
        }
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.IDLE_TIMEOUT, error.getFailure());
    }

    @Test
    void aStreamCutMidWayEndsWithAnError() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four five six").cutAfterEvents(4));
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.STREAM_CUT, error.getFailure());
        assertEquals(4, events.events.size(), "every event before the cut is delivered");
        TaasStream.Result result = reply.getMessage().getBody(TaasStream.class).completion().get();
        assertEquals(error, result.error());
    }

    @Test
    void aStreamCutBeforeAnyContentFailsTheExchangeRetryably() {
        upstream.enqueue(Script.ok().cutAfterEvents(1)); // only the role chunk
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(uri("chatCompletions", "stream=true"), CHAT).getException());
        assertEquals(Failure.STREAM_CUT, error.getFailure());
    }

    @Test
    void aMalformedChunkEndsTheStreamWithAnError() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four").malformedEventAt(3));
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.MALFORMED, error.getFailure());
        assertEquals(3, events.events.size());
    }

    @Test
    void anErrorEventBeforeContentFailsTheExchangeSoFallbackCanStillHappen() {
        upstream.enqueue(Script.ok().midStreamError(1));
        TaasUpstreamException error = assertInstanceOf(TaasUpstreamException.class,
                call(uri("chatCompletions", "stream=true"), CHAT).getException());
        assertEquals(Failure.STREAM_ERROR, error.getFailure());
    }

    @Test
    void anErrorEventAfterContentEndsTheStream() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four").midStreamError(3));
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.STREAM_ERROR, error.getFailure());
        assertTrue(error.getUpstreamMessage() != null && !error.getUpstreamMessage().isEmpty());
    }

    @Test
    void aTrickledStreamIsReassembledExactly() throws Exception {
        upstream.enqueue(Script.ok().reply("trickle of words, é and 漢字 too").trickle(Duration.ofMillis(1), 7));
        Exchange reply = call(uri("chatCompletions", "stream=true"), CHAT);
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        assertNull(events.awaitEnd());
        assertEquals("trickle of words, é and 漢字 too", events.chatText());
    }

    @Test
    void aTrickledJsonReplyIsReassembledExactly() {
        upstream.enqueue(Script.ok().reply("slow but whole").trickle(Duration.ofMillis(1), 5));
        Exchange reply = call(uri("chatCompletions", null), CHAT);
        assertEquals("slow but whole", reply.getMessage().getBody(com.fasterxml.jackson.databind.JsonNode.class)
                .at("/choices/0/message/content").asText());
    }

    @Test
    void aResetConnectionIsRetryable() {
        upstream.enqueue(Script.ok().resetConnection());
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(uri("chatCompletions", null), CHAT).getException());
        assertEquals(0, error.getStatusCode());
    }

    @Test
    void anthropicStyleErrorsAreRead() {
        upstream.enqueue(Script.status(529).message("Overloaded"));
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(uri("messages", "provider=anthropic"), "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                        .getException());
        assertEquals("overloaded_error", error.getErrorType());
        assertEquals("Overloaded", error.getUpstreamMessage());
    }
}
