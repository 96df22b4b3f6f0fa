package org.cameltaas.component.provider.bedrock;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.http.StreamDecoder;
import org.cameltaas.component.protocol.ErrorBodies;
import org.cameltaas.component.provider.JsonReplies;
import org.cameltaas.component.provider.ProviderResult;
import org.cameltaas.component.provider.StreamMapper;
import org.cameltaas.component.provider.TaasProvider;
import org.cameltaas.component.provider.UpstreamRequest;
import org.cameltaas.component.support.Json;

/**
 * Amazon Bedrock's Converse API: chat completions are translated to {@code /model/<id>/converse} and
 * {@code /converse-stream} (AWS event-stream framing, decoded by {@link AwsEventStreamDecoder}) and back.
 * <p>
 * Credentials: an {@code apiKey} of the form {@code <access key id>:<secret access key>[:<session token>]} signs
 * each request with Signature Version 4 (service {@code bedrock}, the region read from the base URL's host
 * {@code bedrock-runtime.<region>.amazonaws.com}); any other key is a Bedrock API key, sent as a bearer token.
 */
public class BedrockProvider implements TaasProvider {

    public static final String NAME = "bedrock";
    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultBaseUrl() {
        return "https://bedrock-runtime.us-east-1.amazonaws.com";
    }

    @Override
    public boolean supports(TaasOperation operation) {
        return operation == TaasOperation.chatCompletions;
    }

    @Override
    public UpstreamRequest toUpstream(TaasRequest request, String baseUrl, String apiKey) {
        if (request.operation() != TaasOperation.chatCompletions) {
            throw new IllegalArgumentException("the bedrock provider does not support " + request.operation());
        }
        String model = request.model();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("the bedrock provider needs a model id (model option, header or body field)");
        }
        byte[] body = Json.bytes(ConverseRequest.toConverse(request.json()));
        URI uri = URI.create(UpstreamRequest.trimSlash(baseUrl) + "/model/"
                + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
                + (request.stream() ? "/converse-stream" : "/converse"));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", request.stream() ? EVENT_STREAM : "application/json");
        headers.putAll(request.upstreamHeaders());
        SigV4Signer.Credentials credentials = SigV4Signer.Credentials.parse(apiKey);
        if (credentials != null) {
            SigV4Signer.sign("POST", uri, headers, body, credentials, region(uri), "bedrock", Instant.now());
        } else if (apiKey != null && !apiKey.isEmpty() && !headers.containsKey("Authorization")) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        return new UpstreamRequest("POST", uri, headers, body);
    }

    /** {@code bedrock-runtime.<region>.amazonaws.com} (or its FIPS and VPC endpoint forms); us-east-1 otherwise. */
    static String region(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String[] labels = host.split("\\.");
        for (int i = 0; i + 1 < labels.length; i++) {
            if (labels[i].startsWith("bedrock-runtime") && labels[i + 1].matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                return labels[i + 1];
            }
        }
        return "us-east-1";
    }

    @Override
    public ProviderResult fromUpstream(TaasRequest request, int status, HttpHeaders headers, byte[] body)
            throws TaasUpstreamException {
        com.fasterxml.jackson.databind.JsonNode reply = JsonReplies.parse(NAME, status, body, requestId(headers));
        return new ProviderResult(ConverseReply.toChat(reply, ConverseReply.completionId(requestId(headers)), request.model()),
                "application/json", ConverseReply.usage(reply.get("usage")), request.model());
    }

    @Override
    public StreamMapper streamMapper(TaasRequest request) {
        return new ConverseStreamMapper(NAME, request, null);
    }

    @Override
    public StreamDecoder streamDecoder(String contentType) {
        return contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM) ? new AwsEventStreamDecoder() : null;
    }

    /** Bedrock's {@code {"message": ...}} body; its kind is in the {@code x-amzn-ErrorType} header, not read here. */
    @Override
    public UpstreamError parseError(int status, byte[] body) {
        return ErrorBodies.parse(status, body, null);
    }

    @Override
    public String requestId(HttpHeaders headers) {
        return headers.firstValue("x-amzn-requestid").orElse(null);
    }
}
