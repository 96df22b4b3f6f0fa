package org.cameltaas.component.provider.gemini;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * The sampling and output options of an OpenAI chat request as Gemini's {@code generationConfig}. Values are
 * copied as JSON nodes, so numbers reach Gemini exactly as the caller wrote them.
 */
final class GeminiGenerationConfig {

    /** OpenAI field to Gemini field, for the options that only change their name. */
    private static final List<Map.Entry<String, String>> RENAMED = List.of(
            Map.entry("temperature", "temperature"),
            Map.entry("top_p", "topP"),
            Map.entry("n", "candidateCount"),
            Map.entry("presence_penalty", "presencePenalty"),
            Map.entry("frequency_penalty", "frequencyPenalty"),
            Map.entry("seed", "seed"));

    /** reasoning_effort as a thinking budget in tokens. */
    private static final Map<String, Integer> THINKING_BUDGETS = Map.of("low", 1024, "medium", 8192, "high", 24576);

    private GeminiGenerationConfig() {
    }

    /** The generationConfig, or null when the request sets none of its options. */
    static ObjectNode of(JsonNode request) {
        ObjectNode config = Json.object();
        RENAMED.forEach(names -> copy(request, names.getKey(), config, names.getValue()));
        // max_completion_tokens is the current name, max_tokens the older one
        if (!copy(request, "max_completion_tokens", config, "maxOutputTokens")) {
            copy(request, "max_tokens", config, "maxOutputTokens");
        }
        JsonNode stop = request.get("stop");
        if (stop != null && stop.isTextual()) {
            config.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            config.set("stopSequences", stop.deepCopy());
        }
        responseFormat(request.get("response_format"), config);
        String effort = Json.textOf(request, "reasoning_effort");
        Integer budget = effort == null ? null : THINKING_BUDGETS.get(effort);
        if ("none".equals(effort) || "minimal".equals(effort)) {
            // as Gemini's own OpenAI-compatible endpoint does: a budget of 0 turns thinking off (and its billing)
            config.putObject("thinkingConfig").put("thinkingBudget", 0);
        } else if (budget != null) {
            ObjectNode thinking = config.putObject("thinkingConfig");
            thinking.put("thinkingBudget", budget);
            thinking.put("includeThoughts", true); // so reasoning_content can be returned
        }
        return config.isEmpty() ? null : config;
    }

    private static void responseFormat(JsonNode format, ObjectNode config) {
        String type = Json.textOf(format, "type");
        if ("json_object".equals(type)) {
            config.put("responseMimeType", "application/json");
        } else if ("json_schema".equals(type)) {
            config.put("responseMimeType", "application/json");
            JsonNode schema = format.path("json_schema").get("schema");
            if (schema != null && schema.isObject()) {
                config.set("responseSchema", GeminiSchemas.clean(schema));
            }
        }
    }

    /** Copies a set, non-null field; true when it did. */
    private static boolean copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        to.set(as, value.deepCopy());
        return true;
    }
}
