package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.HOSTED_TOOL_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * Responses {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} in chat's terms. Function tools are
 * flat in Responses and nested under {@code function} in chat; a {@code namespace} tool only groups function tools,
 * so its members are listed on their own. Hosted tools (web_search, file_search, ...) run on OpenAI's servers, which
 * a chat upstream cannot do: they are refused, or dropped when the endpoint allows.
 */
final class ToolsTranslator {

    private final TranslationOptions options;

    private ToolsTranslator(TranslationOptions options) {
        this.options = options;
    }

    /** Adds the chat tool fields; without a tool left there is nothing to choose, so the choice goes too. */
    static void translate(JsonNode request, TranslationOptions options, ObjectNode chat) {
        ToolsTranslator translator = new ToolsTranslator(options);
        ArrayNode tools = Json.MAPPER.createArrayNode();
        JsonNode requestTools = request.get("tools");
        if (requestTools != null && requestTools.isArray()) {
            for (int i = 0; i < requestTools.size(); i++) {
                translator.add(requestTools.get(i), "tools[" + i + "]", tools);
            }
        }
        if (tools.isEmpty()) {
            return;
        }
        chat.set("tools", tools);
        JsonNode choice = translator.toolChoice(request.get("tool_choice"));
        if (choice != null) {
            chat.set("tool_choice", choice);
        }
        JsonNode parallel = request.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean()) {
            chat.set("parallel_tool_calls", parallel);
        }
    }

    private void add(JsonNode tool, String where, ArrayNode out) {
        String type = Json.textOf(tool, "type");
        if (type == null) {
            throw refuse(INVALID_REQUEST, where + " has no type");
        }
        if ("function".equals(type)) {
            out.add(function(tool, where));
        } else if ("namespace".equals(type)) {
            JsonNode members = tool.path("tools");
            for (int i = 0; i < members.size(); i++) {
                add(members.get(i), where + ".tools[" + i + "]", out);
            }
        } else if (!options.dropUnsupportedTools()) {
            throw hosted(type, where);
        }
    }

    private static ObjectNode function(JsonNode tool, String where) {
        String name = Json.textOf(tool, "name");
        if (name == null) {
            throw refuse(INVALID_REQUEST, where + " is a function tool without a name");
        }
        ObjectNode function = Json.object().put("name", name);
        copy(tool, "description", function);
        copy(tool, "parameters", function);
        copy(tool, "strict", function);
        ObjectNode out = Json.object().put("type", "function");
        out.set("function", function);
        return out;
    }

    /** Null when the request leaves the choice to the model. */
    private JsonNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto", "none", "required" -> choice;
                default -> throw refuse(INVALID_REQUEST, "tool_choice '" + choice.asText()
                        + "' is not one of auto, none, required");
            };
        }
        String type = Json.textOf(choice, "type");
        if (type == null) {
            throw refuse(INVALID_REQUEST, "tool_choice " + Json.text(choice) + " has no type");
        }
        if ("function".equals(type)) {
            return functionChoice(Json.textOf(choice, "name"), "tool_choice");
        }
        if ("allowed_tools".equals(type)) {
            return allowedTools(choice);
        }
        if (options.dropUnsupportedTools()) {
            return TextNode.valueOf("auto"); // the chosen hosted tool was dropped; let the model pick among the rest
        }
        throw hosted(type, "tool_choice");
    }

    private static ObjectNode functionChoice(String name, String where) {
        if (name == null) {
            throw refuse(INVALID_REQUEST, where + " names no function");
        }
        ObjectNode out = Json.object().put("type", "function");
        out.putObject("function").put("name", name);
        return out;
    }

    /** Chat has the same restriction, with each function nested as in its tools list. */
    private JsonNode allowedTools(JsonNode choice) {
        ArrayNode allowed = Json.MAPPER.createArrayNode();
        JsonNode tools = choice.path("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = Json.textOf(tool, "type");
            if ("function".equals(type)) {
                allowed.add(functionChoice(Json.textOf(tool, "name"), "tool_choice.tools[" + i + "]"));
            } else if (!options.dropUnsupportedTools()) {
                throw hosted(type, "tool_choice.tools[" + i + "]");
            }
        }
        if (allowed.isEmpty()) {
            return TextNode.valueOf("auto"); // every allowed tool was a dropped hosted one
        }
        ObjectNode inner = Json.object();
        copy(choice, "mode", inner);
        inner.set("tools", allowed);
        ObjectNode out = Json.object().put("type", "allowed_tools");
        out.set("allowed_tools", inner);
        return out;
    }

    private static IllegalArgumentException hosted(String type, String where) {
        return refuse(HOSTED_TOOL_NOT_SUPPORTED, type + " (" + where + ") is a hosted tool that runs on OpenAI's"
                + " servers, which the chat upstream cannot do; remove it or let the endpoint drop unsupported tools");
    }

    private static void copy(JsonNode from, String field, ObjectNode to) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(field, value.deepCopy());
        }
    }
}
