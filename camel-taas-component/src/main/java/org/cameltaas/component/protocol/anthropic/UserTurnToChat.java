package org.cameltaas.component.protocol.anthropic;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.DOCUMENT_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.UNSUPPORTED_CONTENT_BLOCK;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * One Anthropic user turn as chat messages. Anthropic puts tool results inside the user turn; chat wants them as
 * {@code tool} messages right after the assistant's tool calls. So the tool messages come first, then a user
 * message with what the user wrote (left out when the turn held tool results only).
 */
final class UserTurnToChat {

    private UserTurnToChat() {
    }

    /** @param where names the message in refusals, e.g. {@code messages[2]} */
    static List<ObjectNode> of(JsonNode content, String where) {
        List<ObjectNode> messages = new ArrayList<>();
        if (content != null && content.isTextual()) {
            messages.add(userMessage(content.asText()));
            return messages;
        }
        if (content == null || !content.isArray()) {
            throw refuse(INVALID_REQUEST, where + ".content must be a string or an array of content blocks");
        }
        List<ObjectNode> parts = new ArrayList<>();
        List<ObjectNode> toolImages = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String blockWhere = where + ".content[" + i + "]";
            switch (BlockTypes.of(block)) {
                case "text" -> parts.add(textPart(Json.textOf(block, "text")));
                case "image" -> parts.add(ImageParts.of(block, blockWhere));
                case "tool_result" -> messages.add(ToolResultMessages.of(block, toolImages, blockWhere));
                case "document" -> throw refuse(DOCUMENT_NOT_SUPPORTED, blockWhere
                        + " is a document; chat upstreams take no documents");
                default -> throw refuse(UNSUPPORTED_CONTENT_BLOCK, blockWhere + " has type '" + BlockTypes.of(block)
                        + "', which has no chat counterpart");
            }
        }
        parts.addAll(0, toolImages); // the results came first in the turn, so do their images
        if (!parts.isEmpty() || messages.isEmpty()) {
            messages.add(userMessage(parts));
        }
        return messages;
    }

    private static ObjectNode userMessage(String text) {
        return Json.object().put("role", "user").put("content", text);
    }

    /** A lone text part is sent as a plain string, which every chat upstream accepts. */
    private static ObjectNode userMessage(List<ObjectNode> parts) {
        if (parts.isEmpty()) {
            return userMessage("");
        }
        if (parts.size() == 1 && "text".equals(Json.textOf(parts.get(0), "type"))) {
            return userMessage(Json.textOf(parts.get(0), "text"));
        }
        ObjectNode message = Json.object().put("role", "user");
        ArrayNode array = message.putArray("content");
        parts.forEach(array::add);
        return message;
    }

    private static ObjectNode textPart(String text) {
        return Json.object().put("type", "text").put("text", text == null ? "" : text);
    }
}
