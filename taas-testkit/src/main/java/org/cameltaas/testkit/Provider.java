package org.cameltaas.testkit;

/** Which provider a path belongs to; decides the error body shape and the request-id header. */
enum Provider {
    OPENAI("x-request-id"),
    ANTHROPIC("request-id"),
    GEMINI("x-goog-request-id");

    private final String requestIdHeader;

    Provider(String requestIdHeader) {
        this.requestIdHeader = requestIdHeader;
    }

    String requestIdHeader() {
        return requestIdHeader;
    }

    static Provider forPath(String path) {
        if (path.equals("/v1/messages") || path.startsWith("/v1/messages/")) {
            return ANTHROPIC;
        }
        if (path.startsWith("/v1beta/") || GeminiReplies.isGeminiAction(path)) {
            return GEMINI;
        }
        return OPENAI;
    }
}
