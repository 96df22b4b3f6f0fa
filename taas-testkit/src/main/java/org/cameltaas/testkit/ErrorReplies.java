package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Error bodies in each provider's own shape, with the type / status names the real APIs use. */
final class ErrorReplies {

    private ErrorReplies() {
    }

    /** An error reply for the provider; a null message means that provider's usual text for the status. */
    static Reply forStatus(Provider provider, int status, String message, String param) {
        switch (provider) {
            case ANTHROPIC:
                String type = anthropicType(status);
                return Reply.json(status, anthropicError(type, orDefault(message, anthropicMessage(status))));
            case GEMINI:
                return GeminiReplies.json(status, geminiError(status, orDefault(message, geminiMessage(status))));
            default:
                return Reply.json(status, openAiError(status, orDefault(message, openAiMessage(status)), param));
        }
    }

    static Reply forStatus(Provider provider, int status, String message) {
        return forStatus(provider, status, message, null);
    }

    // --- OpenAI ---

    static ObjectNode openAiError(int status, String message, String param) {
        ObjectNode error = Json.object();
        error.put("message", message);
        error.put("type", openAiType(status));
        error.put("param", param);
        error.put("code", openAiCode(status));
        ObjectNode root = Json.object();
        root.set("error", error);
        return root;
    }

    private static String openAiType(int status) {
        switch (status) {
            case 401: return "authentication_error";
            case 403: return "permission_error";
            case 404: return "invalid_request_error";
            case 409: return "conflict_error";
            case 429: return "rate_limit_error";
            default: return status >= 500 ? "server_error" : "invalid_request_error";
        }
    }

    private static String openAiCode(int status) {
        switch (status) {
            case 401: return "invalid_api_key";
            case 429: return "rate_limit_exceeded";
            default: return null;
        }
    }

    private static String openAiMessage(int status) {
        switch (status) {
            case 400: return "Invalid request";
            case 401: return "Incorrect API key provided";
            case 403: return "You are not allowed to perform this request";
            case 404: return "The model does not exist or you do not have access to it.";
            case 429: return "Rate limit reached";
            default: return status >= 500
                    ? "The server had an error while processing your request. Sorry about that!"
                    : "Request failed with status " + status;
        }
    }

    // --- Anthropic ---

    static ObjectNode anthropicError(String type, String message) {
        ObjectNode error = Json.object();
        error.put("type", type);
        error.put("message", message);
        ObjectNode root = Json.object();
        root.put("type", "error");
        root.set("error", error);
        return root;
    }

    private static String anthropicType(int status) {
        switch (status) {
            case 401: return "authentication_error";
            case 403: return "permission_error";
            case 404: return "not_found_error";
            case 413: return "request_too_large";
            case 429: return "rate_limit_error";
            case 529: return "overloaded_error";
            default: return status >= 500 ? "api_error" : "invalid_request_error";
        }
    }

    private static String anthropicMessage(int status) {
        switch (status) {
            case 401: return "invalid x-api-key";
            case 403: return "Your API key does not have permission to use the specified resource.";
            case 404: return "The requested resource could not be found.";
            case 413: return "Request exceeds the maximum allowed number of bytes.";
            case 429: return "Number of request tokens has exceeded your per-minute rate limit";
            case 529: return "Overloaded";
            default: return status >= 500 ? "Internal server error" : "Invalid request";
        }
    }

    // --- Gemini ---

    static ObjectNode geminiError(int status, String message) {
        ObjectNode error = Json.object();
        error.put("code", status);
        error.put("message", message);
        error.put("status", geminiStatus(status));
        ObjectNode root = Json.object();
        root.set("error", error);
        return root;
    }

    private static String geminiStatus(int status) {
        switch (status) {
            case 400: return "INVALID_ARGUMENT";
            case 401: return "UNAUTHENTICATED";
            case 403: return "PERMISSION_DENIED";
            case 404: return "NOT_FOUND";
            case 409: return "ABORTED";
            case 429: return "RESOURCE_EXHAUSTED";
            case 499: return "CANCELLED";
            case 501: return "UNIMPLEMENTED";
            case 503: return "UNAVAILABLE";
            case 504: return "DEADLINE_EXCEEDED";
            default: return status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        }
    }

    private static String geminiMessage(int status) {
        switch (status) {
            case 400: return "Request contains an invalid argument.";
            case 401: return "API key not valid. Please pass a valid API key.";
            case 403: return "The caller does not have permission";
            case 404: return "Requested entity was not found.";
            case 429: return "Resource has been exhausted (e.g. check quota).";
            case 503: return "The model is overloaded. Please try again later.";
            case 504: return "Deadline expired before operation could complete.";
            default: return status >= 500 ? "Internal error encountered." : "Request failed.";
        }
    }

    private static String orDefault(String message, String fallback) {
        return message != null ? message : fallback;
    }
}
