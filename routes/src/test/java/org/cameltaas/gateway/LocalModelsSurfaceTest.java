package org.cameltaas.gateway;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process models answer /v1/embeddings and /v1/rerank with no provider involved. */
class LocalModelsSurfaceTest extends GatewayTestSupport {

    @Test
    void localEmbeddingsAndRerank() throws Exception {
        HttpResponse<String> embeddings = post("/v1/embeddings",
                "{\"model\":\"local/all-minilm-l6-v2\",\"input\":[\"reset my password\",\"I forgot my password\",\"stock prices fell\"]}");
        assertEquals(200, embeddings.statusCode(), embeddings.body());
        JsonNode data = Json.parse(embeddings.body()).get("data");
        assertEquals(384, data.get(0).get("embedding").size());
        double related = cosine(data.get(0).get("embedding"), data.get(1).get("embedding"));
        double unrelated = cosine(data.get(0).get("embedding"), data.get(2).get("embedding"));
        assertTrue(related > unrelated + 0.3, "paraphrases are closer: " + related + " vs " + unrelated);

        HttpResponse<String> rerank = post("/v1/rerank", "{\"model\":\"local/minilm-rerank\",\"query\":\"how do I reset my password\","
                + "\"documents\":[\"The weather is sunny today\",\"To reset your password open settings and choose reset\"],"
                + "\"top_n\":1,\"return_documents\":true}");
        assertEquals(200, rerank.statusCode(), rerank.body());
        JsonNode results = Json.parse(rerank.body()).get("results");
        assertEquals(1, results.size());
        assertEquals(1, results.at("/0/index").asInt());
        assertTrue(results.at("/0/document/text").asText().contains("reset your password"));
        assertEquals(0, upstream.requestCount(), "no provider was involved");
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
            na += a.get(i).asDouble() * a.get(i).asDouble();
            nb += b.get(i).asDouble() * b.get(i).asDouble();
        }
        return dot / Math.sqrt(na * nb);
    }
}
