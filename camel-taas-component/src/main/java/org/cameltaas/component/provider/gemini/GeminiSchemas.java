package org.cameltaas.component.provider.gemini;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Cleans a JSON schema for Gemini, which rejects a few keywords OpenAI clients commonly send
 * ({@code additionalProperties}, {@code $schema}, {@code strict}).
 */
final class GeminiSchemas {

    private static final Set<String> REJECTED = Set.of("additionalProperties", "$schema", "strict");

    /** Keywords whose value maps names to sub-schemas: their keys are property names, never keywords. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions");

    private GeminiSchemas() {
    }

    /** A cleaned copy; the caller's schema is left alone. */
    static JsonNode clean(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        cleanInPlace(copy);
        return copy;
    }

    private static void cleanInPlace(JsonNode node) {
        if (node.isArray()) {
            node.forEach(GeminiSchemas::cleanInPlace);
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        object.remove(REJECTED);
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (SCHEMA_MAPS.contains(field.getKey()) && field.getValue().isObject()) {
                // a property may well be called "strict": only its schema is cleaned, not its name
                field.getValue().forEach(GeminiSchemas::cleanInPlace);
            } else {
                cleanInPlace(field.getValue());
            }
        }
    }
}
