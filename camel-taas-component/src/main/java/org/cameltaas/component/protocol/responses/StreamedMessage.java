package org.cameltaas.component.protocol.responses;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.responses.ResponseEvents.Sink;

import static org.cameltaas.component.protocol.responses.OutputItems.COMPLETED;
import static org.cameltaas.component.protocol.responses.OutputItems.IN_PROGRESS;

/** Chat's content (or refusal) deltas as an assistant message item with one content part. */
final class StreamedMessage extends StreamedItem {

    /** The two kinds of part a message streams; they differ in names only. */
    enum Part {
        TEXT("output_text", "text", "response.output_text"),
        REFUSAL("refusal", "refusal", "response.refusal");

        private final String kind;
        private final String field;
        private final String eventPrefix;

        Part(String kind, String field, String eventPrefix) {
            this.kind = kind;
            this.field = field;
            this.eventPrefix = eventPrefix;
        }

        String kind() {
            return kind;
        }

        ObjectNode of(String text) {
            return this == TEXT ? OutputItems.textPart(text) : OutputItems.refusalPart(text);
        }
    }

    private final Part part;
    private final StringBuilder text = new StringBuilder();

    StreamedMessage(String id, int outputIndex, Part part) {
        super(id, outputIndex);
        this.part = part;
    }

    @Override
    String kind() {
        return part.kind();
    }

    @Override
    void open(Sink sink) {
        added(OutputItems.message(id, IN_PROGRESS, List.of()), sink);
        ObjectNode partAdded = contentRef();
        partAdded.set("part", part.of(""));
        sink.emit("response.content_part.added", partAdded);
    }

    @Override
    void append(String delta, Sink sink) {
        text.append(delta);
        sink.emit(part.eventPrefix + ".delta", withLogprobs(contentRef().put("delta", delta)));
    }

    @Override
    ObjectNode close(Sink sink) {
        String full = text.toString();
        sink.emit(part.eventPrefix + ".done", withLogprobs(contentRef().put(part.field, full)));
        ObjectNode partDone = contentRef();
        partDone.set("part", part.of(full));
        sink.emit("response.content_part.done", partDone);
        return done(OutputItems.message(id, COMPLETED, List.of(part.of(full))), sink);
    }

    private ObjectNode contentRef() {
        return ref().put("content_index", 0);
    }

    /** Text events carry logprobs (none here: chat's are not asked for); refusal events have no such field. */
    private ObjectNode withLogprobs(ObjectNode payload) {
        if (part == Part.TEXT) {
            payload.putArray("logprobs");
        }
        return payload;
    }
}
