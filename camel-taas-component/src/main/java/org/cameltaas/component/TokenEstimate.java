package org.cameltaas.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.component.support.Tokenizer;

/**
 * Anthropic's {@code count_tokens} answered for a model whose provider has no count API: the texts of the request
 * (system, messages, tool definitions and calls) counted with OpenAI's o200k tokenizer, plus a few tokens of framing
 * per message. An estimate: every model family tokenizes a little differently.
 */
final class TokenEstimate {

    /** Role and separators of one message, as OpenAI counts them. */
    private static final int PER_MESSAGE = 4;

    private TokenEstimate() {
    }

    /** {@code {"input_tokens": n}} for a Messages request body. */
    static ObjectNode messagesCount(JsonNode request) {
        long tokens = count(request.get("system"));
        for (JsonNode message : request.path("messages")) {
            tokens += PER_MESSAGE + count(message.get("content"));
        }
        for (JsonNode tool : request.path("tools")) {
            tokens += PER_MESSAGE + text(Json.textOf(tool, "name")) + text(Json.textOf(tool, "description"))
                    + json(tool.get("input_schema"));
        }
        return Json.object().put("input_tokens", tokens);
    }

    /** A string, or content blocks: their texts, tool inputs as JSON, tool results' contents. */
    private static long count(JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return text(content.asText());
        }
        long tokens = 0;
        for (JsonNode block : content) {
            if (block.isTextual()) {
                tokens += text(block.asText());
            } else if (block.has("text")) {
                tokens += text(Json.textOf(block, "text"));
            } else if (block.has("input")) {
                tokens += text(Json.textOf(block, "name")) + json(block.get("input"));
            } else if (block.has("content")) {
                tokens += count(block.get("content"));
            } else if (block.has("thinking")) {
                tokens += text(Json.textOf(block, "thinking"));
            }
        }
        return tokens;
    }

    private static long text(String text) {
        return Tokenizer.count(text);
    }

    private static long json(JsonNode node) {
        return node == null || node.isNull() ? 0 : text(Json.text(node));
    }
}
