package org.cameltaas.component.provider.openai;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.protocol.ChatStreamMapper;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.protocol.ResponsesStreamMapper;
import org.cameltaas.component.protocol.Rerank;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.provider.JsonReplies;
import org.cameltaas.component.provider.ProviderResult;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.provider.TaasProvider;
import org.cameltaas.component.provider.UpstreamHeaders;
import org.cameltaas.component.provider.UpstreamRequest;
import org.cameltaas.component.support.Json;

/**
 * Any OpenAI-compatible server (OpenAI, vLLM, llama.cpp, Ollama, LiteLLM, other TaaS services). The request is
 * already in its format, so bodies pass through unchanged. Anthropic {@code messages} are not this API's: they
 * travel as chat completions through the component's translation.
 */
public class OpenAiProvider implements TaasProvider {

    public static final String NAME = "openai";
    /** The client's own OpenAI headers, forwarded to OpenAI-compatible upstreams (others are dropped). */
    static final Set<String> FORWARDED_HEADERS = Set.of("openai-beta", "openai-organization", "openai-project");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultBaseUrl() {
        return "https://api.openai.com/v1";
    }

    @Override
    public boolean supports(TaasOperation operation) {
        return operation != TaasOperation.messages && operation != TaasOperation.messagesCountTokens;
    }

    @Override
    public UpstreamRequest toUpstream(TaasRequest request, String baseUrl, String apiKey) {
        TaasOperation operation = request.operation();
        UpstreamHeaders headers = UpstreamHeaders.withKey("Authorization", "Bearer ", apiKey);
        byte[] body = null;
        switch (operation.payload()) {
            case JSON -> {
                headers.put("Content-Type", "application/json");
                if (operation == TaasOperation.rerank && "tei".equals(request.rerankApi())) {
                    body = Json.bytes(Rerank.toTei(request.json()));
                } else if (operation == TaasOperation.chatCompletions && carriesReasoningBack(request.json())) {
                    body = Json.bytes(withoutReasoningBack(request.json()));
                } else {
                    body = request.jsonBytes();
                }
            }
            case MULTIPART -> {
                headers.put("Content-Type", request.multipart().contentType());
                body = request.multipart().body();
            }
            default -> {
            }
        }
        headers.put("Accept", request.stream() ? "text/event-stream"
                : operation == TaasOperation.audioSpeech ? "*/*" : "application/json");
        headers.forward(request, FORWARDED_HEADERS);
        return new UpstreamRequest(operation.method(), URI.create(UpstreamRequest.trimSlash(baseUrl) + operation.path()),
                headers.withCallerHeaders(request), body);
    }

    @Override
    public ProviderResult fromUpstream(TaasRequest request, int status, HttpHeaders headers, byte[] body)
            throws TaasUpstreamException {
        String contentType = headers.firstValue("content-type").orElse("application/json");
        if (request.operation() == TaasOperation.audioSpeech) {
            return new ProviderResult(body, contentType, TaasUsage.NONE, request.model());
        }
        boolean transcript = request.operation() == TaasOperation.audioTranscriptions
                || request.operation() == TaasOperation.audioTranslations;
        if (transcript && !contentType.toLowerCase().contains("json")) {
            // text, srt and vtt transcriptions; any other reply must be JSON (an event stream or a page of HTML
            // under a 200 is a broken upstream: JsonReplies makes it a MALFORMED failure, a 502)
            return new ProviderResult(new String(body, StandardCharsets.UTF_8), contentType, TaasUsage.NONE,
                    request.model());
        }
        JsonNode json = JsonReplies.parse(NAME, status, body, requestId(headers));
        if (request.operation() == TaasOperation.rerank) {
            json = Rerank.normalise(json, request.json());
        }
        return new ProviderResult(json, "application/json", Usages.of(json.get("usage")), Json.textOf(json, "model"));
    }

    @Override
    public StreamMapper streamMapper(TaasRequest request) {
        return switch (request.operation()) {
            case responses -> new ResponsesStreamMapper(NAME);
            default -> new ChatStreamMapper(NAME, request.usageChunkAdded());
        };
    }

    @Override
    public UpstreamError parseError(int status, byte[] body) {
        return ErrorBodies.parse(status, body, null);
    }

    /**
     * reasoning_content and reasoning_signature on earlier assistant messages are this project's way of handing
     * signed thinking back to Anthropic and Gemini; OpenAI-compatible servers refuse them (DeepSeek answers 400), so
     * they are left out here.
     */
    private static boolean carriesReasoningBack(JsonNode json) {
        for (JsonNode message : json.path("messages")) {
            if (message.has("reasoning_signature") || "assistant".equals(Json.textOf(message, "role"))
                    && message.has("reasoning_content")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode withoutReasoningBack(JsonNode json) {
        JsonNode copy = json.deepCopy();
        for (JsonNode message : copy.path("messages")) {
            if (message instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                object.remove("reasoning_signature");
                if ("assistant".equals(Json.textOf(object, "role"))) {
                    object.remove("reasoning_content");
                }
            }
        }
        return copy;
    }
}
