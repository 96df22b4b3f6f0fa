package org.cameltaas.component.protocol.anthropic;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;

/**
 * The content blocks of one streamed Anthropic message. Chat deltas arrive as a flat run of reasoning, text and
 * tool call fragments; Anthropic wants them in numbered blocks, one open at a time. A fragment of another kind, or
 * of another tool call, therefore closes the open block and starts the next one.
 */
final class ContentBlockWriter {

    private enum Kind { THINKING, TEXT, TOOL_USE }

    private Kind open;
    /** The index of the open block, or of the last one while none is open. */
    private int blockIndex = -1;
    private int openToolCall = -1;
    private final Set<Integer> closedToolCalls = new HashSet<>();
    /** Anthropic signs a thinking block once, just before it stops; fragments are gathered until then. */
    private final StringBuilder signature = new StringBuilder();

    void thinking(String thinking, Consumer<SseEvent> out) {
        ensureOpen(Kind.THINKING, out);
        out.accept(AnthropicEvents.thinkingDelta(blockIndex, thinking));
    }

    void signature(String fragment, Consumer<SseEvent> out) {
        ensureOpen(Kind.THINKING, out);
        signature.append(fragment);
    }

    void text(String text, Consumer<SseEvent> out) {
        ensureOpen(Kind.TEXT, out);
        out.accept(AnthropicEvents.textDelta(blockIndex, text));
    }

    /** Whether the given chat tool call (by its chunk {@code index}) is the one whose block is open. */
    boolean isOpenToolCall(int toolCall) {
        return open == Kind.TOOL_USE && openToolCall == toolCall;
    }

    /** Whether the given chat tool call had a block that is closed now: blocks cannot be reopened. */
    boolean wasClosed(int toolCall) {
        return closedToolCalls.contains(toolCall);
    }

    void startToolUse(int toolCall, String id, String name, Consumer<SseEvent> out) {
        close(out);
        start(Kind.TOOL_USE, MessageBlocks.toolUse(id, name, Json.object()), out);
        openToolCall = toolCall;
    }

    /** A fragment of the open tool call's arguments. */
    void toolArguments(String fragment, Consumer<SseEvent> out) {
        out.accept(AnthropicEvents.inputJsonDelta(blockIndex, fragment));
    }

    /** Closes the open block, if any; a thinking block gets its signature first. */
    void close(Consumer<SseEvent> out) {
        if (open == null) {
            return;
        }
        if (open == Kind.THINKING && !signature.isEmpty()) {
            out.accept(AnthropicEvents.signatureDelta(blockIndex, signature.toString()));
            signature.setLength(0);
        }
        if (open == Kind.TOOL_USE) {
            closedToolCalls.add(openToolCall);
            openToolCall = -1;
        }
        out.accept(AnthropicEvents.blockStop(blockIndex));
        open = null;
    }

    private void ensureOpen(Kind kind, Consumer<SseEvent> out) {
        if (open == kind) {
            return;
        }
        close(out);
        // the signature travels in a delta, so the block starts with it empty
        start(kind, kind == Kind.THINKING ? MessageBlocks.thinking("", "") : MessageBlocks.text(""), out);
    }

    private void start(Kind kind, ObjectNode block, Consumer<SseEvent> out) {
        open = kind;
        blockIndex++;
        out.accept(AnthropicEvents.blockStart(blockIndex, block));
    }
}
