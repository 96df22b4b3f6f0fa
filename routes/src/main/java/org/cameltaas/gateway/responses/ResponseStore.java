package org.cameltaas.gateway.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The responses the gateway produced for translated models, kept so that {@code previous_response_id},
 * {@code item_reference} and {@code GET /v1/responses/{id}} work on any model. Entries live in a scope (the token's
 * team and project: one project never sees another's), bounded in size and time. Values are plain JSON, so a shared
 * back end (Redis, PostgreSQL) for several replicas is this interface over serialized bytes.
 */
public interface ResponseStore {

    /**
     * One response: the response object as the client got it (its {@code output} items included) and the input
     * items that led to it, already expanded, so a chain of {@code previous_response_id}s is one lookup.
     */
    record Stored(ObjectNode response, ArrayNode input) {
        public String id() {
            return response.path("id").asText();
        }
    }

    void put(String scope, Stored stored);

    /** The response with this id in this scope, or null. */
    Stored get(String scope, String responseId);

    /** An output item of a stored response, by its id, or null. */
    JsonNode item(String scope, String itemId);
}
