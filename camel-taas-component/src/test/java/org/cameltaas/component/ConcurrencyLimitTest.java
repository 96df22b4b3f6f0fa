package org.cameltaas.component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyLimitTest extends TaasTestSupport {

    @Test
    void requestsOverTheLimitWaitTheirTurn() throws Exception {
        upstream.setDefault(Script.ok().headerDelay(Duration.ofMillis(300)));
        String uri = uri("chatCompletions", "model=fake-gpt&maxConcurrentRequests=2");
        List<CompletableFuture<Exchange>> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String body = "call " + i;
            replies.add(template.asyncSend(uri, e -> e.getMessage().setBody(body)));
        }
        for (CompletableFuture<Exchange> reply : replies) {
            assertNull(reply.get(10, TimeUnit.SECONDS).getException());
        }
        List<RecordedRequest> received = upstream.requests();
        assertEquals(6, received.size());
        // with two at a time and 300 ms each, no three requests arrive within 200 ms of each other
        for (int i = 2; i < received.size(); i++) {
            long spread = received.get(i).receivedAtNanos() - received.get(i - 2).receivedAtNanos();
            assertTrue(TimeUnit.NANOSECONDS.toMillis(spread) >= 200,
                    "requests " + (i - 2) + ".." + i + " arrived within " + TimeUnit.NANOSECONDS.toMillis(spread) + " ms");
        }
    }
}
