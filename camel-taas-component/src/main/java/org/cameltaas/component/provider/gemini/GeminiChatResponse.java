package org.cameltaas.component.provider.gemini;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.support.Json;

/** A Gemini GenerateContentResponse as an OpenAI {@code chat.completion}. */
final class GeminiChatResponse {

    private GeminiChatResponse() {
    }

    static ObjectNode toOpenAi(JsonNode reply, String requestModel) {
        String id = replyId(reply);
        ObjectNode completion = Json.object();
        completion.put("id", id);
        completion.put("object", "chat.completion");
        completion.put("created", Instant.now().getEpochSecond());
        completion.put("model", modelOf(reply, requestModel));
        ArrayNode choices = completion.putArray("choices");
        JsonNode candidates = reply.path("candidates");
        for (int i = 0; i < candidates.size(); i++) {
            choices.add(choice(GeminiCandidate.read(candidates.get(i), i), id));
        }
        if (choices.isEmpty() && Json.textOf(reply.path("promptFeedback"), "blockReason") != null) {
            // the prompt itself was blocked: Gemini sends no candidate at all
            choices.add(blockedChoice());
        }
        JsonNode usageMetadata = reply.get("usageMetadata");
        if (usageMetadata != null && usageMetadata.isObject()) {
            completion.set("usage", GeminiUsage.toJson(GeminiUsage.of(usageMetadata)));
        }
        return completion;
    }

    static TaasUsage usageOf(JsonNode reply) {
        return GeminiUsage.of(reply.get("usageMetadata"));
    }

    static String modelOf(JsonNode reply, String requestModel) {
        String version = Json.textOf(reply, "modelVersion");
        return version != null ? version : requestModel;
    }

    /** Gemini's responseId, else a fresh id in OpenAI's form. */
    static String replyId(JsonNode reply) {
        String responseId = Json.textOf(reply, "responseId");
        return responseId != null ? responseId : newCompletionId();
    }

    static String newCompletionId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }

    private static ObjectNode choice(GeminiCandidate candidate, String replyId) {
        ObjectNode choice = Json.object();
        choice.put("index", candidate.index());
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", candidate.text());
        if (!candidate.calls().isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (int k = 0; k < candidate.calls().size(); k++) {
                toolCalls.add(GeminiCandidate.toolCall(candidate.calls().get(k),
                        ToolCallIds.of(replyId, candidate.index(), k)));
            }
        }
        if (candidate.reasoning() != null) {
            message.put("reasoning_content", candidate.reasoning());
        }
        if (candidate.signature() != null) {
            message.put("reasoning_signature", candidate.signature());
        }
        message.putNull("refusal"); // OpenAI's schema requires both, null here
        choice.putNull("logprobs");
        String finish = GeminiFinishReasons.toOpenAi(candidate.finishReason(), !candidate.calls().isEmpty());
        choice.put("finish_reason", finish != null ? finish : "stop");
        return choice;
    }

    private static ObjectNode blockedChoice() {
        ObjectNode choice = Json.object();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.putNull("content");
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "content_filter");
        return choice;
    }
}
