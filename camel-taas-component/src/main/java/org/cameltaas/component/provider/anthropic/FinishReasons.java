package org.cameltaas.component.provider.anthropic;

/** Anthropic's {@code stop_reason} as the OpenAI {@code finish_reason} that means the same to a caller. */
final class FinishReasons {

    private FinishReasons() {
    }

    static String of(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            // end_turn, stop_sequence, pause_turn and reasons added later: the turn simply ended
            default -> "stop";
        };
    }
}
