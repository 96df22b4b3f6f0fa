package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** POST /v1/responses: a response object, or the typed response.* event stream (no [DONE]). */
final class OpenAiResponsesReplies {

    private OpenAiResponsesReplies() {
    }

    static Reply reply(ReplyContext ctx) {
        JsonNode body = ctx.json();
        if (!body.path("input").isTextual() && !body.path("input").isArray()) {
            throw new BadRequestException("Missing required parameter: 'input'.", "input");
        }
        Completion completion = ctx.completion(RequestTexts.responsesInput(body));
        ResponseShape shape = new ResponseShape(ctx, completion);
        if (body.path("stream").asBoolean(false)) {
            return Reply.stream(new EventStream(shape).events(), index -> failedEvent(ctx, shape, index));
        }
        return Reply.json(200, shape.response("completed", shape.finalItems(), true));
    }

    private static SseEvent failedEvent(ReplyContext ctx, ResponseShape shape, int sequenceNumber) {
        ObjectNode response = shape.response("failed", Json.array(), false);
        ObjectNode error = Json.object();
        error.put("code", "server_error");
        error.put("message",
                ctx.errorMessage("The server had an error while processing your request. Sorry about that!"));
        response.set("error", error);
        return EventStream.event("response.failed", sequenceNumber, Json.object().set("response", response));
    }

    /** Ids and item shapes shared by the JSON reply and the stream, so both describe the same response. */
    private static final class ResponseShape {
        final Completion completion;
        final String responseId;
        final String model;
        final long createdAt = ReplyContext.nowSeconds();
        final String reasoningId;
        final String messageId;
        final List<String[]> callIds = new ArrayList<>(); // {fc_ id, call_ id}

        ResponseShape(ReplyContext ctx, Completion completion) {
            this.completion = completion;
            this.responseId = ctx.id("resp_");
            this.model = ctx.model("fake-gpt");
            this.reasoningId = completion.hasReasoning() ? ctx.id("rs_") : null;
            this.messageId = completion.hasText() ? ctx.id("msg_") : null;
            for (int i = 0; i < completion.toolCalls().size(); i++) {
                callIds.add(new String[] {ctx.id("fc_"), ctx.id("call_")});
            }
        }

        ObjectNode response(String status, ArrayNode output, boolean withUsage) {
            ObjectNode r = Json.object();
            r.put("id", responseId);
            r.put("object", "response");
            r.put("created_at", createdAt);
            r.put("status", status);
            r.putNull("error");
            r.putNull("incomplete_details");
            r.put("model", model);
            r.set("output", output);
            r.put("parallel_tool_calls", true);
            if (withUsage) {
                r.set("usage", usage());
            } else {
                r.putNull("usage");
            }
            return r;
        }

        ArrayNode finalItems() {
            ArrayNode items = Json.array();
            if (completion.hasReasoning()) {
                items.add(reasoningItem(true));
            }
            if (completion.hasText()) {
                items.add(messageItem("completed", completion.text()));
            }
            for (int i = 0; i < completion.toolCalls().size(); i++) {
                items.add(functionCallItem(i, "completed", completion.toolCalls().get(i).argumentsJson()));
            }
            return items;
        }

        ObjectNode reasoningItem(boolean complete) {
            ObjectNode item = Json.object();
            item.put("type", "reasoning");
            item.put("id", reasoningId);
            ArrayNode summary = item.putArray("summary");
            if (complete) {
                summary.add(summaryPart(completion.reasoning()));
                item.put("encrypted_content", Base64.getEncoder().encodeToString(
                        ("fake-encrypted:" + completion.reasoning()).getBytes(StandardCharsets.UTF_8)));
            }
            return item;
        }

        static ObjectNode summaryPart(String text) {
            return Json.object().put("type", "summary_text").put("text", text);
        }

        ObjectNode messageItem(String status, String text) {
            ObjectNode item = Json.object();
            item.put("type", "message");
            item.put("id", messageId);
            item.put("status", status);
            item.put("role", "assistant");
            ArrayNode content = item.putArray("content");
            if (text != null) {
                content.add(textPart(text));
            }
            return item;
        }

        static ObjectNode textPart(String text) {
            ObjectNode part = Json.object();
            part.put("type", "output_text");
            part.put("text", text);
            part.putArray("annotations");
            return part;
        }

        ObjectNode functionCallItem(int i, String status, String arguments) {
            ObjectNode item = Json.object();
            item.put("type", "function_call");
            item.put("id", callIds.get(i)[0]);
            item.put("call_id", callIds.get(i)[1]);
            item.put("name", completion.toolCalls().get(i).name());
            item.put("arguments", arguments);
            item.put("status", status);
            return item;
        }

