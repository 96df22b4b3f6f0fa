package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** GET /v1/models in OpenAI's list shape. */
final class ModelListReplies {

    static final List<String> MODEL_IDS = List.of("fake-gpt", "fake-gpt-mini", "fake-embedding", "fake-rerank");

    private ModelListReplies() {
    }

    static Reply reply() {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String id : MODEL_IDS) {
            ObjectNode model = data.addObject();
            model.put("id", id);
            model.put("object", "model");
            model.put("created", 1_700_000_000);
            model.put("owned_by", "fake");
        }
        return Reply.json(200, root);
    }
}
