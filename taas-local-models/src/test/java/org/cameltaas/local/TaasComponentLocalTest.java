package org.cameltaas.local;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasNonRetryableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local models through the taas component's own openai provider: no provider of their own, no seam change. */
@Timeout(60)
class TaasComponentLocalTest extends CamelTestSupport {

    static LocalModels local;

    @BeforeAll
    static void startLocalModels() throws Exception {
        local = LocalModels.start();
    }

    @AfterAll
    static void stopLocalModels() {
        local.close();
    }

    @Test
    void embeddingsOfAListBody() {
        String uri = "taas:embeddings?baseUrl=" + local.baseUrl() + "&model=local/all-minilm-l6-v2";
        Exchange reply = template.request(uri, e -> e.getMessage().setBody(
                List.of("How do I reset my password?", "I forgot my password and need to change it")));
        assertEquals(null, reply.getException());
        JsonNode json = reply.getMessage().getBody(JsonNode.class);
        assertEquals(2, json.path("data").size());
        for (JsonNode item : json.path("data")) {
            assertEquals(384, item.path("embedding").size());
        }
        assertEquals("local/all-minilm-l6-v2", reply.getMessage().getHeader(TaasConstants.MODEL_USED));
        assertEquals(200, reply.getMessage().getHeader(TaasConstants.UPSTREAM_STATUS));
        assertEquals(json.path("usage").path("prompt_tokens").asInt(),
                reply.getMessage().getHeader(TaasConstants.PROMPT_TOKENS, Integer.class));
        float[] a = LocalModelServerTest.floats(json.path("data").get(0).path("embedding"));
        float[] b = LocalModelServerTest.floats(json.path("data").get(1).path("embedding"));
        assertTrue(LocalEmbeddings.cosine(a, b) > 0.6);
    }

    @Test
    void rerankOfAMapBody() {
        String uri = "taas:rerank?baseUrl=" + local.baseUrl() + "&model=" + local.rerankModel();
        JsonNode json = template.requestBody(uri, Map.of(
                "query", "Which plan includes phone support?",
                "documents", List.of("The office plant needs water weekly.",
                        "The Business plan includes 24/7 phone support.",
                        "Our logo was redesigned in 2021."),
                "top_n", 1), JsonNode.class);
        assertEquals(1, json.path("results").size());
        assertEquals(1, json.path("results").get(0).path("index").asInt());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // the shape of the gateway's catalog route for a model (catalog.camel.yaml, template "model"): the
                // model id, slash included, names the direct endpoint, and an empty model option keeps the body's
                from("direct:model-" + LocalEmbeddings.MODEL_ID)
                        .toD("taas:${header.CamelTaasOperation}?provider=openai&baseUrl=" + local.baseUrl() + "&model=");
            }
        };
    }

    @Test
    void aCatalogStyleRouteReachesTheLocalModel() {
        JsonNode json = template.requestBodyAndHeader("direct:model-" + LocalEmbeddings.MODEL_ID,
                "{\"model\":\"local/all-minilm-l6-v2\",\"input\":\"routed by model id\"}", "CamelTaasOperation",
                "embeddings", JsonNode.class);
        assertEquals("local/all-minilm-l6-v2", json.path("model").asText());
        assertEquals(384, json.path("data").get(0).path("embedding").size());
    }

    @Test
    void refusalsArriveAsTheComponentsUpstreamErrors() {
        String uri = "taas:embeddings?baseUrl=" + local.baseUrl() + "&model=" + local.embeddingModel();
        CamelExecutionException thrown = assertThrows(CamelExecutionException.class,
                () -> template.requestBody(uri, Map.of("input", "x", "dimensions", 256)));
        TaasNonRetryableException error = assertInstanceOf(TaasNonRetryableException.class, thrown.getCause());
        assertEquals(400, error.getStatusCode());
        assertEquals("dimensions", error.getErrorParam());
        assertEquals("unsupported_value", error.getErrorCode());
    }
}
