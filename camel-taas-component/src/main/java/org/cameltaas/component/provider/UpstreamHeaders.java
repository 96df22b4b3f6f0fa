package org.cameltaas.component.provider;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.cameltaas.component.TaasRequest;

/**
 * The headers of an upstream request, built in the order every provider needs: the credential, the provider's own
 * headers, the client's headers the provider forwards, then the caller's configured {@code upstreamHeader.*} last so
 * that they win. Case-insensitive, so a
 * caller's header replaces ours instead of travelling beside it.
 */
public final class UpstreamHeaders {

    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private UpstreamHeaders() {
    }

    /**
     * Starts with the API key under {@code name}, after {@code prefix} ({@code "Bearer "} or nothing); no credential
     * at all when there is no key, as keyless local servers (Ollama, llama.cpp) expect.
     */
    public static UpstreamHeaders withKey(String name, String prefix, String apiKey) {
        UpstreamHeaders headers = new UpstreamHeaders();
        if (apiKey != null && !apiKey.isEmpty()) {
            headers.put(name, prefix + apiKey);
        }
        return headers;
    }

    public UpstreamHeaders put(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * Adds the caller's client headers named in {@code allowed} (lower case): the provider's own request headers,
     * forwarded to that provider only. Anything else a client sent is dropped here on purpose.
     */
    public UpstreamHeaders forward(TaasRequest request, Set<String> allowed) {
        request.clientHeaders().forEach((name, value) -> {
            if (allowed.contains(name)) {
                headers.put(name, value);
            }
        });
        return this;
    }

    /** The headers to send: the caller's configured ones put last, over ours. */
    public Map<String, String> withCallerHeaders(TaasRequest request) {
        headers.putAll(request.upstreamHeaders());
        return headers;
    }
}
