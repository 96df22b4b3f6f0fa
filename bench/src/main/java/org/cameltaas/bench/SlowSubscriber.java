package org.cameltaas.bench;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.cameltaas.component.http.SseEvent;

/**
 * A reader that asks for one event at a time and only when {@link #pace()} says so, like a slow client at the
 * far end of a gateway. Keeps no buffer: what it does not request waits upstream.
 */
final class SlowSubscriber implements Flow.Subscriber<SseEvent> {

    private final AtomicInteger events = new AtomicInteger();
    private final AtomicBoolean awaiting = new AtomicBoolean(true);
    private final ThreadNames deliveryThreads;
    private volatile Flow.Subscription subscription;
    private volatile Throwable error;
    private volatile boolean complete;

    SlowSubscriber(ThreadNames deliveryThreads) {
        this.deliveryThreads = deliveryThreads;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(SseEvent event) {
        deliveryThreads.seen();
        events.incrementAndGet();
        awaiting.set(false);
    }

    @Override
    public void onError(Throwable throwable) {
        error = throwable;
    }

    @Override
    public void onComplete() {
        complete = true;
    }

    /** Called periodically: asks for the next event once the previous one has arrived. */
    void pace() {
        Flow.Subscription s = subscription;
        if (s != null && awaiting.compareAndSet(false, true)) {
            s.request(1);
        }
    }

    void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    int events() {
        return events.get();
    }

    Throwable error() {
        return error;
    }

    boolean isComplete() {
        return complete;
    }
}
