package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;

/**
 * Anthropic Messages stream events. Each is named ({@code event: content_block_delta}) and its data repeats the
 * name as {@code type}, as Anthropic's own stream does; SDKs read one or the other.
 */
public final class AnthropicEvents {

    private AnthropicEvents() {
    }

    /** @param message the message so far: id, model, empty content, usage as far as known */
    public static SseEvent messageStart(ObjectNode message) {
        ObjectNode payload = Json.object();
        payload.set("message", message);
        return event("message_start", payload);
    }

    public static SseEvent ping() {
        return event("ping", Json.object());
    }

    /** @param block the block as it starts: empty text or thinking, a tool_use with empty input */
    public static SseEvent blockStart(int index, ObjectNode block) {
        ObjectNode payload = Json.object().put("index", index);
        payload.set("content_block", block);
        return event("content_block_start", payload);
    }

    public static SseEvent textDelta(int index, String text) {
        return blockDelta(index, Json.object().put("type", "text_delta").put("text", text));
    }

    public static SseEvent thinkingDelta(int index, String thinking) {
        return blockDelta(index, Json.object().put("type", "thinking_delta").put("thinking", thinking));
    }

    public static SseEvent signatureDelta(int index, String signature) {
        return blockDelta(index, Json.object().put("type", "signature_delta").put("signature", signature));
    }

    public static SseEvent inputJsonDelta(int index, String partialJson) {
        return blockDelta(index, Json.object().put("type", "input_json_delta").put("partial_json", partialJson));
    }

    public static SseEvent blockStop(int index) {
        return event("content_block_stop", Json.object().put("index", index));
    }

    public static SseEvent messageDelta(String stopReason, TaasUsage usage) {
        ObjectNode payload = Json.object();
        payload.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        payload.set("usage", AnthropicUsage.ofFinalDelta(usage));
        return event("message_delta", payload);
    }

    public static SseEvent messageStop() {
        return event("message_stop", Json.object());
    }

    private static SseEvent blockDelta(int index, ObjectNode delta) {
        ObjectNode payload = Json.object().put("index", index);
        payload.set("delta", delta);
        return event("content_block_delta", payload);
    }

    private static SseEvent event(String type, ObjectNode payload) {
        ObjectNode data = Json.object().put("type", type);
        data.setAll(payload);
        return SseEvent.of(type, data);
    }
}
