package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * The {@code response} object, whole or in progress. Like OpenAI, it echoes the request's settings (with OpenAI's
 * defaults where the request left them out), and it carries {@code output_text}, the joined text the SDKs compute,
 * for clients that read it from the JSON.
 *
 * @param id        the response id
 * @param createdAt seconds since the epoch
 * @param model     the model that answered
 */
record ResponseObject(String id, long createdAt, String model) {

    ObjectNode build(JsonNode request, Outcome outcome, ArrayNode output, ObjectNode usage) {
        ObjectNode response = Json.object().put("id", id).put("object", "response").put("created_at", createdAt)
                .put("status", outcome.status()).put("background", false);
        response.putNull("error");
        if (outcome.incompleteReason() != null) {
            response.putObject("incomplete_details").put("reason", outcome.incompleteReason());
        } else {
            response.putNull("incomplete_details");
        }
        echo(request, "instructions", null, response);
        echo(request, "max_output_tokens", null, response);
        response.put("model", model);
        response.set("output", output);
        echo(request, "parallel_tool_calls", Json.MAPPER.getNodeFactory().booleanNode(true), response);
        response.putNull("previous_response_id");
        echo(request, "reasoning", Json.object().putNull("effort").putNull("summary"), response);
        // nothing is stored here, so a request that did not ask is not told otherwise
        echo(request, "store", Json.MAPPER.getNodeFactory().booleanNode(false), response);
        echo(request, "temperature", Json.MAPPER.getNodeFactory().numberNode(1), response);
        ObjectNode defaultText = Json.object();
        defaultText.putObject("format").put("type", "text");
        echo(request, "text", defaultText, response);
        echo(request, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto"), response);
        echo(request, "tools", Json.MAPPER.createArrayNode(), response);
        echo(request, "top_p", Json.MAPPER.getNodeFactory().numberNode(1), response);
        echo(request, "truncation", Json.MAPPER.getNodeFactory().textNode("disabled"), response);
        if (usage != null) {
            response.set("usage", usage);
        } else {
            response.putNull("usage");
        }
        echo(request, "user", null, response);
        echo(request, "metadata", Json.object(), response);
        response.put("output_text", outputText(output));
        return response;
    }

    private static void echo(JsonNode request, String field, JsonNode fallback, ObjectNode response) {
        JsonNode value = request == null ? null : request.get(field);
        if (value != null && !value.isNull()) {
            response.set(field, value.deepCopy());
        } else if (fallback != null) {
            response.set(field, fallback);
        } else {
            response.putNull(field);
        }
    }

    /** The text of every output_text part of every message item, in order. */
    private static String outputText(ArrayNode output) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : output) {
            if ("message".equals(Json.textOf(item, "type"))) {
                for (JsonNode part : item.path("content")) {
                    if ("output_text".equals(Json.textOf(part, "type"))) {
                        text.append(part.path("text").asText());
                    }
                }
            }
        }
        return text.toString();
    }
}
