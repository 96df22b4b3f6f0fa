package org.cameltaas.component.provider;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.UpstreamFailures;
import org.cameltaas.component.support.Json;

/** Reads a provider's 2xx JSON reply. */
public final class JsonReplies {

    private JsonReplies() {
    }

    /**
     * The reply as JSON; a body that is not JSON is a malformed reply, never an empty answer.
     *
     * @param requestId the upstream's request id from the reply headers, for the failure; may be null
     */
    public static JsonNode parse(String provider, int status, byte[] body, String requestId)
            throws TaasUpstreamException {
        try {
            return Json.parse(body);
        } catch (Exception e) {
            throw UpstreamFailures.streamBroken(provider, Failure.MALFORMED, "answered " + status + " with invalid JSON",
                    e, false, requestId);
        }
    }
}
