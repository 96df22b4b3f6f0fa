package org.cameltaas.component.protocol;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.http.SseEvent;

/**
 * OpenAI Chat Completions chunks, passed on as they are. When the producer asked for the usage chunk on the
 * caller's behalf, that chunk is read for metering and kept from the caller.
 */
public final class ChatStreamMapper extends ProtocolStreamMapper {

    private final boolean hideUsageChunk;

    public ChatStreamMapper(String provider, boolean hideUsageChunk) {
        super(provider);
        this.hideUsageChunk = hideUsageChunk;
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        boolean hasUsage = readChatChunk(event, json);
        JsonNode choices = json.path("choices");
        if (hideUsageChunk && hasUsage && choices.isArray() && choices.isEmpty()) {
            return;
        }
        if (!content && carriesContent(choices)) {
            content = true;
        }
        out.accept(event);
    }

    private static boolean carriesContent(JsonNode choices) {
        for (JsonNode choice : choices) {
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && !finish.isNull()) {
                return true;
            }
            if (nonEmpty(choice, "text")) {
                return true; // the legacy completions stream
            }
            JsonNode delta = choice.path("delta");
            if (nonEmpty(delta, "content") || nonEmpty(delta, "reasoning_content") || nonEmpty(delta, "reasoning")
                    || nonEmpty(delta, "refusal") || delta.has("tool_calls") || delta.has("function_call")
                    || delta.has("audio")) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonEmpty(JsonNode delta, String field) {
        JsonNode value = delta.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty();
    }
}
