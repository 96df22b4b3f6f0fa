package org.cameltaas.component.provider.anthropic;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.protocol.ChatChunks;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.protocol.ProtocolStreamMapper;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.support.Json;

/**
 * Anthropic Messages events as OpenAI {@code chat.completion.chunk} events, ending with {@code data: [DONE]}.
 * <p>
 * Anthropic numbers content blocks (text, thinking and tool_use together); OpenAI numbers tool calls only. Each
 * tool_use block therefore gets the next tool call index when it starts, and its argument deltas are sent under
 * that index. Structural events ({@code ping}, {@code content_block_stop}) have no chunk counterpart.
 */
final class ChatChunkStreamMapper extends ProtocolStreamMapper {

    private final boolean usageRequested;
    private final long created = Instant.now().getEpochSecond();
    private final TokenCounts tokens = new TokenCounts();
    /** Anthropic block index to OpenAI tool call index. */
    private final Map<Integer, Integer> toolCallIndexes = new HashMap<>();
    private String id;

    /**
     * @param requestedModel the model asked for, named in chunks until the upstream names its own
     * @param usageRequested whether the caller asked for the final usage chunk
     */
    ChatChunkStreamMapper(String provider, String requestedModel, boolean usageRequested) {
        super(provider);
        this.model = requestedModel;
        this.usageRequested = usageRequested;
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        switch (typeOf(event, json)) {
            case "message_start" -> start(json.path("message"), out);
            case "content_block_start" -> blockStart(json, out);
            case "content_block_delta" -> blockDelta(json, out);
            case "message_delta" -> messageDelta(json, out);
            case "message_stop" -> stop(out);
            case "error" -> throw error(ErrorBodies.fromJson(json, event.data()));
            default -> {
                // ping, content_block_stop, and event types added later: nothing a chunk could carry
            }
        }
    }

    private void start(JsonNode message, Consumer<SseEvent> out) {
        id = Json.textOf(message, "id");
        String upstreamModel = Json.textOf(message, "model");
        if (upstreamModel != null) {
            model = upstreamModel;
        }
        countTokens(message.get("usage"));
        ObjectNode delta = Json.object().put("role", "assistant").put("content", "");
        out.accept(chunk(delta, null));
    }

    private void blockStart(JsonNode json, Consumer<SseEvent> out) {
        JsonNode block = json.path("content_block");
        switch (block.path("type").asText("")) {
            case "tool_use" -> {
                int index = toolCallIndexes.size();
                toolCallIndexes.put(json.path("index").asInt(), index);
                ObjectNode call = Json.object().put("index", index).put("id", Json.textOf(block, "id"))
                        .put("type", "function");
                call.putObject("function").put("name", Json.textOf(block, "name")).put("arguments", "");
                ObjectNode delta = Json.object();
                delta.putArray("tool_calls").add(call);
                emitContent(delta, out);
            }
            // blocks start empty in practice; should one not, its opening text is content like any delta
            case "text" -> emitText("content", block.path("text").asText(""), out);
            case "thinking" -> emitText("reasoning_content", block.path("thinking").asText(""), out);
            default -> {
                // redacted_thinking and server tool blocks have no chat chunk counterpart
            }
        }
    }

    private void blockDelta(JsonNode json, Consumer<SseEvent> out) {
        JsonNode delta = json.path("delta");
        switch (delta.path("type").asText("")) {
            case "text_delta" -> emitText("content", delta.path("text").asText(""), out);
            case "thinking_delta" -> emitText("reasoning_content", delta.path("thinking").asText(""), out);
            case "signature_delta" -> emitText("reasoning_signature", delta.path("signature").asText(""), out);
            case "input_json_delta" -> {
                Integer index = toolCallIndexes.get(json.path("index").asInt());
                String partial = delta.path("partial_json").asText("");
                if (index != null && !partial.isEmpty()) {
                    ObjectNode call = Json.object().put("index", index);
                    call.putObject("function").put("arguments", partial);
                    ObjectNode chunkDelta = Json.object();
                    chunkDelta.putArray("tool_calls").add(call);
                    emitContent(chunkDelta, out);
                }
            }
            default -> {
                // citations and delta types added later
            }
        }
    }

    private void messageDelta(JsonNode json, Consumer<SseEvent> out) {
        countTokens(json.get("usage"));
        content = true;
        String finishReason = FinishReasons.of(Json.textOf(json.path("delta"), "stop_reason"));
        out.accept(chunk(Json.object(), finishReason));
    }

    private void stop(Consumer<SseEvent> out) {
        if (usageRequested) {
            out.accept(ChatChunks.usageChunk(header(), Usages.toChat(usage)));
        }
        out.accept(SseEvent.data("[DONE]"));
        content = true;
        finished = true;
    }

    private void emitText(String field, String text, Consumer<SseEvent> out) {
        if (!text.isEmpty()) {
            emitContent(Json.object().put(field, text), out);
        }
    }

    private void emitContent(ObjectNode delta, Consumer<SseEvent> out) {
        content = true;
        out.accept(chunk(delta, null));
    }

    private void countTokens(JsonNode usageNode) {
        tokens.update(usageNode);
        usage = tokens.usage();
    }

    private SseEvent chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = header();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return SseEvent.of(null, chunk);
    }

    private ObjectNode header() {
        return ChatChunks.envelope(id, created, model);
    }
}
