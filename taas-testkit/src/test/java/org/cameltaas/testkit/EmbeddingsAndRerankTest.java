package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingsAndRerankTest extends FakeUpstreamTestSupport {

    @Test
    void floatEmbeddingsAreDeterministicAndNormalised() throws Exception {
        JsonNode first = TestHttp.json(http.postJson("/v1/embeddings",
                "{\"model\":\"emb\",\"input\":[\"cat\",\"dog\"]}"));
        JsonNode again = TestHttp.json(http.postJson("/v1/embeddings", "{\"model\":\"emb\",\"input\":\"cat\"}"));

        assertEquals("list", first.path("object").asText());
        assertEquals("emb", first.path("model").asText());
        assertEquals(2, first.path("data").size());
        JsonNode cat = first.path("data").get(0);
        assertEquals("embedding", cat.path("object").asText());
        assertEquals(0, cat.path("index").asInt());
        assertEquals(8, cat.path("embedding").size());
        assertEquals(cat.path("embedding"), again.path("data").get(0).path("embedding"));
        assertNotEquals(cat.path("embedding"), first.path("data").get(1).path("embedding"));
        double norm = 0;
        for (JsonNode v : cat.path("embedding")) {
            norm += v.asDouble() * v.asDouble();
        }
        assertEquals(1.0, norm, 1e-5);
        assertEquals(2, first.path("usage").path("prompt_tokens").asInt());
        assertEquals(2, first.path("usage").path("total_tokens").asInt());
    }

    @Test
    void base64EncodingRoundTripsToTheSameFloats() throws Exception {
        JsonNode floats = TestHttp.json(http.postJson("/v1/embeddings",
                "{\"model\":\"e\",\"input\":\"round trip\",\"dimensions\":16}")).path("data").get(0).path("embedding");
        JsonNode base64 = TestHttp.json(http.postJson("/v1/embeddings",
                "{\"model\":\"e\",\"input\":\"round trip\",\"dimensions\":16,\"encoding_format\":\"base64\"}"))
                .path("data").get(0).path("embedding");

        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.asText())).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(16 * 4, bytes.remaining());
        for (int i = 0; i < 16; i++) {
            assertEquals((float) floats.get(i).asDouble(), bytes.getFloat(), 0f);
        }
    }

    @Test
    void tokenArrayInputsAreEmbeddedAsTheirNumbers() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1/embeddings", "{\"model\":\"e\",\"input\":[[1,2],[3]]}"));
        JsonNode text = TestHttp.json(http.postJson("/v1/embeddings", "{\"model\":\"e\",\"input\":\"1 2\"}"));

        assertEquals(2, body.path("data").size());
        assertEquals(text.path("data").get(0).path("embedding"), body.path("data").get(0).path("embedding"));
    }

    @Test
    void rerankSortsByWordOverlapAndHonoursTopNAndDocuments() throws Exception {
        JsonNode body = TestHttp.json(http.postJson("/v1/rerank",
                "{\"model\":\"rr\",\"query\":\"red fast car\",\"top_n\":2,\"return_documents\":true,"
                        + "\"documents\":[\"a blue boat\",\"a red car\",\"red fast car here\"]}"));

        JsonNode results = body.path("results");
        assertEquals(2, results.size());
        assertEquals(2, results.get(0).path("index").asInt());
        assertEquals(1.0, results.get(0).path("relevance_score").asDouble(), 1e-9);
        assertEquals("red fast car here", results.get(0).path("document").path("text").asText());
        assertEquals(1, results.get(1).path("index").asInt());
        assertEquals(2.0 / 3, results.get(1).path("relevance_score").asDouble(), 1e-9);
        assertEquals("rr", body.path("model").asText());
        assertFalse(body.path("id").asText().isEmpty());
        assertTrue(body.path("usage").path("total_tokens").asInt() > 0);
    }

    @Test
    void rerankWithoutReturnDocumentsOmitsThem() throws Exception {
        JsonNode results = TestHttp.json(http.postJson("/v1/rerank",
                "{\"model\":\"rr\",\"query\":\"x\",\"documents\":[{\"text\":\"y\"},{\"text\":\"x\"}]}")).path("results");

        assertEquals(2, results.size());
        assertEquals(1, results.get(0).path("index").asInt());
        assertTrue(results.get(0).path("document").isMissingNode());
    }
}
