package org.cameltaas.component.protocol.anthropic;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.UpstreamFailures;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.protocol.ProtocolStreamMapper;
import org.cameltaas.component.support.Json;

/**
 * OpenAI {@code chat.completion.chunk} events as Anthropic Messages events:
 * {@code message_start}, {@code ping}, content blocks (see {@link ContentBlockWriter}), then at {@code [DONE]}
 * {@code message_delta} with the stop reason and final usage, and {@code message_stop}.
 * <p>
 * The finish reason and the usage chunk arrive before {@code [DONE]} but Anthropic announces both together at the
 * end, so they are kept until then. Only the first choice is followed: Anthropic has no {@code n}.
 */
final class ChatChunksToMessageEvents extends ProtocolStreamMapper {

    private final String requestedModel;
    private final ContentBlockWriter blocks = new ContentBlockWriter();
    private boolean started;
    private String finishReason;

    /** @param requestedModel the model asked for, named in message_start when the upstream names none */
    ChatChunksToMessageEvents(String provider, String requestedModel) {
        super(provider);
        this.requestedModel = requestedModel;
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        readChatChunk(event, json); // before start: message_start counts the usage of a first chunk that has it
        if (!started) {
            start(Json.textOf(json, "id"), out);
        }
        for (JsonNode choice : json.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            delta(choice.path("delta"), out);
            String finish = Json.textOf(choice, "finish_reason");
            if (finish != null) {
                finishReason = finish;
                content = true;
            }
        }
    }

    @Override
    protected void onDone(SseEvent event, Consumer<SseEvent> out) {
        if (!started) {
            start(null, out); // an empty reply is still a well-formed message
        }
        blocks.close(out);
        out.accept(AnthropicEvents.messageDelta(StopReasons.of(finishReason), usage));
        out.accept(AnthropicEvents.messageStop());
    }

    private void start(String chatId, Consumer<SseEvent> out) {
        started = true;
        ObjectNode message = Json.object();
        message.put("id", AnthropicIds.messageId(chatId));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model != null ? model : requestedModel);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", AnthropicUsage.ofMessage(usage)); // zeros, unless the first chunk already counts
        out.accept(AnthropicEvents.messageStart(message));
        out.accept(AnthropicEvents.ping());
    }

    /** Reasoning, then text, then tool calls: the order a single delta carrying several would have been written. */
    private void delta(JsonNode delta, Consumer<SseEvent> out) throws TaasUpstreamException {
        String reasoning = ChatFields.reasoning(delta);
        if (reasoning != null) {
            content = true;
            blocks.thinking(reasoning, out);
        }
        String signature = ChatFields.nonEmpty(Json.textOf(delta, "reasoning_signature"));
        if (signature != null) {
            content = true;
            blocks.signature(signature, out);
        }
        for (String field : new String[] {"content", "refusal"}) {
            String text = ChatFields.nonEmpty(Json.textOf(delta, field));
            if (text != null) {
                content = true;
                blocks.text(text, out);
            }
        }
        JsonNode toolCalls = delta.path("tool_calls");
        for (int i = 0; i < toolCalls.size(); i++) {
            toolCall(toolCalls.get(i), i, out);
        }
    }

    /** The first fragment of a call (by its chunk {@code index}) starts its block, carrying its id and name. */
    private void toolCall(JsonNode call, int position, Consumer<SseEvent> out) throws TaasUpstreamException {
        int toolCall = call.path("index").asInt(position);
        JsonNode function = call.path("function");
        String arguments = ChatFields.nonEmpty(Json.textOf(function, "arguments"));
        content = true;
        if (!blocks.isOpenToolCall(toolCall)) {
            if (blocks.wasClosed(toolCall)) {
                if (arguments == null) {
                    return; // a repeated id or name adds nothing
                }
                throw UpstreamFailures.streamBroken(provider, Failure.MALFORMED, "interleaved the arguments of "
                        + "parallel tool calls, which Anthropic's one-block-at-a-time events cannot carry", null,
                        content, null);
            }
            String name = Json.textOf(function, "name");
            blocks.startToolUse(toolCall, AnthropicIds.toolUseId(Json.textOf(call, "id")), name == null ? "" : name,
                    out);
        }
        if (arguments != null) {
            blocks.toolArguments(arguments, out);
        }
    }
}
