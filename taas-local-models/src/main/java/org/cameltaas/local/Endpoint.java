package org.cameltaas.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One operation of the local API: a parsed request in, the reply body out, or an {@link ApiError}. */
@FunctionalInterface
interface Endpoint {

    /** @param request the JSON body of a POST, null for a GET */
    JsonNode answer(ObjectNode request);
}
