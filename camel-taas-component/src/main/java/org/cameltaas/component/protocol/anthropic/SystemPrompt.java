package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * Anthropic's {@code system} (a string or text blocks) as the text of chat's system message. Several blocks are
 * joined as paragraphs into one string: some chat upstreams accept nothing but a string as system content.
 */
final class SystemPrompt {

    private SystemPrompt() {
    }

    /** The system text, or null when there is none. */
    static String of(JsonNode system) {
        if (system == null || system.isNull()) {
            return null;
        }
        if (system.isTextual()) {
            return system.asText().isEmpty() ? null : system.asText();
        }
        if (!system.isArray()) {
            throw refuse(INVALID_REQUEST, "system must be a string or an array of text blocks");
        }
        TextJoiner text = new TextJoiner("\n\n");
        for (int i = 0; i < system.size(); i++) {
            JsonNode block = system.get(i);
            if (!"text".equals(BlockTypes.of(block))) {
                throw refuse(INVALID_REQUEST, "system[" + i + "] has type '" + BlockTypes.of(block)
                        + "'; the system prompt holds text blocks only");
            }
            text.add(Json.textOf(block, "text"));
        }
        return text.isEmpty() ? null : text.text();
    }
}
