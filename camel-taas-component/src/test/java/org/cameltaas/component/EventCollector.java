package org.cameltaas.component;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import org.cameltaas.component.http.SseEvent;

/** A test subscriber: requests events in batches (or up to a cap) and records what it got and how it ended. */
final class EventCollector implements Flow.Subscriber<SseEvent> {

    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> end = new CompletableFuture<>();
    private final long stopAfter;
    private final CompletableFuture<Void> reachedCap = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    /** Collects everything. */
    EventCollector() {
        this(Long.MAX_VALUE);
    }

    /** Requests exactly {@code stopAfter} events, then waits. */
    EventCollector(long stopAfter) {
        this.stopAfter = stopAfter;
    }

    static EventCollector drain(TaasStream stream) {
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

    void awaitCap() throws Exception {
        reachedCap.get(5, TimeUnit.SECONDS);
    }

    void cancel() {
        subscription.cancel();
    }

    /** Waits for the end; returns the error or null on normal completion. */
    Throwable awaitEnd() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }

    /** The concatenated text deltas of a chat completion stream. */
    String chatText() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (SseEvent e : events) {
            if (!e.isDone()) {
                for (var choice : e.json().path("choices")) {
                    sb.append(choice.path("delta").path("content").asText(""));
                }
            }
        }
        return sb.toString();
    }
}
