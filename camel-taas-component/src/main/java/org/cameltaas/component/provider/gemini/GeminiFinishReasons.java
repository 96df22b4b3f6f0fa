package org.cameltaas.component.provider.gemini;

/** Gemini's finishReason as an OpenAI finish_reason. */
final class GeminiFinishReasons {

    private GeminiFinishReasons() {
    }

    /**
     * @param hasFunctionCalls whether the candidate called functions: Gemini then still says STOP, OpenAI clients
     *                         expect "tool_calls" to know they must run them
     */
    static String toOpenAi(String finishReason, boolean hasFunctionCalls) {
        if (finishReason == null) {
            return null;
        }
        return switch (finishReason) {
            case "STOP" -> hasFunctionCalls ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII" -> "content_filter";
            default -> "stop";
        };
    }
}
