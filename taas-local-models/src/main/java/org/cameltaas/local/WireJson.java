package org.cameltaas.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON mapper of the local API and the checks its request fields share. */
final class WireJson {

    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private WireJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The body as a JSON object, or a 400 saying why it is not one. */
    static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw ApiError.invalidJson("The request body is empty: send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalidJson("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.invalidJson("The request body cannot be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.invalidJson("The request body must be a JSON object");
        }
        return object;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A required, non-blank string field. */
    static String requiredText(ObjectNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.invalidValue(field, field + " is required");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw ApiError.invalidValue(field, field + " must be a non-empty string");
        }
        return value.asText();
    }

    /** An optional boolean field. */
    static boolean optionalBoolean(ObjectNode request, String field, boolean defaultValue) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw ApiError.invalidValue(field, field + " must be true or false");
        }
        return value.asBoolean();
    }

    /** An optional whole number of at least 1; null when absent. */
    static Integer optionalPositiveInt(ObjectNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt() || value.asInt() < 1) {
            throw ApiError.invalidValue(field, field + " must be a whole number of at least 1");
        }
        return value.asInt();
    }

    /**
     * Texts given as one string or an array of strings ({@code textField} also takes objects holding the text in
     * that field, as rerank documents do). Blank texts are refused: the model has nothing to embed in them.
     */
    static List<String> texts(ObjectNode request, String field, int max, String textField) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            throw ApiError.invalidValue(field, field + " is required");
        }
        List<String> texts = new ArrayList<>();
        if (value.isTextual() && textField == null) {
            texts.add(value.asText());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                texts.add(textOf(item, field + "[" + texts.size() + "]", textField));
            }
        } else {
            throw ApiError.invalidValue(field, field + " must be " + (textField == null
                    ? "a string or an array of strings" : "an array of strings or of {\"" + textField + "\": ...} objects"));
        }
        if (texts.isEmpty()) {
            throw ApiError.invalidValue(field, field + " must not be empty");
        }
        if (texts.size() > max) {
            throw ApiError.invalidValue(field, field + " holds " + texts.size() + " items; at most " + max + " are taken");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isBlank()) {
                throw ApiError.invalidValue(value.isArray() ? field + "[" + i + "]" : field,
                        (value.isArray() ? field + "[" + i + "]" : field) + " is blank: there is nothing to embed");
            }
        }
        return texts;
    }

    private static String textOf(JsonNode item, String param, String textField) {
        if (item.isTextual()) {
            return item.asText();
        }
        if (textField != null && item.path(textField).isTextual()) {
            return item.path(textField).asText();
        }
        if (item.isNumber() || item.isArray()) {
            // OpenAI also takes token ids; they are ids of OpenAI's tokenizer, which mean nothing to this model
            throw ApiError.invalidValue(param, param + ": token ids are not supported by this model; send text");
        }
        throw ApiError.invalidValue(param, param + " must be a string"
                + (textField == null ? "" : " or an object with a \"" + textField + "\" string"));
    }
}
