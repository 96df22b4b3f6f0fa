package org.cameltaas.component.provider;

import org.cameltaas.component.http.SseEventParser;
import org.cameltaas.component.http.StreamDecoder;

import java.net.http.HttpHeaders;

import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.TaasRequest;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.UpstreamError;

/**
 * The seam between the producer and one kind of upstream. The producer speaks OpenAI shapes; a provider turns a
 * request into its own wire format and its replies, streamed or not, back into OpenAI shapes. The producer owns
 * everything else (HTTP, time-outs, limits, back-pressure, errors), so a new provider is only this mapping.
 * <p>
 * Providers are found by name: the built-in ones, then beans of this type in the Camel registry.
 */
public interface TaasProvider {

    /** The name used in the {@code provider} option and in messages, e.g. {@code openai}. */
    String name();

    /** The base URL when the endpoint configures none. */
    String defaultBaseUrl();

    boolean supports(TaasOperation operation);

    /** The upstream HTTP request for this call. */
    UpstreamRequest toUpstream(TaasRequest request, String baseUrl, String apiKey);

    /** Turns a 2xx reply into the component's result. */
    ProviderResult fromUpstream(TaasRequest request, int status, HttpHeaders headers, byte[] body)
            throws TaasUpstreamException;

    /** A fresh mapper for one streamed reply. */
    StreamMapper streamMapper(TaasRequest request);

    /**
     * A fresh decoder for a 2xx reply of this content type to a streaming request, or null when the reply is not a
     * stream (it is then read whole, e.g. a JSON error under a 200). Server-sent events by default.
     */
    default StreamDecoder streamDecoder(String contentType) {
        return contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream") ? new SseEventParser() : null;
    }

    /** Reads an error body; never fails, whatever the body holds. */
    UpstreamError parseError(int status, byte[] body);

    /** The upstream's own request id in its reply headers, or null. */
    default String requestId(HttpHeaders headers) {
        return headers.firstValue("x-request-id").or(() -> headers.firstValue("request-id")).orElse(null);
    }
}
