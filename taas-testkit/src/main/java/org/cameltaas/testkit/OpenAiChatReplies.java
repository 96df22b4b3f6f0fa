package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** POST /v1/chat/completions: a chat.completion object, or chat.completion.chunk events ending in [DONE]. */
final class OpenAiChatReplies {

    private static final String FINGERPRINT = "fp_fake";

    private OpenAiChatReplies() {
    }

    static Reply reply(ReplyContext ctx) {
        JsonNode body = ctx.json();
        if (!body.path("messages").isArray() || body.path("messages").size() == 0) {
            throw new BadRequestException("'messages' must be a non-empty array", "messages");
        }
        Completion completion = ctx.completion(RequestTexts.lastChatMessage(body));
        int n = Math.max(1, body.path("n").asInt(1));
        String id = ctx.id("chatcmpl-");
        String model = ctx.model("fake-gpt");
        long created = ReplyContext.nowSeconds();
        if (body.path("stream").asBoolean(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            return Reply.stream(new ChunkStream(ctx, id, model, created, includeUsage).events(completion, n),
                    index -> SseEvent.data(ErrorReplies.openAiError(500, ctx.errorMessage(
                            "The server had an error while processing your request. Sorry about that!"), null)));
        }
        return Reply.json(200, completionObject(ctx, completion, n, id, model, created));
    }

    private static ObjectNode completionObject(ReplyContext ctx, Completion completion, int n,
                                               String id, String model, long created) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", created);
        root.put("model", model);
        ArrayNode choices = root.putArray("choices");
        for (int i = 0; i < n; i++) {
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", completion.text());
            message.putNull("refusal");
            if (completion.hasReasoning()) {
                message.put("reasoning_content", completion.reasoning());
            }
            message.putArray("annotations");
            if (completion.hasToolCalls()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ScriptedToolCall call : completion.toolCalls()) {
                    ObjectNode c = calls.addObject();
                    c.put("id", ctx.id("call_"));
                    c.put("type", "function");
                    ObjectNode function = c.putObject("function");
                    function.put("name", call.name());
                    function.put("arguments", call.argumentsJson());
                }
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason(completion));
        }
        root.set("usage", usage(completion, n));
        root.put("system_fingerprint", FINGERPRINT);
        return root;
    }

    private static String finishReason(Completion completion) {
        return completion.hasToolCalls() ? "tool_calls" : "stop";
    }

    private static ObjectNode usage(Completion completion, int n) {
        ObjectNode usage = Json.object();
        int completionTokens = completion.completionTokens() * n;
        usage.put("prompt_tokens", completion.promptTokens());
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", completion.promptTokens() + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", completion.reasoningTokens() * n);
        return usage;
    }

    /** Builds the chunk sequence of one streamed completion. */
    private static final class ChunkStream {
        private final ReplyContext ctx;
        private final String id;
        private final String model;
        private final long created;
        private final boolean includeUsage;
        private final List<SseEvent> events = new ArrayList<>();

        ChunkStream(ReplyContext ctx, String id, String model, long created, boolean includeUsage) {
            this.ctx = ctx;
            this.id = id;
            this.model = model;
            this.created = created;
            this.includeUsage = includeUsage;
        }

        List<SseEvent> events(Completion completion, int n) {
            for (int i = 0; i < n; i++) {
                choiceEvents(completion, i);
            }
            if (includeUsage) {
                ObjectNode chunk = chunkHeader();
                chunk.putArray("choices");
                chunk.set("usage", usage(completion, n));
                events.add(SseEvent.data(chunk));
            }
            events.add(SseEvent.data("[DONE]"));
            return events;
        }

        private void choiceEvents(Completion completion, int index) {
            ObjectNode role = Json.object();
            role.put("role", "assistant");
            role.put("content", "");
            role.putNull("refusal");
            add(index, role, null);
            for (String piece : completion.reasoningPieces()) {
                add(index, Json.object().put("reasoning_content", piece), null);
            }
            for (String piece : completion.textPieces()) {
                add(index, Json.object().put("content", piece), null);
            }
            int callIndex = 0;
            for (ScriptedToolCall call : completion.toolCalls()) {
                ObjectNode first = Json.object();
                first.put("index", callIndex);
                first.put("id", ctx.id("call_"));
                first.put("type", "function");
                first.putObject("function").put("name", call.name()).put("arguments", "");
                add(index, toolCallsDelta(first), null);
                for (String piece : call.argumentPieces()) {
                    ObjectNode more = Json.object();
                    more.put("index", callIndex);
                    more.putObject("function").put("arguments", piece);
                    add(index, toolCallsDelta(more), null);
                }
                callIndex++;
            }
            add(index, Json.object(), finishReason(completion));
        }

        private static ObjectNode toolCallsDelta(ObjectNode call) {
            ObjectNode delta = Json.object();
            delta.putArray("tool_calls").add(call);
            return delta;
        }

        private void add(int choiceIndex, ObjectNode delta, String finishReason) {
            ObjectNode chunk = chunkHeader();
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", choiceIndex);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            if (includeUsage) {
                // with include_usage every chunk but the last carries "usage":null
                chunk.putNull("usage");
            }
            events.add(SseEvent.data(chunk));
        }

        private ObjectNode chunkHeader() {
            ObjectNode chunk = Json.object();
            chunk.put("id", id);
            chunk.put("object", "chat.completion.chunk");
            chunk.put("created", created);
            chunk.put("model", model);
            chunk.put("system_fingerprint", FINGERPRINT);
            return chunk;
        }
    }
}
