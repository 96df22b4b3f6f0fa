package org.cameltaas.local;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/rerank} in the shape Cohere, Jina and vLLM share: {@code query}, {@code documents} (strings or
 * {@code {"text": ...}} objects), optional {@code top_n} and {@code return_documents} (default false); the reply's
 * {@code results} hold {@code index} and {@code relevance_score}, best first, and {@code document} when asked.
 */
final class RerankEndpoint implements Endpoint {

    /** The most documents one request may rank (Cohere's recommended ceiling). */
    static final int MAX_DOCUMENTS = 1000;

    private final LocalRerank rerank;

    RerankEndpoint(LocalRerank rerank) {
        this.rerank = rerank;
    }

    @Override
    public JsonNode answer(ObjectNode request) {
        String model = ModelName.check(request, LocalRerank.MODEL_ID);
        String query = WireJson.requiredText(request, "query");
        List<String> documents = WireJson.texts(request, "documents", MAX_DOCUMENTS, "text");
        Integer topN = WireJson.optionalPositiveInt(request, "top_n");
        boolean returnDocuments = WireJson.optionalBoolean(request, "return_documents", false);

        LocalRerank.Ranking ranking = rerank.rank(query, documents, topN);

        ObjectNode root = WireJson.object();
        root.put("id", "rerank-" + UUID.randomUUID());
        root.put("model", model);
        ArrayNode results = root.putArray("results");
        for (LocalRerank.Ranked ranked : ranking.results()) {
            ObjectNode result = results.addObject();
            result.put("index", ranked.index());
            result.put("relevance_score", ranked.relevanceScore());
            if (returnDocuments) {
                result.putObject("document").put("text", ranked.document());
            }
        }
        root.putObject("usage").put("total_tokens", ranking.tokens());
        return root;
    }
}
