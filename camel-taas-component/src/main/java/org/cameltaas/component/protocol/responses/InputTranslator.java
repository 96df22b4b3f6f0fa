package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.ITEM_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * {@code instructions} and {@code input} as chat {@code messages}: the instructions are the first system message,
 * a string input one user message, and input items become messages one by one (function calls joining the
 * assistant message before them, signed reasoning handed back on the next assistant message).
 */
final class InputTranslator {

    private InputTranslator() {
    }

    static ArrayNode messages(JsonNode request) {
        ChatMessages messages = new ChatMessages();
        String instructions = Json.textOf(request, "instructions");
        if (instructions != null && !instructions.isEmpty()) {
            messages.add(Json.object().put("role", "system").put("content", instructions));
        }
        JsonNode input = request.get("input");
        if (input == null || input.isNull()) {
            return messages.toJson();
        }
        if (input.isTextual()) {
            messages.add(Json.object().put("role", "user").put("content", input.asText()));
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                item(input.get(i), "input[" + i + "]", messages);
            }
        } else {
            throw refuse(INVALID_REQUEST, "input must be a string or an array of items");
        }
        return messages.toJson();
    }

    private static void item(JsonNode item, String where, ChatMessages messages) {
        if (!item.isObject()) {
            throw refuse(INVALID_REQUEST, where + " must be an object");
        }
        String type = Json.textOf(item, "type");
        if (type == null && item.has("role")) {
            type = "message"; // the easy input message form leaves the type out
        }
        switch (type == null ? "" : type) {
            case "message" -> messages.add(message(item, where));
            case "function_call" -> messages.addToolCall(toolCall(item, where));
            case "function_call_output" -> messages.add(toolResult(item, where));
            case "reasoning" -> {
                StringBuilder summary = new StringBuilder();
                for (JsonNode part : item.path("summary")) {
                    summary.append(part.path("text").asText(""));
                }
                String encrypted = Json.textOf(item, "encrypted_content");
                if (encrypted != null) {
                    // only signed reasoning can go back: without its signature no provider accepts it
                    messages.reasoning(summary.toString(), encrypted);
                }
            }
            default -> throw refuse(ITEM_NOT_SUPPORTED, where + " is an item of type '" + type
                    + "', which chat has no counterpart for");
        }
    }

    private static ObjectNode message(JsonNode item, String where) {
        String role = Json.textOf(item, "role");
        String chatRole = switch (role == null ? "" : role) {
            case "user", "assistant", "system" -> role;
            case "developer" -> "system"; // not every chat upstream knows developer; system means the same
            default -> throw refuse(INVALID_REQUEST, where + " has role '" + role
                    + "'; expected user, assistant, system or developer");
        };
        ObjectNode message = Json.object().put("role", chatRole);
        message.set("content", ContentParts.toChat(item.get("content"), chatRole, where));
        return message;
    }

    private static ObjectNode toolCall(JsonNode item, String where) {
        String callId = Json.textOf(item, "call_id");
        String name = Json.textOf(item, "name");
        if (callId == null || name == null) {
            throw refuse(INVALID_REQUEST, where + " is a function_call without call_id or name");
        }
        String arguments = Json.textOf(item, "arguments");
        ObjectNode call = Json.object().put("id", callId).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments == null ? "" : arguments);
        return call;
    }

    private static ObjectNode toolResult(JsonNode item, String where) {
        String callId = Json.textOf(item, "call_id");
        if (callId == null) {
            throw refuse(INVALID_REQUEST, where + " is a function_call_output without call_id");
        }
        return Json.object().put("role", "tool").put("tool_call_id", callId)
                .put("content", ToolOutputs.text(item.get("output")));
    }
}
