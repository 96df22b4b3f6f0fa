package org.cameltaas.component.provider.gemini;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * An OpenAI chat completion request as a Gemini {@code generateContent} body. OpenAI fields Gemini has no
 * counterpart for are dropped; a nested {@code "gemini": {...}} object is merged into the body as it is, so a
 * caller can reach Gemini-only settings (safetySettings, generationConfig.topK, cachedContent, ...).
 */
final class GeminiChatRequest {

    /** The escape hatch: merged into the Gemini body untranslated. */
    static final String NATIVE_FIELD = "gemini";

    private GeminiChatRequest() {
    }

    static ObjectNode toGemini(JsonNode request) {
        ObjectNode body = Json.object();
        GeminiContents.translate(request.get("messages"), body);
        GeminiTools.translate(request, body);
        ObjectNode generationConfig = GeminiGenerationConfig.of(request);
        if (generationConfig != null) {
            body.set("generationConfig", generationConfig);
        }
        JsonNode nativeFields = request.get(NATIVE_FIELD);
        if (nativeFields != null && nativeFields.isObject()) {
            merge(body, nativeFields);
        }
        return body;
    }

    /** Deep merge: objects merge field by field, anything else replaces what the translation produced. */
    static void merge(ObjectNode target, JsonNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                merge(existingObject, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }
}
