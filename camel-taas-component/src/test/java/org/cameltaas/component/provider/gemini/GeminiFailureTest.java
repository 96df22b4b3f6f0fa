package org.cameltaas.component.provider.gemini;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.cameltaas.component.EventCollector;
import org.cameltaas.component.TaasNonRetryableException;
import org.cameltaas.component.TaasRetryableException;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gemini's error replies, in the body and inside the stream, as typed failures. */
class GeminiFailureTest extends GeminiTestSupport {

    private static final String ASK = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    @Test
    void resourceExhaustedIsRetryableWithItsMessage() {
        upstream.enqueue(Script.status(429).message("Quota exceeded for gemini-x").retryAfter("3"));
        Exchange reply = call(uri("chatCompletions", null), ASK);
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, reply.getException());
        assertEquals(429, error.getStatusCode());
        assertEquals(429, error.getGatewayStatus());
        assertEquals(Failure.HTTP_STATUS, error.getFailure());
        assertEquals("Quota exceeded for gemini-x", error.getUpstreamMessage());
        assertEquals("RESOURCE_EXHAUSTED", error.getErrorType());
        assertEquals("429", error.getErrorCode());
        assertEquals(Duration.ofSeconds(3), error.getRetryAfter());
        assertEquals("gemini", error.getProvider());
        assertTrue(error.getUpstreamRequestId().startsWith("req_"), "read from x-goog-request-id");
        assertTrue(error.getMessage().contains("Quota exceeded"), error.getMessage());
    }

    @Test
    void invalidArgumentIsNotRetryable() {
        upstream.enqueue(Script.status(400).message("* GenerateContentRequest.contents: contents is not specified"));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class,
                call(uri("chatCompletions", null), ASK).getException());
        assertEquals(400, error.getGatewayStatus());
        assertEquals("INVALID_ARGUMENT", error.getErrorType());
        assertEquals("* GenerateContentRequest.contents: contents is not specified", error.getUpstreamMessage());
    }

    @Test
    void anErrorEventBeforeContentFailsTheExchangeRetryably() {
        upstream.enqueue(Script.ok().reply("never seen").midStreamError(0));
        TaasRetryableException error = assertInstanceOf(TaasRetryableException.class,
                call(uri("chatCompletions", "stream=true"), ASK).getException());
        assertEquals(Failure.STREAM_ERROR, error.getFailure());
        assertEquals("INTERNAL", error.getErrorType(), "INTERNAL is transient");
    }

    @Test
    void anErrorEventAfterContentEndsTheStream() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three four").midStreamError(2).message("Backend went away"));
        Exchange reply = call(uri("chatCompletions", "stream=true"), ASK);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.STREAM_ERROR, error.getFailure());
        assertEquals("Backend went away", error.getUpstreamMessage());
        assertEquals("one two", events.joined("content"));
        assertFalse(events.events.stream().anyMatch(e -> e.isDone()));
    }

    @Test
    void aMalformedChunkEndsTheStream() throws Exception {
        upstream.enqueue(Script.ok().reply("one two three").malformedEventAt(1));
        Exchange reply = call(uri("chatCompletions", "stream=true"), ASK);
        assertNull(reply.getException());
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.MALFORMED, error.getFailure());
    }

    @Test
    void theApiKeyNeverAppearsInErrors() {
        upstream.enqueue(Script.status(400).body("{\"error\":{\"code\":400,\"message\":\"API key not valid: " + API_KEY
                + "\",\"status\":\"INVALID_ARGUMENT\"}}"));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class,
                call(uri("chatCompletions", null), ASK).getException());
        assertFalse(error.getMessage().contains(API_KEY));
        assertFalse(error.getErrorBody().contains(API_KEY));
        assertFalse(error.getUpstreamMessage().contains(API_KEY));
    }

    @Test
    void operationsGeminiCannotServeAreRefusedWhenTheEndpointIsCreated() {
        assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint(uri("audioSpeech", null)));
        assertEquals(0, upstream.requestCount());
    }
}
