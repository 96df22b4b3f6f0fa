package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** JSON literals for the tests, read with the component's own mapper so exact decimals compare as sent. */
final class TestJson {

    private TestJson() {
    }

    static ObjectNode json(String text) {
        return (ObjectNode) parse(text);
    }

    static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad JSON literal in test: " + text, e);
        }
    }

    /** Compares as JSON, field order included, and shows both sides as text when they differ. */
    static void assertJson(String expected, JsonNode actual) {
        assertEquals(Json.text(parse(expected)), Json.text(actual));
    }
}
