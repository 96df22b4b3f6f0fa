package org.cameltaas.gateway.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * What one cached vector is the answer to: the model, the request fields that shape the vector, and a SHA-256 of the
 * input item. The text itself is never kept.
 *
 * @param model          the catalog model that serves the request (the route's {@code TaasModelUsed})
 * @param dimensions     the request's {@code dimensions} as JSON text, "" when absent (the model's default)
 * @param encodingFormat {@code float} (also when absent) or {@code base64}: the two are cached apart, because the
 *                       float text an upstream writes cannot be rebuilt exactly from base64, nor the reverse
 * @param options        "" when the request has no other field that may change the vector, else a SHA-256 of them
 *                       (see {@link #optionsOf})
 * @param inputSha256    the SHA-256 (hex) of the input item's canonical JSON: {@code "text"} for a string,
 *                       {@code [1,2,3]} for a token array, so a string never collides with a token array
 */
public record EmbeddingsCacheKey(String model, String dimensions, String encodingFormat, String options,
                                 String inputSha256) {

    /**
     * Request fields that do not change the vectors: the input (hashed apart), the fields already in the key, and
     * OpenAI's end-user id. Every other field (a provider's {@code input_type}, {@code task}, {@code truncate}, ...)
     * may change them, so they are part of the key.
     */
    static final Set<String> NOT_OPTIONS = Set.of("input", "model", "dimensions", "encoding_format", "user");

    private static final HexFormat HEX = HexFormat.of();

    public EmbeddingsCacheKey {
        if (model == null || dimensions == null || encodingFormat == null || options == null || inputSha256 == null) {
            throw new IllegalArgumentException("every part of an embeddings cache key is required");
        }
    }

    /** The key of one input item of an embeddings request served as {@code model}. */
    public static EmbeddingsCacheKey of(String model, ObjectNode request, JsonNode item) {
        return new EmbeddingsCacheKey(model, dimensionsOf(request), encodingFormatOf(request), optionsOf(request),
                sha256(item));
    }

    /** The same key for another input item of the same request. */
    public EmbeddingsCacheKey withInput(JsonNode item) {
        return new EmbeddingsCacheKey(model, dimensions, encodingFormat, options, sha256(item));
    }

    static String dimensionsOf(ObjectNode request) {
        JsonNode dimensions = request.get("dimensions");
        return dimensions == null || dimensions.isNull() ? "" : Json.text(dimensions);
    }

    static String encodingFormatOf(ObjectNode request) {
        JsonNode format = request.get("encoding_format");
        return format == null || format.isNull() ? "float" : format.asText();
    }

    /** "" when the request has only the fields the key names anyway, else the SHA-256 of the others, keys sorted. */
    static String optionsOf(ObjectNode request) {
        ObjectNode others = null;
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            if (!NOT_OPTIONS.contains(field.getKey())) {
                others = others == null ? Json.object() : others;
                others.set(field.getKey(), field.getValue());
            }
        }
        return others == null ? "" : sha256(others);
    }

    /** SHA-256 (hex) of a node's canonical JSON: compact, object keys sorted, strings and numbers as Jackson writes them. */
    static String sha256(JsonNode node) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(digest.digest(Json.bytes(canonical(node))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode copy = Json.object();
            sorted.forEach(copy::set);
            return copy;
        }
        if (node.isArray() && containsObject(node)) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            node.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node; // strings, numbers, arrays of them: already canonical
    }

    private static boolean containsObject(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) {
                return true;
            }
        }
        return false;
    }

    /** One string for a remote store's key: the parts, separated by '|'. */
    public String asString() {
        return model + '|' + dimensions + '|' + encodingFormat + '|' + options + '|' + inputSha256;
    }

    /** The bytes this key weighs in a store: roughly its string form. */
    public int weight() {
        return model.length() + dimensions.length() + encodingFormat.length() + options.length() + inputSha256.length() + 16;
    }
}
