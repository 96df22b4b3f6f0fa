package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.support.Json;

/**
 * Usage in Anthropic's shape. Anthropic counts cache reads apart from {@code input_tokens}, while chat's
 * {@code prompt_tokens} include its cached tokens, so those are moved from one count to the other. Chat never
 * reports cache writes: {@code cache_creation_input_tokens} is 0.
 */
final class AnthropicUsage {

    private AnthropicUsage() {
    }

    /** The usage of a message: in the reply and in {@code message_start}. */
    static ObjectNode ofMessage(TaasUsage usage) {
        ObjectNode out = Json.object();
        out.put("input_tokens", uncachedInput(usage));
        out.put("output_tokens", usage.completionTokens());
        out.put("cache_read_input_tokens", usage.cachedTokens());
        out.put("cache_creation_input_tokens", 0);
        return out;
    }

    /** The final counts of a stream, in {@code message_delta}: output first, as Anthropic sends them. */
    static ObjectNode ofFinalDelta(TaasUsage usage) {
        ObjectNode out = Json.object();
        out.put("output_tokens", usage.completionTokens());
        out.put("input_tokens", uncachedInput(usage));
        out.put("cache_read_input_tokens", usage.cachedTokens());
        out.put("cache_creation_input_tokens", 0);
        return out;
    }

    private static int uncachedInput(TaasUsage usage) {
        return Math.max(0, usage.promptTokens() - usage.cachedTokens());
    }
}
