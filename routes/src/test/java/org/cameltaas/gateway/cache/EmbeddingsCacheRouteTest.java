package org.cameltaas.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
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
 * A model route with the cache around the taas component, against the fake upstream: what the upstream receives,
 * and replies byte for byte as an uncached route gives them.
 */
class EmbeddingsCacheRouteTest {

    private static FakeUpstream upstream;

    private final AtomicLong nanos = new AtomicLong();
    private CamelContext context;
    private ProducerTemplate template;
    private CaffeineEmbeddingsStore store;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void startRoutes() throws Exception {
        upstream.reset();
        store = new CaffeineEmbeddingsStore(1 << 20, Duration.ofHours(24), nanos::get, Runnable::run);
        EmbeddingsCache cache = new EmbeddingsCache(store);
        String taas = "taas:embeddings?baseUrl=" + upstream.baseUrl() + "/v1&model=fake-embedding-x";
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:model-x")
                        .process(new InboundRequest(TaasOperation.embeddings))
                        .setProperty(GatewayHeaders.MODEL_USED, constant("x"))
                        .process(cache::lookup)
                        .choice()
                            .when(exchangeProperty(EmbeddingsCache.ALL_HIT).isNotEqualTo(true))
                                .to(taas)
                                .process(cache::store)
                        .end()
                        .process(EmbeddingsCacheRouteTest::asBytes);
                from("direct:uncached")
                        .process(new InboundRequest(TaasOperation.embeddings))
                        .to(taas)
                        .process(EmbeddingsCacheRouteTest::asBytes);
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopRoutes() throws Exception {
        context.close();
    }

    /** What the gateway's reply writer does with a JSON body. */
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

    private Exchange cached(String requestJson) {
        return send("direct:model-x", requestJson);
    }

    private String uncached(String requestJson) {
        return text(send("direct:uncached", requestJson));
    }

    private static String text(Exchange exchange) {
        return new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.parse(text);
    }

    /** The reply without its usage, which the cache changes on purpose. */
    private static String withoutUsage(String reply) throws Exception {
        ObjectNode json = (ObjectNode) Json.parse(reply);
        json.remove("usage");
        return Json.text(json);
    }

    private static String xCache(Exchange exchange) {
        assertEquals(exchange.getProperty(EmbeddingsCache.CACHE_STATUS), exchange.getMessage().getHeader("x-cache"));
        return exchange.getProperty(EmbeddingsCache.CACHE_STATUS, String.class);
    }

    @Test
    void aPartialHitSendsOnlyTheMissesAndAnswersLikeAnUncachedCall() throws Exception {
        String batch = "{\"model\":\"x\",\"input\":[\"alpha one\",\"beta two three\",\"gamma\"],\"user\":\"u1\"}";
        String reference = uncached(batch);
        upstream.reset();

        Exchange first = cached("{\"model\":\"x\",\"input\":[\"beta two three\"],\"user\":\"u0\"}");
        assertEquals("miss", xCache(first));
        assertEquals("{\"prompt_tokens\":3,\"total_tokens\":3,\"cached_tokens\":0}",
                Json.text(json(text(first)).get("usage")));

        Exchange partial = cached(batch);
        assertEquals("partial", xCache(partial));
        assertEquals(2, upstream.requestCount());
        JsonNode sent = upstream.lastRequest().bodyJson();
        assertEquals("{\"model\":\"fake-embedding-x\",\"input\":[\"alpha one\",\"gamma\"],\"user\":\"u1\"}", Json.text(sent),
                "only the misses went upstream, the other fields as the client sent them");
        String reply = text(partial);
        assertEquals(withoutUsage(reference), withoutUsage(reply), "vectors, indexes and shape as an uncached call");
        JsonNode data = json(reply).get("data");
        assertEquals(json(reference).get("data").get(1), data.get(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(i, data.get(i).get("index").asInt());
        }
        assertEquals("{\"prompt_tokens\":3,\"total_tokens\":3,\"cached_tokens\":3}", Json.text(json(reply).get("usage")),
                "the upstream's tokens (alpha one: 2, gamma: 1) and the cached ones (beta two three: 3)");

        Exchange hit = cached(batch);
        assertEquals("hit", xCache(hit));
        assertEquals(2, upstream.requestCount(), "all cached: the upstream is not called");
        assertEquals(withoutUsage(reference), withoutUsage(text(hit)));
        assertEquals("{\"prompt_tokens\":0,\"total_tokens\":0,\"cached_tokens\":6}", Json.text(json(text(hit)).get("usage")));
        assertTrue(text(hit).startsWith("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":["));
    }

    @Test
    void base64WorksBothWaysAndIsNotServedFromFloats() throws Exception {
        String floats = "{\"model\":\"x\",\"input\":[\"one\",\"two\"]}";
        String base64 = "{\"model\":\"x\",\"input\":[\"one\",\"two\"],\"encoding_format\":\"base64\"}";
        String floatReference = uncached(floats);
        String base64Reference = uncached(base64);
        upstream.reset();

        assertEquals("miss", xCache(cached(floats)));
        Exchange base64Miss = cached(base64);
        assertEquals("miss", xCache(base64Miss), "float vectors are not served to a base64 request");
        assertEquals(2, upstream.requestCount());
        assertEquals(withoutUsage(base64Reference), withoutUsage(text(base64Miss)));
        assertTrue(json(text(base64Miss)).get("data").get(0).get("embedding").isTextual());

        Exchange base64Hit = cached("{\"encoding_format\":\"base64\",\"model\":\"x\",\"input\":[\"one\",\"two\"]}");
        assertEquals("hit", xCache(base64Hit));
        assertEquals(withoutUsage(base64Reference), withoutUsage(text(base64Hit)));
        Exchange floatHit = cached(floats);
        assertEquals("hit", xCache(floatHit));
        assertEquals(withoutUsage(floatReference), withoutUsage(text(floatHit)));
        assertEquals(2, upstream.requestCount());
    }

    @Test
    void dimensionsAreHonouredAndKeyed() throws Exception {
        assertEquals("miss", xCache(cached("{\"model\":\"x\",\"input\":\"text\",\"dimensions\":16}")));
        Exchange other = cached("{\"model\":\"x\",\"input\":\"text\"}");
        assertEquals("miss", xCache(other));
        assertEquals(8, json(text(other)).get("data").get(0).get("embedding").size());
        Exchange hit = cached("{\"model\":\"x\",\"input\":\"text\",\"dimensions\":16}");
        assertEquals("hit", xCache(hit));
        assertEquals(16, json(text(hit)).get("data").get(0).get("embedding").size());
        assertEquals(2, upstream.requestCount());
    }

    @Test
    void aSingleStringInputAndItsExpiry() throws Exception {
        String request = "{\"model\":\"x\",\"input\":\"just one string here\"}";
        String reference = uncached(request);
        upstream.reset();
        Exchange miss = cached(request);
        assertEquals("miss", xCache(miss));
        assertEquals("\"just one string here\"", Json.text(upstream.lastRequest().bodyJson().get("input")),
                "a miss goes upstream as the client sent it");
        Exchange hit = cached(request);
        assertEquals("hit", xCache(hit));
        assertEquals(withoutUsage(reference), withoutUsage(text(hit)));
        assertEquals(4, json(text(hit)).get("usage").get("cached_tokens").asInt());

        nanos.addAndGet(Duration.ofHours(24).plusSeconds(1).toNanos());
        assertEquals("miss", xCache(cached(request)));
        assertEquals(2, upstream.requestCount());
    }

    @Test
    void theStoreCountsHitsAndMissesPerItem() {
        cached("{\"model\":\"x\",\"input\":[\"a\",\"b\"]}");
        cached("{\"model\":\"x\",\"input\":[\"a\",\"b\",\"c\"]}");
        EmbeddingsStore.Stats stats = store.stats();
        assertEquals(2, stats.hits());
        assertEquals(3, stats.misses());
        assertEquals(3, stats.entries());
        assertTrue(stats.weightBytes() > 0);
        assertNull(cached("{\"model\":\"x\",\"input\":[\"a\"]}").getProperty(EmbeddingsCache.PENDING));
    }
}
