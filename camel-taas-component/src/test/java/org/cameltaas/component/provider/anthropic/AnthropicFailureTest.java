package org.cameltaas.component.provider.anthropic;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.cameltaas.component.EventCollector;
import org.cameltaas.component.TaasNonRetryableException;
import org.cameltaas.component.TaasRetryableException;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anthropic's error replies and in-stream errors as the component's typed failures. */
class AnthropicFailureTest extends AnthropicTestSupport {

    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"one two three four\"}]}";

    @Test
    void rateLimitIsRetryableWithRetryAfter() {
        upstream.enqueue(Script.status(429).retryAfter("3").message("Number of requests has exceeded your rate limit"));
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(chatUri(null), CHAT).getException());
        assertEquals(429, error.getStatusCode());
        assertEquals(429, error.getGatewayStatus());
        assertEquals(Failure.HTTP_STATUS, error.getFailure());
        assertEquals(Duration.ofSeconds(3), error.getRetryAfter());
        assertEquals("rate_limit_error", error.getErrorType());
        assertEquals("Number of requests has exceeded your rate limit", error.getUpstreamMessage());
        assertTrue(error.getErrorBody().contains("\"type\":\"error\""), error.getErrorBody());
        assertTrue(error.getUpstreamRequestId().startsWith("req_"));
        assertEquals("anthropic", error.getProvider());
    }

    @Test
    void badRequestIsNotRetryableAndKeepsTheMessage() {
        upstream.enqueue(Script.status(400).message("messages.0.content: text content blocks must be non-empty"));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class,
                call(chatUri(null), CHAT).getException());
        assertEquals(400, error.getGatewayStatus());
        assertEquals("invalid_request_error", error.getErrorType());
        assertEquals("messages.0.content: text content blocks must be non-empty", error.getUpstreamMessage());
        assertTrue(error.getMessage().contains("400"));
    }

    @Test
    void overloadedIsRetryable() {
        upstream.enqueue(Script.status(529));
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(chatUri(null), CHAT).getException());
        assertEquals(529, error.getStatusCode());
        assertEquals("overloaded_error", error.getErrorType());
        assertEquals(502, error.getGatewayStatus());
    }

    @Test
    void theApiKeyNeverAppearsInErrors() {
        upstream.enqueue(Script.status(401).message("invalid x-api-key " + API_KEY));
        TaasUpstreamException error = assertInstanceOf(TaasNonRetryableException.class,
                call(chatUri(null), CHAT).getException());
        assertFalse(error.getErrorBody().contains(API_KEY));
        assertFalse(error.getUpstreamMessage().contains(API_KEY));
        assertEquals("authentication_error", error.getErrorType());
    }

    @Test
    void anErrorEventBeforeContentFailsTheExchangeRetryably() {
        upstream.enqueue(Script.ok().midStreamError(1).message("Overloaded")); // after message_start only
        Exchange reply = call(chatUri("stream=true"), CHAT);
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, reply.getException());
        assertEquals(Failure.STREAM_ERROR, error.getFailure());
        assertEquals("overloaded_error", error.getErrorType());
        assertEquals("Overloaded", error.getUpstreamMessage());
    }

    @Test
    void anErrorEventAfterContentEndsTheStreamWithAnError() throws Exception {
        // message_start, content_block_start, ping, " one", " two", then the error
        upstream.enqueue(Script.ok().reply("one two three four").midStreamError(5));
        Exchange reply = call(chatUri("stream=true"), CHAT);
        assertNull(reply.getException(), "content arrived: the exchange completed with the stream");
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.STREAM_ERROR, error.getFailure());
        assertEquals("one two", events.joined("content"), "what came before the error is delivered");
        assertFalse(events.events.get(events.events.size() - 1).isDone());
    }

    @Test
    void aStreamCutBeforeMessageStopEndsWithAnError() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four").cutAfterEvents(6));
        Exchange reply = call(chatUri("stream=true"), CHAT);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.STREAM_CUT, error.getFailure());
    }

    @Test
    void aMalformedEventIsAFailureNotAChunk() throws Exception {
        upstream.enqueue(Script.ok().malformedEventAt(0));
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(chatUri("stream=true"), CHAT).getException());
        assertEquals(Failure.MALFORMED, error.getFailure());
    }
}
