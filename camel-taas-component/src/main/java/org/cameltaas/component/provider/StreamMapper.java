package org.cameltaas.component.provider;

import java.util.function.Consumer;

import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;

/**
 * Follows one upstream event stream: maps each event to the events the caller sees (often the same one), and keeps
 * what the producer needs to know: whether content has begun (from then on a failure can no longer fall back),
 * whether the protocol's terminator arrived, usage and model. Error events and malformed events are thrown.
 */
public interface StreamMapper {

    void map(SseEvent event, Consumer<SseEvent> out) throws TaasUpstreamException;

    /**
     * The upstream closed the stream normally. Protocols without a terminator event (Gemini) mark themselves
     * finished here and may emit closing events (e.g. OpenAI's {@code [DONE]}).
     */
    default void onEnd(Consumer<SseEvent> out) throws TaasUpstreamException {
    }

    /** True once an event with content (text, tool call, reasoning, finish) has been mapped. */
    boolean hasContent();

    /** True once the protocol's terminator has been seen; a stream that ends before it was cut. */
    boolean isFinished();

    TaasUsage usage();

    /** The model the upstream reports, or null. */
    String model();
}
