package org.cameltaas.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One shared Jackson mapper; ObjectNode keeps insertion order, so field order on the wire is what we build. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            // "{}garbage" must count as malformed, like the real providers treat it
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        return write(node).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a complete JSON document, or returns null when the bytes are empty or not JSON. */
    static JsonNode parseOrNull(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** Tool-call arguments as a JSON value; arguments that are not JSON are kept as a string so faults stay visible. */
    static JsonNode parseLenient(String json) {
        JsonNode node = parseOrNull(json.getBytes(StandardCharsets.UTF_8));
        return node != null ? node : MAPPER.getNodeFactory().textNode(json);
    }
}
