package org.cameltaas.component;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.http.SseEvent;

/**
 * A test subscriber for every kind of TaasStream: requests events in batches (or up to a cap), records what it got
 * and how it ended, and reads chat.completion.chunk events back.
 */
public final class EventCollector implements Flow.Subscriber<SseEvent> {

    /** What arrived, in order; [DONE] included. */
    public final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> end = new CompletableFuture<>();
    private final long stopAfter;
    private final CompletableFuture<Void> reachedCap = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    /** Collects everything. */
    public EventCollector() {
        this(Long.MAX_VALUE);
    }

    /** Requests exactly {@code stopAfter} events, then waits. */
    public EventCollector(long stopAfter) {
        this.stopAfter = stopAfter;
    }

    /** Subscribes a collector that takes every event. */
    public static EventCollector drain(TaasStream stream) {
        EventCollector collector = new EventCollector();
        stream.subscribe(collector);
        return collector;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(stopAfter == Long.MAX_VALUE ? 8 : stopAfter);
    }

    @Override
    public void onNext(SseEvent item) {
        events.add(item);
        if (stopAfter == Long.MAX_VALUE) {
            subscription.request(1);
        } else if (events.size() >= stopAfter) {
            reachedCap.complete(null);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        end.complete(throwable);
    }

    @Override
    public void onComplete() {
        end.complete(null);
    }

    public void awaitCap() throws Exception {
        reachedCap.get(5, TimeUnit.SECONDS);
    }

    public void cancel() {
        subscription.cancel();
    }

    /** Waits for the end; returns the error or null on normal completion. */
    public Throwable awaitEnd() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }

    /** The JSON of every event but [DONE]. */
    public List<JsonNode> chunks() throws Exception {
        List<JsonNode> chunks = new ArrayList<>();
        for (SseEvent e : events) {
            if (!e.isDone()) {
                chunks.add(e.json());
            }
        }
        return chunks;
    }

    /** The concatenation of one delta field over all chunks and choices, e.g. content or reasoning_content. */
    public String joined(String deltaField) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (JsonNode chunk : chunks()) {
            for (JsonNode choice : chunk.path("choices")) {
                sb.append(choice.path("delta").path(deltaField).asText(""));
            }
        }
        return sb.toString();
    }

    /** The concatenated text deltas of a chat completion stream. */
    public String chatText() throws Exception {
        return joined("content");
    }

    /** The finish reasons, in order. */
    public List<String> finishReasons() throws Exception {
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
