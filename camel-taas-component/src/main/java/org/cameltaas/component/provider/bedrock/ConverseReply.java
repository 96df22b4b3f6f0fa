package org.cameltaas.component.provider.bedrock;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.support.Json;

/** A Bedrock Converse reply as a {@code chat.completion}, and the pieces the stream mapper shares with it. */
final class ConverseReply {

    private ConverseReply() {
    }

    static ObjectNode toChat(JsonNode converse, String id, String model) {
        ObjectNode chat = Json.object();
        chat.put("id", id);
        chat.put("object", "chat.completion");
        chat.put("created", Instant.now().getEpochSecond());
        chat.put("model", model);
        ObjectNode choice = chat.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode block : converse.path("output").path("message").path("content")) {
            if (block.has("text")) {
                text.append(block.get("text").asText());
            } else if (block.has("toolUse")) {
                JsonNode use = block.get("toolUse");
                ObjectNode call = calls.addObject();
                call.put("id", Json.textOf(use, "toolUseId"));
                call.put("type", "function");
                call.putObject("function").put("name", Json.textOf(use, "name"))
                        .put("arguments", Json.text(use.has("input") ? use.get("input") : Json.object()));
            } else if (block.has("reasoningContent")) {
                JsonNode reasoning = block.path("reasoningContent").path("reasoningText");
                message.put("reasoning_content", reasoning.path("text").asText());
            }
        }
        if (text.length() > 0 || calls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        choice.put("finish_reason", finishReason(Json.textOf(converse, "stopReason"), !calls.isEmpty()));
        chat.set("usage", Usages.toChat(usage(converse.get("usage"))));
        return chat;
    }

    /** Converse's stop reasons in OpenAI's words. */
    static String finishReason(String stopReason, boolean calledTools) {
        if (stopReason == null) {
            return calledTools ? "tool_calls" : "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "content_filtered", "guardrail_intervened" -> "content_filter";
            default -> calledTools ? "tool_calls" : "stop";
        };
    }

    static TaasUsage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return TaasUsage.NONE;
        }
        int input = usage.path("inputTokens").asInt();
        int output = usage.path("outputTokens").asInt();
        int cached = usage.path("cacheReadInputTokens").asInt();
        int total = usage.has("totalTokens") ? usage.get("totalTokens").asInt() : input + output;
        return new TaasUsage(input + cached, output, Math.max(total, input + cached + output), cached, 0);
    }

    /** Converse replies carry no id of their own: the upstream's request id, else a fresh one. */
    static String completionId(String requestId) {
        return "chatcmpl-" + (requestId != null ? requestId.replace("-", "") : UUID.randomUUID().toString().replace("-", ""));
    }
}
