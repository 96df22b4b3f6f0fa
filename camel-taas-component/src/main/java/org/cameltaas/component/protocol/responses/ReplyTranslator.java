package org.cameltaas.component.protocol.responses;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.responses.OutputItems.COMPLETED;

/**
 * A {@code chat.completion} as a Responses {@code response}: the first choice's reasoning, text and tool calls
 * become a reasoning item, a message item and function_call items, in that order (the order a model produces
 * them in).
 */
final class ReplyTranslator {

    private ReplyTranslator() {
    }

    static ObjectNode toResponse(ObjectNode completion, ObjectNode request) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ResponseIds ids = ResponseIds.of(Json.textOf(completion, "id"));
        ArrayNode output = Json.MAPPER.createArrayNode();
        String reasoning = ChatFields.reasoning(message);
        if (!ChatFields.isEmpty(reasoning)) {
            ObjectNode item = OutputItems.reasoning(ids.item("rs_", output.size()), reasoning);
            String signature = Json.textOf(message, "reasoning_signature");
            if (signature != null) {
                item.put("encrypted_content", signature); // handed back next turn, so the provider can verify it
            }
            output.add(item);
        }
        List<ObjectNode> parts = messageParts(message);
        if (!parts.isEmpty()) {
            output.add(OutputItems.message(ids.item("msg_", output.size()), COMPLETED, parts));
        }
        for (JsonNode call : message.path("tool_calls")) {
            output.add(functionCall(call, ids, output.size()));
        }
        JsonNode usage = completion.get("usage");
        ObjectNode usageJson = usage != null && usage.isObject() ? ResponseUsage.toJson(Usages.of(usage)) : null;
        ResponseObject response = new ResponseObject(ids.response(), ChatFields.created(completion),
                ChatFields.model(completion, request));
        return response.build(request, Outcome.of(Json.textOf(choice, "finish_reason")), output, usageJson);
    }

    private static List<ObjectNode> messageParts(JsonNode message) {
        List<ObjectNode> parts = new ArrayList<>();
        String text = ChatFields.text(message);
        if (!ChatFields.isEmpty(text)) {
            parts.add(OutputItems.textPart(text));
        }
        String refusal = ChatFields.refusal(message);
        if (!ChatFields.isEmpty(refusal)) {
            parts.add(OutputItems.refusalPart(refusal));
        }
        return parts;
    }

    private static ObjectNode functionCall(JsonNode call, ResponseIds ids, int outputIndex) {
        JsonNode function = call.path("function");
        String callId = Json.textOf(call, "id");
        String arguments = Json.textOf(function, "arguments");
        return OutputItems.functionCall(ids.item("fc_", outputIndex), callId != null ? callId : ids.call(outputIndex),
                Json.textOf(function, "name"), arguments != null ? arguments : "", COMPLETED);
    }
}
