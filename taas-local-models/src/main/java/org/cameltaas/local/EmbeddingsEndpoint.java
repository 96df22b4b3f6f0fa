package org.cameltaas.local;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/embeddings} in OpenAI's shape: {@code input} (a string or an array of strings),
 * {@code encoding_format} ({@code float} or {@code base64}), {@code dimensions} (only 384: the model cannot shorten
 * its vectors), {@code model}; other fields such as {@code user} are ignored, as OpenAI does.
 */
final class EmbeddingsEndpoint implements Endpoint {

    /** OpenAI's own limit of inputs per request. */
    static final int MAX_INPUTS = 2048;

    private final LocalEmbeddings embeddings;

    EmbeddingsEndpoint(LocalEmbeddings embeddings) {
        this.embeddings = embeddings;
    }

    @Override
    public JsonNode answer(ObjectNode request) {
        String model = ModelName.check(request, LocalEmbeddings.MODEL_ID);
        List<String> inputs = WireJson.texts(request, "input", MAX_INPUTS, null);
        boolean base64 = base64(request);
        checkDimensions(request);

        LocalEmbeddings.Batch batch = embeddings.embed(inputs);

        ObjectNode root = WireJson.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < batch.vectors().size(); i++) {
            float[] vector = batch.vectors().get(i);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                item.put("embedding", Float32Base64.encode(vector));
            } else {
                item.putPOJO("embedding", vector); // written by Jackson's float[] serializer, no node per number
            }
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", batch.tokens());
        usage.put("total_tokens", batch.tokens());
        return root;
    }

    private static boolean base64(ObjectNode request) {
        JsonNode format = request.get("encoding_format");
        if (format == null || format.isNull() || format.asText().equals("float")) {
            return false;
        }
        if (format.asText().equals("base64")) {
            return true;
        }
        throw ApiError.invalidValue("encoding_format", "encoding_format must be float or base64");
    }

    private static void checkDimensions(ObjectNode request) {
        JsonNode dimensions = request.get("dimensions");
        if (dimensions == null || dimensions.isNull()) {
            return;
        }
        if (!dimensions.canConvertToExactIntegral() || !dimensions.canConvertToInt() || dimensions.asInt() < 1) {
            throw ApiError.invalidValue("dimensions", "dimensions must be a whole number of at least 1");
        }
        if (dimensions.asInt() != LocalEmbeddings.DIMENSIONS) {
            throw ApiError.unsupported("dimensions", "unsupported_value", LocalEmbeddings.MODEL_ID + " has "
                    + LocalEmbeddings.DIMENSIONS + " dimensions and cannot shorten its vectors: omit dimensions or send "
                    + LocalEmbeddings.DIMENSIONS);
        }
    }
}
