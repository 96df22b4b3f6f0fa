package org.cameltaas.component.provider.openai;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.UpstreamFailures;
import org.cameltaas.component.protocol.ChatStreamMapper;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.protocol.ResponsesStreamMapper;
import org.cameltaas.component.protocol.Rerank;
import org.cameltaas.component.protocol.Usages;
import org.cameltaas.component.provider.ProviderResult;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.provider.TaasProvider;
import org.cameltaas.component.provider.UpstreamRequest;
import org.cameltaas.component.support.Json;

/**
 * Any OpenAI-compatible server (OpenAI, vLLM, llama.cpp, Ollama, LiteLLM, other TaaS services). The request is
 * already in its format, so bodies pass through unchanged. Anthropic {@code messages} are not this API's: they
 * travel as chat completions through the component's translation.
 */
public class OpenAiProvider implements TaasProvider {

    public static final String NAME = "openai";

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
        return operation != TaasOperation.messages;
    }

    @Override
    public UpstreamRequest toUpstream(TaasRequest request, String baseUrl, String apiKey) {
        TaasOperation operation = request.operation();
        // case-insensitive: a caller's Content-Type replaces ours instead of travelling beside it
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (apiKey != null && !apiKey.isEmpty()) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        byte[] body = null;
        switch (operation.payload()) {
            case JSON -> {
                headers.put("Content-Type", "application/json");
                body = operation == TaasOperation.rerank && "tei".equals(request.rerankApi())
                        ? Json.bytes(Rerank.toTei(request.json())) : request.jsonBytes();
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
        headers.putAll(request.upstreamHeaders());
        return new UpstreamRequest(operation.method(), URI.create(trimSlash(baseUrl) + operation.path()), headers, body);
    }

    @Override
    public ProviderResult fromUpstream(TaasRequest request, int status, HttpHeaders headers, byte[] body)
            throws TaasUpstreamException {
        String contentType = headers.firstValue("content-type").orElse("application/json");
        if (request.operation() == TaasOperation.audioSpeech) {
            return new ProviderResult(body, contentType, TaasUsage.NONE, request.model());
        }
        if (!contentType.toLowerCase().contains("json")) {
            // text, srt and vtt transcriptions
            return new ProviderResult(new String(body, StandardCharsets.UTF_8), contentType, TaasUsage.NONE,
                    request.model());
        }
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (Exception e) {
            throw UpstreamFailures.streamBroken(NAME, Failure.MALFORMED, "answered " + status + " with invalid JSON", e,
                    false, requestId(headers));
        }
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

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
