package org.cameltaas.component.protocol.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.support.Json;

/** Token usage in the Responses shape (input/output tokens with their cached and reasoning details). */
final class ResponseUsage {

    private ResponseUsage() {
    }

    static ObjectNode toJson(TaasUsage usage) {
        ObjectNode json = Json.object().put("input_tokens", usage.promptTokens());
        json.putObject("input_tokens_details").put("cached_tokens", usage.cachedTokens());
        json.put("output_tokens", usage.completionTokens());
        json.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        json.put("total_tokens", usage.totalTokens());
        return json;
    }
}
