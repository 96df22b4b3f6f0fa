package org.cameltaas.component.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUsage;

/**
 * Anthropic's token counts, kept field by field. A stream reports them in pieces (input at {@code message_start},
 * output, and in newer API versions updated input counts, at {@code message_delta}, each cumulative), so every
 * update overwrites only the fields it carries.
 * <p>
 * Anthropic's {@code input_tokens} excludes the tokens read from or written to its prompt cache; OpenAI's
 * {@code prompt_tokens} includes them, so the prompt count here is the sum of the three.
 */
final class TokenCounts {

    private int input;
    private int cacheRead;
    private int cacheCreation;
    private int output;

    static TokenCounts of(JsonNode usage) {
        TokenCounts counts = new TokenCounts();
        counts.update(usage);
        return counts;
    }

    void update(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        input = valueOr(usage, "input_tokens", input);
        cacheRead = valueOr(usage, "cache_read_input_tokens", cacheRead);
        cacheCreation = valueOr(usage, "cache_creation_input_tokens", cacheCreation);
        output = valueOr(usage, "output_tokens", output);
    }

    TaasUsage usage() {
        int prompt = input + cacheRead + cacheCreation;
        return new TaasUsage(prompt, output, prompt + output, cacheRead, 0);
    }

    private static int valueOr(JsonNode usage, String field, int current) {
        JsonNode value = usage.get(field);
        return value != null && value.isNumber() ? value.asInt() : current;
    }
}
