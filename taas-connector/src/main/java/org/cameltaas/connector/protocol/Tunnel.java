package org.cameltaas.connector.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The tunnel's constants and the JSON of its control payloads. */
public final class Tunnel {

    /** The WebSocket path on the gateway. */
    public static final String PATH = "/connect/v1";
    /** The WebSocket subprotocol: the version of this protocol. */
    public static final String SUBPROTOCOL = "taas-tunnel.v1";
    public static final int VERSION = 1;
    public static final int MAX_PAYLOAD = 64 * 1024;
    /** Each stream's reply may run this far ahead of what the gateway's client took. */
    public static final int INITIAL_WINDOW = 128 * 1024;
    /** Credit is returned once this much was taken (fewer, larger WINDOW frames). */
    public static final int WINDOW_UPDATE_THRESHOLD = 32 * 1024;
    /** Each side pings when it sent nothing for this long... */
    public static final long HEARTBEAT_MILLIS = Long.getLong("taas.tunnel.heartbeatMillis", 3_000);
    /** ...and declares the other gone when it heard nothing for this long. */
    public static final long OFFLINE_MILLIS = Long.getLong("taas.tunnel.offlineMillis", 10_000);
    /** Streams one connector carries at once. */
    public static final int MAX_STREAMS = 2_000;
    /** The largest request body the connector buffers for its target. */
    public static final int MAX_REQUEST_BODY = 32 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tunnel() {
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A control payload as a JSON object; anything else breaks the protocol. */
    public static ObjectNode read(Frame frame) {
        try {
            JsonNode node = JSON.readTree(frame.payload());
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (java.io.IOException e) {
            // below
        }
        throw new TunnelProtocolException(frame.type() + " carries a JSON object");
    }

    /** Headers as a JSON object of lists (a header may repeat). */
    public static ObjectNode headers(Map<String, List<String>> headers) {
        ObjectNode node = object();
        headers.forEach((name, values) -> {
            var array = node.putArray(name.toLowerCase());
            values.forEach(array::add);
        });
        return node;
    }

    public static Map<String, List<String>> headers(JsonNode node) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                List<String> values = new java.util.ArrayList<>();
                if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(e.getValue().asText());
                }
                headers.put(e.getKey().toLowerCase(), values);
            });
        }
        return headers;
    }
}
