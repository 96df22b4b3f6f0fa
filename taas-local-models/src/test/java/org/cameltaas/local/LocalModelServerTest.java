package org.cameltaas.local;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAI-compatible wire format, over real HTTP on loopback. */
@Timeout(60)
class LocalModelServerTest {

    static LocalModels local;
    static LocalHttp http;

    @BeforeAll
    static void start() throws Exception {
        local = LocalModels.start();
        http = new LocalHttp(local.baseUrl());
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void servesOnLoopbackWithTheVersionInTheBaseUrl() {
        assertTrue(local.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+/v1"), local.baseUrl());
    }

    @Test
    void embeddingsAnswerInOpenAisShape() {
        LocalHttp.Reply reply = http.post("/embeddings",
                "{\"model\":\"local/all-minilm-l6-v2\",\"input\":[\"first\",\"second text\",\"third one here\"]}");
        assertEquals(200, reply.status());
        assertEquals("application/json", reply.raw().headers().firstValue("content-type").orElseThrow());
        JsonNode json = reply.json();
        assertEquals("list", json.path("object").asText());
        assertEquals("local/all-minilm-l6-v2", json.path("model").asText());
        assertEquals(3, json.path("data").size());
        for (int i = 0; i < 3; i++) {
            JsonNode item = json.path("data").get(i);
            assertEquals(List.of("object", "index", "embedding"), fieldNames(item));
            assertEquals("embedding", item.path("object").asText());
            assertEquals(i, item.path("index").asInt());
            assertEquals(384, item.path("embedding").size());
        }
        assertEquals(List.of("object", "data", "model", "usage"), fieldNames(json));
        int tokens = json.path("usage").path("prompt_tokens").asInt();
        assertEquals(1 + 2 + 3, tokens); // the model's tokenizer: first | second text | third one here
        assertEquals(tokens, json.path("usage").path("total_tokens").asInt());
    }

    @Test
    void aBatchKeepsItsOrder() {
        List<String> texts = List.of("cats purr", "stock prices", "How do I reset my password?");
        JsonNode batch = http.post("/embeddings", body(texts, null)).json();
        for (int i = 0; i < texts.size(); i++) {
            float[] single = floats(http.post("/embeddings", "{\"input\":" + quote(texts.get(i)) + "}").json()
                    .path("data").get(0).path("embedding"));
            assertArrayEquals(single, floats(batch.path("data").get(i).path("embedding")), 1e-5f, "input " + i);
        }
    }

    @Test
    void base64DecodesToTheSameFloats() {
        List<String> texts = List.of("base64 and floats agree", "second input");
        JsonNode plain = http.post("/embeddings", body(texts, "float")).json();
        JsonNode encoded = http.post("/embeddings", body(texts, "base64")).json();
        for (int i = 0; i < texts.size(); i++) {
            String base64 = encoded.path("data").get(i).path("embedding").asText();
            float[] decoded = Float32Base64.decode(base64);
            assertEquals(384, decoded.length);
            // JSON carries each float's shortest exact decimal form, so the two are bit-for-bit equal
            assertArrayEquals(floats(plain.path("data").get(i).path("embedding")), decoded, 0f);
        }
    }

    @Test
    void dimensionsAreTakenOnlyAs384() {
        assertEquals(200, http.post("/embeddings", "{\"input\":\"x\",\"dimensions\":384}").status());
        LocalHttp.Reply refused = http.post("/embeddings", "{\"input\":\"x\",\"dimensions\":256}");
        assertError(refused, 400, "dimensions", "unsupported_value");
    }

    @Test
    void rerankRanksWithTopNAndReturnDocuments() {
        String request = """
                {"model":"local/minilm-rerank","query":"How do I get a refund?",
                 "documents":["The cafeteria opens at 8am.",
                              {"text":"Refunds are issued within 14 days of a return request."},
                              "Parking is free for visitors."],
                 "top_n":2,"return_documents":true}""";
        LocalHttp.Reply reply = http.post("/rerank", request);
        assertEquals(200, reply.status());
        JsonNode json = reply.json();
        assertTrue(json.path("id").asText().startsWith("rerank-"));
        assertEquals("local/minilm-rerank", json.path("model").asText());
        JsonNode results = json.path("results");
        assertEquals(2, results.size());
        assertEquals(1, results.get(0).path("index").asInt());
        assertEquals("Refunds are issued within 14 days of a return request.",
                results.get(0).path("document").path("text").asText());
        assertTrue(results.get(0).path("relevance_score").asDouble() > results.get(1).path("relevance_score").asDouble());
        assertTrue(json.path("usage").path("total_tokens").asInt() > 0);

        JsonNode plain = http.post("/rerank", "{\"query\":\"refund\",\"documents\":[\"a refund\",\"a cake\"]}").json();
        assertEquals(2, plain.path("results").size());
        assertFalse(plain.path("results").get(0).has("document"));
        assertEquals(List.of("index", "relevance_score"), fieldNames(plain.path("results").get(0)));
    }

    @Test
    void modelsAreListed() {
        JsonNode json = http.get("/models").json();
        assertEquals("list", json.path("object").asText());
        List<String> ids = new ArrayList<>();
        json.path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertEquals(List.of("local/all-minilm-l6-v2", "local/minilm-rerank"), ids);
        assertEquals("model", http.get("/models/local/minilm-rerank").json().path("object").asText());
        assertError(http.get("/models/gpt-4o"), 404, "model", "model_not_found");
    }

    @Test
    void theModelMayBeGivenWithoutItsPrefixButNotReplacedByAnother() {
        assertEquals(200, http.post("/embeddings", "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\"}").status());
        assertError(http.post("/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}"),
                404, "model", "model_not_found");
        assertError(http.post("/rerank", "{\"model\":\"local/all-minilm-l6-v2\",\"query\":\"q\",\"documents\":[\"d\"]}"),
                404, "model", "model_not_found");
    }

    @Test
    void badRequestsAnswerTheOpenAiErrorEnvelope() {
        assertError(http.post("/embeddings", "{\"input\": "), 400, null, "invalid_json");
        assertError(http.post("/embeddings", "[\"not an object\"]"), 400, null, "invalid_json");
        assertError(http.post("/embeddings", ""), 400, null, "invalid_json");
        assertError(http.post("/embeddings", "{}"), 422, "input", "invalid_value");
        assertError(http.post("/embeddings", "{\"input\":[]}"), 422, "input", "invalid_value");
        assertError(http.post("/embeddings", "{\"input\":[\"ok\",\"  \"]}"), 422, "input[1]", "invalid_value");
        assertError(http.post("/embeddings", "{\"input\":[1917, 3290]}"), 422, "input[0]", "invalid_value");
        assertError(http.post("/embeddings", "{\"input\":\"x\",\"encoding_format\":\"int8\"}"), 422, "encoding_format",
                "invalid_value");
        assertError(http.post("/rerank", "{\"documents\":[\"d\"]}"), 422, "query", "invalid_value");
        assertError(http.post("/rerank", "{\"query\":\"q\"}"), 422, "documents", "invalid_value");
        assertError(http.post("/rerank", "{\"query\":\"q\",\"documents\":\"d\"}"), 422, "documents", "invalid_value");
        assertError(http.post("/rerank", "{\"query\":\"q\",\"documents\":[\"d\"],\"top_n\":0}"), 422, "top_n",
                "invalid_value");
        assertError(http.post("/rerank", "{\"query\":\"q\",\"documents\":[\"d\"],\"return_documents\":\"yes\"}"), 422,
                "return_documents", "invalid_value");
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefused() {
        assertError(http.post("/chat/completions", "{}"), 404, null, "not_found");
        assertError(http.get("/embeddingsx"), 404, null, "not_found");
        LocalHttp.Reply wrongMethod = http.get("/embeddings");
        assertError(wrongMethod, 405, null, "method_not_allowed");
        assertEquals("POST", wrongMethod.raw().headers().firstValue("allow").orElseThrow());
        assertError(http.post("/models", "{}"), 405, null, "method_not_allowed");
        assertError(http.send(HttpRequest.newBuilder(URI.create(local.baseUrl() + "/rerank"))
                .DELETE()), 405, null, "method_not_allowed");
    }

    @Test
    void repliesDoNotWaitForDelayedAcknowledgements() {
        // without TCP_NODELAY every reply waited ~40 ms for the client's delayed ACK of its headers (Nagle)
        long[] millis = new long[15];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            assertEquals(200, http.get("/models").status());
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        assertTrue(millis[millis.length / 2] < 35, "median " + millis[millis.length / 2] + " ms");
    }

    @Test
    void concurrentRequestsAreAllAnswered() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<LocalHttp.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String text = "concurrent request number " + i;
                replies.add(callers.submit(() -> http.post("/embeddings", "{\"input\":" + quote(text) + "}")));
            }
            for (Future<LocalHttp.Reply> reply : replies) {
                LocalHttp.Reply r = reply.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.status());
                assertEquals(384, r.json().path("data").get(0).path("embedding").size());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    static void assertError(LocalHttp.Reply reply, int status, String param, String code) {
        assertEquals(status, reply.status(), reply.raw().body());
        JsonNode error = reply.json().path("error");
        assertTrue(error.path("message").asText().length() > 5, reply.raw().body());
        assertEquals(List.of("message", "type", "param", "code"), fieldNames(error));
        assertEquals(param, error.path("param").isNull() ? null : error.path("param").asText(), reply.raw().body());
        assertEquals(code, error.path("code").asText(), reply.raw().body());
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).floatValue();
        }
        return values;
    }

    static String body(List<String> texts, String encodingFormat) {
        StringBuilder json = new StringBuilder("{\"input\":[");
        for (int i = 0; i < texts.size(); i++) {
            json.append(i == 0 ? "" : ",").append(quote(texts.get(i)));
        }
        json.append(']');
        if (encodingFormat != null) {
            json.append(",\"encoding_format\":\"").append(encodingFormat).append('"');
        }
        return json.append('}').toString();
    }

    static String quote(String text) {
        return LocalHttp.JSON.getNodeFactory().textNode(text).toString();
    }
}
