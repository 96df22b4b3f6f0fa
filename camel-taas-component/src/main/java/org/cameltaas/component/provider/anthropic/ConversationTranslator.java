package org.cameltaas.component.provider.anthropic;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * OpenAI chat messages as Anthropic's system prompt and turns. System and developer messages, wherever they appear,
 * join the top-level system prompt (Anthropic has no system turns); tool messages become tool results in a user
 * turn; an assistant message's reasoning, text and tool calls become thinking, text and tool_use blocks.
 */
final class ConversationTranslator {

    /** The system prompt's text blocks (empty when there is none) and the turns. */
    record Conversation(List<ObjectNode> system, ArrayNode messages) {
    }

    /** Also refuses what follows a complete value ({@code {"a":1}garbage}), which a plain parse would ignore. */
    private static final ObjectReader STRICT = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ConversationTranslator() {
    }

    static Conversation translate(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            throw refuse("invalid_messages", "messages must be an array of chat messages");
        }
        List<ObjectNode> system = new ArrayList<>();
        Turns turns = new Turns();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String where = "messages[" + i + "]";
            String role = Json.textOf(message, "role");
            switch (role == null ? "" : role) {
                case "system", "developer" -> system.addAll(ContentBlocks.textOnly(message.get("content"), where));
                case "user" -> turns.add("user", ContentBlocks.of(message.get("content"), where));
                case "assistant" -> {
                    List<ObjectNode> blocks = assistantBlocks(message, where);
                    if (!blocks.isEmpty()) { // an empty assistant message says nothing; Anthropic would reject it
                        turns.add("assistant", blocks);
                    }
                }
                case "tool" -> turns.add("user", List.of(toolResult(message, where)));
                default -> throw refuse("unsupported_role",
                        where + " has role '" + role + "', which Anthropic has no counterpart for");
            }
        }
        return new Conversation(system, turns.toJson());
    }

    private static List<ObjectNode> assistantBlocks(JsonNode message, String where) {
        List<ObjectNode> blocks = new ArrayList<>();
        ObjectNode thinking = thinking(message);
        if (thinking != null) {
            blocks.add(thinking); // Anthropic expects the thinking that led to an answer before the answer
        }
        blocks.addAll(ContentBlocks.of(message.get("content"), where));
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (int i = 0; i < toolCalls.size(); i++) {
                blocks.add(toolUse(toolCalls.get(i), where + ".tool_calls[" + i + "]"));
            }
        }
        return blocks;
    }

    /**
     * The thinking block of an earlier answer of this provider ({@code reasoning_content} plus its
     * {@code reasoning_signature}). Anthropic verifies the signature, so reasoning without one (from another
     * provider) cannot be replayed and is left out.
     */
    private static ObjectNode thinking(JsonNode message) {
        String reasoning = Json.textOf(message, "reasoning_content");
        String signature = Json.textOf(message, "reasoning_signature");
        if (reasoning == null || signature == null || signature.isEmpty()) {
            return null;
        }
        return Json.object().put("type", "thinking").put("thinking", reasoning).put("signature", signature);
    }

    private static ObjectNode toolUse(JsonNode call, String where) {
        String id = Json.textOf(call, "id");
        JsonNode function = call.path("function");
        String name = Json.textOf(function, "name");
        if (id == null || name == null) {
            throw refuse("invalid_tool_call", where + " needs an id and a function.name");
        }
        ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
        block.set("input", arguments(Json.textOf(function, "arguments"), id));
        return block;
    }

    /**
     * The arguments string parsed back into the object Anthropic wants. No arguments at all (a streamed call of a
     * tool without parameters arrives as "") is the empty object; anything else that is not a JSON object is
     * refused, since guessing would call the tool with arguments the model never gave.
     */
    private static JsonNode arguments(String arguments, String callId) {
        if (arguments == null || arguments.isBlank()) {
            return Json.object();
        }
        JsonNode input;
        try {
            input = STRICT.readValue(arguments);
        } catch (Exception e) {
            throw refuse("invalid_tool_arguments", "tool call " + callId + " has arguments that are not valid JSON: "
                    + abbreviate(arguments), e);
        }
        if (!input.isObject()) {
            throw refuse("invalid_tool_arguments", "tool call " + callId + " has arguments that are not a JSON object: "
                    + abbreviate(arguments));
        }
        return input;
    }

    private static ObjectNode toolResult(JsonNode message, String where) {
        String callId = Json.textOf(message, "tool_call_id");
        if (callId == null) {
            throw refuse("invalid_tool_message", where + " is a tool message without tool_call_id");
        }
        ObjectNode block = Json.object().put("type", "tool_result").put("tool_use_id", callId);
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            block.put("content", content.asText());
        } else {
            List<ObjectNode> parts = ContentBlocks.of(content, where);
            if (!parts.isEmpty()) {
                parts.forEach(block.putArray("content")::add);
            }
        }
        return block;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
