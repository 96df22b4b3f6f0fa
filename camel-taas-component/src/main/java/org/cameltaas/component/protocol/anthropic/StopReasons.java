package org.cameltaas.component.protocol.anthropic;

/** The chat {@code finish_reason} as the Anthropic {@code stop_reason} that means the same to a client. */
final class StopReasons {

    private StopReasons() {
    }

    static String of(String finishReason) {
        if (finishReason == null) {
            return "end_turn"; // an upstream that never said why it stopped simply ended its turn
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            // chat does not say which stop sequence matched, so "stop" cannot become stop_sequence faithfully
            default -> "end_turn";
        };
    }
}
