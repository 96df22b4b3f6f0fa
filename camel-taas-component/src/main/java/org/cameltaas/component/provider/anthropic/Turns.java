package org.cameltaas.component.provider.anthropic;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * Anthropic's conversation: user and assistant turns that alternate. OpenAI allows several messages of one role in
 * a row (and tool results as messages of their own), so consecutive blocks of one role are gathered into one turn.
 */
final class Turns {

    private final List<String> roles = new ArrayList<>();
    private final List<List<ObjectNode>> blocks = new ArrayList<>();

    /** Adds blocks to the last turn when it has this role, else starts a turn. */
    void add(String role, List<ObjectNode> content) {
        int last = roles.size() - 1;
        if (last >= 0 && roles.get(last).equals(role)) {
            blocks.get(last).addAll(content);
        } else {
            roles.add(role);
            blocks.add(new ArrayList<>(content));
        }
    }

    ArrayNode toJson() {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (int i = 0; i < roles.size(); i++) {
            ObjectNode message = messages.addObject();
            message.put("role", roles.get(i));
            List<ObjectNode> content = toolResultsFirst(blocks.get(i));
            if (content.isEmpty()) {
                message.put("content", ""); // nothing to say; the upstream reports it as the caller's mistake
            } else if (content.size() == 1 && isPlainText(content.get(0))) {
                message.put("content", content.get(0).get("text").asText()); // the shape people write by hand
            } else {
                content.forEach(message.withArray("content")::add);
            }
        }
        return messages;
    }

    /** Anthropic wants a user turn's tool results before anything else in it. */
    private static List<ObjectNode> toolResultsFirst(List<ObjectNode> content) {
        List<ObjectNode> ordered = new ArrayList<>(content.size());
        for (ObjectNode block : content) {
            if ("tool_result".equals(Json.textOf(block, "type"))) {
                ordered.add(block);
            }
        }
        for (ObjectNode block : content) {
            if (!"tool_result".equals(Json.textOf(block, "type"))) {
                ordered.add(block);
            }
        }
        return ordered;
    }

    static boolean isPlainText(ObjectNode block) {
        return block.size() == 2 && "text".equals(Json.textOf(block, "type")) && block.get("text").isTextual();
    }
}
