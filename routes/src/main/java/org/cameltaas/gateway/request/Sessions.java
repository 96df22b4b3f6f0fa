package org.cameltaas.gateway.request;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Message;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.auth.TokenHashes;

/**
 * The session a request belongs to, honouring the ids clients already send, in this order: {@code X-Session-Id},
 * Claude Code's {@code x-claude-code-session-id}, {@code metadata.session_id}, {@code metadata.sticky_key}, the
 * session inside Anthropic's {@code metadata.user_id} (Claude Code writes {@code user_..._session_<uuid>} or a JSON
 * object with {@code session_id}), OpenAI's {@code user} when {@code TAAS_SESSION_FROM_USER=true}. Without any, a
 * stable guess from the token and the text of the conversation's first user message: only its text, since fields
 * such as {@code cache_control} move between the turns of one conversation.
 */
final class Sessions {

    private static final Pattern USER_ID_SESSION = Pattern.compile("_session_([0-9A-Za-z-]{8,})");
    private static final int MAX_ID_CHARS = 200;

    private Sessions() {
    }

    static String resolve(Message message, JsonNode json, Principal principal, String model, boolean fromUser) {
        String id = firstOf(message.getHeader("X-Session-Id", String.class),
                message.getHeader("x-claude-code-session-id", String.class));
        JsonNode metadata = json == null ? null : json.get("metadata");
        if (id == null) {
            id = firstOf(Json.textOf(metadata, "session_id"), Json.textOf(metadata, "sticky_key"),
                    sessionInUserId(Json.textOf(metadata, "user_id")),
                    fromUser && json != null ? Json.textOf(json, "user") : null);
        }
        if (id != null) {
            return id.length() > MAX_ID_CHARS ? id.substring(0, MAX_ID_CHARS) : id;
        }
        String who = principal != null ? principal.tokenId() : "anonymous";
        String anchor = firstUserText(json);
        String seed = who + "|" + (anchor != null ? anchor : model);
        return "sess_" + TokenHashes.hash(seed).substring(TokenHashes.PREFIX.length(), TokenHashes.PREFIX.length() + 24);
    }

    private static String firstOf(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return null;
    }

    /** The session part of Anthropic's {@code metadata.user_id}, as Claude Code writes it; null for a plain user id. */
    static String sessionInUserId(String userId) {
        if (userId == null || userId.isBlank()) {
            return null;
        }
        String trimmed = userId.trim();
        if (trimmed.startsWith("{")) {
            try {
                return Json.textOf(Json.parse(trimmed), "session_id");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return null;
            }
        }
        Matcher m = USER_ID_SESSION.matcher(trimmed);
        return m.find() ? m.group(1) : null;
    }

    private static String firstUserText(JsonNode json) {
        if (json == null) {
            return null;
        }
        for (JsonNode message : json.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                return textOf(message.get("content"));
            }
        }
        JsonNode input = json.get("input");
        if (input == null) {
            return null;
        }
        if (input.isArray()) {
            for (JsonNode item : input) {
                if ("user".equals(item.path("role").asText())) {
                    return textOf(item.get("content"));
                }
            }
        }
        return textOf(input);
    }

    /** The text of a content value: a string, or the text of its parts, leaving every other field out. */
    private static String textOf(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode part : content) {
                if (part.isTextual()) {
                    text.append(part.asText()).append('\n');
                } else if (part.hasNonNull("text")) {
                    text.append(part.get("text").asText()).append('\n');
                }
            }
        }
        return text.length() > 0 ? text.toString() : content.toString();
    }
}
