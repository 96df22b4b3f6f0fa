package org.cameltaas.component.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.refuse;

/** OpenAI {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} in Anthropic's terms. */
final class ToolTranslator {

    private ToolTranslator() {
    }

    /** Adds {@code tools} and {@code tool_choice} to the Anthropic body; without tools there is nothing to choose. */
    static void translate(JsonNode chat, ObjectNode body) {
        JsonNode tools = chat.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return;
        }
        ArrayNode out = body.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            out.add(tool(tools.get(i), "tools[" + i + "]"));
        }
        ObjectNode choice = toolChoice(chat.get("tool_choice"));
        JsonNode parallel = chat.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.booleanValue()) {
            if (choice == null) {
                choice = Json.object().put("type", "auto");
            }
            if (!"none".equals(Json.textOf(choice, "type"))) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            body.set("tool_choice", choice);
        }
    }

    private static ObjectNode tool(JsonNode tool, String where) {
        String type = Json.textOf(tool, "type");
        if (type != null && !type.equals("function")) {
            throw refuse("unsupported_tool_type", where + " has type '" + type + "'; only function tools map to Anthropic");
        }
        JsonNode function = tool.path("function");
        String name = Json.textOf(function, "name");
        if (name == null) {
            throw refuse("invalid_tool", where + ".function.name is required");
        }
        ObjectNode out = Json.object().put("name", name);
        String description = Json.textOf(function, "description");
        if (description != null) {
            out.put("description", description);
        }
        JsonNode parameters = function.get("parameters");
        // Anthropic requires a schema; OpenAI lets a tool without parameters omit it
        out.set("input_schema", parameters != null && parameters.isObject()
                ? parameters.deepCopy() : Json.object().put("type", "object"));
        JsonNode cacheControl = tool.get("cache_control");
        if (cacheControl != null && !cacheControl.isNull()) {
            out.set("cache_control", cacheControl.deepCopy());
        }
        return out;
    }

    /** Null when the caller left the choice to the model (Anthropic's default is auto too). */
    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> Json.object().put("type", "auto");
                case "required" -> Json.object().put("type", "any");
                case "none" -> Json.object().put("type", "none");
                default -> throw refuse("invalid_tool_choice", "tool_choice '" + choice.asText()
                        + "' is not one of auto, required, none");
            };
        }
        String name = Json.textOf(choice.path("function"), "name");
        if ("function".equals(Json.textOf(choice, "type")) && name != null) {
            return Json.object().put("type", "tool").put("name", name);
        }
        throw refuse("invalid_tool_choice", "tool_choice " + Json.text(choice)
                + " has no Anthropic counterpart; use auto, required, none or {\"type\":\"function\",\"function\":{\"name\":...}}");
    }
}
