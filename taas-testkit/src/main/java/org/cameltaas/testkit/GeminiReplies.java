package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Gemini's /v1beta/models/{model}:{action} endpoints and the model list. */
final class GeminiReplies {

    static final String JSON = "application/json; charset=UTF-8";
    private static final Pattern ACTION = Pattern.compile("^/v1(?:beta)?/models/([^/:]+):([A-Za-z]+)$");

    private GeminiReplies() {
    }

    static boolean isGeminiAction(String path) {
        return ACTION.matcher(path).matches();
    }

    static Reply json(int status, JsonNode body) {
        return Reply.bytes(status, JSON, Json.bytes(body));
    }

    static Reply models() {
        ObjectNode root = Json.object();
        ArrayNode models = root.putArray("models");
        addModel(models, "gemini-fake", "Gemini Fake", "generateContent", "streamGenerateContent", "countTokens");
        addModel(models, "gemini-fake-embedding", "Gemini Fake Embedding", "embedContent", "batchEmbedContents");
        return json(200, root);
    }

    private static void addModel(ArrayNode models, String id, String displayName, String... methods) {
        ObjectNode model = models.addObject();
        model.put("name", "models/" + id);
        model.put("displayName", displayName);
        ArrayNode supported = model.putArray("supportedGenerationMethods");
        for (String method : methods) {
            supported.add(method);
        }
    }

    /** Dispatches on the action after the colon; null when the action is unknown. */
    static Reply action(ReplyContext ctx) {
        Matcher m = ACTION.matcher(ctx.request().path());
        if (!m.matches()) {
            return null;
        }
        String model = m.group(1);
        switch (m.group(2)) {
            case "generateContent":
                return generate(ctx, model, false);
            case "streamGenerateContent":
                return generate(ctx, model, true);
            case "countTokens":
                return json(200, Json.object().put("totalTokens", ctx.completion("").promptTokens()));
            case "embedContent":
                return json(200, embedding(ctx.json()));
            case "batchEmbedContents":
                return batchEmbeddings(ctx.json());
            default:
                return null;
        }
    }

    private static Reply generate(ReplyContext ctx, String model, boolean stream) {
        JsonNode body = ctx.json();
        if (!body.path("contents").isArray()) {
            throw new BadRequestException("* GenerateContentRequest.contents: contents is not specified");
        }
        Completion completion = ctx.completion(RequestTexts.lastGeminiContent(body));
        String responseId = ctx.id("gemini-");
        List<ObjectNode> parts = parts(completion, stream);
        if (!stream) {
            ArrayNode all = Json.array();
            parts.forEach(all::add);
            return json(200, chunk(all, model, responseId, completion, true));
        }
        List<ObjectNode> chunks = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            ArrayNode one = Json.array().add(parts.get(i));
            chunks.add(chunk(one, model, responseId, completion, i == parts.size() - 1));
        }
        if (!"sse".equals(ctx.request().query("alt"))) {
            // without alt=sse Gemini streams one JSON array of the same chunks
            ArrayNode array = Json.array();
            chunks.forEach(array::add);
            return json(200, array);
        }
        List<SseEvent> events = new ArrayList<>();
        chunks.forEach(c -> events.add(SseEvent.crlf(c)));
        return Reply.stream(events, index -> SseEvent.crlf(ErrorReplies.geminiError(500,
                ctx.errorMessage("Internal error encountered."))));
    }

    /** Thought parts, text parts and functionCall parts; one per word when streaming. */
    private static List<ObjectNode> parts(Completion completion, boolean perWord) {
        List<ObjectNode> parts = new ArrayList<>();
        if (completion.hasReasoning()) {
            String signature = Base64.getEncoder().encodeToString(
                    ("fake-thought-signature:" + completion.reasoning()).getBytes(StandardCharsets.UTF_8));
            List<String> pieces = perWord ? completion.reasoningPieces() : List.of(completion.reasoning());
            for (int i = 0; i < pieces.size(); i++) {
                ObjectNode part = Json.object().put("text", pieces.get(i)).put("thought", true);
                if (i == pieces.size() - 1) {
                    part.put("thoughtSignature", signature);
                }
                parts.add(part);
            }
        }
        if (completion.hasText()) {
            List<String> pieces = perWord ? completion.textPieces() : List.of(completion.text());
            pieces.forEach(p -> parts.add(Json.object().put("text", p)));
        }
        for (ScriptedToolCall call : completion.toolCalls()) {
            ObjectNode functionCall = Json.object().put("name", call.name());
            functionCall.set("args", Json.parseLenient(call.argumentsJson()));
            parts.add((ObjectNode) Json.object().set("functionCall", functionCall));
        }
        if (parts.isEmpty()) {
            parts.add(Json.object().put("text", ""));
        }
        return parts;
    }

    private static ObjectNode chunk(ArrayNode parts, String model, String responseId, Completion completion,
                                    boolean last) {
        ObjectNode candidate = Json.object();
        ObjectNode content = candidate.putObject("content");
        content.set("parts", parts);
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", "STOP");
        }
        candidate.put("index", 0);
        ObjectNode root = Json.object();
        root.putArray("candidates").add(candidate);
        if (last) {
            ObjectNode usage = root.putObject("usageMetadata");
            usage.put("promptTokenCount", completion.promptTokens());
            int candidates = Math.max(0, completion.completionTokens() - completion.reasoningTokens());
            usage.put("candidatesTokenCount", candidates);
            usage.put("totalTokenCount", completion.totalTokens());
            if (completion.hasReasoning()) {
                usage.put("thoughtsTokenCount", completion.reasoningTokens());
            }
        }
        root.put("modelVersion", model);
        root.put("responseId", responseId);
        return root;
    }

    private static ObjectNode embedding(JsonNode request) {
        String text = RequestTexts.contentText(request.path("content").path("parts"));
        int dimensions = request.path("outputDimensionality").asInt(FakeVectors.DEFAULT_DIMENSIONS);
        ObjectNode root = Json.object();
        ArrayNode values = root.putObject("embedding").putArray("values");
        for (float v : FakeVectors.vector(text, dimensions)) {
            values.add(v);
        }
        return root;
    }

    private static Reply batchEmbeddings(JsonNode body) {
        if (!body.path("requests").isArray()) {
            throw new BadRequestException("* BatchEmbedContentsRequest.requests: requests is not specified");
        }
        ObjectNode root = Json.object();
        ArrayNode embeddings = root.putArray("embeddings");
        for (JsonNode request : body.path("requests")) {
            embeddings.add(embedding(request).path("embedding"));
        }
        return json(200, root);
    }
}
