package org.cameltaas.component.provider.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.http.SseEvent;

/** A test subscriber that takes every event of a TaasStream and records how the stream ended. */
final class StreamEvents implements Flow.Subscriber<SseEvent> {

    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> end = new CompletableFuture<>();

    static StreamEvents drain(TaasStream stream) {
        StreamEvents collector = new StreamEvents();
        stream.subscribe(collector);
        return collector;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(SseEvent item) {
        events.add(item);
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

    /** The JSON of every event but [DONE]. */
    List<JsonNode> chunks() throws Exception {
        List<JsonNode> chunks = new ArrayList<>();
        for (SseEvent event : events) {
            if (!event.isDone()) {
                chunks.add(event.json());
            }
        }
        return chunks;
    }

    /** The concatenated values of one delta field (content, reasoning_content) of choice 0. */
    String joined(String deltaField) throws Exception {
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks()) {
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path(deltaField).asText(""));
            }
        }
        return text.toString();
    }

    /** The finish reasons, in order. */
    List<String> finishReasons() throws Exception {
        List<String> reasons = new ArrayList<>();
        for (JsonNode chunk : chunks()) {
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.path("finish_reason").isTextual()) {
                    reasons.add(choice.path("finish_reason").asText());
                }
            }
        }
        return reasons;
    }
}
