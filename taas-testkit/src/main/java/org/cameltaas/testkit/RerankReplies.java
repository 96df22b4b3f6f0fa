package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** POST /v1/rerank: documents scored by how many of the query's words they contain. */
final class RerankReplies {

    private RerankReplies() {
    }

    static Reply reply(ReplyContext ctx) {
        JsonNode body = ctx.json();
        if (!body.path("query").isTextual()) {
            throw new BadRequestException("'query' is required", "query");
        }
        if (!body.path("documents").isArray()) {
            throw new BadRequestException("'documents' is required", "documents");
        }
        String query = body.path("query").asText();
        List<String> documents = new ArrayList<>();
        body.path("documents").forEach(d -> documents.add(d.isTextual() ? d.asText() : d.path("text").asText()));

        List<double[]> scored = new ArrayList<>(); // {index, score}
        for (int i = 0; i < documents.size(); i++) {
            scored.add(new double[] {i, overlap(query, documents.get(i))});
        }
        // best first; equal scores keep document order so results are stable
        scored.sort(Comparator.<double[]>comparingDouble(s -> -s[1]).thenComparingDouble(s -> s[0]));
        int topN = body.path("top_n").asInt(documents.size());
        boolean returnDocuments = body.path("return_documents").asBoolean(false);

        ObjectNode root = Json.object();
        root.put("id", ctx.id("rerank-"));
        root.put("model", ctx.model("fake-rerank"));
        ArrayNode results = root.putArray("results");
        for (double[] s : scored.subList(0, Math.max(0, Math.min(topN, scored.size())))) {
            ObjectNode result = results.addObject();
            int index = (int) s[0];
            result.put("index", index);
            result.put("relevance_score", s[1]);
            if (returnDocuments) {
                result.putObject("document").put("text", documents.get(index));
            }
        }
        int tokens = Words.count(query) + documents.stream().mapToInt(Words::count).sum();
        root.putObject("usage").put("total_tokens", Math.max(1, tokens));
        return Reply.json(200, root);
    }

    /** The share of distinct query words that occur in the document: 0..1. */
    static double overlap(String query, String document) {
        Set<String> queryWords = words(query);
        if (queryWords.isEmpty()) {
            return 0;
        }
        Set<String> documentWords = words(document);
        long hits = queryWords.stream().filter(documentWords::contains).count();
        return (double) hits / queryWords.size();
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty())
                .collect(Collectors.toCollection(HashSet::new));
    }
}
