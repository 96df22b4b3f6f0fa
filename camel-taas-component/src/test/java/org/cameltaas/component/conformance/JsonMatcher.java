package org.cameltaas.component.conformance;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Structural comparison of an expected (golden) JSON value with an actual one, reporting the path of the first node
 * that differs. Objects must have exactly the expected fields (order does not matter), arrays the expected elements
 * in order, numbers the same value ({@code 1}, {@code 1.0} and {@code 1.00} are equal), everything else the same
 * value. Three placeholders stand for generated values:
 * <ul>
 * <li>{@value #ANY}: the field is present, whatever its value (null included);</li>
 * <li>{@value #ANY_STRING}: a JSON string;</li>
 * <li>{@value #ANY_NUMBER}: a JSON number;</li>
 * <li>{@value #NULL_OR_ABSENT}: the field is null or left out (for fields a protocol marks nullable and whose
 * absence clients tolerate, so that a golden file accepts both shapes).</li>
 * </ul>
 */
final class JsonMatcher {

    static final String ANY = "<any>";
    static final String ANY_STRING = "<any-string>";
    static final String ANY_NUMBER = "<any-number>";
    static final String NULL_OR_ABSENT = "<null-or-absent>";

    /** Keeps numbers exactly as written, so that {@code 0.70} can be told from {@code 0.7} where that matters. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonMatcher() {
    }

    /** Null when {@code actual} matches {@code expected}, else a sentence naming the first differing node. */
    static String firstDifference(JsonNode expected, JsonNode actual, String path) {
        if (expected != null && expected.isTextual()) {
            switch (expected.asText()) {
                case ANY -> {
                    return actual == null || actual.isMissingNode()
                            ? path + ": expected a value (" + ANY + ") but the field is absent" : null;
                }
                case ANY_STRING -> {
                    return actual != null && actual.isTextual() ? null
                            : path + ": expected a string (" + ANY_STRING + ") but was " + describe(actual);
                }
                case ANY_NUMBER -> {
                    return actual != null && actual.isNumber() ? null
                            : path + ": expected a number (" + ANY_NUMBER + ") but was " + describe(actual);
                }
                case NULL_OR_ABSENT -> {
                    return actual == null || actual.isMissingNode() || actual.isNull() ? null
                            : path + ": expected null or no field (" + NULL_OR_ABSENT + ") but was " + describe(actual);
                }
                default -> {
                    // an ordinary string, compared below
                }
            }
        }
        if (expected == null || expected.isMissingNode()) {
            return actual == null || actual.isMissingNode() ? null
                    : path + ": expected no value but was " + describe(actual);
        }
        if (actual == null || actual.isMissingNode()) {
            return path + ": expected " + describe(expected) + " but the value is absent";
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0 ? null
                    : path + ": expected " + expected + " but was " + actual;
        }
        if (expected.isObject() && actual.isObject()) {
            return objectDifference(expected, actual, path);
        }
        if (expected.isArray() && actual.isArray()) {
            int common = Math.min(expected.size(), actual.size());
            for (int i = 0; i < common; i++) {
                String difference = firstDifference(expected.get(i), actual.get(i), path + "[" + i + "]");
                if (difference != null) {
                    return difference;
                }
            }
            if (expected.size() != actual.size()) {
                return path + ": expected " + expected.size() + " elements but was " + actual.size()
                        + (actual.size() > expected.size()
                        ? "; first extra element: " + describe(actual.get(common))
                        : "; first missing element: " + describe(expected.get(common)));
            }
            return null;
        }
        if (expected.getNodeType() != actual.getNodeType()) {
            return path + ": expected " + describe(expected) + " but was " + describe(actual);
        }
        return expected.equals(actual) ? null : path + ": expected " + describe(expected) + " but was " + describe(actual);
    }

    private static String objectDifference(JsonNode expected, JsonNode actual, String path) {
        TreeSet<String> missing = new TreeSet<>();
        for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!actual.has(name) && !NULL_OR_ABSENT.equals(expected.get(name).asText(null))) {
                missing.add(name);
            }
        }
        TreeSet<String> unexpected = new TreeSet<>();
        for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!expected.has(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty()) {
            String first = missing.first();
            return child(path, first) + ": expected " + describe(expected.get(first)) + " but the field is absent"
                    + (missing.size() > 1 ? " (also absent: " + String.join(", ", missing.tailSet(first, false)) + ")" : "")
                    + (unexpected.isEmpty() ? "" : "; unexpected fields: " + String.join(", ", unexpected));
        }
        if (!unexpected.isEmpty()) {
            String first = unexpected.first();
            return child(path, first) + ": expected no such field but was " + describe(actual.get(first))
                    + (unexpected.size() > 1 ? " (also unexpected: " + String.join(", ", unexpected.tailSet(first, false)) + ")"
                    : "");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String difference = firstDifference(field.getValue(), actual.get(field.getKey()), child(path, field.getKey()));
            if (difference != null) {
                return difference;
            }
        }
        return null;
    }

    private static String child(String path, String name) {
        return name.matches("[A-Za-z_$][A-Za-z0-9_$]*") ? path + "." + name : path + "[\"" + name + "\"]";
    }

    /** A value as it reads in a message: compact JSON, shortened when long. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "(absent)";
        }
        String text = node.toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (Exception e) {
            return String.valueOf(node);
        }
    }
}
