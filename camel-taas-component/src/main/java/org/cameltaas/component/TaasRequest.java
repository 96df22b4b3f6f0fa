package org.cameltaas.component;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.component.support.Json;

/**
 * One request as the producer hands it to a provider: the operation, the resolved model and stream flag, and the
 * OpenAI-shaped body. A JSON body the producer did not need to change keeps its original bytes, so it reaches an
 * OpenAI-compatible upstream exactly as the caller wrote it.
 */
public final class TaasRequest {

    private final TaasOperation operation;
    private final String model;
    private final boolean stream;
    private final ObjectNode json;
    private final byte[] originalJson;
    private final MultipartForm.Encoded multipart;
    private final boolean usageChunkAdded;
    private final Map<String, String> upstreamHeaders;
    private String rerankApi = "cohere";
    private String apiVersion;
    private Map<String, String> clientHeaders = Map.of();

    TaasRequest(TaasOperation operation, String model, boolean stream, ObjectNode json, byte[] originalJson,
                MultipartForm.Encoded multipart, boolean usageChunkAdded, Map<String, String> upstreamHeaders) {
        this.operation = operation;
        this.model = model;
        this.stream = stream;
        this.json = json;
        this.originalJson = originalJson;
        this.multipart = multipart;
        this.usageChunkAdded = usageChunkAdded;
        this.upstreamHeaders = upstreamHeaders;
    }

    /** A JSON request built by code (translations), not read from an exchange. */
    public static TaasRequest ofJson(TaasOperation operation, String model, boolean stream, ObjectNode json,
                                     Map<String, String> upstreamHeaders) {
        return new TaasRequest(operation, model, stream, json, null, null, false, upstreamHeaders);
    }

    public TaasOperation operation() {
        return operation;
    }

    /** The model to call (may be null for operations that need none, such as models). */
    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** The OpenAI-shaped JSON body, or null for multipart and body-less operations. Do not modify. */
    public ObjectNode json() {
        return json;
    }

    /** The JSON body as bytes: the caller's own bytes when nothing had to change. */
    public byte[] jsonBytes() {
        return originalJson != null ? originalJson : Json.bytes(json);
    }

    /** The multipart body, or null. */
    public MultipartForm.Encoded multipart() {
        return multipart;
    }

    /**
     * True when the producer asked the upstream for a usage chunk the caller did not ask for; the stream mapper
     * then keeps that chunk from the caller.
     */
    public boolean usageChunkAdded() {
        return usageChunkAdded;
    }

    /**
     * True when the caller itself asked for the final usage chunk ({@code stream_options.include_usage}), not the
     * producer on its behalf: providers that write the usage chunk themselves send it only then.
     */
    public boolean usageChunkRequested() {
        return !usageChunkAdded && json != null && json.path("stream_options").path("include_usage").asBoolean(false);
    }

    /** The rerank API shape of the upstream: {@code cohere} (also Jina and OpenAI-style services) or {@code tei}. */
    public String rerankApi() {
        return rerankApi;
    }

    /** The endpoint's {@code apiVersion} (Azure OpenAI), or null. */
    public String apiVersion() {
        return apiVersion;
    }

    TaasRequest apiVersion(String version) {
        this.apiVersion = version == null || version.isBlank() ? null : version.trim();
        return this;
    }

    TaasRequest rerankApi(String api) {
        this.rerankApi = api == null || api.isBlank() ? "cohere" : api;
        return this;
    }

    /**
     * The caller's client headers offered for forwarding (the CamelTaasClientHeaders header), names lower-cased;
     * providers forward only their own (see {@link org.cameltaas.component.provider.UpstreamHeaders#forward}).
     */
    public Map<String, String> clientHeaders() {
        return clientHeaders;
    }

    TaasRequest clientHeaders(Map<String, String> headers) {
        this.clientHeaders = headers == null ? Map.of() : headers;
        return this;
    }

    /** Extra HTTP headers for the upstream (endpoint options and the CamelTaasUpstreamHeaders header). */
    public Map<String, String> upstreamHeaders() {
        return upstreamHeaders;
    }
}
