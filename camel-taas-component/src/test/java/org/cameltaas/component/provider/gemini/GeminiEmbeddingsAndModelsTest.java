package org.cameltaas.component.provider.gemini;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.testkit.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Embeddings through batchEmbedContents, and the model list. */
class GeminiEmbeddingsAndModelsTest extends GeminiTestSupport {

    private JsonNode embed(String body) {
        Exchange reply = call(uri("embeddings", null), body);
        assertNull(reply.getException());
        return bodyOf(reply);
    }

    @Test
    void inputsAreEmbeddedInOneBatchAndComeBackInOrder() throws Exception {
        Exchange reply = call(uri("embeddings", null), "{\"input\":[\"alpha\",\"beta gamma\",\"delta\"],\"dimensions\":4}");
        assertNull(reply.getException());
        JsonNode list = bodyOf(reply);

        RecordedRequest request = received();
        assertEquals("/v1beta/models/gemini-x:batchEmbedContents", request.path());
        assertEquals(API_KEY, request.header("x-goog-api-key"));
        assertFalse(request.uri().contains(API_KEY));
        assertEquals("{\"model\":\"models/gemini-x\",\"content\":{\"parts\":[{\"text\":\"beta gamma\"}]},"
                + "\"outputDimensionality\":4}", request.bodyJson().at("/requests/1").toString());

        assertEquals("list", list.get("object").asText());
        assertEquals(MODEL, list.get("model").asText());
        assertEquals(3, list.get("data").size());
        for (int i = 0; i < 3; i++) {
            assertEquals("embedding", list.at("/data/" + i + "/object").asText());
            assertEquals(i, list.at("/data/" + i + "/index").asInt());
            assertEquals(4, list.at("/data/" + i + "/embedding").size());
        }
        // order kept: the second vector is the one "beta gamma" gets on its own
        JsonNode alone = embed("{\"input\":\"beta gamma\",\"dimensions\":4}");
        assertEquals(alone.at("/data/0/embedding"), list.at("/data/1/embedding"));
        assertFalse(list.at("/data/0/embedding").equals(list.at("/data/1/embedding")));

        // Gemini reports no tokens for embeddings: words stand in for them
        assertEquals("{\"prompt_tokens\":4,\"total_tokens\":4}", list.get("usage").toString());
        assertEquals(TaasUsage.of(4, 0), reply.getMessage().getHeader(TaasConstants.USAGE));
    }

    @Test
    void theGeminiObjectGoesIntoEveryEmbedRequest() throws Exception {
        embed("{\"input\":[\"a\",\"b\"],\"gemini\":{\"taskType\":\"RETRIEVAL_DOCUMENT\"}}");
        for (JsonNode request : received().bodyJson().get("requests")) {
            assertEquals("RETRIEVAL_DOCUMENT", request.get("taskType").asText());
        }
    }

    @Test
    void base64EncodingIsLittleEndianFloat32s() {
        JsonNode floats = embed("{\"input\":[\"one\",\"two\"]}");
        JsonNode base64 = embed("{\"input\":[\"one\",\"two\"],\"encoding_format\":\"base64\"}");
        for (int i = 0; i < 2; i++) {
            JsonNode expected = floats.at("/data/" + i + "/embedding");
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.at("/data/" + i + "/embedding").asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(expected.size() * Float.BYTES, bytes.remaining());
            for (JsonNode value : expected) {
                assertEquals(value.floatValue(), bytes.getFloat());
            }
        }
    }

    @Test
    void theModelListIsAnOpenAiList() throws Exception {
        Exchange reply = call(uri("models", null), null);
        assertNull(reply.getException());
        RecordedRequest request = received();
        assertEquals("GET", request.method());
        assertEquals("/v1beta/models", request.path());
        assertEquals(API_KEY, request.header("x-goog-api-key"));
        assertFalse(request.uri().contains(API_KEY));

        JsonNode list = bodyOf(reply);
        assertEquals("list", list.get("object").asText());
        assertEquals(2, list.get("data").size());
        assertEquals("gemini-fake", list.at("/data/0/id").asText(), "without the models/ prefix");
        assertEquals("gemini-fake-embedding", list.at("/data/1/id").asText());
        for (JsonNode model : list.get("data")) {
            assertEquals("model", model.get("object").asText());
            assertEquals("google", model.get("owned_by").asText());
        }
    }
}
