package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.HOSTED_TOOL_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * Anthropic {@code tools} and {@code tool_choice} as chat function tools, {@code tool_choice} and
 * {@code parallel_tool_calls}. Server tools (web search, bash, code execution, ...) run at Anthropic; a chat
 * upstream cannot run them, so they are refused, or dropped when the endpoint allows.
 */
final class ToolsToChat {

    private ToolsToChat() {
    }

    /** Adds the tools to the chat request; when no tool is left, no choice about tools is either. */
    static void apply(JsonNode tools, JsonNode toolChoice, TranslationOptions options, ObjectNode chat) {
        if (tools == null || !tools.isArray()) {
            return;
        }
        ArrayNode functions = Json.MAPPER.createArrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (isServerTool(tool)) {
                if (options.dropUnsupportedTools()) {
                    continue;
                }
                String name = Json.textOf(tool, "name");
                throw refuse(HOSTED_TOOL_NOT_SUPPORTED, (name != null ? name : Json.textOf(tool, "type"))
                        + " (tools[" + i + "], type " + Json.textOf(tool, "type")
                        + ") is an Anthropic server tool, which a chat upstream cannot run");
            }
            functions.add(function(tool, "tools[" + i + "]"));
        }
        if (functions.isEmpty()) {
            return;
        }
        chat.set("tools", functions);
        applyChoice(toolChoice, chat);
    }

    /** A custom tool has an input schema (and no type, or "custom"); anything else is Anthropic's to run. */
    static boolean isServerTool(JsonNode tool) {
        String type = Json.textOf(tool, "type");
        return type != null && !type.equals("custom") && !tool.has("input_schema");
    }

    private static ObjectNode function(JsonNode tool, String where) {
        String name = Json.textOf(tool, "name");
        if (name == null) {
            throw refuse(INVALID_REQUEST, where + ".name is required");
        }
        ObjectNode function = Json.object().put("name", name);
        String description = Json.textOf(tool, "description");
        if (description != null) {
            function.put("description", description);
        }
        JsonNode schema = tool.get("input_schema");
        function.set("parameters", schema != null && schema.isObject() ? schema.deepCopy()
                : Json.object().put("type", "object"));
        JsonNode strict = tool.get("strict");
        if (strict != null && strict.isBoolean()) {
            function.put("strict", strict.booleanValue());
        }
        ObjectNode out = Json.object().put("type", "function");
        out.set("function", function);
        return out;
    }

    private static void applyChoice(JsonNode choice, ObjectNode chat) {
        if (choice == null || !choice.isObject()) {
            return;
        }
        String type = Json.textOf(choice, "type");
        switch (type == null ? "" : type) {
            case "auto" -> chat.put("tool_choice", "auto");
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> {
                String name = Json.textOf(choice, "name");
                if (name == null) {
                    throw refuse(INVALID_REQUEST, "tool_choice.name is required when tool_choice.type is tool");
                }
                ObjectNode named = chat.putObject("tool_choice").put("type", "function");
                named.putObject("function").put("name", name);
            }
            default -> throw refuse(INVALID_REQUEST, "tool_choice.type '" + type + "' is not one of auto, any, "
                    + "tool, none");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            chat.put("parallel_tool_calls", false);
        }
    }
}
