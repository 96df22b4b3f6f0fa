package org.cameltaas.component.provider.anthropic;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.UpstreamFailures;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.protocol.MessagesStreamMapper;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.provider.JsonReplies;
import org.cameltaas.component.provider.ProviderResult;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.provider.TaasProvider;
import org.cameltaas.component.provider.UpstreamHeaders;
import org.cameltaas.component.provider.UpstreamRequest;
import org.cameltaas.component.support.Json;

/**
 * Anthropic's native Messages API. {@code chatCompletions} is translated both ways (request, reply and stream; see
 * {@link ChatRequestTranslator}), {@code messages} passes through unchanged, and {@code models} is mapped to
 * OpenAI's list shape. Anthropic offers no other operation.
 */
public class AnthropicProvider implements TaasProvider {

    public static final String NAME = "anthropic";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";
    /** The API version this provider's translations are written against. */
    public static final String API_VERSION = "2023-06-01";
    /**
     * Anthropic pages its model list, 20 models by default; 1000 is its maximum page, so one request lists them
     * all.
     */
    static final String MODELS_PATH = "/models?limit=1000";
    /**
     * The client's own Anthropic headers forwarded when its request passes through: betas (Claude Code cannot work
     * without them) and the version. A chat request translated here keeps {@link #API_VERSION}, the version the
     * translation is written against, but still gets the betas.
     */
    static final Set<String> NATIVE_HEADERS = Set.of("anthropic-beta", "anthropic-version");
    static final Set<String> TRANSLATED_HEADERS = Set.of("anthropic-beta");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultBaseUrl() {
        return DEFAULT_BASE_URL;
    }

    @Override
    public boolean supports(TaasOperation operation) {
        return operation == TaasOperation.chatCompletions || operation == TaasOperation.messages
                || operation == TaasOperation.messagesCountTokens || operation == TaasOperation.models;
    }

    @Override
    public UpstreamRequest toUpstream(TaasRequest request, String baseUrl, String apiKey) {
        TaasOperation operation = request.operation();
        UpstreamHeaders headers = UpstreamHeaders.withKey("x-api-key", "", apiKey)
                .put("anthropic-version", API_VERSION)
                .put("accept", request.stream() ? "text/event-stream" : "application/json");
        String url = UpstreamRequest.trimSlash(baseUrl);
        byte[] body = null;
        switch (operation) {
            case models -> url += MODELS_PATH;
            case messages, messagesCountTokens -> {
                url += operation.path();
                body = request.jsonBytes(); // native: the caller's own bytes
            }
            case chatCompletions -> {
                url += TaasOperation.messages.path();
                body = Json.bytes(ChatRequestTranslator.translate(request.json(), request.model(), request.stream()));
            }
            default -> throw new IllegalArgumentException("The " + NAME + " provider does not support " + operation);
        }
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        headers.forward(request, operation == TaasOperation.chatCompletions ? TRANSLATED_HEADERS : NATIVE_HEADERS);
        String method = operation == TaasOperation.models ? "GET" : "POST";
        return new UpstreamRequest(method, URI.create(url), headers.withCallerHeaders(request), body);
    }

    @Override
    public ProviderResult fromUpstream(TaasRequest request, int status, HttpHeaders headers, byte[] body)
            throws TaasUpstreamException {
        JsonNode json = JsonReplies.parse(NAME, status, body, requestId(headers));
        return switch (request.operation()) {
            case chatCompletions -> {
                if ("error".equals(Json.textOf(json, "type"))) {
                    // an error in a 2xx body: report it as the error it is, not as an empty answer
                    UpstreamError error = ErrorBodies.fromJson(json, Json.text(json));
                    throw UpstreamFailures.streamError(NAME, error, ErrorBodies.isRetryableKind(error), false,
                            requestId(headers));
                }
                yield new ProviderResult(ChatReplyTranslator.translate(json, request.model()), "application/json",
                        TokenCounts.of(json.get("usage")).usage(), Json.textOf(json, "model"));
            }
            case models -> new ProviderResult(ModelListTranslator.translate(json), "application/json", TaasUsage.NONE,
                    null);
            default -> new ProviderResult(json, "application/json", Usages.of(json.get("usage")),
                    Json.textOf(json, "model"));
        };
    }

    @Override
    public StreamMapper streamMapper(TaasRequest request) {
        if (request.operation() == TaasOperation.messages) {
            return new MessagesStreamMapper(NAME);
        }
        // metered from Anthropic's own events either way; the usage chunk only goes to a caller who asked for it
        return new ChatChunkStreamMapper(NAME, request.model(), request.usageChunkRequested());
    }

    @Override
    public UpstreamError parseError(int status, byte[] body) {
        return ErrorBodies.parse(status, body, null);
    }

    /** Anthropic's {@code request-id}; {@code x-request-id} when a proxy in front of it sets its own. */
    @Override
    public String requestId(HttpHeaders headers) {
        return headers.firstValue("request-id").or(() -> headers.firstValue("x-request-id")).orElse(null);
    }
}
