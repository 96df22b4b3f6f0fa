package org.cameltaas.component.provider.gemini;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * What one Gemini candidate (or one streamed piece of it) says, sorted into the pieces OpenAI keeps apart: answer
 * text, thoughts with their signature, and function calls.
 *
 * @param index        the candidate's index
 * @param text         the non-thought text parts joined, or null when there are none
 * @param reasoning    the thought parts joined, or null
 * @param signature    the last thoughtSignature, or null
 * @param calls        the function calls, in order
 * @param finishReason Gemini's finishReason, or null while the candidate goes on
 */
record GeminiCandidate(int index, String text, String reasoning, String signature, List<FunctionCall> calls,
                       String finishReason) {

    /** One Gemini function call; {@code args} is a JSON object. */
    record FunctionCall(String name, JsonNode args) {

        /** The arguments as OpenAI carries them: compact JSON text. */
        String argumentsJson() {
            return Json.text(args);
        }
    }

    static GeminiCandidate read(JsonNode candidate, int position) {
        StringBuilder text = null;
        StringBuilder reasoning = null;
        String signature = null;
        List<FunctionCall> calls = new ArrayList<>();
        for (JsonNode part : candidate.path("content").path("parts")) {
            String partText = Json.textOf(part, "text");
            if (partText != null) {
                if (part.path("thought").asBoolean(false)) {
                    reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(partText);
                } else {
                    text = (text == null ? new StringBuilder() : text).append(partText);
                }
            }
            JsonNode call = part.get("functionCall");
            if (call != null && call.isObject()) {
                JsonNode args = call.get("args");
                calls.add(new FunctionCall(Json.textOf(call, "name"),
                        args != null && args.isObject() ? args : Json.object()));
            }
            String partSignature = Json.textOf(part, "thoughtSignature");
            if (partSignature != null) {
                signature = partSignature;
            }
        }
        return new GeminiCandidate(candidate.path("index").asInt(position), text == null ? null : text.toString(),
                reasoning == null ? null : reasoning.toString(), signature, List.copyOf(calls),
                Json.textOf(candidate, "finishReason"));
    }

    /** The OpenAI tool_calls entry of one call (the streamed form adds its index). */
    static ObjectNode toolCall(FunctionCall call, String id) {
        ObjectNode toolCall = Json.object();
        toolCall.put("id", id);
        toolCall.put("type", "function");
        ObjectNode function = toolCall.putObject("function");
        function.put("name", call.name());
        function.put("arguments", call.argumentsJson());
        return toolCall;
    }
}
