package org.cameltaas.component.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/** OpenAI {@code tools} and {@code tool_choice} as Gemini {@code tools} and {@code toolConfig}. */
final class GeminiTools {

    private GeminiTools() {
    }

    static void translate(JsonNode request, ObjectNode body) {
        ArrayNode declarations = Json.MAPPER.createArrayNode();
        for (JsonNode tool : request.path("tools")) {
            declarations.add(declaration(tool));
        }
        if (!declarations.isEmpty()) {
            body.putArray("tools").addObject().set("functionDeclarations", declarations);
        }
        JsonNode toolChoice = request.get("tool_choice");
        if (toolChoice != null && !toolChoice.isNull()) {
            body.putObject("toolConfig").set("functionCallingConfig", functionCallingConfig(toolChoice));
        }
    }

    private static ObjectNode declaration(JsonNode tool) {
        String type = Json.textOf(tool, "type");
        if (type != null && !type.equals("function")) {
            throw new IllegalArgumentException("the gemini provider can only send function tools, not " + type);
        }
        JsonNode function = tool.path("function");
        String name = Json.textOf(function, "name");
        if (name == null) {
            throw new IllegalArgumentException("a function tool has no name");
        }
        ObjectNode declaration = Json.object();
        declaration.put("name", name);
        String description = Json.textOf(function, "description");
        if (description != null) {
            declaration.put("description", description);
        }
        JsonNode parameters = function.get("parameters");
        if (parameters != null && parameters.isObject()) {
            declaration.set("parameters", GeminiSchemas.clean(parameters));
        }
        return declaration;
    }

    private static ObjectNode functionCallingConfig(JsonNode toolChoice) {
        ObjectNode config = Json.object();
        if (toolChoice.isTextual()) {
            config.put("mode", switch (toolChoice.asText()) {
                case "auto" -> "AUTO";
                case "required" -> "ANY";
                case "none" -> "NONE";
                default -> throw new IllegalArgumentException("unknown tool_choice " + toolChoice.asText());
            });
            return config;
        }
        // {"type":"function","function":{"name":...}}: that function and no other
        String name = Json.textOf(toolChoice.path("function"), "name");
        if (name == null) {
            throw new IllegalArgumentException("tool_choice names no function: " + Json.text(toolChoice));
        }
        config.put("mode", "ANY");
        config.putArray("allowedFunctionNames").add(name);
        return config;
    }
}
