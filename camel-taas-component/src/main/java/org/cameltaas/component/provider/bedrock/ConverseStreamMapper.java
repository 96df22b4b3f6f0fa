package org.cameltaas.component.provider.bedrock;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.protocol.ChatChunks;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.protocol.ProtocolStreamMapper;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.support.Json;

/**
 * A ConverseStream as OpenAI {@code chat.completion.chunk} events: {@code messageStart} opens the choice,
 * {@code contentBlockDelta} text is content, a {@code contentBlockStart} with a {@code toolUse} opens a tool call
 * whose input deltas are its arguments, {@code messageStop} gives the finish reason and {@code metadata} (the last
 * event) the usage; then the usage chunk (when the caller asked for it) and {@code [DONE]}. An exception message
 * fails the stream.
 */
final class ConverseStreamMapper extends ProtocolStreamMapper {

    private final String requestModel;
    private final boolean callerWantsUsage;
    private final long created = Instant.now().getEpochSecond();
    private final String id;
    /** contentBlockIndex of each tool call: its index among the calls. */
    private final Map<Integer, Integer> calls = new HashMap<>();
    private boolean opened;
    private boolean stopped;

    ConverseStreamMapper(String provider, TaasRequest request, String requestId) {
        super(provider);
        this.requestModel = request.model();
        this.callerWantsUsage = request.usageChunkRequested();
        this.id = ConverseReply.completionId(requestId);
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        String type = event.event();
        if (AwsEventStreamDecoder.EXCEPTION.equals(type)) {
            org.cameltaas.component.UpstreamError error = ErrorBodies.fromJson(json, event.data());
            throw error(new org.cameltaas.component.UpstreamError(error.message(), event.id(), event.id(), null, event.data()));
        }
        if (type == null) {
            return;
        }
        switch (type) {
            case "messageStart" -> open(out);
            case "contentBlockStart" -> {
                JsonNode use = json.path("start").path("toolUse");
                if (use.isObject()) {
                    open(out);
                    int ordinal = calls.size();
                    calls.put(json.path("contentBlockIndex").asInt(), ordinal);
                    ObjectNode call = Json.object().put("index", ordinal).put("id", Json.textOf(use, "toolUseId"))
                            .put("type", "function");
                    call.putObject("function").put("name", Json.textOf(use, "name")).put("arguments", "");
                    ObjectNode delta = Json.object();
                    delta.putArray("tool_calls").add(call);
                    emit(delta, null, out);
                }
            }
            case "contentBlockDelta" -> {
                open(out);
                JsonNode delta = json.path("delta");
                if (delta.has("text")) {
                    emit(Json.object().put("content", delta.get("text").asText()), null, out);
                } else if (delta.has("toolUse")) {
                    Integer ordinal = calls.get(json.path("contentBlockIndex").asInt());
                    if (ordinal != null) {
                        ObjectNode call = Json.object().put("index", ordinal);
                        call.putObject("function").put("arguments", delta.path("toolUse").path("input").asText(""));
                        ObjectNode chunkDelta = Json.object();
                        chunkDelta.putArray("tool_calls").add(call);
                        emit(chunkDelta, null, out);
                    }
                } else if (delta.has("reasoningContent") && delta.path("reasoningContent").has("text")) {
                    emit(Json.object().put("reasoning_content", delta.path("reasoningContent").path("text").asText()), null, out);
                }
            }
            case "messageStop" -> {
                open(out);
                stopped = true;
                emit(Json.object(), ConverseReply.finishReason(Json.textOf(json, "stopReason"), !calls.isEmpty()), out);
            }
            case "metadata" -> {
                usage = ConverseReply.usage(json.get("usage"));
                end(out);
            }
            default -> {
                // contentBlockStop and events of later API versions carry nothing a chat chunk needs
            }
        }
    }

    /** A stream that stopped but sent no metadata is complete all the same. */
    @Override
    public void onEnd(Consumer<SseEvent> out) {
        if (stopped && !finished) {
            end(out);
        }
    }

    private void end(Consumer<SseEvent> out) {
        if (finished) {
            return;
        }
        if (callerWantsUsage) {
            out.accept(ChatChunks.usageChunk(envelope(), Usages.toChat(usage)));
        }
        out.accept(SseEvent.data("[DONE]"));
        finished = true;
    }

    private void open(Consumer<SseEvent> out) {
        if (!opened) {
            opened = true;
            emit(Json.object().put("role", "assistant").put("content", ""), null, out);
        }
    }

    private void emit(ObjectNode delta, String finishReason, Consumer<SseEvent> out) {
        if (finishReason != null || delta.has("content") && !delta.get("content").asText().isEmpty() || delta.has("tool_calls")
                || delta.has("reasoning_content")) {
            content = true;
        }
        ObjectNode chunk = envelope();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        out.accept(SseEvent.of(null, chunk));
    }

    private ObjectNode envelope() {
        return ChatChunks.envelope(id, created, requestModel);
    }
}
