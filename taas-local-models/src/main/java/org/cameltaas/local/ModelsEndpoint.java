package org.cameltaas.local;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}} in OpenAI's shape, for the two local models. */
final class ModelsEndpoint implements Endpoint {

    static final List<String> MODELS = List.of(LocalEmbeddings.MODEL_ID, LocalRerank.MODEL_ID);
    private static final String OWNER = "camel-taas-local";

    private final long created = System.currentTimeMillis() / 1000;

    @Override
    public JsonNode answer(ObjectNode request) {
        ObjectNode root = WireJson.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        MODELS.forEach(id -> data.add(model(id)));
        return root;
    }

    /** One model; its id may hold a slash, so it is the whole rest of the path. */
    JsonNode retrieve(String id) {
        if (!MODELS.contains(id)) {
            throw ApiError.modelNotFound(id, String.join(" or ", MODELS));
        }
        return model(id);
    }

    private ObjectNode model(String id) {
        ObjectNode model = WireJson.object();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", created);
        model.put("owned_by", OWNER);
        return model;
    }
}
