package org.cameltaas.component.http;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

/**
 * One server-sent event. {@code data} is the joined data lines; the parsed JSON is cached so the component and
 * the gateway parse each event once at most.
 */
public final class SseEvent {

    private final String event;
    private final String data;
    private final String id;
    private JsonNode json;

    public SseEvent(String event, String data, String id) {
        this.event = event;
        this.data = data;
        this.id = id;
    }

    public static SseEvent data(String data) {
        return new SseEvent(null, data, null);
    }

    public static SseEvent of(String event, JsonNode json) {
        SseEvent e = new SseEvent(event, Json.text(json), null);
        e.json = json;
        return e;
    }

    /** The event type ({@code event:} field), or null for unnamed events. */
    public String event() {
        return event;
    }

    public String data() {
        return data;
    }

    public String id() {
        return id;
    }

    /** True for OpenAI's {@code data: [DONE]} terminator. */
    public boolean isDone() {
        return "[DONE]".equals(data);
    }

    /** The data parsed as JSON (cached). */
    public JsonNode json() throws JsonProcessingException {
        if (json == null) {
            json = Json.parse(data);
        }
        return json;
    }

    /** The event in SSE wire form, ending with the blank line that dispatches it. */
    public byte[] toWire() {
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (event != null) {
            sb.append("event: ").append(event).append('\n');
        }
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        int start = 0;
        int nl;
        while ((nl = data.indexOf('\n', start)) >= 0) {
            sb.append("data: ").append(data, start, nl).append('\n');
            start = nl + 1;
        }
        sb.append("data: ").append(data, start, data.length()).append("\n\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (event != null ? "event: " + event + " " : "") + "data: " + data;
    }
}
