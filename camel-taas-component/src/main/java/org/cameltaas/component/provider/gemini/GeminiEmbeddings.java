package org.cameltaas.component.provider.gemini;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.support.Json;

/**
 * OpenAI embeddings as one Gemini {@code batchEmbedContents} call, and its reply back as an OpenAI list. A nested
 * {@code "gemini": {...}} object is merged into every embed request (e.g. {@code taskType}).
 */
final class GeminiEmbeddings {

    private GeminiEmbeddings() {
    }

    /** The texts to embed: OpenAI's input is a string or an array of strings. */
    static List<String> inputsOf(JsonNode request) {
        JsonNode input = request.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    // token-id arrays are an OpenAI tokenizer's; Gemini embeds text only
                    throw new IllegalArgumentException("the gemini provider embeds text inputs only");
                }
                texts.add(item.asText());
            }
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("embeddings needs an input string or array of strings");
        }
        return texts;
    }

    static ObjectNode toGemini(JsonNode request, String model) {
        ObjectNode body = Json.object();
        ArrayNode requests = body.putArray("requests");
        JsonNode dimensions = request.get("dimensions");
        JsonNode nativeFields = request.get(GeminiChatRequest.NATIVE_FIELD);
        for (String text : inputsOf(request)) {
            ObjectNode embed = requests.addObject();
            embed.put("model", "models/" + model);
            embed.putObject("content").putArray("parts").add(GeminiParts.text(text));
            if (dimensions != null && dimensions.isNumber()) {
                embed.set("outputDimensionality", dimensions);
            }
            if (nativeFields != null && nativeFields.isObject()) {
                GeminiChatRequest.merge(embed, nativeFields);
            }
        }
        return body;
    }

    static ObjectNode toOpenAi(JsonNode reply, JsonNode request, String model) {
        boolean base64 = "base64".equals(Json.textOf(request, "encoding_format"));
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        JsonNode embeddings = reply.path("embeddings");
        for (int i = 0; i < embeddings.size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i); // Gemini answers in request order
            JsonNode values = embeddings.get(i).path("values");
            if (base64) {
                item.put("embedding", littleEndianFloats(values));
            } else {
                item.set("embedding", values.deepCopy());
            }
        }
        list.put("model", model);
        TaasUsage usage = usageOf(request);
        list.putObject("usage").put("prompt_tokens", usage.promptTokens()).put("total_tokens", usage.totalTokens());
        return list;
    }

    /**
     * Gemini's batchEmbedContents reports no token count, so the words of the inputs stand in for tokens: an
     * estimate, good enough to meter and rate-limit by, not an exact count.
     */
    static TaasUsage usageOf(JsonNode request) {
        int words = 0;
        for (String text : inputsOf(request)) {
            String trimmed = text.strip();
            words += trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        }
        return TaasUsage.of(words, 0);
    }

    /** OpenAI's base64 encoding: the vector's float32 values, little-endian. */
    private static String littleEndianFloats(JsonNode values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode value : values) {
            buffer.putFloat(value.floatValue());
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }
}
