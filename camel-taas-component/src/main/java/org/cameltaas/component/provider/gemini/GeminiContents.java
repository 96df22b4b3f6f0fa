package org.cameltaas.component.provider.gemini;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * OpenAI chat messages as Gemini {@code systemInstruction} and {@code contents}. Gemini knows two roles, user and
 * model, wants turns to alternate, and names the function a result answers where OpenAI quotes the call's id;
 * this class bridges those differences.
 */
final class GeminiContents {

    private final ObjectNode body;
    private final ArrayNode systemParts = Json.MAPPER.createArrayNode();
    private final ArrayNode contents = Json.MAPPER.createArrayNode();
    /** tool_call_id to function name, from the assistant messages read so far. */
    private final Map<String, String> functionNames = new HashMap<>();

    private GeminiContents(ObjectNode body) {
        this.body = body;
    }

    /** Sets {@code systemInstruction} (when there is one) and {@code contents} on the Gemini body. */
    static void translate(JsonNode messages, ObjectNode body) {
        if (messages == null || !messages.isArray()) {
            throw new IllegalArgumentException("chatCompletions needs a messages array");
        }
        GeminiContents translation = new GeminiContents(body);
        for (JsonNode message : messages) {
            translation.add(message);
        }
        translation.finish();
    }

    private void add(JsonNode message) {
        String role = Json.textOf(message, "role");
        if (role == null) {
            throw new IllegalArgumentException("a message has no role");
        }
        switch (role) {
            case "system", "developer" -> systemParts.addAll(GeminiParts.textsOf(message.get("content"), role));
            case "user" -> turn("user", GeminiParts.of(message.get("content")));
            case "assistant" -> turn("model", assistantParts(message));
            // function results travel in the user's turn
            case "tool", "function" -> turn("user", Json.MAPPER.createArrayNode().add(functionResponse(message)));
            default -> throw new IllegalArgumentException("the gemini provider cannot send a '" + role + "' message");
        }
    }

    /** Adds a turn, merged into the previous one when the role repeats: Gemini wants alternating turns. */
    private void turn(String role, ArrayNode parts) {
        if (parts.isEmpty()) {
            return; // Gemini rejects a turn without parts
        }
        JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
        if (last != null && role.equals(Json.textOf(last, "role"))) {
            ((ArrayNode) last.get("parts")).addAll(parts);
            return;
        }
        ObjectNode content = contents.addObject();
        content.put("role", role);
        content.set("parts", parts);
    }

    private ArrayNode assistantParts(JsonNode message) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        String reasoning = Json.textOf(message, "reasoning_content");
        String signature = Json.textOf(message, "reasoning_signature");
        boolean calls = message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty();
        // Gemini wants the signature back on the first function call of the turn it came with; without calls it
        // rides on the thought part
        String thoughtSignature = calls ? null : signature;
        if (reasoning != null || thoughtSignature != null) {
            // the thoughts Gemini sent, handed back so it can continue its reasoning
            ObjectNode thought = GeminiParts.text(reasoning != null ? reasoning : "");
            thought.put("thought", true);
            if (thoughtSignature != null) {
                thought.put("thoughtSignature", thoughtSignature);
            }
            parts.add(thought);
        }
        parts.addAll(GeminiParts.textsOf(message.get("content"), "assistant"));
        boolean first = true;
        for (JsonNode toolCall : message.path("tool_calls")) {
            ObjectNode call = functionCall(toolCall);
            if (first && signature != null) {
                call.put("thoughtSignature", signature);
            }
            first = false;
            parts.add(call);
        }
        return parts;
    }

    private ObjectNode functionCall(JsonNode toolCall) {
        JsonNode function = toolCall.path("function");
        String name = Json.textOf(function, "name");
        String id = Json.textOf(toolCall, "id");
        if (name == null) {
            throw new IllegalArgumentException("tool call " + id + " has no function name");
        }
        if (id != null) {
            functionNames.put(id, name);
        }
        ObjectNode call = Json.object();
        call.put("name", name);
        call.set("args", arguments(function.get("arguments"), name, id));
        return (ObjectNode) Json.object().set("functionCall", call);
    }

    /** OpenAI sends arguments as JSON text; Gemini wants the object. */
    private static JsonNode arguments(JsonNode arguments, String name, String id) {
        if (arguments == null || arguments.isNull() || arguments.isTextual() && arguments.asText().isBlank()) {
            return Json.object();
        }
        if (arguments.isObject()) {
            return arguments.deepCopy(); // the caller's tree stays untouched, whatever is done to the body later
        }
        try {
            JsonNode parsed = Json.parse(arguments.asText());
            if (parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new IllegalArgumentException("tool call " + id + " (" + name + ") has arguments that are not a JSON object: "
                + arguments.asText());
    }

    private ObjectNode functionResponse(JsonNode message) {
        String callId = Json.textOf(message, "tool_call_id");
        String name = callId != null ? functionNames.get(callId) : null;
        if (name == null) {
            name = Json.textOf(message, "name"); // legacy "function" messages name the function themselves
        }
        if (name == null) {
            throw new IllegalArgumentException("tool message for tool_call_id " + callId
                    + " answers no tool call of an earlier assistant message; Gemini needs the function's name");
        }
        String content = GeminiParts.joinedText(message.get("content"));
        ObjectNode response = Json.object();
        response.put("name", name);
        response.set("response", responseObject(content));
        return (ObjectNode) Json.object().set("functionResponse", response);
    }

    /** Gemini wants an object as the function's response; other results are wrapped. */
    private static JsonNode responseObject(String content) {
        try {
            JsonNode parsed = Json.parse(content);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // plain text: wrapped below
        }
        return Json.object().put("result", content);
    }

    private void finish() {
        if (!systemParts.isEmpty()) {
            body.putObject("systemInstruction").set("parts", systemParts);
        }
        if (contents.isEmpty()) {
            throw new IllegalArgumentException("chatCompletions needs at least one user or assistant message");
        }
        body.set("contents", contents);
    }
}
