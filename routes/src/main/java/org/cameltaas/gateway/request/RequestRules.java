package org.cameltaas.gateway.request;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.gateway.error.GatewayException;

/**
 * The request schema each surface enforces before anything goes upstream: required fields and value ranges answer
 * 422 with the offending parameter named. Fields not listed here are not judged: they pass through untouched.
 */
final class RequestRules {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Set<String> MESSAGES_ROLES = Set.of("user", "assistant", "system");
    private static final Set<String> SPEECH_FORMATS = Set.of("mp3", "wav", "opus", "aac", "flac", "pcm");

    private RequestRules() {
    }

    static void check(TaasOperation operation, ObjectNode json) {
        switch (operation) {
            case chatCompletions -> chat(json);
            case embeddings -> embeddings(json);
            case rerank -> rerank(json);
            case audioSpeech -> speech(json);
            case imagesGenerations -> images(json);
            case messages -> anthropicMessages(json);
            case messagesCountTokens -> anthropicConversation(json);
            case completions -> required(json, "prompt", "prompt is required: a string or an array of strings");
            case moderations -> required(json, "input", "input is required: a string, an array of strings or of content parts");
            case responses -> responses(json);
            default -> {
            }
        }
    }

    private static void chat(ObjectNode json) {
        JsonNode messages = json.get("messages");
        if (messages == null || messages.isNull()) {
            throw GatewayException.unprocessable("messages", "messages is required: a non-empty array of {role, content}");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw GatewayException.unprocessable("messages", "messages must be a non-empty array of {role, content}");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String param = "messages[" + i + "]";
            if (!message.isObject()) {
                throw GatewayException.unprocessable(param, param + " must be an object with role and content");
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw GatewayException.unprocessable(param + ".role", param + ".role must be one of " + ROLES
                        + (role == null ? " (it is missing)" : ", not " + role));
            }
            boolean toolCalls = message.has("tool_calls") && !message.get("tool_calls").isNull();
            JsonNode content = message.get("content");
            if ((content == null || content.isNull()) && !(role.asText().equals("assistant") && (toolCalls || message.has("function_call")))) {
                throw GatewayException.unprocessable(param + ".content", param + ".content is required");
            }
            if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
                throw GatewayException.unprocessable(param + ".content", param + ".content must be a string or an array of content parts");
            }
        }
        range(json, "temperature", 0, 2);
        range(json, "top_p", 0, 1);
        range(json, "presence_penalty", -2, 2);
        range(json, "frequency_penalty", -2, 2);
        range(json, "n", 1, 128);
        range(json, "max_tokens", 1, Integer.MAX_VALUE);
        range(json, "max_completion_tokens", 1, Integer.MAX_VALUE);
        bool(json, "stream");
        JsonNode stop = json.get("stop");
        if (stop != null && !stop.isNull() && !stop.isTextual() && !(stop.isArray() && stop.size() <= 4)) {
            throw GatewayException.unprocessable("stop", "stop must be a string or an array of up to 4 strings");
        }
        JsonNode tools = json.get("tools");
        if (tools != null && !tools.isNull() && !tools.isArray()) {
            throw GatewayException.unprocessable("tools", "tools must be an array of tool definitions");
        }
    }

    /** Anthropic answers every invalid request with 400, so the Messages surface does too. */
    private static void anthropicMessages(ObjectNode json) {
        JsonNode maxTokens = json.get("max_tokens");
        if (maxTokens == null || !maxTokens.canConvertToInt() || maxTokens.asInt() < 1) {
            throw GatewayException.badRequest("invalid_request_error", "max_tokens",
                    "max_tokens: Field required (a positive integer)");
        }
        anthropicConversation(json);
        range(json, "temperature", 0, 1);
    }

    /** The conversation part of a Messages request (count_tokens takes no max_tokens). */
    private static void anthropicConversation(ObjectNode json) {
        JsonNode messages = json.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayException.badRequest("invalid_request_error", "messages",
                    "messages: Field required (a non-empty array of {role, content})");
        }
        for (int i = 0; i < messages.size(); i++) {
            // system turns inside messages pass (Claude Code sends them): never stricter than the upstream
            JsonNode role = messages.get(i).get("role");
            if (role == null || !MESSAGES_ROLES.contains(role.asText())) {
                throw GatewayException.badRequest("invalid_request_error", "messages." + i + ".role",
                        "messages." + i + ".role: Input should be 'user', 'assistant' or 'system'");
            }
            JsonNode content = messages.get(i).get("content");
            if (content == null || !(content.isTextual() || content.isArray())) {
                throw GatewayException.badRequest("invalid_request_error", "messages." + i + ".content",
                        "messages." + i + ".content: a string or an array of content blocks is required");
            }
        }
        JsonNode system = json.get("system");
        if (system != null && !system.isNull() && !system.isTextual() && !system.isArray()) {
            throw GatewayException.badRequest("invalid_request_error", "system", "system: a string or an array of text blocks");
        }
    }

    private static void required(ObjectNode json, String field, String message) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw GatewayException.unprocessable(field, message);
        }
    }

    private static void responses(ObjectNode json) {
        JsonNode input = json.get("input");
        if ((input == null || input.isNull()) && !json.hasNonNull("previous_response_id")) {
            throw GatewayException.unprocessable("input", "input is required: a string or an array of input items");
        }
        if (input != null && !input.isNull() && !input.isTextual() && !input.isArray()) {
            throw GatewayException.unprocessable("input", "input must be a string or an array of input items");
        }
        range(json, "temperature", 0, 2);
        range(json, "top_p", 0, 1);
        range(json, "max_output_tokens", 1, Integer.MAX_VALUE);
        bool(json, "stream");
    }

    /** The native Codex surface takes Codex semantics only: a list of input items, streamed. */
    static void codex(ObjectNode json) {
        if (!json.path("input").isArray()) {
            throw GatewayException.badRequest("invalid_request_error", "input", "input must be a list for native Codex requests");
        }
        if (!json.path("stream").asBoolean(false)) {
            throw GatewayException.badRequest("invalid_request_error", "stream", "stream must be true for native Codex requests");
        }
    }

    private static void embeddings(ObjectNode json) {
        JsonNode input = json.get("input");
        if (input == null || input.isNull() || input.isTextual() && input.asText().isEmpty()
                || input.isArray() && input.isEmpty() || !input.isTextual() && !input.isArray()) {
            throw GatewayException.unprocessable("input", "input is required: a non-empty string or array of strings");
        }
        JsonNode format = json.get("encoding_format");
        if (format != null && !format.isNull() && !(format.asText().equals("float") || format.asText().equals("base64"))) {
            throw GatewayException.unprocessable("encoding_format", "encoding_format must be float or base64");
        }
        range(json, "dimensions", 1, 65536);
    }

    private static void rerank(ObjectNode json) {
        JsonNode query = json.get("query");
        if (query == null || !query.isTextual() || query.asText().isBlank()) {
            throw GatewayException.unprocessable("query", "query is required: the text to rank documents against");
        }
        JsonNode documents = json.get("documents");
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            throw GatewayException.unprocessable("documents", "documents is required: a non-empty array");
        }
        range(json, "top_n", 1, Integer.MAX_VALUE);
    }

    private static void speech(ObjectNode json) {
        JsonNode input = json.get("input");
        if (input == null || !input.isTextual() || input.asText().isEmpty()) {
            throw GatewayException.unprocessable("input", "input is required: the text to speak");
        }
        if (input.asText().length() > 4096) {
            throw GatewayException.unprocessable("input", "input is longer than 4096 characters");
        }
        range(json, "speed", 0.25, 4.0);
        JsonNode format = json.get("response_format");
        if (format != null && !format.isNull() && !SPEECH_FORMATS.contains(format.asText())) {
            throw GatewayException.unprocessable("response_format", "response_format must be one of " + SPEECH_FORMATS);
        }
    }

    private static void images(ObjectNode json) {
        JsonNode prompt = json.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw GatewayException.unprocessable("prompt", "prompt is required");
        }
        range(json, "n", 1, 10);
    }

    private static void range(ObjectNode json, String field, double min, double max) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            throw GatewayException.unprocessable(field, field + " must be a number");
        }
        double v = value.asDouble();
        if (v < min || v > max) {
            throw GatewayException.unprocessable(field, field + " must be between " + format(min) + " and " + format(max)
                    + ", not " + value.asText());
        }
    }

    private static void bool(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw GatewayException.unprocessable(field, field + " must be true or false");
        }
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
