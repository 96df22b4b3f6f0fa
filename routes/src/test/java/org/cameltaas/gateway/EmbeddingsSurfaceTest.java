package org.cameltaas.gateway;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embeddings cache as clients see it, through the gateway (text-embedding-3-small has it on in the catalog). */
class EmbeddingsSurfaceTest extends GatewayTestSupport {

    private static String embed(String inputs) {
        return "{\"model\":\"text-embedding-3-small\",\"input\":" + inputs + "}";
    }

    @Test
    void partialHitsGoUpstreamAloneAndComeBackInOrder() throws Exception {
        HttpResponse<String> first = post("/v1/embeddings", embed("[\"alpha text\",\"beta text\"]"));
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("miss", first.headers().firstValue("x-cache").orElseThrow());

        HttpResponse<String> second = post("/v1/embeddings", embed("[\"beta text\",\"gamma text\",\"alpha text\"]"));
        assertEquals("partial", second.headers().firstValue("x-cache").orElseThrow());
        assertEquals("[\"gamma text\"]", upstream.lastRequest().bodyJson().get("input").toString(), "only the miss goes upstream");
        JsonNode data = Json.parse(second.body()).get("data");
        JsonNode firstData = Json.parse(first.body()).get("data");
        assertEquals(firstData.get(1).get("embedding"), data.get(0).get("embedding"), "beta at index 0");
        assertEquals(firstData.get(0).get("embedding"), data.get(2).get("embedding"), "alpha at index 2");
        for (int i = 0; i < 3; i++) {
            assertEquals(i, data.get(i).get("index").asInt());
        }
        assertTrue(Json.parse(second.body()).at("/usage/cached_tokens").asInt() > 0);

        int before = upstream.requestCount();
        HttpResponse<String> third = post("/v1/embeddings", embed("[\"gamma text\",\"alpha text\"]"));
        assertEquals("hit", third.headers().firstValue("x-cache").orElseThrow());
        assertEquals(before, upstream.requestCount(), "an all-hit batch never reaches the upstream");
        assertEquals(0, Json.parse(third.body()).at("/usage/prompt_tokens").asInt());
    }
}
