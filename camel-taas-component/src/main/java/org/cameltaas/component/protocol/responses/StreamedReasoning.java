package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.responses.ResponseEvents.Sink;

/** Chat's reasoning deltas as a reasoning item with one summary part, streamed as summary text. */
final class StreamedReasoning extends StreamedItem {

    static final String KIND = "reasoning";

    private final StringBuilder text = new StringBuilder();

    StreamedReasoning(String id, int outputIndex) {
        super(id, outputIndex);
    }

    @Override
    String kind() {
        return KIND;
    }

    @Override
    void open(Sink sink) {
        added(OutputItems.reasoning(id, null), sink);
        ObjectNode partAdded = summaryRef();
        partAdded.set("part", OutputItems.summaryPart(""));
        sink.emit("response.reasoning_summary_part.added", partAdded);
    }

    @Override
    void append(String delta, Sink sink) {
        text.append(delta);
        sink.emit("response.reasoning_summary_text.delta", summaryRef().put("delta", delta));
    }

    @Override
    ObjectNode close(Sink sink) {
        String summary = text.toString();
        sink.emit("response.reasoning_summary_text.done", summaryRef().put("text", summary));
        ObjectNode partDone = summaryRef();
        partDone.set("part", OutputItems.summaryPart(summary));
        sink.emit("response.reasoning_summary_part.done", partDone);
        return done(OutputItems.reasoning(id, summary), sink);
    }

    private ObjectNode summaryRef() {
        return ref().put("summary_index", 0);
    }
}
