package org.cameltaas.local;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks the {@code model} of a request against the one model an endpoint serves. It takes the full id
 * ({@code local/all-minilm-l6-v2}), the id without {@code local/} (the gateway's {@code provider/model} routing strips
 * the provider part) or no model at all; any other model is refused rather than silently answered by this one, whose
 * vectors would not match the ones the caller expects.
 */
final class ModelName {

    private static final String PREFIX = "local/";

    private ModelName() {
    }

    /** The served model's id, for the reply; throws a 404 for another model. */
    static String check(ObjectNode request, String servedId) {
        JsonNode model = request.get("model");
        if (model == null || model.isNull()) {
            return servedId;
        }
        if (!model.isTextual()) {
            throw ApiError.invalidValue("model", "model must be a string");
        }
        String asked = model.asText().trim().toLowerCase(Locale.ROOT);
        if (asked.isEmpty() || asked.equals(servedId) || PREFIX.concat(asked).equals(servedId)) {
            return servedId;
        }
        throw ApiError.modelNotFound(model.asText(), servedId);
    }
}
