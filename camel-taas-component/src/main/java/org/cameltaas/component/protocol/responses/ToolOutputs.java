package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

/**
 * A {@code function_call_output}'s output as the text of a chat tool message. A string stays as it is; a list of
 * text parts (Responses allows one) is its text; anything else is written as compact JSON, which models read well.
 */
final class ToolOutputs {

    private ToolOutputs() {
    }

    static String text(JsonNode output) {
        if (output == null || output.isNull()) {
            return "";
        }
        if (output.isTextual()) {
            return output.asText();
        }
        if (output.isArray() && isTextParts(output)) {
            StringBuilder text = new StringBuilder();
            output.forEach(part -> text.append(part.path("text").asText()));
            return text.toString();
        }
        return Json.text(output);
    }

    private static boolean isTextParts(JsonNode output) {
        if (output.isEmpty()) {
            return false;
        }
        for (JsonNode part : output) {
            String type = Json.textOf(part, "type");
            if (!("input_text".equals(type) || "output_text".equals(type)) || Json.textOf(part, "text") == null) {
                return false;
            }
        }
        return true;
    }
}
