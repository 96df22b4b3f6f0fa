package org.cameltaas.gateway.catalog;

import java.net.URI;

/**
 * A provider's base URL from the environment, in either convention: the host root, as Anthropic's SDKs take it
 * ({@code ANTHROPIC_BASE_URL=https://api.anthropic.com}), or with the API version path, as OpenAI's do
 * ({@code OPENAI_BASE_URL=http://127.0.0.1:11434/v1}). A URL with no path gets the provider's version path; a URL
 * with a path of its own (an Azure or proxy prefix) is taken as it is.
 */
public final class BaseUrls {

    private BaseUrls() {
    }

    /** @param versionPath the provider's version path, e.g. {@code /v1} or {@code /v1beta} */
    public static String normalise(String baseUrl, String versionPath) {
        String trimmed = baseUrl.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String path;
        try {
            path = URI.create(trimmed).getRawPath();
        } catch (IllegalArgumentException e) {
            return baseUrl; // not a URL we can read: the component reports it when it is used
        }
        return path == null || path.isEmpty() ? trimmed + versionPath : trimmed;
    }
}
