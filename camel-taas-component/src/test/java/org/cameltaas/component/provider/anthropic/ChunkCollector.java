package org.cameltaas.component.provider.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.http.SseEvent;

/** A test subscriber for translated chat streams: takes every event and reads the chunks back. */
final class ChunkCollector implements Flow.Subscriber<SseEvent> {

    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> end = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    static ChunkCollector drain(TaasStream stream) {
        ChunkCollector collector = new ChunkCollector();
        stream.subscribe(collector);
        return collector;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(8);
    }

    @Override
    public void onNext(SseEvent item) {
        events.add(item);
        subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
        end.complete(throwable);
    }

    @Override
    public void onComplete() {
        end.complete(null);
    }

    /** Waits for the end; the error, or null when the stream completed normally. */
    Throwable awaitEnd() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }

    /** The chunks, {@code [DONE]} left out. */
    List<JsonNode> chunks() throws Exception {
        List<JsonNode> chunks = new ArrayList<>();
        for (SseEvent e : events) {
            if (!e.isDone()) {
                chunks.add(e.json());
            }
        }
        return chunks;
    }

    /** The concatenation of one delta field over all chunks, e.g. content or reasoning_content. */
    String joined(String deltaField) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (JsonNode chunk : chunks()) {
            for (JsonNode choice : chunk.path("choices")) {
                sb.append(choice.path("delta").path(deltaField).asText(""));
            }
        }
        return sb.toString();
    }
}
