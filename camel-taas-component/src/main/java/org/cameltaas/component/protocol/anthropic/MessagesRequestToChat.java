package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.support.Json;

/**
 * An Anthropic Messages request as a chat completions request. Numbers are copied as nodes, so {@code 0.70}
 * reaches the upstream as {@code 0.70}. Fields chat has no counterpart for ({@code top_k}, {@code cache_control},
 * {@code container}, {@code service_tier}, ...) are left behind.
 */
final class MessagesRequestToChat {

    private MessagesRequestToChat() {
    }

    static ObjectNode of(ObjectNode request, TranslationOptions options) {
        ObjectNode chat = Json.object();
        copy(request, "model", chat, "model");
        chat.set("messages", ConversationToChat.of(request.get("system"), request.get("messages"), options));
        copy(request, "max_tokens", chat, "max_tokens");
        copy(request, "temperature", chat, "temperature");
        copy(request, "top_p", chat, "top_p");
        JsonNode stopSequences = request.get("stop_sequences");
        if (stopSequences != null && stopSequences.isArray() && !stopSequences.isEmpty()) {
            chat.set("stop", stopSequences.deepCopy());
        }
        String user = Json.textOf(request.path("metadata"), "user_id");
        if (user != null) {
            chat.put("user", user);
        }
        String effort = ReasoningEffort.of(request.get("thinking"));
        if (effort != null) {
            chat.put("reasoning_effort", effort);
        }
        ToolsToChat.apply(request.get("tools"), request.get("tool_choice"), options, chat);
        JsonNode stream = request.get("stream");
        if (stream != null && stream.isBoolean()) {
            chat.put("stream", stream.booleanValue());
            if (stream.booleanValue()) {
                // Anthropic streams always end with usage; chat sends it only when asked
                chat.putObject("stream_options").put("include_usage", true);
            }
        }
        return chat;
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value.deepCopy());
        }
    }
}
