package org.cameltaas.component.protocol.responses;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;

/**
 * Numbers the events of one Responses stream: each is an {@code event: <type>} whose data starts with
 * {@code type} and {@code sequence_number} (counting from 0), as OpenAI sends them.
 */
final class ResponseEvents {

    /** Where the events of one upstream event go. */
    interface Sink {
        void emit(String type, ObjectNode payload);
    }

    private int nextSequenceNumber;

    Sink to(Consumer<SseEvent> out) {
        return (type, payload) -> out.accept(event(type, payload));
    }

    private SseEvent event(String type, ObjectNode payload) {
        ObjectNode data = Json.object().put("type", type).put("sequence_number", nextSequenceNumber++);
        data.setAll(payload);
        return SseEvent.of(type, data);
    }
}
