package org.cameltaas.component.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.support.Json;

/** Reads a usage object in the OpenAI Chat, OpenAI Responses or Anthropic Messages shape, and writes Chat's. */
public final class Usages {

    private Usages() {
    }

    public static TaasUsage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return TaasUsage.NONE;
        }
        if (usage.has("prompt_tokens") || usage.has("completion_tokens")) { // Chat, embeddings
            int prompt = Json.intOf(usage, "prompt_tokens");
            int completion = Json.intOf(usage, "completion_tokens");
            return new TaasUsage(prompt, completion, total(usage, prompt + completion),
                    Json.intOf(usage.get("prompt_tokens_details"), "cached_tokens"),
                    Json.intOf(usage.get("completion_tokens_details"), "reasoning_tokens"));
        }
        if (usage.has("cache_read_input_tokens") || usage.has("cache_creation_input_tokens")
                || usage.has("input_tokens") && !usage.has("total_tokens") && !usage.has("input_tokens_details")) {
            // Anthropic: input_tokens excludes cached ones
            int cacheRead = Json.intOf(usage, "cache_read_input_tokens");
            int prompt = Json.intOf(usage, "input_tokens") + cacheRead + Json.intOf(usage, "cache_creation_input_tokens");
            int completion = Json.intOf(usage, "output_tokens");
            return new TaasUsage(prompt, completion, prompt + completion, cacheRead, 0);
        }
        int prompt = Json.intOf(usage, "input_tokens"); // Responses
        int completion = Json.intOf(usage, "output_tokens");
        return new TaasUsage(prompt, completion, total(usage, prompt + completion),
                Json.intOf(usage.get("input_tokens_details"), "cached_tokens"),
                Json.intOf(usage.get("output_tokens_details"), "reasoning_tokens"));
    }

    /** The OpenAI Chat {@code usage} object: token counts and the cached part of the prompt. */
    public static ObjectNode toChat(TaasUsage usage) {
        ObjectNode json = Json.object();
        json.put("prompt_tokens", usage.promptTokens());
        json.put("completion_tokens", usage.completionTokens());
        json.put("total_tokens", usage.totalTokens());
        json.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        return json;
    }

    private static int total(JsonNode usage, int fallback) {
        JsonNode total = usage.get("total_tokens");
        return total != null && total.isNumber() ? total.asInt() : fallback;
    }
}
