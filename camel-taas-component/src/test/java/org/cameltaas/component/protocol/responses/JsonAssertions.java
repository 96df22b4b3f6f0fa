package org.cameltaas.component.protocol.responses;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON literals for the translation tests, compared as trees (numbers by value: 1 equals 1L). */
final class JsonAssertions {

    private JsonAssertions() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.parse(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad JSON literal in test: " + text, e);
        }
    }

    static void assertJson(String expected, JsonNode actual) {
        JsonNode expectedJson;
        try {
            expectedJson = Json.parse(expected);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad JSON literal in test: " + expected, e);
        }
        assertTrue(expectedJson.equals((a, b) -> sameValue(a, b) ? 0 : 1, actual),
                () -> "expected " + Json.text(expectedJson) + "\n but was " + Json.text(actual));
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
        }
        return a.equals(b);
    }
}
