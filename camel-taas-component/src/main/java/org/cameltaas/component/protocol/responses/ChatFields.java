package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

/** Reads a chat message or stream delta in the dialects chat upstreams use. */
final class ChatFields {

    private ChatFields() {
    }

    /** {@code reasoning_content} (DeepSeek, vLLM, the gateway's own providers) or {@code reasoning} (others). */
    static String reasoning(JsonNode message) {
        String reasoning = Json.textOf(message, "reasoning_content");
        return reasoning != null ? reasoning : Json.textOf(message, "reasoning");
    }

    /** The content as text: a string, or the text parts of a list (some upstreams answer with parts). */
    static String text(JsonNode message) {
        JsonNode content = message == null ? null : message.get("content");
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(Json.textOf(part, "type"))) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    static String refusal(JsonNode message) {
        return Json.textOf(message, "refusal");
    }

    static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }

    /** The chat completion's creation time, or now when the upstream left it out. */
    static long created(JsonNode completion) {
        JsonNode created = completion.get("created");
        return created != null && created.canConvertToLong() ? created.asLong() : System.currentTimeMillis() / 1000;
    }

    /** The model the upstream names, else the one asked for. */
    static String model(JsonNode completion, JsonNode request) {
        String model = Json.textOf(completion, "model");
        return model != null ? model : Json.textOf(request, "model");
    }
}
