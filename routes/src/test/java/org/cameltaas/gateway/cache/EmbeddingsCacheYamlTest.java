package org.cameltaas.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.request.InboundRequest;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wiring proposed for catalog.camel.yaml (the {@code model} route template with an {@code embeddingsCache}
 * parameter), loaded by Camel's YAML DSL: the cache turned on for one model, off (the default) for another.
 */
class EmbeddingsCacheYamlTest {

    /** The {@code model} route template of catalog.camel.yaml with the cache steps, as proposed. */
    static final String MODEL_TEMPLATE = """
            - routeTemplate:
                id: model
                parameters:
                  - name: name
                  - name: provider
                    defaultValue: openai
                  - name: baseUrl
                    defaultValue: ""
                  - name: apiKey
                    defaultValue: ""
                  - name: upstreamModel
                    defaultValue: ""
                  - name: ownedBy
                    defaultValue: openai
                  - name: configured
                    defaultValue: "true"
                  - name: setupHint
                    defaultValue: ""
                  - name: chatOnly
                    defaultValue: "false"
                  - name: dropUnsupportedTools
                    defaultValue: "false"
                  - name: codex
                    defaultValue: "false"
                  - name: listed
                    defaultValue: "true"
                  - name: embeddingsCache
                    defaultValue: "false"
                    description: keep embeddings per input item (TAAS_EMBEDDINGS_CACHE_MB, TAAS_EMBEDDINGS_CACHE_TTL)
                route:
                  from:
                    uri: "direct:model-{{name}}"
                    steps:
                      - filter:
                          simple: "'{{configured}}' == 'false'"
                          steps:
                            - throwException:
                                exceptionType: org.cameltaas.gateway.error.UpstreamNotConfiguredException
                                message: "No upstream is configured for model ${exchangeProperty.TaasModel}"
                      - setProperty:
                          name: TaasModelUsed
                          constant: "{{name}}"
                      - filter:
                          simple: "'{{embeddingsCache}}' == 'true'"
                          steps:
                            - process:
                                ref: embeddingsLookup
                      - choice:
                          when:
                            - simple: "${exchangeProperty.TaasCacheAllHit} != true"
                              steps:
                                - to:
                                    uri: "taas:chatCompletions"
                                    parameters:
                                      provider: "{{provider}}"
                                      baseUrl: "{{baseUrl}}"
                                      apiKey: "RAW({{apiKey}})"
                                      model: "{{upstreamModel}}"
                                      chatOnly: "{{chatOnly}}"
                                      dropUnsupportedTools: "{{dropUnsupportedTools}}"
                                - process:
                                    ref: embeddingsStore
            """;

    static final String MODELS = """
            - templatedRoute:
                routeTemplateRef: model
                routeId: model-emb-on
                parameters:
                  - name: name
                    value: emb-on
                  - name: baseUrl
                    value: "%1$s/v1"
                  - name: embeddingsCache
                    value: "true"
            - templatedRoute:
                routeTemplateRef: model
                routeId: model-emb-off
                parameters:
                  - name: name
                    value: emb-off
                  - name: baseUrl
                    value: "%1$s/v1"
            """;

    private static FakeUpstream upstream;

