package org.cameltaas.gateway.http;

import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.cameltaas.component.http.SseEvent;

/** A stream's events as they go to the client, shown to an observer (the responses store's) or rewritten on the way. */
public final class TappedEvents {

    private TappedEvents() {
    }

    static Flow.Publisher<SseEvent> of(Flow.Publisher<SseEvent> events, Consumer<SseEvent> tap) {
        return mapped(events, event -> {
            try {
                tap.accept(event);
            } catch (RuntimeException e) {
                // an observer's failure must not break the client's stream
            }
            return event;
        });
    }

    /** The stream's events, each replaced by what {@code map} makes of it (credits write the cost into the last). */
    public static Flow.Publisher<SseEvent> mapped(Flow.Publisher<SseEvent> events, UnaryOperator<SseEvent> map) {
        return subscriber -> events.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(SseEvent event) {
                subscriber.onNext(map.apply(event));
            }

            @Override
            public void onError(Throwable error) {
                subscriber.onError(error);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
