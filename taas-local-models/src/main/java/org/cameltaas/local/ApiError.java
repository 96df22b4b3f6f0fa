package org.cameltaas.local;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the local API refuses, with the HTTP status and the fields of the OpenAI error envelope
 * {@code {"error":{"message","type","param","code"}}}, which OpenAI clients and the taas component read.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    /** The methods the path takes, for the Allow header of a 405; null otherwise. */
    private final String allow;

    private ApiError(int status, String type, String code, String param, String message, String allow) {
        super(message, null, false, false); // an answer to a client, not a fault: no stack trace
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.allow = allow;
    }

    static ApiError invalidJson(String message) {
        return new ApiError(400, "invalid_request_error", "invalid_json", null, message, null);
    }

    /** A field that is missing or has a value the API does not take (422, like the gateway's own schema errors). */
    static ApiError invalidValue(String param, String message) {
        return new ApiError(422, "invalid_request_error", "invalid_value", param, message, null);
    }

    /** A valid request for something this model cannot do (OpenAI answers 400 to these). */
    static ApiError unsupported(String param, String code, String message) {
        return new ApiError(400, "invalid_request_error", code, param, message, null);
    }

    static ApiError modelNotFound(String model, String expected) {
        return new ApiError(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' does not exist here; use " + expected, null);
    }

    static ApiError notFound(String method, String path) {
        return new ApiError(404, "invalid_request_error", "not_found", null, "No such endpoint: " + method + " " + path,
                null);
    }

    static ApiError methodNotAllowed(String method, String path, String allowed) {
        return new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                method + " is not allowed on " + path + "; use " + allowed, allowed);
    }

    static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than " + limit / (1024 * 1024) + " MB", null);
    }

    static ApiError internal(String message) {
        return new ApiError(500, "server_error", "internal_error", null, message, null);
    }

    int status() {
        return status;
    }

    String allow() {
        return allow;
    }

    ObjectNode envelope() {
        ObjectNode root = WireJson.object();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }
}
