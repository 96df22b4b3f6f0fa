package org.cameltaas.testkit;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CancellationTest extends FakeUpstreamTestSupport {

    @Test
    void cancellingTheBodySubscriptionClosesTheUpstreamConnection() throws Exception {
        String longReply = "word ".repeat(100).trim();
        upstream.enqueue(Script.ok().reply(longReply).chunkDelay(Duration.ofMillis(20)));
        HttpRequest request = http.request("/v1/chat/completions").POST(HttpRequest.BodyPublishers.ofString(
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).build();

        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = http.client
                .sendAsync(request, HttpResponse.BodyHandlers.ofPublisher()).get(5, TimeUnit.SECONDS);
        TwoEventsThenCancel reader = new TwoEventsThenCancel();
        response.body().subscribe(reader);
        reader.cancelled.get(5, TimeUnit.SECONDS);

        RecordedRequest recorded = upstream.takeRequest(TestHttp.WAIT);
        long closedAt = recorded.connectionClosed().get(500, TimeUnit.MILLISECONDS);
        assertTrue(closedAt > recorded.receivedAtNanos());
        assertFalse(recorded.completedNormally());
    }

    /** Reads until two SSE events have arrived, then cancels. */
    private static final class TwoEventsThenCancel implements Flow.Subscriber<List<ByteBuffer>> {
        final CompletableFuture<Void> cancelled = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            buffers.forEach(b -> text.append(StandardCharsets.UTF_8.decode(b)));
            if (RawHttp.count(text.toString(), "\n\n") >= 2) {
                subscription.cancel();
                cancelled.complete(null);
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            cancelled.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            cancelled.completeExceptionally(new AssertionError("stream ended before two events"));
        }
    }
}
