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
    /** A reasoning item waiting for the assistant turn it belongs to: its summary text and encrypted content. */
    private String pendingReasoning;
    private String pendingSignature;

    /**
     * Earlier reasoning, handed back on the next assistant message as reasoning_content and reasoning_signature (the
     * encrypted content is the provider's signature): Anthropic refuses a tool turn with thinking that lost it.
     */
    void reasoning(String summary, String encryptedContent) {
        pendingReasoning = summary;
        pendingSignature = encryptedContent;
    }

    void add(ObjectNode message) {
        boolean assistant = "assistant".equals(Json.textOf(message, "role"));
        if (assistant && (pendingReasoning != null || pendingSignature != null)) {
            message.put("reasoning_content", pendingReasoning == null ? "" : pendingReasoning);
            if (pendingSignature != null) {
                message.put("reasoning_signature", pendingSignature);
            }
            pendingReasoning = null;
            pendingSignature = null;
        }
        messages.add(message);
        openAssistant = assistant ? message : null;
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
