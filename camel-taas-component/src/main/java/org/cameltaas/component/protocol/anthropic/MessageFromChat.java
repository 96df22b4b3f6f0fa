package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.support.Json;

/**
 * A {@code chat.completion} as an Anthropic message. Only the first choice is read: Anthropic has no {@code n}.
 * Blocks come in the order Anthropic's models produce them: thinking, text, tool calls.
 */
final class MessageFromChat {

    private MessageFromChat() {
    }

    static ObjectNode of(ObjectNode completion, ObjectNode request) {
        JsonNode choice = completion.path("choices").path(0);
        ObjectNode message = Json.object();
        message.put("id", AnthropicIds.messageId(Json.textOf(completion, "id")));
        message.put("type", "message");
        message.put("role", "assistant");
        String model = Json.textOf(completion, "model");
        message.put("model", model != null ? model : Json.textOf(request, "model"));
        message.set("content", content(choice.path("message")));
        message.put("stop_reason", StopReasons.of(Json.textOf(choice, "finish_reason")));
        message.putNull("stop_sequence");
        message.set("usage", AnthropicUsage.ofMessage(Usages.of(completion.get("usage"))));
        return message;
    }

    private static ArrayNode content(JsonNode chatMessage) {
        ArrayNode content = Json.MAPPER.createArrayNode();
        String reasoning = ChatFields.reasoning(chatMessage);
        if (reasoning != null) {
            content.add(MessageBlocks.thinking(reasoning, Json.textOf(chatMessage, "reasoning_signature")));
        }
        addText(content, Json.textOf(chatMessage, "content"));
        addText(content, Json.textOf(chatMessage, "refusal")); // a refusal is what the model said, so it is text
        for (JsonNode call : chatMessage.path("tool_calls")) {
            JsonNode function = call.path("function");
            String name = Json.textOf(function, "name");
            content.add(MessageBlocks.toolUse(AnthropicIds.toolUseId(Json.textOf(call, "id")),
                    name == null ? "" : name, ToolInputs.of(Json.textOf(function, "arguments"))));
        }
        return content;
    }

    private static void addText(ArrayNode content, String text) {
        if (text != null && !text.isEmpty()) {
            content.add(MessageBlocks.text(text));
        }
    }
}
