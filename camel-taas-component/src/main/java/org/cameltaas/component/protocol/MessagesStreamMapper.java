package org.cameltaas.component.protocol;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.support.Json;

/** Anthropic Messages events, passed on as they are. */
public final class MessagesStreamMapper extends ProtocolStreamMapper {

    public MessagesStreamMapper(String provider) {
        super(provider);
    }

    @Override
    protected void handle(SseEvent event, JsonNode json, Consumer<SseEvent> out) throws TaasUpstreamException {
        switch (typeOf(event, json)) {
            case "error" -> throw error(ErrorBodies.fromJson(json, event.data()));
            case "message_start" -> {
                JsonNode message = json.path("message");
                model = Json.textOf(message, "model");
                usage = Usages.of(message.get("usage"));
            }
            case "message_delta" -> {
                JsonNode delta = json.path("usage");
                int prompt = delta.has("input_tokens") ? Usages.of(delta).promptTokens() : usage.promptTokens();
                int completion = Json.intOf(delta, "output_tokens");
                usage = new TaasUsage(prompt, completion, prompt + completion, usage.cachedTokens(), 0);
                content = true;
            }
            case "message_stop" -> {
                content = true;
                finished = true;
            }
            case "ping", "content_block_start" -> {
                // structure only
            }
            default -> content = true;
        }
        out.accept(event);
    }
}
