package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.function.IntFunction;

/** A reply before faults are applied: status, headers and either a fixed body or a list of SSE events. */
final class Reply {

    static final String JSON = "application/json";
    static final String EVENT_STREAM = "text/event-stream";

    private int status;
    private final HttpHeaders headers = new DefaultHttpHeaders();
    private final byte[] body;
    private final List<SseEvent> events;
    private final IntFunction<SseEvent> streamErrorAt;

    private Reply(int status, byte[] body, List<SseEvent> events, IntFunction<SseEvent> streamErrorAt) {
        this.status = status;
        this.body = body;
        this.events = events;
        this.streamErrorAt = streamErrorAt;
    }

    static Reply json(int status, JsonNode json) {
        return bytes(status, JSON, Json.bytes(json));
    }

    static Reply bytes(int status, String contentType, byte[] body) {
        Reply reply = new Reply(status, body, null, null);
        reply.headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        return reply;
    }

    /**
     * @param streamErrorAt the provider's in-stream error event, given the index it will have in the stream
     */
    static Reply stream(List<SseEvent> events, IntFunction<SseEvent> streamErrorAt) {
        Reply reply = new Reply(200, null, List.copyOf(events), streamErrorAt);
        reply.headers.set(HttpHeaderNames.CONTENT_TYPE, EVENT_STREAM);
        reply.headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return reply;
    }

    /** Overrides the status, e.g. a scripted 201 on an otherwise normal reply. */
    Reply status(int status) {
        this.status = status;
        return this;
    }

    Reply header(CharSequence name, Object value) {
        headers.set(name, value);
        return this;
    }

    int status() {
        return status;
    }

    HttpHeaders headers() {
        return headers;
    }

    boolean isStream() {
        return events != null;
    }

    /** The fixed body; null for streams. */
    byte[] body() {
        return body;
    }

    /** The SSE events; null for fixed bodies. */
    List<SseEvent> events() {
        return events;
    }

    SseEvent streamErrorAt(int index) {
        return streamErrorAt.apply(index);
    }
}
