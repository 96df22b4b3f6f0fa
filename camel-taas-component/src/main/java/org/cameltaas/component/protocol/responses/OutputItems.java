package org.cameltaas.component.protocol.responses;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/** The shapes of Responses output items and their parts, shared by the whole reply and the stream. */
final class OutputItems {

    static final String COMPLETED = "completed";
    static final String IN_PROGRESS = "in_progress";

    private OutputItems() {
    }

    /** A reasoning item; its summary is empty while it is still being streamed. */
    static ObjectNode reasoning(String id, String summary) {
        ObjectNode item = Json.object().put("type", "reasoning").put("id", id);
        ArrayNode parts = item.putArray("summary");
        if (summary != null) {
            parts.add(summaryPart(summary));
        }
        return item;
    }

    static ObjectNode summaryPart(String text) {
        return Json.object().put("type", "summary_text").put("text", text);
    }

    static ObjectNode message(String id, String status, List<ObjectNode> parts) {
        ObjectNode item = Json.object().put("type", "message").put("id", id).put("status", status)
                .put("role", "assistant");
        ArrayNode content = item.putArray("content");
        parts.forEach(content::add);
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = Json.object().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        return part;
    }

    static ObjectNode refusalPart(String refusal) {
        return Json.object().put("type", "refusal").put("refusal", refusal);
    }

    static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        return Json.object().put("type", "function_call").put("id", id).put("call_id", callId).put("name", name)
                .put("arguments", arguments).put("status", status);
    }
}
