package org.cameltaas.component.provider.bedrock;

import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * A chat completions request as a Bedrock Converse request: system and developer messages become {@code system},
 * tool results become {@code toolResult} blocks of a user turn, tool calls {@code toolUse} blocks, consecutive turns
 * of one role are merged (Converse wants them alternating), and the sampling fields go to {@code inferenceConfig}.
 * A nested {@code "bedrock": {...}} object (e.g. {@code additionalModelRequestFields}, {@code guardrailConfig}) is
 * merged into the body untranslated, so nothing Converse offers is out of reach.
 */
final class ConverseRequest {

    private ConverseRequest() {
    }

    static ObjectNode toConverse(JsonNode chat) {
        ObjectNode converse = Json.object();
        ArrayNode system = Json.MAPPER.createArrayNode();
        ArrayNode messages = converse.putArray("messages");
        for (JsonNode message : chat.path("messages")) {
            String role = Json.textOf(message, "role");
            if (role == null) {
                throw new IllegalArgumentException("a message has no role");
            }
            switch (role) {
                case "system", "developer" -> texts(message.get("content"), role).forEach(system::add);
                case "user" -> turn(messages, "user").addAll(userContent(message.get("content")));
                case "assistant" -> turn(messages, "assistant").addAll(assistantContent(message));
                case "tool", "function" -> turn(messages, "user").add(toolResult(message));
                default -> throw new IllegalArgumentException("unknown message role '" + role + "'");
            }
        }
        if (!system.isEmpty()) {
            converse.set("system", system);
        }
        ObjectNode inference = Json.object();
        JsonNode maxTokens = chat.hasNonNull("max_completion_tokens") ? chat.get("max_completion_tokens") : chat.get("max_tokens");
        if (maxTokens != null && maxTokens.canConvertToInt()) {
            inference.put("maxTokens", maxTokens.asInt());
        }
        if (chat.hasNonNull("temperature")) {
            inference.set("temperature", chat.get("temperature"));
        }
        if (chat.hasNonNull("top_p")) {
            inference.set("topP", chat.get("top_p"));
        }
        JsonNode stop = chat.get("stop");
        if (stop != null && stop.isTextual()) {
            inference.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            inference.set("stopSequences", stop);
        }
        if (!inference.isEmpty()) {
            converse.set("inferenceConfig", inference);
        }
        ObjectNode tools = toolConfig(chat);
        if (tools != null) {
            converse.set("toolConfig", tools);
        }
        JsonNode passthrough = chat.get("bedrock");
        if (passthrough instanceof ObjectNode extra) {
            for (Map.Entry<String, JsonNode> field : extra.properties()) {
                converse.set(field.getKey(), field.getValue());
            }
        }
        return converse;
    }

