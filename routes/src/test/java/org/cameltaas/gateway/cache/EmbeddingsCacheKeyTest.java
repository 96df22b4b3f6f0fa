package org.cameltaas.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingsCacheKeyTest {

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.parse(text);
    }

    static EmbeddingsCacheKey key(String request) throws Exception {
        ObjectNode json = json(request);
        JsonNode input = json.get("input");
        return EmbeddingsCacheKey.of("emb", json, input.isArray() && input.get(0).isArray() ? input.get(0) : input);
    }

    @Test
    void sameTextSameKeyOtherTextOtherKey() throws Exception {
        assertEquals(key("{\"model\":\"m\",\"input\":\"hello\"}"), key("{\"input\":\"hello\",\"model\":\"m\"}"));
        assertNotEquals(key("{\"model\":\"m\",\"input\":\"hello\"}"), key("{\"model\":\"m\",\"input\":\"hello \"}"));
        assertEquals(64, key("{\"input\":\"hello\"}").inputSha256().length());
    }

    @Test
    void theTextIsNotKept() throws Exception {
        EmbeddingsCacheKey key = key("{\"input\":\"a secret sentence\"}");
        assertFalse(key.asString().contains("secret"));
        assertFalse(key.toString().contains("secret"));
    }

    @Test
    void dimensionsArePartOfTheKey() throws Exception {
        EmbeddingsCacheKey none = key("{\"input\":\"x\"}");
        EmbeddingsCacheKey small = key("{\"input\":\"x\",\"dimensions\":256}");
        EmbeddingsCacheKey large = key("{\"input\":\"x\",\"dimensions\":512}");
        assertNotEquals(none, small);
        assertNotEquals(small, large);
        assertEquals("256", small.dimensions());
        assertEquals("", none.dimensions());
    }

    @Test
    void encodingFormatIsPartOfTheKeyAndFloatIsTheDefault() throws Exception {
        EmbeddingsCacheKey absent = key("{\"input\":\"x\"}");
        EmbeddingsCacheKey floats = key("{\"input\":\"x\",\"encoding_format\":\"float\"}");
        EmbeddingsCacheKey base64 = key("{\"input\":\"x\",\"encoding_format\":\"base64\"}");
        assertEquals(absent, floats);
        assertNotEquals(floats, base64);
    }

    @Test
    void aTokenArrayNeverMatchesAStringThatLooksLikeIt() throws Exception {
        EmbeddingsCacheKey tokens = key("{\"input\":[1,2,3]}");
        EmbeddingsCacheKey text = key("{\"input\":\"[1,2,3]\"}");
        EmbeddingsCacheKey nested = key("{\"input\":[[1,2,3]]}");
        assertNotEquals(tokens, text);
        assertEquals(tokens, nested); // the same token array, alone or in a batch
    }

    @Test
    void otherFieldsThatMayShapeTheVectorArePartOfTheKeyButNotTheUser() throws Exception {
        EmbeddingsCacheKey plain = key("{\"model\":\"m\",\"input\":\"x\"}");
        assertEquals("", plain.options());
        assertEquals(plain, key("{\"model\":\"m\",\"input\":\"x\",\"user\":\"u-1\"}"));
        EmbeddingsCacheKey query = key("{\"model\":\"m\",\"input\":\"x\",\"input_type\":\"query\",\"extra\":{\"b\":1,\"a\":2}}");
        EmbeddingsCacheKey document = key("{\"model\":\"m\",\"input\":\"x\",\"input_type\":\"document\",\"extra\":{\"b\":1,\"a\":2}}");
        assertNotEquals(plain, query);
        assertNotEquals(query, document);
        // field order does not matter
        assertEquals(query, key("{\"extra\":{\"a\":2,\"b\":1},\"input_type\":\"query\",\"input\":\"x\",\"model\":\"m\"}"));
    }

    @Test
    void theModelIsPartOfTheKey() throws Exception {
        ObjectNode request = json("{\"input\":\"x\"}");
        assertNotEquals(EmbeddingsCacheKey.of("a", request, request.get("input")),
                EmbeddingsCacheKey.of("b", request, request.get("input")));
        EmbeddingsCacheKey key = EmbeddingsCacheKey.of("a", request, request.get("input"));
        assertTrue(key.asString().startsWith("a|"));
        assertEquals(key.withInput(Json.parse("\"y\"")).model(), "a");
        assertNotEquals(key, key.withInput(Json.parse("\"y\"")));
    }
}
