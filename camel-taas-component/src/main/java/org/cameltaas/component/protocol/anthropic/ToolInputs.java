package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * Chat tool call arguments (a JSON string) as Anthropic's {@code input} (a JSON object). Models do sometimes
 * produce arguments that are not a JSON object; those are kept whole under {@code _raw} rather than lost, so the
 * client can show or repair them.
 */
final class ToolInputs {

    static final String RAW_FIELD = "_raw";

    private ToolInputs() {
    }

    static ObjectNode of(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Json.object(); // a tool without parameters
        }
        try {
            JsonNode parsed = Json.parse(arguments);
            if (parsed != null && parsed.isObject()) {
                return (ObjectNode) parsed;
            }
        } catch (Exception e) {
            // not JSON: kept raw below
        }
        return Json.object().put(RAW_FIELD, arguments);
    }
}
