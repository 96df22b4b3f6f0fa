package org.cameltaas.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Message;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.auth.TokenHashes;

/**
 * The session a request belongs to, by the seeds' precedence: {@code X-Session-Id}, then {@code metadata.session_id},
 * then {@code metadata.sticky_key}; without any, a stable guess from the token and the conversation's first user
 * message (or the model, for requests without messages).
 */
final class Sessions {

    private Sessions() {
    }

    static String resolve(Message message, JsonNode json, Principal principal, String model) {
        String header = message.getHeader("X-Session-Id", String.class);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        JsonNode metadata = json == null ? null : json.get("metadata");
        String fromBody = Json.textOf(metadata, "session_id");
        if (fromBody == null || fromBody.isBlank()) {
            fromBody = Json.textOf(metadata, "sticky_key");
        }
        if (fromBody != null && !fromBody.isBlank()) {
            return fromBody;
        }
        String who = principal != null ? principal.tokenId() : "anonymous";
        String anchor = firstUserText(json);
        String seed = who + "|" + (anchor != null ? anchor : model);
        return "sess_" + TokenHashes.hash(seed).substring(TokenHashes.PREFIX.length(), TokenHashes.PREFIX.length() + 24);
    }

    private static String firstUserText(JsonNode json) {
        if (json == null) {
            return null;
        }
        for (JsonNode message : json.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                return message.path("content").toString();
            }
        }
        JsonNode input = json.get("input");
        return input != null ? input.toString() : null;
    }
}
