package org.cameltaas.testkit;

import java.util.List;

/**
 * The assistant turn the fake model "generates" for one request, independent of wire format:
 * text, reasoning, tool calls and token counts.
 */
final class Completion {

    private final String text;
    private final String reasoning;
    private final List<ScriptedToolCall> toolCalls;
    private final int promptTokens;
    private final int completionTokens;

    private Completion(String text, String reasoning, List<ScriptedToolCall> toolCalls,
                       int promptTokens, int completionTokens) {
        this.text = text;
        this.reasoning = reasoning;
        this.toolCalls = toolCalls;
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
    }

    /**
     * @param lastUserText text the default reply echoes
     * @param allPromptText all request text, for the prompt token count
     */
    static Completion of(Script script, String lastUserText, String allPromptText) {
        String text = script.replyText();
        if (text == null && script.toolCalls().isEmpty()) {
            text = "Echo: " + lastUserText;
        }
        String reasoning = script.reasoningText();
        int prompt = script.promptTokensOverride() >= 0
                ? script.promptTokensOverride()
                : Math.max(1, Words.count(allPromptText));
        int completion = script.completionTokensOverride() >= 0
                ? script.completionTokensOverride()
                : Words.count(text) + Words.count(reasoning) + argumentPieceCount(script.toolCalls());
        return new Completion(text, reasoning, script.toolCalls(), prompt, completion);
    }

    private static int argumentPieceCount(List<ScriptedToolCall> calls) {
        return calls.stream().mapToInt(c -> c.argumentPieces().size()).sum();
    }

    /** The reply text, or null when the model only calls tools. */
    String text() {
        return text;
    }

    boolean hasText() {
        return text != null;
    }

    List<String> textPieces() {
        return Words.pieces(text);
    }

    /** Reasoning text, or null. */
    String reasoning() {
        return reasoning;
    }

    boolean hasReasoning() {
        return reasoning != null;
    }

    List<String> reasoningPieces() {
        return Words.pieces(reasoning);
    }

    List<ScriptedToolCall> toolCalls() {
        return toolCalls;
    }

    boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }

    int promptTokens() {
        return promptTokens;
    }

    int completionTokens() {
        return completionTokens;
    }

    int reasoningTokens() {
        return Words.count(reasoning);
    }

    int totalTokens() {
        return promptTokens + completionTokens;
    }
}
