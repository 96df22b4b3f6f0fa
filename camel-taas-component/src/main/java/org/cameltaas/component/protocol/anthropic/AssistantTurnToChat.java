package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.HOSTED_TOOL_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.UNSUPPORTED_CONTENT_BLOCK;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * One Anthropic assistant turn as a chat assistant message: text blocks become {@code content}, {@code tool_use}
 * blocks {@code tool_calls}, and thinking becomes {@code reasoning_content} with its signature in
 * {@code reasoning_signature} (this project's extension, so an upstream that signs its reasoning gets the
 * signature back). Redacted thinking is encrypted for Anthropic alone and is dropped.
 */
final class AssistantTurnToChat {

    private AssistantTurnToChat() {
    }

    /** @param where names the message in refusals, e.g. {@code messages[1]} */
    static ObjectNode of(JsonNode content, TranslationOptions options, String where) {
        ObjectNode message = Json.object().put("role", "assistant");
        if (content != null && content.isTextual()) {
            message.put("content", content.asText());
            return message;
        }
        if (content == null || !content.isArray()) {
            throw refuse(INVALID_REQUEST, where + ".content must be a string or an array of content blocks");
        }
        TextJoiner text = new TextJoiner("\n\n");
        TextJoiner reasoning = new TextJoiner("\n\n");
        String signature = null;
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String blockWhere = where + ".content[" + i + "]";
            String type = BlockTypes.of(block);
            switch (type) {
                case "text" -> text.add(Json.textOf(block, "text"));
                case "tool_use" -> toolCalls.add(toolCall(block, blockWhere));
                case "thinking" -> {
                    reasoning.add(Json.textOf(block, "thinking"));
                    String blockSignature = Json.textOf(block, "signature");
                    if (blockSignature != null && !blockSignature.isEmpty()) {
                        signature = blockSignature;
                    }
                }
                case "redacted_thinking" -> {
                    // encrypted by Anthropic: nothing another model can read
                }
                default -> refuseUnlessDroppable(type, options, blockWhere);
            }
        }
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content"); // chat's way of saying "tool calls only"
        } else {
            message.put("content", text.text());
        }
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.text());
            if (signature != null) {
                message.put("reasoning_signature", signature);
            }
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        return message;
    }

    private static ObjectNode toolCall(JsonNode toolUse, String where) {
        String id = Json.textOf(toolUse, "id");
        String name = Json.textOf(toolUse, "name");
        if (id == null || name == null) {
            throw refuse(INVALID_REQUEST, where + " is a tool_use block without id or name");
        }
        JsonNode input = toolUse.get("input");
        ObjectNode call = Json.object().put("id", id).put("type", "function");
        call.putObject("function").put("name", name)
                .put("arguments", input == null || input.isNull() ? "{}" : Json.text(input));
        return call;
    }

    /**
     * Server tool calls and results in the history can be dropped along with the server tools themselves, when the
     * endpoint allows that; anything else chat has no place for is refused.
     */
    private static void refuseUnlessDroppable(String type, TranslationOptions options, String where) {
        if (BlockTypes.isServerToolBlock(type)) {
            if (options.dropUnsupportedTools()) {
                return;
            }
            throw refuse(HOSTED_TOOL_NOT_SUPPORTED, where + " is a '" + type
                    + "' block of an Anthropic server tool, which a chat upstream cannot have run");
        }
        throw refuse(UNSUPPORTED_CONTENT_BLOCK, where + " has type '" + type
                + "', which has no place in a chat assistant message");
    }
}
