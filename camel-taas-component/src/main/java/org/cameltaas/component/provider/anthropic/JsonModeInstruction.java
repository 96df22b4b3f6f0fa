package org.cameltaas.component.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * OpenAI's {@code response_format} as words. Anthropic has no JSON mode, so asking for JSON becomes an instruction
 * added at the end of the system prompt, with the schema when one is given. The model is then asked, not forced:
 * a caller that must have valid JSON still checks it.
 */
final class JsonModeInstruction {

    private JsonModeInstruction() {
    }

    /** The instruction for this response format, or null for plain text. */
    static String of(JsonNode responseFormat) {
        if (responseFormat == null || responseFormat.isNull()) {
            return null;
        }
        String type = Json.textOf(responseFormat, "type");
        switch (type == null ? "" : type) {
            case "text":
                return null;
            case "json_object":
                return "Respond with one valid JSON object only: no text before or after it and no Markdown code fences.";
            case "json_schema":
                JsonNode schema = responseFormat.path("json_schema").get("schema");
                if (schema == null || schema.isNull()) {
                    return of(Json.object().put("type", "json_object"));
                }
                return "Respond with one valid JSON value only, no text before or after it and no Markdown code fences. "
                        + "It must conform to this JSON Schema:\n" + Json.text(schema);
            default:
                throw refuse("invalid_response_format", "response_format type '" + type
                        + "' is not one of text, json_object, json_schema");
        }
    }
}
