package org.cameltaas.gateway.credits;

import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Tokenizer;

/**
 * Counts the tokens of the generated text a stream delivered, for a stream the client left before its final usage:
 * the deltas of chat chunks ({@code choices[].delta}: content, reasoning, tool-call arguments), of Responses events
 * ({@code response.*.delta}) and of Anthropic's ({@code content_block_delta}), counted with the o200k tokenizer.
 * Whole-text events ({@code *.done}, {@code response.completed}) are not deltas and are not counted again.
 */
final class DeliveredText implements Consumer<SseEvent> {

    private static final Set<String> NOT_TEXT = Set.of("type", "id", "index", "stop_reason", "stop_sequence", "role",
            "finish_reason", "item_id", "output_index", "content_index", "sequence_number", "call_id", "name", "signature");
    /** Text is counted in pieces this large, so a long stream holds no more than this much of it. */
    private static final int COUNT_EVERY = 16_384;

    private final StringBuilder pending = new StringBuilder();
    private long counted;

    @Override
    public void accept(SseEvent event) {
        String name = event.event();
        if (name != null && !name.contains("delta") || event.isDone()) {
            return;
        }
        JsonNode json;
        try {
            json = event.json();
        } catch (Exception e) {
            return;
        }
        synchronized (this) {
            if (name == null) {
                for (JsonNode choice : json.path("choices")) {
                    collect(choice.get("delta"));
                }
            } else {
                collect(json.get("delta"));
            }
            if (pending.length() >= COUNT_EVERY) {
                counted += Tokenizer.count(pending.toString());
                pending.setLength(0);
            }
        }
    }

    /** Tokens delivered so far. */
    synchronized long tokens() {
        if (pending.length() > 0) {
            counted += Tokenizer.count(pending.toString());
            pending.setLength(0);
        }
        return counted;
    }

    private void collect(JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual()) {
            pending.append(node.textValue());
        } else if (node.isArray()) {
            node.forEach(this::collect);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!NOT_TEXT.contains(field.getKey())) {
                    collect(field.getValue());
                }
            }
        }
    }
}