    /** The content of the last turn if it has this role, else of a new one. */
    private static ArrayNode turn(ArrayNode messages, String role) {
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && role.equals(Json.textOf(last, "role"))) {
            return (ArrayNode) last.get("content");
        }
        ObjectNode message = messages.addObject();
        message.put("role", role);
        return message.putArray("content");
    }

    private static ArrayNode texts(JsonNode content, String role) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
                blocks.addObject().put("text", content.asText());
            }
            return blocks;
        }
        if (!content.isArray()) {
            throw new IllegalArgumentException("message content must be a string or an array of parts");
        }
        for (JsonNode part : content) {
            if (!"text".equals(Json.textOf(part, "type"))) {
                throw new IllegalArgumentException("a " + role + " message can only hold text parts, not "
                        + Json.textOf(part, "type"));
            }
            blocks.addObject().put("text", part.path("text").asText());
        }
        return blocks;
    }

    private static ArrayNode userContent(JsonNode content) {
        if (content == null || !content.isArray()) {
            return texts(content, "user");
        }
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        for (JsonNode part : content) {
            String type = Json.textOf(part, "type");
            if ("text".equals(type)) {
                blocks.addObject().put("text", part.path("text").asText());
            } else if ("image_url".equals(type)) {
                blocks.add(image(part.path("image_url").path("url").asText()));
            } else {
                throw new IllegalArgumentException("Bedrock Converse takes text and image_url parts, not " + type);
            }
        }
        return blocks;
    }

    /** A {@code data:} URL as an image block; Converse fetches no URLs. */
    private static ObjectNode image(String url) {
        int comma = url.indexOf(',');
        if (!url.startsWith("data:image/") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
            throw new IllegalArgumentException("Bedrock Converse takes images as data:image/...;base64 URLs only");
        }
        String format = url.substring("data:image/".length(), url.indexOf(';'));
        format = "jpg".equals(format) ? "jpeg" : format;
        Base64.getDecoder().decode(url.substring(comma + 1)); // refuses what is not base64, before it goes anywhere
        ObjectNode block = Json.object();
        block.putObject("image").put("format", format).putObject("source").put("bytes", url.substring(comma + 1));
        return block;
    }

    private static ArrayNode assistantContent(JsonNode message) {
        ArrayNode blocks = texts(message.get("content"), "assistant");
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            ObjectNode use = blocks.addObject().putObject("toolUse");
            use.put("toolUseId", Json.textOf(call, "id"));
            use.put("name", Json.textOf(function, "name"));
            String arguments = function.path("arguments").asText("{}");
            try {
                use.set("input", arguments.isBlank() ? Json.object() : Json.parse(arguments));
            } catch (Exception e) {
                throw new IllegalArgumentException("the arguments of tool call " + Json.textOf(call, "id") + " are not JSON");
            }
        }
        return blocks;
    }

    private static ObjectNode toolResult(JsonNode message) {
        String id = Json.textOf(message, "tool_call_id");
        if (id == null) {
            throw new IllegalArgumentException("a tool message needs its tool_call_id");
        }
        ObjectNode block = Json.object();
        ObjectNode result = block.putObject("toolResult");
        result.put("toolUseId", id);
        ArrayNode content = texts(message.get("content"), "tool");
        if (content.isEmpty()) {
            content.addObject().put("text", "");
        }
        result.set("content", content);
        return block;
    }

    /** {@code tools} and {@code tool_choice}; {@code tool_choice: "none"} sends no tools at all (Converse has no "none"). */
    private static ObjectNode toolConfig(JsonNode chat) {
        JsonNode tools = chat.get("tools");
        JsonNode choice = chat.get("tool_choice");
        if (tools == null || !tools.isArray() || tools.isEmpty() || choice != null && "none".equals(choice.asText())) {
            return null;
        }
        ObjectNode config = Json.object();
        ArrayNode specs = config.putArray("tools");
        for (JsonNode tool : tools) {
            if (!"function".equals(Json.textOf(tool, "type"))) {
                throw new IllegalArgumentException("Bedrock Converse takes function tools only, not " + Json.textOf(tool, "type"));
            }
            JsonNode function = tool.path("function");
            ObjectNode spec = specs.addObject().putObject("toolSpec");
            spec.put("name", Json.textOf(function, "name"));
            if (function.hasNonNull("description")) {
                spec.put("description", function.get("description").asText());
            }
            JsonNode parameters = function.get("parameters");
            spec.putObject("inputSchema").set("json", parameters != null && parameters.isObject() ? parameters
                    : Json.object().put("type", "object"));
        }
        if (choice != null && choice.isTextual()) {
            if ("required".equals(choice.asText())) {
                config.putObject("toolChoice").putObject("any");
            } else if ("auto".equals(choice.asText())) {
                config.putObject("toolChoice").putObject("auto");
            }
        } else if (choice != null && choice.isObject()) {
            config.putObject("toolChoice").putObject("tool").put("name", choice.path("function").path("name").asText());
        }
        return config;
    }
}
