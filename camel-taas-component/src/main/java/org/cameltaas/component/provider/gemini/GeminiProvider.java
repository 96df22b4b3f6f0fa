package org.cameltaas.component.provider.gemini;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.provider.JsonReplies;
import org.cameltaas.component.provider.ProviderResult;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.provider.TaasProvider;
import org.cameltaas.component.provider.UpstreamRequest;
import org.cameltaas.component.support.Json;

/**
 * Google's Gemini API in its native form ({@code generateContent}, {@code streamGenerateContent},
 * {@code batchEmbedContents}, the model list): OpenAI-shaped requests are translated to Gemini's wire format and
 * the replies, streamed or not, back. Chat completions, embeddings and models are supported.
 * <p>
 * The API key travels in the {@code x-goog-api-key} header, never in the URL, so it cannot end up in access logs.
 * A nested {@code "gemini": {...}} object in the request is merged into the Gemini body untranslated.
 */
public class GeminiProvider implements TaasProvider {

    public static final String NAME = "gemini";
    /** The client's own Google header (the billing project, OpenAI-Project's counterpart), forwarded to Gemini. */
    static final java.util.Set<String> FORWARDED_HEADERS = java.util.Set.of("x-goog-user-project");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultBaseUrl() {
        return "https://generativelanguage.googleapis.com/v1beta";
    }

    @Override
    public boolean supports(TaasOperation operation) {
        return operation == TaasOperation.chatCompletions || operation == TaasOperation.embeddings
                || operation == TaasOperation.models;
    }

    @Override
    public UpstreamRequest toUpstream(TaasRequest request, String baseUrl, String apiKey) {
        String base = UpstreamRequest.trimSlash(baseUrl);
        Map<String, String> headers = new LinkedHashMap<>();
        if (apiKey != null && !apiKey.isEmpty()) {
            headers.put("x-goog-api-key", apiKey);
        }
        UpstreamRequest upstream = switch (request.operation()) {
            case chatCompletions -> chat(request, base, headers);
            case embeddings -> embeddings(request, base, headers);
            case models -> {
                headers.put("Accept", "application/json");
                // Gemini pages its list (50 by default); one large page avoids following page tokens
                yield new UpstreamRequest("GET", URI.create(base + "/models?pageSize=1000"), headers, null);
            }
            default -> throw new IllegalArgumentException("the gemini provider does not support " + request.operation());
        };
        request.clientHeaders().forEach((name, value) -> {
            if (FORWARDED_HEADERS.contains(name)) {
                headers.put(name, value);
            }
        });
        headers.putAll(request.upstreamHeaders());
        return upstream;
    }

    private static UpstreamRequest chat(TaasRequest request, String base, Map<String, String> headers) {
        byte[] body = Json.bytes(GeminiChatRequest.toGemini(request.json()));
        String action = request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
        headers.put("Content-Type", "application/json");
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        return new UpstreamRequest("POST", URI.create(base + "/models/" + model(request) + action), headers, body);
    }

    private static UpstreamRequest embeddings(TaasRequest request, String base, Map<String, String> headers) {
        String model = model(request);
        byte[] body = Json.bytes(GeminiEmbeddings.toGemini(request.json(), model));
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        return new UpstreamRequest("POST", URI.create(base + "/models/" + model + ":batchEmbedContents"), headers, body);
    }

    /** The model as Gemini's paths want it: without the "models/" prefix its own API uses in names. */
    private static String model(TaasRequest request) {
        String model = request.model();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("the gemini provider needs a model (model option, header or body field)");
        }
        return GeminiModels.withoutPrefix(model);
    }

    @Override
    public ProviderResult fromUpstream(TaasRequest request, int status, HttpHeaders headers, byte[] body)
            throws TaasUpstreamException {
        JsonNode reply = JsonReplies.parse(NAME, status, body, requestId(headers));
        return switch (request.operation()) {
            case chatCompletions -> new ProviderResult(GeminiChatResponse.toOpenAi(reply, request.model()),
                    "application/json", GeminiChatResponse.usageOf(reply),
                    GeminiChatResponse.modelOf(reply, request.model()));
            case embeddings -> {
                TaasUsage usage = GeminiEmbeddings.usageOf(request.json());
                yield new ProviderResult(GeminiEmbeddings.toOpenAi(reply, request.json(), request.model()),
                        "application/json", usage, request.model());
            }
            default -> new ProviderResult(GeminiModels.toOpenAi(reply), "application/json", TaasUsage.NONE, null);
        };
    }

    @Override
    public StreamMapper streamMapper(TaasRequest request) {
        return new GeminiStreamMapper(NAME, request);
    }

    @Override
    public UpstreamError parseError(int status, byte[] body) {
        return ErrorBodies.parse(status, body, null); // reads Gemini's {"error":{code,message,status}}
    }

    @Override
    public String requestId(HttpHeaders headers) {
        return headers.firstValue("x-goog-request-id").orElse(null);
    }
}
