package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

/** Fields of chat messages and deltas whose name differs between upstreams. */
final class ChatFields {

    private ChatFields() {
    }

    /**
     * The reasoning text, or null when there is none. DeepSeek and most servers call it {@code reasoning_content},
     * OpenRouter and newer vLLM {@code reasoning}; some send both with the same text, so one is read, not both.
     */
    static String reasoning(JsonNode messageOrDelta) {
        String reasoning = nonEmpty(Json.textOf(messageOrDelta, "reasoning_content"));
        return reasoning != null ? reasoning : nonEmpty(Json.textOf(messageOrDelta, "reasoning"));
    }

    static String nonEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
