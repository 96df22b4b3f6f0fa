package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.responses.ResponseEvents.Sink;

import static org.cameltaas.component.protocol.responses.OutputItems.COMPLETED;
import static org.cameltaas.component.protocol.responses.OutputItems.IN_PROGRESS;

/** One chat tool call (one {@code tool_calls} index) as a function_call item whose arguments stream in pieces. */
final class StreamedFunctionCall extends StreamedItem {

    private final int callIndex;
    private final String callId;
    private final String name;
    private final StringBuilder arguments = new StringBuilder();

    StreamedFunctionCall(String id, int outputIndex, int callIndex, String callId, String name) {
        super(id, outputIndex);
        this.callIndex = callIndex;
        this.callId = callId;
        this.name = name;
    }

    static String kind(int callIndex) {
        return "call:" + callIndex;
    }

    @Override
    String kind() {
        return kind(callIndex);
    }

    int callIndex() {
        return callIndex;
    }

    @Override
    void open(Sink sink) {
        added(OutputItems.functionCall(id, callId, name, "", IN_PROGRESS), sink);
    }

    @Override
    void append(String delta, Sink sink) {
        if (delta.isEmpty()) {
            return; // the opening fragment often has "" arguments: nothing to announce
        }
        arguments.append(delta);
        sink.emit("response.function_call_arguments.delta", ref().put("delta", delta));
    }

    @Override
    ObjectNode close(Sink sink) {
        String full = arguments.toString();
        sink.emit("response.function_call_arguments.done", ref().put("arguments", full));
        return done(OutputItems.functionCall(id, callId, name, full, COMPLETED), sink);
    }
}
