package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** POST /v1/completions (text_completion objects or chunks ending in [DONE]) and POST /v1/moderations. */
final class LegacyReplies {

    private LegacyReplies() {
    }

    static Reply completions(ReplyContext ctx) {
        JsonNode body = ctx.json();
        JsonNode prompt = body.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw new BadRequestException("you must provide a prompt parameter", "prompt");
        }
        Completion completion = ctx.completion(prompt.isTextual() ? prompt.asText() : prompt.toString());
        String id = ctx.id("cmpl-");
        String model = ctx.model("fake-instruct");
        long created = ReplyContext.nowSeconds();
        if (body.path("stream").asBoolean(false)) {
            List<SseEvent> events = new ArrayList<>();
            for (String piece : completion.textPieces()) {
                events.add(SseEvent.data(chunk(id, model, created, piece, null)));
            }
            events.add(SseEvent.data(chunk(id, model, created, "", "stop")));
            events.add(SseEvent.data("[DONE]"));
            return Reply.stream(events, index -> SseEvent.data(ErrorReplies.openAiError(500, ctx.errorMessage("error"), null)));
        }
        ObjectNode root = chunk(id, model, created, completion.text(), "stop");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", completion.promptTokens());
        usage.put("completion_tokens", completion.completionTokens());
        usage.put("total_tokens", completion.promptTokens() + completion.completionTokens());
        return Reply.json(200, root);
    }

    private static ObjectNode chunk(String id, String model, long created, String text, String finish) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", "text_completion");
        root.put("created", created);
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", 0);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return root;
    }

    /** Flags nothing: every input is harmless to the fake. */
    static Reply moderations(ReplyContext ctx) {
        JsonNode input = ctx.json().get("input");
        if (input == null || input.isNull()) {
            throw new BadRequestException("you must provide an input parameter", "input");
        }
        ObjectNode root = Json.object();
        root.put("id", ctx.id("modr-"));
        root.put("model", ctx.model("omni-moderation-latest"));
        ArrayNode results = root.putArray("results");
        int count = input.isArray() ? Math.max(1, input.size()) : 1;
        for (int i = 0; i < count; i++) {
            ObjectNode result = results.addObject();
            result.put("flagged", false);
            result.putObject("categories").put("violence", false);
            result.putObject("category_scores").put("violence", 0.0001);
        }
        return Reply.json(200, root);
    }
}
