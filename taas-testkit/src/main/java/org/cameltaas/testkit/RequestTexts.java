package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pulls the user's text out of each provider's request shape, for the echo reply and the fake token counts. */
final class RequestTexts {

    // fields that hold prompt text in one provider's request or another
    private static final Set<String> TEXT_FIELDS =
            Set.of("content", "text", "input", "system", "instructions", "query", "documents", "prompt");

    private RequestTexts() {
    }

    /** Chat Completions: the last message's content. */
    static String lastChatMessage(JsonNode body) {
        return contentText(last(body.path("messages")).path("content"));
    }

    /** Responses: the input string, or the text of the last user item. */
    static String responsesInput(JsonNode body) {
        JsonNode input = body.path("input");
        if (input.isTextual()) {
            return input.asText();
        }
        JsonNode lastUser = null;
        for (JsonNode item : input) {
            if ("user".equals(item.path("role").asText())) {
                lastUser = item;
            }
        }
        return lastUser == null ? "" : contentText(lastUser.path("content"));
    }

    /** Anthropic Messages: the last message's content. */
    static String lastAnthropicMessage(JsonNode body) {
        return contentText(last(body.path("messages")).path("content"));
    }

    /** Gemini: the text parts of the last content. */
    static String lastGeminiContent(JsonNode body) {
        return contentText(last(body.path("contents")).path("parts"));
    }

    /** A string, or the concatenated "text" of an array of parts / blocks. */
    static String contentText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    /** Every piece of prompt text in the request, space separated; used to count prompt tokens. */
    static String all(JsonNode body) {
        List<String> texts = new ArrayList<>();
        collect(body, false, texts);
        return String.join(" ", texts);
    }

    private static void collect(JsonNode node, boolean insideTextField, List<String> texts) {
        if (node.isTextual()) {
            if (insideTextField) {
                texts.add(node.asText());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collect(element, insideTextField, texts);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                // tool schemas are not prompt text
                if (!field.getKey().equals("tools")) {
                    collect(field.getValue(), TEXT_FIELDS.contains(field.getKey()), texts);
                }
            }
        }
    }

    private static JsonNode last(JsonNode array) {
        return array.isArray() && array.size() > 0 ? array.get(array.size() - 1) : array.path(0);
    }
}
