package org.cameltaas.component.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.provider.ModelList;
import org.cameltaas.component.support.Json;

/** Gemini's model list as an OpenAI model list. */
final class GeminiModels {

    private static final String MODEL_PREFIX = "models/";

    private GeminiModels() {
    }

    static ObjectNode toOpenAi(JsonNode reply) {
        ModelList list = new ModelList("google");
        for (JsonNode model : reply.path("models")) {
            String name = Json.textOf(model, "name");
            if (name != null) {
                list.add(withoutPrefix(name), 0); // Gemini does not say when a model was published
            }
        }
        return list.json();
    }

    /** Gemini names models "models/gemini-..."; OpenAI clients and the request paths use the bare id. */
    static String withoutPrefix(String model) {
        return model.startsWith(MODEL_PREFIX) ? model.substring(MODEL_PREFIX.length()) : model;
    }
}
