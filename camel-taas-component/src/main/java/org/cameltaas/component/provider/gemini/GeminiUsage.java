package org.cameltaas.component.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.support.Json;

/** Gemini's usageMetadata, as a {@link TaasUsage} and as an OpenAI Chat usage object. */
final class GeminiUsage {

    private GeminiUsage() {
    }

    static TaasUsage of(JsonNode usageMetadata) {
        if (usageMetadata == null || !usageMetadata.isObject()) {
            return TaasUsage.NONE;
        }
        int prompt = Json.intOf(usageMetadata, "promptTokenCount");
        int thoughts = Json.intOf(usageMetadata, "thoughtsTokenCount");
        // Gemini counts thinking apart from the answer; OpenAI's completion tokens include reasoning
        int completion = Json.intOf(usageMetadata, "candidatesTokenCount") + thoughts;
        JsonNode total = usageMetadata.get("totalTokenCount");
        return new TaasUsage(prompt, completion, total != null && total.isNumber() ? total.asInt() : prompt + completion,
                Json.intOf(usageMetadata, "cachedContentTokenCount"), thoughts);
    }

    /** Chat's usage object, with the reasoning tokens Gemini counts apart. */
    static ObjectNode toJson(TaasUsage usage) {
        ObjectNode json = Usages.toChat(usage);
        json.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return json;
    }
}
