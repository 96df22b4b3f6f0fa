package org.cameltaas.component.protocol;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.UpstreamError;
import org.cameltaas.component.support.Json;

/**
 * Reads an upstream error body in any of the shapes providers use: OpenAI {@code {"error":{message,type,code,param}}},
 * Anthropic {@code {"type":"error","error":{type,message}}}, Gemini {@code {"error":{code,message,status}}}, FastAPI
 * {@code {"detail":...}}, a bare {@code {"message":...}}, or plain text.
 */
public final class ErrorBodies {

    private static final int MAX_TEXT = 2000;

    private ErrorBodies() {
    }

    public static UpstreamError parse(int status, byte[] body, String secret) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (secret != null && !secret.isEmpty()) {
            text = text.replace(secret, "***");
        }
        JsonNode json = null;
        try {
            json = text.isBlank() ? null : Json.parse(text);
        } catch (Exception e) {
            // not JSON: the text itself is the message
        }
        if (json == null || !json.isObject()) {
            String message = text.isBlank() ? "HTTP " + status : abbreviate(text.strip());
            return new UpstreamError(message, null, null, null, text);
        }
        return fromJson(json, text);
    }

    /** An error object found inside a stream event or a body. */
    public static UpstreamError fromJson(JsonNode json, String raw) {
        JsonNode error = json.get("error");
        if (error != null && error.isObject()) {
            String type = Json.textOf(error, "type");
            if (type == null) {
                type = Json.textOf(error, "status"); // Gemini
            }
            JsonNode code = error.get("code");
            return new UpstreamError(Json.textOf(error, "message"), type,
                    code == null || code.isNull() ? null : code.asText(), Json.textOf(error, "param"), raw);
        }
        if (error != null && error.isTextual()) {
            return new UpstreamError(error.asText(), Json.textOf(json, "type"), null, null, raw);
        }
        JsonNode detail = json.get("detail");
        if (detail != null) {
            return new UpstreamError(detail.isTextual() ? detail.asText() : abbreviate(Json.text(detail)), null, null, null,
                    raw);
        }
        JsonNode code = json.get("code");
        return new UpstreamError(Json.textOf(json, "message"), Json.textOf(json, "type"),
                code == null || code.isNull() ? null : code.asText(), Json.textOf(json, "param"), raw);
    }

    /** Error types and codes that say "try again later" rather than "your request is wrong". */
    public static boolean isRetryableKind(UpstreamError error) {
        String kind = (error.type() + " " + error.code()).toLowerCase();
        return kind.contains("rate_limit") || kind.contains("overloaded") || kind.contains("server_error")
                || kind.contains("api_error") || kind.contains("unavailable") || kind.contains("resource_exhausted")
                || kind.contains("internal") || kind.contains("timeout") || kind.contains("429") || kind.contains("503")
                || kind.contains("500") || kind.contains("529");
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }
}
