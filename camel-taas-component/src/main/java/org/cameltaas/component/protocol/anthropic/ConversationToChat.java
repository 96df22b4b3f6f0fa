package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * Anthropic's {@code system} and {@code messages} as chat's {@code messages}, system first. A system turn inside
 * {@code messages} (Claude Code sends one) becomes a system message at its place: chat takes them anywhere.
 */
final class ConversationToChat {

    private ConversationToChat() {
    }

    static ArrayNode of(JsonNode system, JsonNode messages, TranslationOptions options) {
        ArrayNode chat = Json.MAPPER.createArrayNode();
        String systemText = SystemPrompt.of(system);
        if (systemText != null) {
            chat.addObject().put("role", "system").put("content", systemText);
        }
        if (messages == null || !messages.isArray()) {
            throw refuse(INVALID_REQUEST, "messages must be an array");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String where = "messages[" + i + "]";
            String role = Json.textOf(message, "role");
            JsonNode content = message.get("content");
            if ("user".equals(role)) {
                UserTurnToChat.of(content, where).forEach(chat::add);
            } else if ("assistant".equals(role)) {
                chat.add(AssistantTurnToChat.of(content, options, where));
            } else if ("system".equals(role)) {
                String text = SystemPrompt.of(content);
                if (text != null) {
                    chat.addObject().put("role", "system").put("content", text);
                }
            } else {
                throw refuse(INVALID_REQUEST, where + ".role must be user, assistant or system, not '" + role + "'");
            }
        }
        return chat;
    }
}
