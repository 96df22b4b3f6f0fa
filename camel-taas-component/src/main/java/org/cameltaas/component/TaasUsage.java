package org.cameltaas.component;

/**
 * Token usage of one upstream call, normalised across providers. Counts the upstream did not report are 0.
 *
 * @param promptTokens     input tokens, cached ones included
 * @param completionTokens output tokens, reasoning ones included
 * @param totalTokens      as reported, else prompt + completion
 * @param cachedTokens     input tokens served from the provider's prompt cache
 * @param reasoningTokens  output tokens spent on reasoning
 */
public record TaasUsage(int promptTokens, int completionTokens, int totalTokens, int cachedTokens, int reasoningTokens) {

    public static final TaasUsage NONE = new TaasUsage(0, 0, 0, 0, 0);

    public static TaasUsage of(int promptTokens, int completionTokens) {
        return new TaasUsage(promptTokens, completionTokens, promptTokens + completionTokens, 0, 0);
    }
}
