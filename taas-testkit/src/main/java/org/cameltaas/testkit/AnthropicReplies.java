package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** POST /v1/messages (JSON or message_start...message_stop events) and /v1/messages/count_tokens. */
final class AnthropicReplies {

    private AnthropicReplies() {
    }

    static Reply countTokens(ReplyContext ctx) {
        if (!ctx.json().path("messages").isArray()) {
            throw new BadRequestException("messages: Field required");
        }
        return Reply.json(200, Json.object().put("input_tokens", ctx.completion("").promptTokens()));
    }

    static Reply reply(ReplyContext ctx) {
        JsonNode body = ctx.json();
        if (!body.path("max_tokens").isIntegralNumber()) {
            throw new BadRequestException("max_tokens: Field required");
        }
        if (!body.path("messages").isArray()) {
            throw new BadRequestException("messages: Field required");
        }
        Completion completion = ctx.completion(RequestTexts.lastAnthropicMessage(body));
        MessageShape shape = new MessageShape(ctx, completion);
        if (body.path("stream").asBoolean(false)) {
            return Reply.stream(new EventStream(shape).events(), index -> SseEvent.named("error",
                    ErrorReplies.anthropicError("overloaded_error", ctx.errorMessage("Overloaded"))));
        }
        ObjectNode message = shape.message(shape.finalContent());
        message.put("stop_reason", shape.stopReason());
        message.putNull("stop_sequence");
        message.set("usage", shape.usage(completion.completionTokens()));
        return Reply.json(200, message);
    }

    /** Ids and block shapes shared by the JSON reply and the stream. */
    private static final class MessageShape {
        final Completion completion;
        final String id;
        final String model;
        final List<String> toolUseIds = new ArrayList<>();

        MessageShape(ReplyContext ctx, Completion completion) {
            this.completion = completion;
            this.id = ctx.id("msg_");
            this.model = ctx.model("fake-claude");
            for (int i = 0; i < completion.toolCalls().size(); i++) {
                toolUseIds.add(ctx.id("toolu_"));
            }
        }

        ObjectNode message(ArrayNode content) {
            ObjectNode m = Json.object();
            m.put("id", id);
            m.put("type", "message");
            m.put("role", "assistant");
            m.put("model", model);
            m.set("content", content);
            return m;
        }

        ArrayNode finalContent() {
            ArrayNode content = Json.array();
            if (completion.hasReasoning()) {
                content.add(thinkingBlock(completion.reasoning(), signature()));
            }
            if (completion.hasText()) {
                content.add(textBlock(completion.text()));
            }
            for (int i = 0; i < completion.toolCalls().size(); i++) {
                content.add(toolUseBlock(i, Json.parseLenient(completion.toolCalls().get(i).argumentsJson())));
            }
            return content;
        }

        static ObjectNode textBlock(String text) {
            return Json.object().put("type", "text").put("text", text);
        }

        static ObjectNode thinkingBlock(String thinking, String signature) {
            return Json.object().put("type", "thinking").put("thinking", thinking).put("signature", signature);
        }

        ObjectNode toolUseBlock(int i, JsonNode input) {
            ObjectNode block = Json.object();
            block.put("type", "tool_use");
            block.put("id", toolUseIds.get(i));
            block.put("name", completion.toolCalls().get(i).name());
            block.set("input", input);
            return block;
        }

        String signature() {
            return Base64.getEncoder().encodeToString(
                    ("fake-signature:" + completion.reasoning()).getBytes(StandardCharsets.UTF_8));
        }

        String stopReason() {
            return completion.hasToolCalls() ? "tool_use" : "end_turn";
        }

        ObjectNode usage(int outputTokens) {
            ObjectNode usage = Json.object();
            usage.put("input_tokens", completion.promptTokens());
            usage.put("output_tokens", outputTokens);
            usage.put("cache_creation_input_tokens", 0);
            usage.put("cache_read_input_tokens", 0);
            return usage;
        }
    }

    /** message_start, content blocks (ping after the first start), message_delta, message_stop. */
    private static final class EventStream {
        private final MessageShape shape;
        private final List<SseEvent> events = new ArrayList<>();
        private int blockIndex;

        EventStream(MessageShape shape) {
            this.shape = shape;
        }

        List<SseEvent> events() {
            ObjectNode message = shape.message(Json.array());
            message.putNull("stop_reason");
            message.putNull("stop_sequence");
            message.set("usage", shape.usage(1));
            add("message_start", Json.object().set("message", message));
            Completion completion = shape.completion;
            if (completion.hasReasoning()) {
                thinkingBlock();
            }
            if (completion.hasText()) {
                textBlock();
            }
            for (int i = 0; i < completion.toolCalls().size(); i++) {
                toolUseBlock(i);
            }
            ObjectNode delta = Json.object();
            delta.put("stop_reason", shape.stopReason());
            delta.putNull("stop_sequence");
            ObjectNode messageDelta = Json.object();
            messageDelta.set("delta", delta);
            messageDelta.set("usage", Json.object().put("output_tokens", completion.completionTokens()));
            add("message_delta", messageDelta);
            add("message_stop", Json.object());
            return events;
        }

        private void thinkingBlock() {
            start(MessageShape.thinkingBlock("", ""));
            for (String piece : shape.completion.reasoningPieces()) {
                delta(Json.object().put("type", "thinking_delta").put("thinking", piece));
            }
            delta(Json.object().put("type", "signature_delta").put("signature", shape.signature()));
            stop();
        }

        private void textBlock() {
            start(MessageShape.textBlock(""));
            for (String piece : shape.completion.textPieces()) {
                delta(Json.object().put("type", "text_delta").put("text", piece));
            }
            stop();
        }

        private void toolUseBlock(int i) {
            start(shape.toolUseBlock(i, Json.object()));
            for (String piece : shape.completion.toolCalls().get(i).argumentPieces()) {
                delta(Json.object().put("type", "input_json_delta").put("partial_json", piece));
            }
            stop();
        }

        private void start(ObjectNode block) {
            ObjectNode payload = Json.object().put("index", blockIndex);
            payload.set("content_block", block);
            add("content_block_start", payload);
            if (blockIndex == 0) {
                add("ping", Json.object());
            }
        }

        private void delta(ObjectNode delta) {
            ObjectNode payload = Json.object().put("index", blockIndex);
            payload.set("delta", delta);
            add("content_block_delta", payload);
        }

        private void stop() {
            add("content_block_stop", Json.object().put("index", blockIndex));
            blockIndex++;
        }

        private void add(String type, ObjectNode payload) {
            ObjectNode data = Json.object().put("type", type);
            data.setAll(payload);
            events.add(SseEvent.named(type, data));
        }
    }
}
