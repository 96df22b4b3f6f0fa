package org.cameltaas.component.protocol.anthropic;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.DOCUMENT_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.UNSUPPORTED_CONTENT_BLOCK;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * An Anthropic {@code tool_result} block as a chat {@code tool} message. Chat tool messages hold text only, so
 * images a tool returned (a screenshot, an image file read by an agent) are handed back to travel in the user
 * message that follows the tool messages, where chat does accept them.
 */
final class ToolResultMessages {

    static final String ERROR_PREFIX = "Error: ";

    private ToolResultMessages() {
    }

    /**
     * @param images receives the image parts found in the result
     * @param where  names the block in refusals, e.g. {@code messages[2].content[0]}
     */
    static ObjectNode of(JsonNode toolResult, List<ObjectNode> images, String where) {
        String toolUseId = Json.textOf(toolResult, "tool_use_id");
        if (toolUseId == null) {
            throw refuse(INVALID_REQUEST, where + ".tool_use_id is required");
        }
        String text = text(toolResult.get("content"), images, where);
        if (toolResult.path("is_error").asBoolean(false)) {
            text = ERROR_PREFIX + text; // chat has no error flag; the model still has to learn that the tool failed
        }
        ObjectNode message = Json.object().put("role", "tool");
        message.put("tool_call_id", toolUseId);
        message.put("content", text);
        return message;
    }

    private static String text(JsonNode content, List<ObjectNode> images, String where) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw refuse(INVALID_REQUEST, where + ".content must be a string or an array of blocks");
        }
        TextJoiner text = new TextJoiner("\n");
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String blockWhere = where + ".content[" + i + "]";
            switch (BlockTypes.of(block)) {
                case "text" -> text.add(Json.textOf(block, "text"));
                case "image" -> images.add(ImageParts.of(block, blockWhere));
                case "document" -> throw refuse(DOCUMENT_NOT_SUPPORTED, blockWhere
                        + " is a document; chat upstreams take no documents");
                default -> throw refuse(UNSUPPORTED_CONTENT_BLOCK, blockWhere + " has type '" + BlockTypes.of(block)
                        + "', which a chat tool message cannot hold");
            }
        }
        return text.text();
    }
}
