package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event exactly as it goes on the wire.
 *
 * @param name    the "event:" line, or null for data-only events (OpenAI Chat, Gemini)
 * @param data    the "data:" payload
 * @param lineEnd "\n", or "\r\n" for Gemini
 */
record SseEvent(String name, String data, String lineEnd) {

    static SseEvent data(JsonNode json) {
        return new SseEvent(null, Json.write(json), "\n");
    }

    static SseEvent data(String data) {
        return new SseEvent(null, data, "\n");
    }

    static SseEvent named(String name, JsonNode json) {
        return new SseEvent(name, Json.write(json), "\n");
    }

    static SseEvent crlf(JsonNode json) {
        return new SseEvent(null, Json.write(json), "\r\n");
    }

    byte[] bytes() {
        String head = name == null ? "" : "event: " + name + lineEnd;
        return (head + "data: " + data + lineEnd + lineEnd).getBytes(StandardCharsets.UTF_8);
    }

    /** The same event with its JSON cut after the first field name, e.g. {@code {"id":}. */
    SseEvent broken() {
        int colon = data.indexOf(':');
        String cut = colon >= 0 ? data.substring(0, colon + 1) : "{" + data;
        return new SseEvent(name, cut, lineEnd);
    }
}
