package org.cameltaas.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.error.GatewayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two processors on exchanges as the gateway prepares them (operation header, parsed request property, the
 * client's bytes as body), with a stand-in for the upstream call.
 */
class EmbeddingsCacheTest {

    private final CamelContext context = new DefaultCamelContext();
    private final AtomicLong nanos = new AtomicLong();
    private final CaffeineEmbeddingsStore store =
            new CaffeineEmbeddingsStore(1 << 20, Duration.ofHours(24), nanos::get, Runnable::run);
    private final EmbeddingsCache cache = new EmbeddingsCache(store);
    /** The requests the stand-in upstream received. */
    private final List<ObjectNode> upstreamRequests = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    // --- helpers

    private Exchange exchange(String operation, String requestJson) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        byte[] body = requestJson.getBytes(StandardCharsets.UTF_8);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader("CamelTaasOperation", operation);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.setProperty(GatewayHeaders.REQUEST_JSON, Json.parse(body));
        exchange.setProperty(GatewayHeaders.MODEL_USED, "text-embedding-3-small");
        return exchange;
    }

    /** The exact float text an upstream might write for a text: digits a float cannot hold as they are. */
    static String vectorText(String text, int dimensions) {
        StringBuilder json = new StringBuilder("[");
        int h = text.hashCode();
        for (int i = 0; i < dimensions; i++) {
            json.append(i == 0 ? "" : ",").append((h + i) % 2 == 0 ? "-" : "").append("0.0").append(Math.abs((h * 31 + i) % 1000))
                    .append("1234567890").append(i);
        }
        return json.append(']').toString();
    }

    /** What an OpenAI-shaped upstream answers to a request body (bytes or tree), as the taas component hands it on. */
    private ObjectNode upstream(Object requestBody) throws Exception {
        ObjectNode request = requestBody instanceof ObjectNode node ? node : (ObjectNode) Json.parse((byte[]) requestBody);
        upstreamRequests.add(request);
        JsonNode input = request.get("input");
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else if (input.get(0).isNumber()) {
            texts.add(input.toString());
        } else {
            input.forEach(item -> texts.add(item.isTextual() ? item.asText() : item.toString()));
        }
        int dimensions = request.path("dimensions").asInt(4);
        boolean base64 = "base64".equals(request.path("encoding_format").asText());
        StringBuilder reply = new StringBuilder("{\"object\":\"list\",\"data\":[");
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            String vector = base64
                    ? "\"" + Base64.getEncoder().encodeToString(vectorText(texts.get(i), dimensions).getBytes(StandardCharsets.UTF_8)) + "\""
                    : vectorText(texts.get(i), dimensions);
            reply.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":").append(vector).append('}');
            tokens += texts.get(i).split(" ").length;
        }
        reply.append("],\"model\":\"text-embedding-3-small-v7\",\"usage\":{\"prompt_tokens\":").append(tokens)
                .append(",\"total_tokens\":").append(tokens).append("}}");
        return (ObjectNode) Json.parse(reply.toString());
    }

    /** lookup, the upstream when needed, store: the reply as the client would get it. */
    private Exchange call(String requestJson) throws Exception {
        Exchange exchange = exchange("embeddings", requestJson);
        cache.lookupIfEnabled(exchange, "true");
        if (!Boolean.TRUE.equals(exchange.getProperty(EmbeddingsCache.ALL_HIT))) {
            exchange.getMessage().setBody(upstream(exchange.getMessage().getBody()));
            cache.store(exchange);
        }
        return exchange;
    }

    /** The same request, never cached. */
    private ObjectNode uncached(String requestJson) throws Exception {
        return upstream(requestJson.getBytes(StandardCharsets.UTF_8));
    }

    /** The reply as the client reads it: a hit's embeddings are raw JSON in the tree, written out as stored. */
    private static JsonNode reply(Exchange exchange) throws Exception {
        return Json.parse(Json.bytes(exchange.getMessage().getBody(JsonNode.class)));
    }

    private static String xCache(Exchange exchange) {
        assertEquals(exchange.getProperty(EmbeddingsCache.CACHE_STATUS), exchange.getMessage().getHeader("x-cache"));
        return exchange.getProperty(EmbeddingsCache.CACHE_STATUS, String.class);
    }

    private static String embeddingText(JsonNode reply, int index) {
        assertEquals(index, reply.path("data").get(index).path("index").asInt());
        return Json.text(reply.path("data").get(index).path("embedding"));
    }

    // --- tests

    @Test
    void aNonEmbeddingsOperationPassesUntouched() throws Exception {
        Exchange exchange = exchange("chatCompletions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Object body = exchange.getMessage().getBody();
        Map<String, Object> headers = Map.copyOf(exchange.getMessage().getHeaders());
        cache.lookup(exchange);
        assertSame(body, exchange.getMessage().getBody());
        assertEquals(headers, exchange.getMessage().getHeaders());
        assertNull(exchange.getProperty(EmbeddingsCache.PENDING));
        assertNull(exchange.getProperty(EmbeddingsCache.ALL_HIT));
        ObjectNode chatReply = Json.object().put("object", "chat.completion");
        exchange.getMessage().setBody(chatReply);
        cache.store(exchange);
        assertSame(chatReply, exchange.getMessage().getBody());
        assertEquals("{\"object\":\"chat.completion\"}", Json.text(chatReply));
        assertNull(exchange.getProperty(EmbeddingsCache.CACHE_STATUS));
        assertNull(exchange.getMessage().getHeader("x-cache"));
        assertEquals(0, store.stats().hits() + store.stats().misses());
    }

    @Test
    void aModelWithTheCacheOffPassesUntouched() throws Exception {
        call("{\"model\":\"m\",\"input\":\"hello\"}"); // cached
        Exchange exchange = exchange("embeddings", "{\"model\":\"m\",\"input\":\"hello\"}");
        Object body = exchange.getMessage().getBody();
        cache.lookupIfEnabled(exchange, "false");
        assertSame(body, exchange.getMessage().getBody());
        assertNull(exchange.getProperty(EmbeddingsCache.ALL_HIT));
        assertNull(exchange.getProperty(EmbeddingsCache.PENDING));

        EmbeddingsCache off = new EmbeddingsCache(0, Duration.ofHours(1));
        assertFalse(off.isEnabled());
        off.lookupIfEnabled(exchange, "true");
        assertSame(body, exchange.getMessage().getBody());
        assertNull(exchange.getProperty(EmbeddingsCache.PENDING));
    }

    @Test
    void aMissSendsTheRequestAsItCameThenAHitAnswersAlone() throws Exception {
        String request = "{\"model\":\"text-embedding-3-small\",\"input\":\"the quick brown fox\"}";
        Exchange first = exchange("embeddings", request);
        Object clientBytes = first.getMessage().getBody();
        cache.lookup(first);
        assertSame(clientBytes, first.getMessage().getBody(), "a miss leaves the client's bytes as they are");
        assertNull(first.getProperty(EmbeddingsCache.ALL_HIT));
        assertNull(first.getProperty(EmbeddingsCache.CACHE_STATUS), "no status before there is a reply");
        first.getMessage().setBody(upstream(first.getMessage().getBody()));
        cache.store(first);
        assertEquals("miss", xCache(first));
        JsonNode missReply = reply(first);
        assertEquals("{\"prompt_tokens\":4,\"total_tokens\":4,\"cached_tokens\":0}", Json.text(missReply.get("usage")));

        Exchange second = call(request);
        assertEquals(Boolean.TRUE, second.getProperty(EmbeddingsCache.ALL_HIT));
        assertEquals("hit", xCache(second));
        assertEquals(1, upstreamRequests.size(), "the hit did not go upstream");
        JsonNode hitReply = reply(second);
        assertInstanceOf(ObjectNode.class, second.getMessage().getBody());
        assertEquals("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":"
                        + vectorText("the quick brown fox", 4) + "}],\"model\":\"text-embedding-3-small-v7\","
                        + "\"usage\":{\"prompt_tokens\":0,\"total_tokens\":0,\"cached_tokens\":4}}",
                Json.text(hitReply));
        assertEquals(Json.text(missReply.get("data")), Json.text(hitReply.get("data")));
    }

    @Test
    void aPartialHitSendsOnlyTheMissesAndKeepsTheOriginalOrder() throws Exception {
        call("{\"model\":\"text-embedding-3-small\",\"input\":[\"bee two three\"]}");
        upstreamRequests.clear();

        String batch = "{\"model\":\"text-embedding-3-small\",\"input\":[\"ant one\",\"bee two three\",\"cat\"],"
                + "\"dimensions\":4,\"user\":\"u-7\",\"extra_body\":{\"z\":1.50}}";
        call("{\"model\":\"text-embedding-3-small\",\"input\":[\"bee two three\"],\"dimensions\":4,\"user\":\"u-7\",\"extra_body\":{\"z\":1.50}}");
        upstreamRequests.clear();
        Exchange exchange = exchange("embeddings", batch);
        cache.lookup(exchange);
        assertNull(exchange.getProperty(EmbeddingsCache.ALL_HIT));
        ObjectNode sent = assertInstanceOf(ObjectNode.class, exchange.getMessage().getBody());
        assertEquals("{\"model\":\"text-embedding-3-small\",\"input\":[\"ant one\",\"cat\"],"
                + "\"dimensions\":4,\"user\":\"u-7\",\"extra_body\":{\"z\":1.50}}", Json.text(sent),
                "only the misses, every other field untouched and in place");
        assertArrayEquals(new int[] {0, 2},
                exchange.getProperty(EmbeddingsCache.PENDING, EmbeddingsCache.Pending.class).missPositions());
        assertEquals(batch, new String(Json.bytes(exchange.getProperty(GatewayHeaders.REQUEST_JSON, JsonNode.class)),
                StandardCharsets.UTF_8), "the parsed request is not changed");
        exchange.getMessage().setBody(upstream(sent));
        cache.store(exchange);

        assertEquals("partial", xCache(exchange));
        JsonNode reply = reply(exchange);
        JsonNode reference = uncached(batch);
        assertEquals(Json.text(reference.get("data")), Json.text(reply.get("data")),
                "the same items, at the same indexes, with the same vectors as an uncached call");
        assertEquals(vectorText("bee two three", 4), embeddingText(reply, 1));
        // the upstream embedded "ant one" and "cat": 3 tokens; "bee two three" cost 3 when it was embedded alone
        assertEquals("{\"prompt_tokens\":3,\"total_tokens\":3,\"cached_tokens\":3}", Json.text(reply.get("usage")));
        assertEquals("list", reply.get("object").asText());
        assertEquals("text-embedding-3-small-v7", reply.get("model").asText());

        Exchange again = call(batch);
        assertEquals("hit", xCache(again));
        assertEquals(Json.text(reference.get("data")), Json.text(reply(again).get("data")));
        assertEquals(6, reply(again).path("usage").path("cached_tokens").asInt(), "ant one (2) + bee two three (3) + cat (1)");
    }

    @Test
    void anUpstreamThatAnswersOutOfOrderIsPutInOrder() throws Exception {
        call("{\"model\":\"m\",\"input\":\"b\"}");
        Exchange exchange = exchange("embeddings", "{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"]}");
        cache.lookup(exchange);
        ObjectNode reply = upstream(exchange.getMessage().getBody());
        ArrayNode data = (ArrayNode) reply.get("data");
        JsonNode firstItem = data.remove(0);
        data.add(firstItem); // c (index 1) then a (index 0)
        exchange.getMessage().setBody(reply);
        cache.store(exchange);
        JsonNode merged = reply(exchange);
        assertEquals(vectorText("a", 4), embeddingText(merged, 0));
        assertEquals(vectorText("b", 4), embeddingText(merged, 1));
        assertEquals(vectorText("c", 4), embeddingText(merged, 2));
        assertNotNull(store.get(EmbeddingsCacheKey.of("text-embedding-3-small", (ObjectNode) Json.parse("{\"model\":\"m\"}"),
                Json.parse("\"c\""))), "c is stored under its own key, not a's");
        assertEquals(vectorText("c", 4), Json.text(store.get(EmbeddingsCacheKey.of("text-embedding-3-small",
                (ObjectNode) Json.parse("{\"model\":\"m\"}"), Json.parse("\"c\""))).embedding()));
    }

    @Test
    void base64IsCachedAsBase64AndNeverServedFromFloats() throws Exception {
        call("{\"model\":\"m\",\"input\":\"same text\"}"); // floats cached
        upstreamRequests.clear();
        String base64Request = "{\"model\":\"m\",\"input\":[\"same text\",\"other\"],\"encoding_format\":\"base64\"}";
        Exchange first = call(base64Request);
        assertEquals("miss", xCache(first), "the float vector is not served to a base64 request");
        assertEquals(1, upstreamRequests.size());
        JsonNode reference = uncached(base64Request);
        assertEquals(Json.text(reference.get("data")), Json.text(reply(first).get("data")));

        upstreamRequests.clear();
        Exchange partial = call("{\"model\":\"m\",\"input\":[\"new\",\"other\",\"same text\"],\"encoding_format\":\"base64\"}");
        assertEquals("partial", xCache(partial));
        assertEquals("[\"new\"]", Json.text(upstreamRequests.get(0).get("input")));
        JsonNode merged = reply(partial);
        assertTrue(merged.path("data").get(1).path("embedding").isTextual());
        assertEquals(reference.path("data").get(1).path("embedding"), merged.path("data").get(1).path("embedding"));
        assertEquals(reference.path("data").get(0).path("embedding"), merged.path("data").get(2).path("embedding"));

        Exchange floats = call("{\"model\":\"m\",\"input\":\"other\"}");
        assertEquals("miss", xCache(floats), "nor base64 to a float request");
    }

    @Test
    void dimensionsArePartOfTheKey() throws Exception {
        call("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":4}");
        assertEquals("miss", xCache(call("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":8}")));
        assertEquals("miss", xCache(call("{\"model\":\"m\",\"input\":\"x\"}")));
        Exchange hit = call("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":8}");
        assertEquals("hit", xCache(hit));
        assertEquals(8, reply(hit).path("data").get(0).path("embedding").size());
    }

    @Test
    void theServingModelIsPartOfTheKey() throws Exception {
        call("{\"model\":\"m\",\"input\":\"x\"}");
        Exchange other = exchange("embeddings", "{\"model\":\"m\",\"input\":\"x\"}");
        other.setProperty(GatewayHeaders.MODEL_USED, "another-embedding-model");
        cache.lookup(other);
        assertNull(other.getProperty(EmbeddingsCache.ALL_HIT));
        assertNotNull(other.getProperty(EmbeddingsCache.PENDING));
    }

    @Test
    void entriesExpireAfterTheTimeToLive() throws Exception {
        call("{\"model\":\"m\",\"input\":\"x\"}");
        nanos.addAndGet(Duration.ofHours(23).toNanos());
        assertEquals("hit", xCache(call("{\"model\":\"m\",\"input\":\"x\"}")));
        nanos.addAndGet(Duration.ofHours(2).toNanos());
        assertEquals("miss", xCache(call("{\"model\":\"m\",\"input\":\"x\"}")));
        assertEquals(2, upstreamRequests.size());
    }

    @Test
    void tokenArraysAreItemsAndCostTheirLength() throws Exception {
        Exchange single = call("{\"model\":\"m\",\"input\":[1,2,3]}");
        assertEquals("miss", xCache(single));
        assertEquals(1, reply(single).path("data").size());
        upstreamRequests.clear();

        Exchange batch = call("{\"model\":\"m\",\"input\":[[9,9],[1,2,3],[7]]}");
        assertEquals("partial", xCache(batch));
        assertEquals("[[9,9],[7]]", Json.text(upstreamRequests.get(0).get("input")));
        JsonNode reply = reply(batch);
        assertEquals(Json.text(uncached("{\"model\":\"m\",\"input\":[[9,9],[1,2,3],[7]]}").get("data")), Json.text(reply.get("data")));
        assertEquals(3, reply.path("usage").path("cached_tokens").asInt(), "a token array costs its length");

        Exchange hit = call("{\"model\":\"m\",\"input\":[[7],[9,9]]}");
        assertEquals("hit", xCache(hit));
        assertEquals(3, reply(hit).path("usage").path("cached_tokens").asInt());
    }

    @Test
    void aSingleStringInput() throws Exception {
        Exchange miss = call("{\"model\":\"m\",\"input\":\"one string\"}");
        assertEquals("miss", xCache(miss));
        assertEquals("\"one string\"", Json.text(upstreamRequests.get(0).get("input")));
        Exchange hit = call("{\"input\":\"one string\",\"model\":\"m\"}");
        assertEquals("hit", xCache(hit));
        assertEquals(1, reply(hit).path("data").size());
        assertEquals(0, reply(hit).path("data").get(0).path("index").asInt());
        assertEquals(Json.text(reply(miss).get("data")), Json.text(reply(hit).get("data")));
        assertEquals(2, reply(hit).path("usage").path("cached_tokens").asInt());
        // the same string within a batch is the same item
        Exchange batch = call("{\"model\":\"m\",\"input\":[\"two\",\"one string\"]}");
        assertEquals("partial", xCache(batch));
        assertEquals("[\"two\"]", Json.text(upstreamRequests.get(upstreamRequests.size() - 1).get("input")));
    }

    @Test
    void shapesTheCacheDoesNotKnowGoUpstreamUntouched() throws Exception {
        for (String request : new String[] {
                "{\"model\":\"m\",\"input\":[\"text\",3]}",
                "{\"model\":\"m\",\"input\":[{\"text\":\"x\"}]}",
                "{\"model\":\"m\",\"input\":[]}",
                "{\"model\":\"m\"}"}) {
            Exchange exchange = exchange("embeddings", request);
            Object body = exchange.getMessage().getBody();
            cache.lookup(exchange);
            assertSame(body, exchange.getMessage().getBody(), request);
            assertNull(exchange.getProperty(EmbeddingsCache.PENDING), request);
        }
    }

    @Test
    void aBrokenReplyToAPartialRequestFailsAndIsNotCached() throws Exception {
        call("{\"model\":\"m\",\"input\":\"b\"}");
        Exchange exchange = exchange("embeddings", "{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"]}");
        cache.lookup(exchange);
        ObjectNode reply = upstream(exchange.getMessage().getBody());
        ((ArrayNode) reply.get("data")).remove(1);
        exchange.getMessage().setBody(reply);
        GatewayException e = assertThrows(GatewayException.class, () -> cache.store(exchange));
        assertEquals(502, e.status());
        assertEquals("miss", xCache(call("{\"model\":\"m\",\"input\":\"a\"}")), "nothing of the broken reply was kept");
    }

    @Test
    void aBrokenReplyToAMissGoesAsItCame() throws Exception {
        Exchange exchange = exchange("embeddings", "{\"model\":\"m\",\"input\":[\"a\",\"b\"]}");
        cache.lookup(exchange);
        ObjectNode odd = (ObjectNode) Json.parse("{\"object\":\"list\",\"data\":[]}");
        exchange.getMessage().setBody(odd);
        cache.store(exchange);
        assertSame(odd, exchange.getMessage().getBody());
        assertEquals("{\"object\":\"list\",\"data\":[]}", Json.text(odd));
        assertEquals(0, store.stats().entries());
    }

    @Test
    void anUpstreamWithoutUsageGetsNoneAdded() throws Exception {
        Exchange exchange = exchange("embeddings", "{\"model\":\"m\",\"input\":\"x\"}");
        cache.lookup(exchange);
        ObjectNode reply = upstream(exchange.getMessage().getBody());
        reply.remove("usage");
        exchange.getMessage().setBody(reply);
        cache.store(exchange);
        assertNull(reply(exchange).get("usage"));
        Exchange hit = call("{\"model\":\"m\",\"input\":\"x\"}");
        assertEquals("{\"prompt_tokens\":0,\"total_tokens\":0,\"cached_tokens\":0}", Json.text(reply(hit).get("usage")));
    }

    @Test
    void lookingUpAgainStartsFromTheClientsRequest() throws Exception {
        call("{\"model\":\"m\",\"input\":\"b\"}");
        Exchange exchange = exchange("embeddings", "{\"model\":\"m\",\"input\":[\"a\",\"b\"]}");
        Object clientBytes = exchange.getMessage().getBody();
        cache.lookup(exchange);
        assertInstanceOf(ObjectNode.class, exchange.getMessage().getBody());
        // a failover to a deployment with the cache off: the whole request again
        cache.lookupIfEnabled(exchange, "false");
        assertSame(clientBytes, exchange.getMessage().getBody());
        assertNull(exchange.getProperty(EmbeddingsCache.PENDING));
        // with the cache on: the same partial request again
        cache.lookupIfEnabled(exchange, "true");
        assertEquals("[\"a\"]", Json.text(exchange.getMessage().getBody(ObjectNode.class).get("input")));
    }

    @Test
    void withoutTheGatewaysParsedRequestTheBodyIsRead() throws Exception {
        call("{\"model\":\"m\",\"input\":\"x\"}");
        Exchange exchange = exchange("embeddings", "{\"model\":\"m\",\"input\":\"x\"}");
        exchange.removeProperty(GatewayHeaders.REQUEST_JSON);
        cache.lookup(exchange);
        assertEquals(Boolean.TRUE, exchange.getProperty(EmbeddingsCache.ALL_HIT));
    }

    @Test
    void tokenSharesAddUpAndFollowTheTextLength() throws Exception {
        List<JsonNode> items = List.of(Json.parse("\"aaaa\""), Json.parse("\"aa\""), Json.parse("[1,2,3]"), Json.parse("\"aa\""));
        int[] shares = EmbeddingsInput.tokenShares(items, 13);
        assertArrayEquals(new int[] {5, 3, 3, 2}, shares); // 10 for the strings, 4:2:2 -> 5, 2.5, 2.5
        assertArrayEquals(new int[] {0, 0, 3, 0}, EmbeddingsInput.tokenShares(items, -1));
        assertArrayEquals(new int[] {7}, EmbeddingsInput.tokenShares(List.of(Json.parse("\"é\"")), 7));
        int total = 0;
        for (int share : EmbeddingsInput.tokenShares(List.of(Json.parse("\"abc\""), Json.parse("\"de\""), Json.parse("\"f\"")), 100)) {
            total += share;
        }
        assertEquals(100, total);
    }

    @Test
    void theEnvironmentConfiguresSizeAndTimeToLive() {
        EmbeddingsCache defaults = EmbeddingsCache.fromEnv(Map.of());
        CaffeineEmbeddingsStore store = (CaffeineEmbeddingsStore) defaults.embeddingsStore();
        assertEquals(256L * 1024 * 1024, store.maxBytes());
        assertEquals(Duration.ofHours(24), store.ttl());
        CaffeineEmbeddingsStore configured = (CaffeineEmbeddingsStore) EmbeddingsCache.fromEnv(
                Map.of("TAAS_EMBEDDINGS_CACHE_MB", "64", "TAAS_EMBEDDINGS_CACHE_TTL", "1h30m")).embeddingsStore();
        assertEquals(64L * 1024 * 1024, configured.maxBytes());
        assertEquals(Duration.ofMinutes(90), configured.ttl());
        assertFalse(EmbeddingsCache.fromEnv(Map.of("TAAS_EMBEDDINGS_CACHE_MB", "0")).isEnabled());
        assertNull(((CaffeineEmbeddingsStore) EmbeddingsCache.fromEnv(Map.of("TAAS_EMBEDDINGS_CACHE_TTL", "0")).embeddingsStore()).ttl());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingsCache.fromEnv(Map.of("TAAS_EMBEDDINGS_CACHE_MB", "lots")));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingsCache.fromEnv(Map.of("TAAS_EMBEDDINGS_CACHE_TTL", "1 day")));

        assertEquals(Duration.ofSeconds(90), EmbeddingsCache.parseDuration("t", "90s"));
        assertEquals(Duration.ofDays(7), EmbeddingsCache.parseDuration("t", "7d"));
        assertEquals(Duration.ofHours(24), EmbeddingsCache.parseDuration("t", "PT24H"));
        assertEquals(Duration.ofMillis(86_400_000), EmbeddingsCache.parseDuration("t", "86400000"));
        assertEquals(Duration.ofMillis(1500), EmbeddingsCache.parseDuration("t", "1s500ms"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingsCache.parseDuration("t", "24x"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingsCache.parseDuration("t", "h"));
    }
}
