package org.cameltaas.component.provider.gemini;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.protocol.ChatChunks;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.protocol.ProtocolStreamMapper;
import org.cameltaas.component.support.Json;

/**
 * A Gemini {@code streamGenerateContent?alt=sse} stream as OpenAI {@code chat.completion.chunk} events. Gemini
 * has no terminator event: a stream is complete when a candidate reported its finishReason and the connection then
 * closed, and only then are the usage chunk (if the caller asked for it) and {@code [DONE]} sent.
 */
final class GeminiStreamMapper extends ProtocolStreamMapper {

    private final String requestModel;
    private final boolean callerWantsUsage;
    private final long created = Instant.now().getEpochSecond();
    private final Map<Integer, CandidateState> candidates = new HashMap<>();
    private String id;
    private boolean finishReasonSeen;

    /** What the chunks of one candidate have said so far. */
    private static final class CandidateState {
        boolean opened;
        int calls;
    }

    GeminiStreamMapper(String provider, TaasRequest request) {
        super(provider);
        this.requestModel = request.model();
        this.callerWantsUsage = request.usageChunkRequested();
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        JsonNode error = json.get("error");
        if (error != null && error.isObject()) {
            throw error(ErrorBodies.fromJson(json, event.data()));
        }
        if (id == null) {
            id = GeminiChatResponse.replyId(json);
        }
        if (model == null) {
            model = Json.textOf(json, "modelVersion");
        }
        JsonNode usageMetadata = json.get("usageMetadata");
        if (usageMetadata != null && usageMetadata.isObject()) {
            usage = GeminiUsage.of(usageMetadata); // cumulative: the last one wins
        }
        JsonNode candidateNodes = json.path("candidates");
        for (int i = 0; i < candidateNodes.size(); i++) {
            candidate(GeminiCandidate.read(candidateNodes.get(i), i), out);
        }
        if (candidateNodes.isEmpty() && Json.textOf(json.path("promptFeedback"), "blockReason") != null) {
            // the prompt was blocked: no candidate will come
            open(0, out);
            finish(0, "content_filter", out);
        }
    }

    private void candidate(GeminiCandidate candidate, Consumer<SseEvent> out) {
        int index = candidate.index();
        open(index, out);
        CandidateState state = candidates.get(index);
        ObjectNode delta = Json.object();
        if (candidate.reasoning() != null && !candidate.reasoning().isEmpty()) {
            delta.put("reasoning_content", candidate.reasoning());
        }
        if (candidate.signature() != null) {
            delta.put("reasoning_signature", candidate.signature()); // handed back on the next turn
        }
        if (candidate.text() != null && !candidate.text().isEmpty()) {
            delta.put("content", candidate.text());
        }
        if (!candidate.calls().isEmpty()) {
            ArrayNode toolCalls = delta.putArray("tool_calls");
            for (GeminiCandidate.FunctionCall call : candidate.calls()) {
                // Gemini sends each call whole: one delta carries its id, name and all its arguments
                int ordinal = state.calls++;
                ObjectNode toolCall = Json.object().put("index", ordinal);
                toolCall.setAll(GeminiCandidate.toolCall(call, ToolCallIds.of(id, index, ordinal)));
                toolCalls.add(toolCall);
            }
        }
        if (!delta.isEmpty()) {
            content = true;
            out.accept(chunk(index, delta, null));
        }
        String finish = GeminiFinishReasons.toOpenAi(candidate.finishReason(), state.calls > 0);
        if (finish != null) {
            finish(index, finish, out);
        }
    }

    /** OpenAI streams open each choice with the assistant role. */
    private void open(int index, Consumer<SseEvent> out) {
        CandidateState state = candidates.computeIfAbsent(index, i -> new CandidateState());
        if (!state.opened) {
            state.opened = true;
            out.accept(chunk(index, Json.object().put("role", "assistant").put("content", ""), null));
        }
    }

    private void finish(int index, String finishReason, Consumer<SseEvent> out) {
        finishReasonSeen = true;
        content = true;
        out.accept(chunk(index, Json.object(), finishReason));
    }

    /** Gemini ends its stream by closing it: a stream that never gave a finishReason was cut, not finished. */
    @Override
    public void onEnd(Consumer<SseEvent> out) {
        if (!finishReasonSeen) {
            return;
        }
        if (callerWantsUsage) {
            out.accept(ChatChunks.usageChunk(header(), GeminiUsage.toJson(usage)));
        }
        out.accept(SseEvent.data("[DONE]"));
        finished = true;
    }

    /** Gemini sends no [DONE]; should a proxy add one, the mapper's own in {@link #onEnd} is the one that counts. */
    @Override
    protected void onDone(SseEvent event, Consumer<SseEvent> out) {
        finished = false;
    }

    private SseEvent chunk(int index, ObjectNode delta, String finishReason) {
        ObjectNode chunk = header();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return SseEvent.of(null, chunk);
    }

    private ObjectNode header() {
        if (id == null) {
            id = GeminiChatResponse.newCompletionId(); // a blocked prompt's chunk may come before any id
        }
        return ChatChunks.envelope(id, created, model != null ? model : requestModel);
    }
}