        ObjectNode usage() {
            ObjectNode usage = Json.object();
            usage.put("input_tokens", completion.promptTokens());
            usage.putObject("input_tokens_details").put("cached_tokens", 0);
            usage.put("output_tokens", completion.completionTokens());
            usage.putObject("output_tokens_details").put("reasoning_tokens", completion.reasoningTokens());
            usage.put("total_tokens", completion.totalTokens());
            return usage;
        }
    }

    /** The event sequence a streamed response produces, numbered by sequence_number. */
    private static final class EventStream {
        private final ResponseShape shape;
        private final List<SseEvent> events = new ArrayList<>();
        private int outputIndex;

        EventStream(ResponseShape shape) {
            this.shape = shape;
        }

        List<SseEvent> events() {
            add("response.created", Json.object().set("response", shape.response("in_progress", Json.array(), false)));
            add("response.in_progress",
                    Json.object().set("response", shape.response("in_progress", Json.array(), false)));
            Completion completion = shape.completion;
            if (completion.hasReasoning()) {
                reasoningEvents();
            }
            if (completion.hasText()) {
                messageEvents();
            }
            for (int i = 0; i < completion.toolCalls().size(); i++) {
                functionCallEvents(i);
            }
            add("response.completed",
                    Json.object().set("response", shape.response("completed", shape.finalItems(), true)));
            return events;
        }

        private void reasoningEvents() {
            String id = shape.reasoningId;
            added(shape.reasoningItem(false));
            ObjectNode partAdded = itemRef(id).put("summary_index", 0);
            partAdded.set("part", ResponseShape.summaryPart(""));
            add("response.reasoning_summary_part.added", partAdded);
            for (String piece : shape.completion.reasoningPieces()) {
                add("response.reasoning_summary_text.delta", itemRef(id).put("summary_index", 0).put("delta", piece));
            }
            add("response.reasoning_summary_text.done",
                    itemRef(id).put("summary_index", 0).put("text", shape.completion.reasoning()));
            ObjectNode partDone = itemRef(id).put("summary_index", 0);
            partDone.set("part", ResponseShape.summaryPart(shape.completion.reasoning()));
            add("response.reasoning_summary_part.done", partDone);
            done(shape.reasoningItem(true));
        }

        private void messageEvents() {
            String id = shape.messageId;
            String text = shape.completion.text();
            added(shape.messageItem("in_progress", null));
            add("response.content_part.added", contentRef(id).set("part", ResponseShape.textPart("")));
            for (String piece : shape.completion.textPieces()) {
                ObjectNode delta = contentRef(id).put("delta", piece);
                delta.putArray("logprobs");
                add("response.output_text.delta", delta);
            }
            ObjectNode textDone = contentRef(id).put("text", text);
            textDone.putArray("logprobs");
            add("response.output_text.done", textDone);
            add("response.content_part.done", contentRef(id).set("part", ResponseShape.textPart(text)));
            done(shape.messageItem("completed", text));
        }

        private void functionCallEvents(int i) {
            String id = shape.callIds.get(i)[0];
            ScriptedToolCall call = shape.completion.toolCalls().get(i);
            added(shape.functionCallItem(i, "in_progress", ""));
            for (String piece : call.argumentPieces()) {
                add("response.function_call_arguments.delta", itemRef(id).put("delta", piece));
            }
            add("response.function_call_arguments.done", itemRef(id).put("arguments", call.argumentsJson()));
            done(shape.functionCallItem(i, "completed", call.argumentsJson()));
        }

        private void added(ObjectNode item) {
            ObjectNode payload = Json.object().put("output_index", outputIndex);
            payload.set("item", item);
            add("response.output_item.added", payload);
        }

        private void done(ObjectNode item) {
            ObjectNode payload = Json.object().put("output_index", outputIndex);
            payload.set("item", item);
            add("response.output_item.done", payload);
            outputIndex++;
        }

        private ObjectNode itemRef(String itemId) {
            return Json.object().put("item_id", itemId).put("output_index", outputIndex);
        }

        private ObjectNode contentRef(String itemId) {
            return itemRef(itemId).put("content_index", 0);
        }

        private void add(String type, ObjectNode payload) {
            events.add(event(type, events.size(), payload));
        }

        /** Puts "type" and "sequence_number" first, as the real API does. */
        static SseEvent event(String type, int sequenceNumber, ObjectNode payload) {
            ObjectNode data = Json.object();
            data.put("type", type);
            data.put("sequence_number", sequenceNumber);
            data.setAll(payload);
            return SseEvent.named(type, data);
        }
    }
}
