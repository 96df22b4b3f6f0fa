package org.cameltaas.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the fake upstream does with one request: a normal reply, an error status, or a scripted fault.
 * Immutable: every method returns a modified copy, so one Script can be enqueued several times.
 */
public final class Script {

    private static final int UNSET = -1;

    private int status = 200;
    private String errorMessage;
    private String rawBody;
    private List<Map.Entry<String, String>> headers = List.of();
    private String replyText;
    private List<ScriptedToolCall> toolCalls = List.of();
    private String reasoning;
    private Duration headerDelay = Duration.ZERO;
    private Duration chunkDelay = Duration.ZERO;
    private int cutAfterEvents = UNSET;
    private int malformedEventAt = UNSET;
    private Duration trickleDelay = Duration.ZERO;
    private int trickleBytes = UNSET;
    private int midStreamErrorAfter = UNSET;
    private boolean resetConnection;
    private int promptTokens = UNSET;
    private int completionTokens = UNSET;

    private Script() {
    }

    /** A normal reply in the wire format the request path implies. */
    public static Script ok() {
        return new Script();
    }

    /** Reply with this status; 4xx/5xx replies carry the provider's own error body for the request path. */
    public static Script status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Script s = new Script();
        s.status = status;
        return s;
    }

    /** Error message text, used in error bodies and in mid-stream error events. */
    public Script message(String errorMessage) {
        Script s = copy();
        s.errorMessage = Objects.requireNonNull(errorMessage);
        return s;
    }

    /** Send these bytes verbatim as the body (content-type application/json) instead of a generated one. */
    public Script body(String rawBody) {
        Script s = copy();
        s.rawBody = Objects.requireNonNull(rawBody);
        return s;
    }

    /** An extra response header. */
    public Script header(String name, String value) {
        Script s = copy();
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(Map.entry(name, value));
        s.headers = List.copyOf(all);
        return s;
    }

    public Script retryAfter(String value) {
        return header("retry-after", value);
    }

    /** The assistant text to reply with; without it the reply echoes the last user message. */
    public Script reply(String text) {
        Script s = copy();
        s.replyText = Objects.requireNonNull(text);
        return s;
    }

    /**
     * Reply with a tool call. Several calls make parallel tool calls. Without {@link #reply(String)} the
     * reply has no text at all, as real models do when they call tools.
     */
    public Script toolCall(String name, String argumentsJson) {
        Script s = copy();
        List<ScriptedToolCall> all = new ArrayList<>(toolCalls);
        all.add(new ScriptedToolCall(name, argumentsJson));
        s.toolCalls = List.copyOf(all);
        return s;
    }

    /** Reasoning / thinking content, placed before the reply text in every format. */
    public Script reasoning(String text) {
        Script s = copy();
        s.reasoning = Objects.requireNonNull(text);
        return s;
    }

    /** Wait this long before sending the response headers (or before resetting the connection). */
    public Script headerDelay(Duration d) {
        Script s = copy();
        s.headerDelay = nonNegative(d);
        return s;
    }

    /** Wait this long before every SSE event, the first one included. */
    public Script chunkDelay(Duration d) {
        Script s = copy();
        s.chunkDelay = nonNegative(d);
        return s;
    }

    /** Stream only: close the connection after n events, without the stream's terminator. */
    public Script cutAfterEvents(int n) {
        Script s = copy();
        s.cutAfterEvents = nonNegative(n);
        return s;
    }

    /** Stream only: event number {@code index} (0-based) carries truncated JSON such as {@code {"id":}. */
    public Script malformedEventAt(int index) {
        Script s = copy();
        s.malformedEventAt = nonNegative(index);
        return s;
    }

    /** Write the body (JSON or SSE) {@code bytesPerChunk} bytes at a time, waiting {@code perChunk} before each. */
    public Script trickle(Duration perChunk, int bytesPerChunk) {
        if (bytesPerChunk < 1) {
            throw new IllegalArgumentException("bytesPerChunk must be >= 1");
        }
        Script s = copy();
        s.trickleDelay = nonNegative(perChunk);
        s.trickleBytes = bytesPerChunk;
        return s;
    }

    /** Stream only: after n events send the provider's in-stream error event and end the stream. */
    public Script midStreamError(int afterEvents) {
        Script s = copy();
        s.midStreamErrorAfter = nonNegative(afterEvents);
        return s;
    }

    /** Reset the TCP connection (RST) instead of replying. */
    public Script resetConnection() {
        Script s = copy();
        s.resetConnection = true;
        return s;
    }

    /** Report these token counts instead of the computed ones. */
    public Script usage(int promptTokens, int completionTokens) {
        Script s = copy();
        s.promptTokens = nonNegative(promptTokens);
        s.completionTokens = nonNegative(completionTokens);
        return s;
    }

    // --- read side, for the server ---

    int statusCode() {
        return status;
    }

    boolean isError() {
        return status >= 400;
    }

    String errorMessage() {
        return errorMessage;
    }

    String rawBody() {
        return rawBody;
    }

    List<Map.Entry<String, String>> headers() {
        return headers;
    }

    String replyText() {
        return replyText;
    }

    List<ScriptedToolCall> toolCalls() {
        return toolCalls;
    }

    String reasoningText() {
        return reasoning;
    }

    Duration headerDelayValue() {
        return headerDelay;
    }

    Duration chunkDelayValue() {
        return chunkDelay;
    }

    /** -1 when not set. */
    int cutAfterEventsValue() {
        return cutAfterEvents;
    }

    /** -1 when not set. */
    int malformedEventIndex() {
        return malformedEventAt;
    }

    boolean trickles() {
        return trickleBytes > 0;
    }

    Duration trickleDelay() {
        return trickleDelay;
    }

    int trickleBytes() {
        return trickleBytes;
    }

    /** -1 when not set. */
    int midStreamErrorAfter() {
        return midStreamErrorAfter;
    }

    boolean resetsConnection() {
        return resetConnection;
    }

    /** -1 when not overridden. */
    int promptTokensOverride() {
        return promptTokens;
    }

    /** -1 when not overridden. */
    int completionTokensOverride() {
        return completionTokens;
    }

    private Script copy() {
        Script s = new Script();
        s.status = status;
        s.errorMessage = errorMessage;
        s.rawBody = rawBody;
        s.headers = headers;
        s.replyText = replyText;
        s.toolCalls = toolCalls;
        s.reasoning = reasoning;
        s.headerDelay = headerDelay;
        s.chunkDelay = chunkDelay;
        s.cutAfterEvents = cutAfterEvents;
        s.malformedEventAt = malformedEventAt;
        s.trickleDelay = trickleDelay;
        s.trickleBytes = trickleBytes;
        s.midStreamErrorAfter = midStreamErrorAfter;
        s.resetConnection = resetConnection;
        s.promptTokens = promptTokens;
        s.completionTokens = completionTokens;
        return s;
    }

    private static Duration nonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0: " + d);
        }
        return d;
    }

    private static int nonNegative(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("must be >= 0: " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return "Script[status=" + status
                + (rawBody != null ? ", body" : "")
                + (replyText != null ? ", reply" : "")
                + (toolCalls.isEmpty() ? "" : ", toolCalls=" + toolCalls.size())
                + (resetConnection ? ", reset" : "")
                + "]";
    }
}
