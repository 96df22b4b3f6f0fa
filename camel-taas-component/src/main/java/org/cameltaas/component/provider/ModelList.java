package org.cameltaas.component.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * An OpenAI model list, {@code {"object":"list","data":[{id, object:"model", created, owned_by}]}}: the shape every
 * provider turns its own list into, so that OpenAI clients read any of them.
 */
public final class ModelList {

    private final ObjectNode list = Json.object();
    private final ArrayNode data;
    private final String ownedBy;

    /** @param ownedBy the {@code owned_by} of every model listed, e.g. the vendor */
    public ModelList(String ownedBy) {
        this.ownedBy = ownedBy;
        list.put("object", "list");
        data = list.putArray("data");
    }

    /** @param created when the model was published, in epoch seconds; 0 when unknown */
    public ModelList add(String id, long created) {
        ObjectNode model = data.addObject();
        model.put("id", id);
        model.put("object", "model");
        model.put("created", created);
        model.put("owned_by", ownedBy);
        return this;
    }

    public ObjectNode json() {
        return list;
    }
}
