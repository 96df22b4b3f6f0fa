package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.protocol.TranslationOptions;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * A Responses request as a chat completions request. Only fields with a chat counterpart are carried; what
 * concerns OpenAI's own storage and scheduling (store, include, prompt_cache_key, truncation, service_tier,
 * background) is left out, and what needs state the gateway does not keep (previous_response_id, conversation,
 * stored prompts) is refused rather than silently losing the conversation.
 */
final class RequestTranslator {

    private RequestTranslator() {
    }

    static ObjectNode toChat(ObjectNode request, TranslationOptions options) {
        refuseStatefulFields(request);
        ObjectNode chat = Json.object();
        copy(request, "model", chat, "model");
        chat.set("messages", InputTranslator.messages(request));
        ToolsTranslator.translate(request, options, chat);
        copy(request, "max_output_tokens", chat, "max_tokens");
        copy(request, "temperature", chat, "temperature");
        copy(request, "top_p", chat, "top_p");
        copy(request, "user", chat, "user");
        // metadata is dropped with store: OpenAI chat refuses metadata unless the completion is stored, and the
        // translation stores nothing
        text(request.path("text"), chat);
        reasoningEffort(request.path("reasoning"), chat);
        JsonNode stream = request.get("stream");
        if (stream != null && stream.isBoolean()) {
            chat.set("stream", stream);
            if (stream.booleanValue()) {
                // the usage chunk is where response.completed gets its usage from
                chat.putObject("stream_options").put("include_usage", true);
            }
        }
        return chat;
    }

    private static void refuseStatefulFields(JsonNode request) {
        if (isSet(request, "previous_response_id")) {
            throw refuse("previous_response_not_supported", "previous_response_id refers to a stored response;"
                    + " the gateway keeps no state, send the whole conversation in input instead");
        }
        if (isSet(request, "conversation")) {
            throw refuse("conversation_not_supported", "conversation refers to a stored conversation;"
                    + " the gateway keeps no state, send the whole conversation in input instead");
        }
        if (isSet(request, "prompt")) {
            throw refuse("prompt_not_supported", "prompt refers to a stored prompt template;"
                    + " the gateway keeps none, send instructions and input instead");
        }
    }

    /** {@code text.format} is chat's {@code response_format}, with a json_schema's fields nested one level down. */
    private static void text(JsonNode text, ObjectNode chat) {
        JsonNode format = text.get("format");
        String type = Json.textOf(format, "type");
        if (type != null) {
            switch (type) {
                case "text" -> {
                    // chat's default
                }
                case "json_object" -> chat.putObject("response_format").put("type", "json_object");
                case "json_schema" -> {
                    ObjectNode schema = Json.object();
                    copy(format, "name", schema, "name");
                    copy(format, "description", schema, "description");
                    copy(format, "schema", schema, "schema");
                    copy(format, "strict", schema, "strict");
                    ObjectNode responseFormat = chat.putObject("response_format").put("type", "json_schema");
                    responseFormat.set("json_schema", schema);
                }
                default -> throw refuse(INVALID_REQUEST, "text.format.type '" + type
                        + "' is not one of text, json_object, json_schema");
            }
        }
        copy(text, "verbosity", chat, "verbosity");
    }

    /** Chat has no summary option; of the effort levels, minimal is the one chat upstreams do not all know. */
    private static void reasoningEffort(JsonNode reasoning, ObjectNode chat) {
        String effort = Json.textOf(reasoning, "effort");
        if (effort != null) {
            chat.put("reasoning_effort", "minimal".equals(effort) ? "low" : effort);
        }
    }

    private static boolean isSet(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value != null && !value.isNull() && !(value.isTextual() && value.asText().isEmpty());
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from == null ? null : from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value.deepCopy());
        }
    }
}
