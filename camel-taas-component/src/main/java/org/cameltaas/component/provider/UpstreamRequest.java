package org.cameltaas.component.provider;

import java.net.URI;
import java.util.Map;

/**
 * What a provider wants sent: method, absolute URI, headers (credentials and content type included) and body
 * (null for none).
 */
public record UpstreamRequest(String method, URI uri, Map<String, String> headers, byte[] body) {

    /** The configured base URL without a trailing slash, so that operation paths (which start with one) append. */
    public static String trimSlash(String baseUrl) {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}
