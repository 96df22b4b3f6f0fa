package org.cameltaas.component.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * Rerank across upstream APIs. Cohere and Jina (and the OpenAI-style TaaS services) take {@code query} and
 * {@code documents} and answer {@code {"results":[{"index","relevance_score"}]}}; Hugging Face TEI takes
 * {@code query} and {@code texts} and answers a bare array of {@code {"index","score"}}. Every reply is normalised to
 * the first shape, sorted by descending score, cut to {@code top_n}, with {@code document.text} when
 * {@code return_documents} asked for it, whatever the upstream did.
 */
public final class Rerank {

    private Rerank() {
    }

    /** The TEI request for a Cohere-style one. */
    public static ObjectNode toTei(ObjectNode request) {
        ObjectNode tei = Json.object();
        tei.set("query", request.get("query"));
        ArrayNode texts = tei.putArray("texts");
        for (JsonNode document : request.path("documents")) {
            texts.add(documentText(document));
        }
        tei.put("return_text", false);
        if (request.has("truncate")) {
            tei.set("truncate", request.get("truncate"));
        }
        return tei;
    }

    /** The normalised reply: results sorted by descending relevance, top_n applied, documents added on request. */
    public static ObjectNode normalise(JsonNode reply, ObjectNode request) {
        JsonNode results = reply.isArray() ? reply : reply.path("results");
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode result : results) {
            ObjectNode item = Json.object();
            item.put("index", result.path("index").asInt());
            JsonNode score = result.has("relevance_score") ? result.get("relevance_score") : result.get("score");
            item.set("relevance_score", score == null ? Json.MAPPER.getNodeFactory().numberNode(0) : score);
            items.add(item);
        }
        items.sort(Comparator.comparingDouble((ObjectNode i) -> i.get("relevance_score").asDouble()).reversed());
        int topN = request != null ? request.path("top_n").asInt(0) : 0;
        if (topN > 0 && items.size() > topN) {
            items = new ArrayList<>(items.subList(0, topN));
        }
        JsonNode documents = request != null ? request.path("documents") : null;
        boolean withDocuments = request != null && request.path("return_documents").asBoolean(false);
        ObjectNode normalised = reply.isObject() ? ((ObjectNode) reply).deepCopy() : Json.object();
        ArrayNode array = normalised.putArray("results");
        for (ObjectNode item : items) {
            if (withDocuments && documents != null && documents.has(item.get("index").asInt())) {
                item.putObject("document").put("text", documentText(documents.get(item.get("index").asInt())));
            }
            array.add(item);
        }
        if (request != null && !normalised.has("model") && request.has("model")) {
            normalised.set("model", request.get("model"));
        }
        return normalised;
    }

    private static String documentText(JsonNode document) {
        return document.isTextual() ? document.asText() : document.path("text").asText("");
    }
}
