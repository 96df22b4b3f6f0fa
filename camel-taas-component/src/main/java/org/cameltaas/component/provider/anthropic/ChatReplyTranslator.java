package org.cameltaas.component.provider.anthropic;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.support.Json;

/**
 * An Anthropic message as an OpenAI {@code chat.completion}: text blocks become the content, tool_use blocks tool
 * calls, thinking blocks {@code reasoning_content}. The last thinking signature travels as
 * {@code reasoning_signature}, this provider's own field, so that a caller who sends the message back in the next
 * turn (as tool loops must) gives Anthropic the signed thinking it requires.
 */
final class ChatReplyTranslator {

    private ChatReplyTranslator() {
    }

    /** @param fallbackModel the requested model, for a reply that names none */
    static ObjectNode translate(JsonNode message, String fallbackModel) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        String signature = null;
        boolean hasText = false;
        boolean hasThinking = false;
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText("")) {
                case "text" -> {
                    text.append(block.path("text").asText(""));
                    hasText = true;
                }
                case "thinking" -> {
                    reasoning.append(block.path("thinking").asText(""));
                    hasThinking = true;
                    signature = block.hasNonNull("signature") ? block.get("signature").asText() : signature;
                }
                case "tool_use" -> toolCalls.add(toolCall(block));
                default -> {
                    // redacted_thinking, server tool blocks: OpenAI's chat shape has no place for them
                }
            }
        }

        ObjectNode chat = Json.object();
        chat.put("id", Json.textOf(message, "id"));
        chat.put("object", "chat.completion");
        chat.put("created", Instant.now().getEpochSecond());
        String model = Json.textOf(message, "model");
        chat.put("model", model != null ? model : fallbackModel);
        ObjectNode choice = chat.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode reply = choice.putObject("message");
        reply.put("role", "assistant");
        if (hasText) {
            reply.put("content", text.toString());
        } else {
            reply.putNull("content");
        }
        if (hasThinking) {
            reply.put("reasoning_content", reasoning.toString());
            if (signature != null) {
                reply.put("reasoning_signature", signature);
            }
        }
        if (!toolCalls.isEmpty()) {
            reply.set("tool_calls", toolCalls);
        }
        reply.putNull("refusal"); // required by OpenAI's schema, null when the model did not refuse
        choice.putNull("logprobs");
        choice.put("finish_reason", FinishReasons.of(Json.textOf(message, "stop_reason")));
        chat.set("usage", Usages.toChat(TokenCounts.of(message.get("usage")).usage()));
        return chat;
    }

    private static ObjectNode toolCall(JsonNode block) {
        ObjectNode call = Json.object();
        call.put("id", Json.textOf(block, "id"));
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", Json.textOf(block, "name"));
        JsonNode input = block.get("input");
        function.put("arguments", input == null || input.isNull() ? "{}" : Json.text(input));
        return call;
    }
}
