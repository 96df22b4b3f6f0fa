package org.cameltaas.gateway.http;

import java.util.concurrent.Flow;
import java.util.function.Consumer;

import org.cameltaas.component.http.SseEvent;

/** A stream's events as they go to the client, shown to an observer on the way (the responses store's). */
final class TappedEvents {

    private TappedEvents() {
    }

    static Flow.Publisher<SseEvent> of(Flow.Publisher<SseEvent> events, Consumer<SseEvent> tap) {
        return subscriber -> events.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(SseEvent event) {
                try {
                    tap.accept(event);
                } catch (RuntimeException e) {
                    // an observer's failure must not break the client's stream
                }
                subscriber.onNext(event);
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
