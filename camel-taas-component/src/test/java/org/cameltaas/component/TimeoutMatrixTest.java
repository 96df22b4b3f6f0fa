package org.cameltaas.component;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every combination of the three time-outs fires the one it should, streamed or not: first token (to the headers,
 * or a stream's first content), idle (silence once the headers are in) and total. The upstream's stalls are far
 * longer than the limits, so which limit fires is the outcome, not a race. Before the fix an idle time-out below the
 * first-token one (the defaults: 60 s and 120 s) expired before the headers and stopped the timer for good.
 */
class TimeoutMatrixTest extends TaasTestSupport {

    private static final String CHAT = "{\"model\":\"fake-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    private static final Duration STALL = Duration.ofSeconds(5);

    private static String limits(boolean stream, long firstToken, long idle, long total) {
        return "stream=" + stream + "&firstTokenTimeout=" + firstToken + "&idleTimeout=" + idle + "&totalTimeout=" + total;
    }

    private TaasUpstreamException failure(Script script, boolean stream, long firstToken, long idle, long total) {
        upstream.enqueue(script);
        Exchange reply = call(uri("chatCompletions", limits(stream, firstToken, idle, total)), CHAT);
        return assertInstanceOf(TaasUpstreamException.class, reply.getException(), "the call must time out");
    }

    // not streamed

    @Test
    void blackHoledHeadersHitTheFirstTokenTimeoutEvenWithIdleBelowIt() {
        TaasUpstreamException e = failure(Script.ok().headerDelay(STALL), false, 400, 100, 20_000);
        assertEquals(Failure.FIRST_TOKEN_TIMEOUT, e.getFailure());
        assertInstanceOf(TaasRetryableException.class, e);
        assertEquals(504, e.getGatewayStatus());
    }

    @Test
    void blackHoledHeadersHitTheTotalTimeoutWhenItIsFirst() {
        assertEquals(Failure.TOTAL_TIMEOUT, failure(Script.ok().headerDelay(STALL), false, 3000, 100, 400).getFailure());
    }

    @Test
    void blackHoledHeadersHitTheTotalTimeoutWithoutAFirstTokenTimeout() {
        // the idle deadline passes long before the total one: it must not stop the timer
        assertEquals(Failure.TOTAL_TIMEOUT, failure(Script.ok().headerDelay(STALL), false, 0, 100, 600).getFailure());
    }

    @Test
    void idleAloneDoesNotCountBeforeTheHeaders() {
        upstream.enqueue(Script.ok().headerDelay(Duration.ofMillis(600)).reply("late but fine"));
        Exchange reply = call(uri("chatCompletions", limits(false, 0, 200, 0)), CHAT);
        assertNull(reply.getException(), "idle silence before the headers is the first-token limit's business");
    }

    @Test
    void aBodyThatStallsAfterTheHeadersHitsTheIdleTimeout() {
        TaasUpstreamException e = failure(Script.ok().reply("x".repeat(200)).trickle(STALL, 40), false, 20_000, 300, 20_000);
        assertEquals(Failure.IDLE_TIMEOUT, e.getFailure());
    }

    // streamed

    @Test
    void aStreamWithoutContentHitsTheFirstToken() {
        TaasUpstreamException e = failure(Script.ok().chunkDelay(STALL), true, 400, 3000, 20_000);
        assertEquals(Failure.FIRST_TOKEN_TIMEOUT, e.getFailure());
        assertInstanceOf(TaasRetryableException.class, e);
    }

    @Test
    void aStreamWhoseHeadersNeverComeHitsTheFirstTokenEvenWithIdleBelowIt() {
        assertEquals(Failure.FIRST_TOKEN_TIMEOUT, failure(Script.ok().headerDelay(STALL), true, 400, 100, 20_000).getFailure());
    }

    @Test
    void aStreamSilentAfterItsHeadersHitsTheIdleTimeoutBeforeContent() {
        TaasUpstreamException e = failure(Script.ok().chunkDelay(STALL), true, 3000, 300, 20_000);
        assertEquals(Failure.IDLE_TIMEOUT, e.getFailure());
        assertInstanceOf(TaasRetryableException.class, e, "nothing reached the caller: another deployment may serve");
    }

    @Test
    void aStreamWhoseHeadersNeverComeHitsTheTotalWithoutAFirstTokenTimeout() {
        assertEquals(Failure.TOTAL_TIMEOUT, failure(Script.ok().headerDelay(STALL), true, 0, 100, 600).getFailure());
    }

    @Test
    void aStreamThatKeepsFlowingPastTheTotalIsEndedByIt() throws Exception {
        upstream.enqueue(Script.ok().reply("word ".repeat(100)).chunkDelay(Duration.ofMillis(50)));
        Exchange reply = call(uri("chatCompletions", limits(true, 3000, 3000, 800)), CHAT);
        assertNull(reply.getException(), "content arrived in time: the stream was committed");
        EventCollector events = EventCollector.drain(reply.getMessage().getBody(TaasStream.class));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, events.awaitEnd());
        assertEquals(Failure.TOTAL_TIMEOUT, error.getFailure());
    }
}
