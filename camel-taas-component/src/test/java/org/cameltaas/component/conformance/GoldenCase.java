package org.cameltaas.component.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One golden transcript, read from its JSON file (see docs/conformance.md for the format). Reading checks the
 * file's shape, so that a mistyped case fails as a broken case, not as a protocol mismatch.
 */
final class GoldenCase {

    /** {@code expectedUpstreamRequest.rawBody} value meaning: the very bytes the caller sent. */
    static final String SAME_AS_REQUEST = "<same-as-request>";

    final String name;
    final String description;
    final String knownIssue;
    final String operation;
    final String options;
    final String basePath;
    final Map<String, String> exchangeHeaders;
    /** The body handed to the producer: byte[] (JSON text) or String (a plain prompt). */
    final Object requestBody;
    final JsonNode expectedUpstreamRequest;
    final int replyStatus;
    final Map<String, String> replyHeaders;
    final byte[] replyBytes;
    final JsonNode expectedReply;
    final JsonNode expectedError;
    final JsonNode expectedStreamError;
    final JsonNode expectedUsage;
    final JsonNode expectedExchangeHeaders;

    private GoldenCase(String name, JsonNode json) {
        this.name = name;
        description = requiredText(json, "description");
        knownIssue = optionalText(json, "knownIssue");

        JsonNode endpoint = required(json, "endpoint");
        operation = requiredText(endpoint, "operation");
        options = optionalText(endpoint, "options") == null ? "" : optionalText(endpoint, "options");
        basePath = optionalText(endpoint, "basePath") == null ? "/v1" : optionalText(endpoint, "basePath");
        exchangeHeaders = stringMap(endpoint.get("exchangeHeaders"), "endpoint.exchangeHeaders");

        JsonNode requestText = json.get("requestText");
        JsonNode request = json.get("request");
        if (requestText != null && request != null) {
            throw broken("has both request and requestText; use one");
        }
        if (requestText != null) {
            if (!requestText.isTextual()) {
                throw broken("requestText must be a string (the body's exact text)");
            }
            requestBody = requestText.asText().getBytes(StandardCharsets.UTF_8);
        } else if (request == null) {
            throw broken("needs request (JSON) or requestText (the body's exact text)");
        } else if (request.isTextual()) {
            requestBody = request.asText(); // a plain prompt
        } else {
            requestBody = write(request);
        }

        JsonNode upstream = json.get("expectedUpstreamRequest");
        expectedUpstreamRequest = upstream == null || upstream.isNull() ? null : upstream;
        if (expectedUpstreamRequest != null) {
            requiredText(expectedUpstreamRequest, "method");
            requiredText(expectedUpstreamRequest, "path");
            if (!expectedUpstreamRequest.has("body") && !expectedUpstreamRequest.has("rawBody")) {
                throw broken("expectedUpstreamRequest needs body (JSON) and/or rawBody (exact text)");
            }
            stringMapAllowingNull(expectedUpstreamRequest.get("headers"));
        }

        JsonNode reply = json.get("upstreamReply");
        if (reply == null || reply.isNull()) {
            if (expectedUpstreamRequest != null) {
                throw broken("expects an upstream request but has no upstreamReply");
            }
            // nothing should reach the upstream; should something arrive anyway, it gets a loud error
            replyStatus = 599;
            replyHeaders = Map.of("content-type", "application/json");
            replyBytes = "{\"error\":{\"message\":\"this conformance case expects no upstream request\"}}"
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            replyStatus = reply.path("status").asInt(200);
            replyHeaders = stringMap(reply.get("headers"), "upstreamReply.headers");
            JsonNode sse = reply.get("sse");
            JsonNode body = reply.get("body");
            JsonNode bodyText = reply.get("bodyText");
            if ((sse != null ? 1 : 0) + (body != null ? 1 : 0) + (bodyText != null ? 1 : 0) != 1) {
                throw broken("upstreamReply needs exactly one of body (JSON), bodyText (exact text) and sse (raw event "
                        + "stream text)");
            }
            if (sse != null) {
                replyBytes = sseText(sse).getBytes(StandardCharsets.UTF_8);
            } else if (bodyText != null) {
                replyBytes = bodyText.asText().getBytes(StandardCharsets.UTF_8);
            } else {
                replyBytes = write(body);
            }
        }

        JsonNode expectedReplyNode = json.get("expectedReply");
        JsonNode error = json.get("expectedError");
        expectedError = error == null || error.isNull() ? null : error;
        if (expectedError != null) {
            requiredText(expectedError, "type");
            if (expectedReplyNode != null) {
                throw broken("has both expectedReply and expectedError");
            }
            expectedReply = null;
        } else {
            if (expectedReplyNode == null || !(expectedReplyNode.isObject() || expectedReplyNode.isArray())) {
                throw broken("needs expectedReply (a JSON object, or a list of events for a stream) or expectedError");
            }
            expectedReply = expectedReplyNode;
            if (expectedReply.isArray()) {
                for (JsonNode event : expectedReply) {
                    if (!event.isObject() || !event.has("event") || !event.has("data") || event.size() != 2) {
                        throw broken("each expected event is {\"event\": name or null, \"data\": JSON or \"[DONE]\"}, not "
                                + event);
                    }
                }
            }
        }
        JsonNode streamError = json.get("expectedStreamError");
        expectedStreamError = streamError == null || streamError.isNull() ? null : streamError;
        if (expectedStreamError != null) {
            requiredText(expectedStreamError, "type");
            if (expectedReply == null || !expectedReply.isArray()) {
                throw broken("has expectedStreamError without expectedReply events (those delivered before the error)");
            }
        }
        JsonNode usage = json.get("expectedUsage");
        expectedUsage = usage == null || usage.isNull() ? null : usage;
        JsonNode headers = json.get("expectedExchangeHeaders");
        expectedExchangeHeaders = headers == null || headers.isNull() ? null : headers;
    }

    static GoldenCase read(String name, Path file) throws IOException {
        return new GoldenCase(name, JsonMatcher.MAPPER.readTree(file.toFile()));
    }

    boolean streamExpected() {
        return expectedReply != null && expectedReply.isArray();
    }

    /** The raw event stream: a string, or a list of strings written one after the other. */
    private String sseText(JsonNode sse) {
        if (sse.isTextual()) {
            return sse.asText();
        }
        if (sse.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode piece : sse) {
                if (!piece.isTextual()) {
                    throw broken("upstreamReply.sse pieces must be strings");
                }
                text.append(piece.asText());
            }
            return text.toString();
        }
        throw broken("upstreamReply.sse must be the raw stream text, or a list of raw pieces");
    }

    private static byte[] write(JsonNode json) {
        try {
            return JsonMatcher.MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode required(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw broken("needs \"" + field + "\"");
        }
        return value;
    }

    private String requiredText(JsonNode json, String field) {
        JsonNode value = required(json, field);
        if (!value.isTextual()) {
            throw broken("\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private Map<String, String> stringMap(JsonNode json, String where) {
        Map<String, String> map = new LinkedHashMap<>();
        if (json == null || json.isNull()) {
            return map;
        }
        if (!json.isObject()) {
            throw broken(where + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }

    private void stringMapAllowingNull(JsonNode json) {
        if (json != null && !json.isNull() && !json.isObject()) {
            throw broken("expectedUpstreamRequest.headers must be an object (a null value: header must be absent)");
        }
    }

    private IllegalArgumentException broken(String problem) {
        return new IllegalArgumentException("conformance case " + name + " is malformed: it " + problem);
    }
}
