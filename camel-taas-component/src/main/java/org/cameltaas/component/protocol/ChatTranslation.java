package org.cameltaas.component.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.provider.StreamMapper;

/**
 * One inbound protocol (Anthropic Messages, OpenAI Responses) expressed through OpenAI Chat Completions, so that
 * any provider that speaks chat serves it. The producer uses it when the endpoint's provider does not speak the
 * operation natively (or the endpoint asks for chat only): the request goes upstream as chat, and the chat reply,
 * streamed or not, comes back in the inbound protocol.
 */
public interface ChatTranslation {

    /** The inbound operation this translates: {@code messages} or {@code responses}. */
    TaasOperation operation();

    /**
     * The chat completions request for an inbound request. Refuses what cannot be translated with an
     * {@link IllegalArgumentException} whose message starts with a machine-readable code and a colon, e.g.
     * {@code "hosted_tool_not_supported: web_search ..."} (the gateway answers 400 with that code).
     */
    ObjectNode toChatRequest(ObjectNode request, TranslationOptions options);

    /** The inbound protocol's reply for a {@code chat.completion}. */
    ObjectNode fromChatResponse(ObjectNode chatCompletion, ObjectNode inboundRequest);

    /**
     * A mapper that consumes OpenAI {@code chat.completion.chunk} events (already validated, {@code [DONE]} last) and
     * emits the inbound protocol's stream events, terminator included.
     */
    StreamMapper fromChatStream(ObjectNode inboundRequest, String provider);
}