    private CamelContext context;
    private ProducerTemplate template;
    private EmbeddingsCache cache;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void start() throws Exception {
        upstream.reset();
        cache = new EmbeddingsCache(new CaffeineEmbeddingsStore(16, Duration.ofHours(1)));
        context = new DefaultCamelContext();
        context.getRegistry().bind("embeddingsCache", cache);
        context.getRegistry().bind("embeddingsLookup", (org.apache.camel.Processor) cache::lookup);
        context.getRegistry().bind("embeddingsStore", (org.apache.camel.Processor) cache::store);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("catalog-test.camel.yaml",
                MODEL_TEMPLATE + MODELS.formatted(upstream.baseUrl())));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // what the surface does before routing by model, and the reply writer's JSON to bytes
                from("direct:embeddings")
                        .process(new InboundRequest(TaasOperation.embeddings))
                        .toD("direct:model-${exchangeProperty.TaasModel}")
                        .process(EmbeddingsCacheYamlTest::asBytes);
                from("direct:plain-lookup")
                        .process(new InboundRequest(TaasOperation.embeddings))
                        .to("bean:embeddingsCache?method=lookup");
                from("direct:chat")
                        .process(new InboundRequest(TaasOperation.chatCompletions))
                        .toD("direct:model-${exchangeProperty.TaasModel}")
                        .process(EmbeddingsCacheYamlTest::asBytes);
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    private static void asBytes(Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof JsonNode json) {
            exchange.getMessage().setBody(Json.bytes(json));
        }
    }

    private Exchange send(String endpoint, String requestJson) {
        Exchange exchange = template.request(endpoint, e -> {
            e.getMessage().setBody(requestJson.getBytes(StandardCharsets.UTF_8));
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        });
        if (exchange.getException() != null) {
            throw new AssertionError(exchange.getException());
        }
        return exchange;
    }

    private static JsonNode reply(Exchange exchange) throws Exception {
        return Json.parse(exchange.getMessage().getBody(byte[].class));
    }

    @Test
    void aModelWithTheCacheOnAnswersRepeatsFromTheCache() throws Exception {
        Exchange miss = send("direct:embeddings", "{\"model\":\"emb-on\",\"input\":[\"a b\",\"c\"]}");
        assertEquals("miss", miss.getProperty(EmbeddingsCache.CACHE_STATUS));
        Exchange partial = send("direct:embeddings", "{\"model\":\"emb-on\",\"input\":[\"c\",\"d e f\",\"a b\"]}");
        assertEquals("partial", partial.getProperty(EmbeddingsCache.CACHE_STATUS));
        assertEquals("[\"d e f\"]", Json.text(upstream.lastRequest().bodyJson().get("input")));
        assertEquals("{\"prompt_tokens\":3,\"total_tokens\":3,\"cached_tokens\":3}", Json.text(reply(partial).get("usage")));
        Exchange hit = send("direct:embeddings", "{\"model\":\"emb-on\",\"input\":[\"d e f\",\"c\"]}");
        assertEquals("hit", hit.getProperty(EmbeddingsCache.CACHE_STATUS));
        assertEquals("hit", hit.getMessage().getHeader("x-cache"));
        assertEquals("emb-on", hit.getProperty(GatewayHeaders.MODEL_USED));
        assertEquals(2, upstream.requestCount());
        assertEquals(reply(partial).get("data").get(1).get("embedding"), reply(hit).get("data").get(0).get("embedding"));
    }

    @Test
    void aModelWithTheCacheOffIsNotCached() throws Exception {
        send("direct:embeddings", "{\"model\":\"emb-off\",\"input\":\"same\"}");
        Exchange again = send("direct:embeddings", "{\"model\":\"emb-off\",\"input\":\"same\"}");
        assertEquals(2, upstream.requestCount());
        assertNull(again.getProperty(EmbeddingsCache.CACHE_STATUS));
        assertNull(again.getMessage().getHeader("x-cache"));
        assertNull(reply(again).get("usage").get("cached_tokens"));
        assertEquals(0, cache.embeddingsStore().stats().entries());
    }

    @Test
    void theBeanMethodsBindWithoutArgumentsToo() {
        Exchange exchange = send("direct:plain-lookup", "{\"model\":\"any\",\"input\":\"x\"}");
        assertTrue(exchange.getProperty(EmbeddingsCache.PENDING) != null, "method=lookup ran the cache-on lookup");
    }

    @Test
    void otherOperationsThroughACachedModelAreUntouched() throws Exception {
        Exchange chat = send("direct:chat", "{\"model\":\"emb-on\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals("chat.completion", reply(chat).get("object").asText());
        assertNull(chat.getProperty(EmbeddingsCache.CACHE_STATUS));
        assertNull(chat.getMessage().getHeader("x-cache"));
        assertTrue(upstream.lastRequest().path().endsWith("/chat/completions"));
        assertEquals(0, cache.embeddingsStore().stats().misses());
    }
}
