package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/** POST /v1/embeddings: deterministic vectors per input text, as floats or base64. */
final class EmbeddingReplies {

    private EmbeddingReplies() {
    }

    static Reply reply(ReplyContext ctx) {
        JsonNode body = ctx.json();
        List<String> inputs = inputs(body.path("input"));
        if (inputs.isEmpty()) {
            throw new BadRequestException("'input' must be a non-empty string or array", "input");
        }
        int dimensions = body.path("dimensions").asInt(FakeVectors.DEFAULT_DIMENSIONS);
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = FakeVectors.vector(inputs.get(i), dimensions);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (base64) {
                item.put("embedding", FakeVectors.base64(vector));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
            tokens += Math.max(1, Words.count(inputs.get(i)));
        }
        root.put("model", ctx.model("fake-embedding"));
        int promptTokens = ctx.script().promptTokensOverride() >= 0 ? ctx.script().promptTokensOverride() : tokens;
        root.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return Reply.json(200, root);
    }

    /** A string, an array of strings, one token array, or an array of token arrays (tokens become text). */
    private static List<String> inputs(JsonNode input) {
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else if (input.isArray() && input.size() > 0 && input.get(0).isNumber()) {
            texts.add(tokensAsText(input));
        } else if (input.isArray()) {
            for (JsonNode element : input) {
                texts.add(element.isArray() ? tokensAsText(element) : element.asText());
            }
        }
        return texts;
    }

    private static String tokensAsText(JsonNode tokens) {
        List<String> numbers = new ArrayList<>();
        tokens.forEach(t -> numbers.add(t.asText()));
        return String.join(" ", numbers);
    }
}
