package org.cameltaas.component.http;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Turns a streamed reply body, fed in whatever buffers the network delivers, into events: server-sent events
 * ({@link SseEventParser}) for most providers; a provider with another framing (AWS event streams,
 * newline-delimited JSON) brings its own, chosen by {@code TaasProvider#streamDecoder}.
 */
public interface StreamDecoder {

    /** Decodes the bytes of one buffer, handing each complete event to the sink. */
    void feed(ByteBuffer buffer, Consumer<SseEvent> sink);

    /** At the end of the body: hands on what a last, unterminated event held (if the framing has such a thing). */
    void finish(Consumer<SseEvent> sink);
}
