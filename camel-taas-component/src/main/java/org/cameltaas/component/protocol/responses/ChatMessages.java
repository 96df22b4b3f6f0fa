package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * The chat messages being built. Responses lists each function call as its own item; chat wants the calls of one
 * turn on one assistant message, so a call joins the assistant message just before it (the turn's text, or
 * earlier calls) rather than starting a new one.
 */
final class ChatMessages {

    private final ArrayNode messages = Json.MAPPER.createArrayNode();
    /** The assistant message a following function call joins; null once anything else came after it. */
    private ObjectNode openAssistant;

    void add(ObjectNode message) {
        messages.add(message);
        openAssistant = "assistant".equals(Json.textOf(message, "role")) ? message : null;
    }

    void addToolCall(ObjectNode toolCall) {
        if (openAssistant == null) {
            ObjectNode assistant = Json.object().put("role", "assistant");
            assistant.putNull("content"); // chat's own shape for a turn that only calls tools
            add(assistant);
        }
        openAssistant.withArray("tool_calls").add(toolCall);
    }

    ArrayNode toJson() {
        return messages;
    }
}
