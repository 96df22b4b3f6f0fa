package org.cameltaas.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;

/**
 * One cached input item: its {@code embedding} value exactly as the upstream returned it, serialized (a JSON array
 * of numbers for {@code encoding_format} float, a JSON string for base64), and the prompt tokens it is estimated to
 * have cost (see {@link EmbeddingsCache} for the estimate).
 *
 * @param json         the UTF-8 JSON of the {@code embedding} value; not to be modified
 * @param promptTokens the tokens the item cost upstream (exact for a token array or an item sent alone, else an
 *                     estimate); 0 when the upstream reported no usage
 */
public record CachedEmbedding(byte[] json, int promptTokens) {

    public CachedEmbedding {
        if (json == null || json.length == 0) {
            throw new IllegalArgumentException("an embedding needs its JSON");
        }
    }

    /** The serialized form of an embedding value from a reply. */
    public static CachedEmbedding of(JsonNode embedding, int promptTokens) {
        return new CachedEmbedding(Json.bytes(embedding), Math.max(0, promptTokens));
    }

    /** The embedding value as a fresh JSON tree, numbers exactly as the upstream wrote them. */
    public JsonNode embedding() {
        try {
            return Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cached embedding is not valid JSON", e);
        }
    }

    /** The bytes this value weighs in a store: its serialized size. */
    public int weight() {
        return json.length + Integer.BYTES;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CachedEmbedding that && promptTokens == that.promptTokens && Arrays.equals(json, that.json);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(json) + promptTokens;
    }

    @Override
    public String toString() {
        return "CachedEmbedding[" + json.length + " bytes, " + promptTokens + " tokens: "
                + new String(json, 0, Math.min(json.length, 40), StandardCharsets.UTF_8) + "...]";
    }
}
