package org.cameltaas.gateway.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.error.GatewayException;

/**
 * A per-item cache for {@code /v1/embeddings}, used around the upstream call of a model route:
 * {@link #lookupIfEnabled(Exchange, String)} (or {@link #lookup(Exchange)}) before it, {@link #store(Exchange)} after it.
 *
 * <ul>
 *   <li>Every input item is looked up apart ({@link EmbeddingsCacheKey}: model, dimensions, encoding_format, the
 *       other vector-shaping fields, SHA-256 of the item).</li>
 *   <li>All items cached: the reply is built here, the upstream is not called ({@value #ALL_HIT} = true), and the
 *       reply says {@code x-cache: hit}.</li>
 *   <li>Some cached: only the misses go upstream (the request's other fields untouched); the reply puts every vector
 *       back at its original index ({@code x-cache: partial}).</li>
 *   <li>None cached: the request goes as it came ({@code x-cache: miss}).</li>
 * </ul>
 *
 * <p>Usage: {@code prompt_tokens} and {@code total_tokens} stay the upstream's (the tokens of the items it embedded,
 * 0 when nothing went upstream), and {@code cached_tokens} is added beside them: the tokens the cached items cost
 * when they were embedded. Each stored item keeps its share of the reply's {@code prompt_tokens}: a token array its
 * length (exact); strings share the rest in proportion to their length in code points (exact for a string sent
 * alone, an estimate within a batch; see {@link EmbeddingsInput#tokenShares}).
 *
 * <p>The status is kept in the exchange property {@value #CACHE_STATUS} (and set as the message header
 * {@value #X_CACHE}); the gateway's reply writer turns the property into the {@code x-cache} reply header. It is set
 * only once a reply exists: an upstream failure is not reported as a cache miss.
 */
public class EmbeddingsCache {

    /** The operation header the surfaces set; only {@code embeddings} is cached. */
    public static final String OPERATION_HEADER = "CamelTaasOperation";
    /** Exchange property: true when every item was cached and the body already holds the reply. */
    public static final String ALL_HIT = "TaasCacheAllHit";
    /** Exchange property: {@code hit}, {@code partial} or {@code miss}, for the {@code x-cache} reply header. */
    public static final String CACHE_STATUS = "TaasCacheStatus";
    /** The reply header. */
    public static final String X_CACHE = "x-cache";
    /** Exchange property: what {@link #store} needs from {@link #lookup} (keys, cached items, miss positions). */
    public static final String PENDING = "TaasEmbeddingsCachePending";

    public static final String HIT = "hit";
    public static final String PARTIAL = "partial";
    public static final String MISS = "miss";

    public static final String ENV_MAX_MEGABYTES = "TAAS_EMBEDDINGS_CACHE_MB";
    public static final String ENV_TTL = "TAAS_EMBEDDINGS_CACHE_TTL";

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");
    private static final int MAX_REMEMBERED_MODELS = 1024;

    /** Null when the cache is off ({@code TAAS_EMBEDDINGS_CACHE_MB=0}): lookup and store do nothing. */
    private final EmbeddingsStore store;
    /** The model name each catalog model's upstream reports in its replies, for replies served from the cache. */
    private final Map<String, String> upstreamModels = new ConcurrentHashMap<>();

    /** @param store where the vectors are kept; null turns the cache off for every model */
    public EmbeddingsCache(EmbeddingsStore store) {
        this.store = store;
    }

    /**
     * An in-process cache ({@link CaffeineEmbeddingsStore}).
     *
     * @param maxMegabytes the bound in MiB of serialized keys and vectors; 0 or less turns the cache off
     * @param ttl          how long a vector is kept after it is written; zero or null: until evicted for size
     */
    public EmbeddingsCache(long maxMegabytes, Duration ttl) {
        this(maxMegabytes > 0 ? new CaffeineEmbeddingsStore(maxMegabytes, ttl) : null);
    }

    /**
     * The cache as the environment configures it: {@value #ENV_MAX_MEGABYTES} (default 256; 0 turns it off) and
     * {@value #ENV_TTL} (default 24h; milliseconds, or {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d},
     * {@code 1h30m}, or ISO-8601 {@code PT24H}; 0: no time-to-live).
     */
    public static EmbeddingsCache fromEnv(Map<String, String> env) {
        String mb = env.get(ENV_MAX_MEGABYTES);
        long maxMegabytes;
        try {
            maxMegabytes = mb == null || mb.isBlank() ? CaffeineEmbeddingsStore.DEFAULT_MAX_MEGABYTES : Long.parseLong(mb.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_MAX_MEGABYTES + " must be a number of megabytes, not " + mb);
        }
        String ttl = env.get(ENV_TTL);
        return new EmbeddingsCache(maxMegabytes,
                ttl == null || ttl.isBlank() ? CaffeineEmbeddingsStore.DEFAULT_TTL : parseDuration(ENV_TTL, ttl));
    }

    public static Duration parseDuration(String name, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            if (value.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(value));
            }
            Matcher m = DURATION_PART.matcher(value);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long amount = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
                end = m.end();
            }
            if (end == value.length() && end > 0) {
                return total;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a duration (ms, or 90s, 30m, 24h, 7d, PT24H), not " + text);
    }

    /** Whether a store is configured; when not, {@link #lookup} and {@link #store} do nothing. */
    public boolean isEnabled() {
        return store != null;
    }

    /** The store, for its {@link EmbeddingsStore#stats() stats}; null when the cache is off. */
    public EmbeddingsStore embeddingsStore() {
        return store;
    }

    /** Before the upstream call, for a model whose cache is on: {@link #lookupIfEnabled} with "true". */
    public void lookup(Exchange exchange) {
        lookupIfEnabled(exchange, "true");
    }

    /**
     * Before the upstream call. Does nothing unless {@code enabled} is "true" (a route template parameter: operators
     * turn the cache on per model), the operation is {@code embeddings} and the input has one of OpenAI's shapes.
     * Safe to run again for the same exchange (a failover to another deployment): the client's body is put back first.
     *
     * <p>Not an overload of {@link #lookup}: with two methods of one name, Camel's bean binding may pick this one for
     * {@code method: lookup} and pass the body as {@code enabled}.
     */
    public void lookupIfEnabled(Exchange exchange, String enabled) {
        Message message = exchange.getMessage();
        Pending earlier = exchange.getProperty(PENDING, Pending.class);
        if (earlier != null) {
            message.setBody(earlier.originalBody);
        }
        exchange.removeProperty(PENDING);
        exchange.removeProperty(ALL_HIT);
        exchange.removeProperty(CACHE_STATUS);
        message.removeHeader(X_CACHE);
        if (store == null || enabled == null || !Boolean.parseBoolean(enabled.trim())
                || !"embeddings".equals(message.getHeader(OPERATION_HEADER, String.class))) {
            return;
        }
        ObjectNode request = requestOf(exchange);
        List<JsonNode> items = request == null ? null : EmbeddingsInput.items(request.get("input"));
        String model = request == null ? null : modelOf(exchange, request);
        if (items == null || model == null) {
            return;
        }
        EmbeddingsCacheKey first = EmbeddingsCacheKey.of(model, request, items.get(0));
        List<EmbeddingsCacheKey> keys = new ArrayList<>(items.size());
        keys.add(first);
        for (int i = 1; i < items.size(); i++) {
            keys.add(first.withInput(items.get(i)));
        }
        List<CachedEmbedding> cached = store.getAll(keys);
        int hits = 0;
        for (CachedEmbedding c : cached) {
            hits += c != null ? 1 : 0;
        }
        if (hits == items.size()) {
            message.setBody(cachedReply(cached, model, request));
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.setProperty(ALL_HIT, true);
            status(exchange, HIT);
            return;
        }
        int[] missPositions = new int[items.size() - hits];
        List<JsonNode> missItems = new ArrayList<>(missPositions.length);
        for (int i = 0, m = 0; i < items.size(); i++) {
            if (cached.get(i) == null) {
                missPositions[m++] = i;
                missItems.add(items.get(i));
            }
        }
        Pending pending = new Pending(message.getBody(), model, keys, cached, hits, missPositions, missItems);
        exchange.setProperty(PENDING, pending);
        if (hits > 0) {
            message.setBody(missesOnly(request, missItems));
        }
    }

    /**
     * After the upstream call: keeps each returned vector, and for a partial hit merges the cached ones back in the
     * original order. Does nothing when {@link #lookup} did not prepare the exchange.
     */
    public void store(Exchange exchange) {
        Pending pending = exchange.getProperty(PENDING, Pending.class);
        if (pending == null) {
            return;
        }
        exchange.removeProperty(PENDING);
        Message message = exchange.getMessage();
        ObjectNode reply = replyOf(message.getBody());
        ObjectNode[] upstreamItems = reply == null ? null : itemsByIndex(reply.get("data"), pending.missPositions.length);
        if (upstreamItems == null) {
            if (pending.hits > 0) {
                throw new GatewayException(502, "upstream_error", "upstream_invalid_reply", null,
                        "The upstream did not answer the embeddings request with one embedding per input");
            }
            status(exchange, MISS); // nothing to merge: the reply goes as it came, nothing is kept
            return;
        }
        JsonNode usage = reply.get("usage");
        JsonNode promptTokens = usage == null ? null : usage.get("prompt_tokens");
        int[] shares = EmbeddingsInput.tokenShares(pending.missItems,
                promptTokens != null && promptTokens.isIntegralNumber() ? promptTokens.asInt() : -1);
        for (int j = 0; j < upstreamItems.length; j++) {
            EmbeddingsCacheKey key = pending.keys.get(pending.missPositions[j]);
            store.put(key, CachedEmbedding.of(upstreamItems[j].get("embedding"), shares[j]));
        }
        rememberUpstreamModel(pending.model, Json.textOf(reply, "model"));
        if (pending.hits > 0) {
            ArrayNode data = Json.MAPPER.createArrayNode();
            for (int i = 0, j = 0; i < pending.cached.size(); i++) {
                CachedEmbedding cached = pending.cached.get(i);
                if (cached != null) {
                    data.add(item(i, cached));
                } else {
                    data.add(upstreamItems[j++].put("index", i));
                }
            }
            reply.set("data", data);
        }
        if (usage instanceof ObjectNode usageObject) {
            usageObject.put("cached_tokens", pending.cachedTokens());
        }
        message.setBody(reply);
        status(exchange, pending.hits > 0 ? PARTIAL : MISS);
    }

    private static void status(Exchange exchange, String status) {
        exchange.setProperty(CACHE_STATUS, status);
        exchange.getMessage().setHeader(X_CACHE, status);
    }

    /** The request as the gateway parsed it; outside the gateway, the body itself. */
    private static ObjectNode requestOf(Exchange exchange) {
        Object parsed = exchange.getProperty(GatewayHeaders.REQUEST_JSON);
        if (parsed instanceof ObjectNode request) {
            return request;
        }
        Object body = exchange.getMessage().getBody();
        if (body instanceof ObjectNode request) {
            return request;
        }
        try {
            JsonNode node = body instanceof byte[] bytes ? Json.parse(bytes) : body instanceof String text ? Json.parse(text) : null;
            return node instanceof ObjectNode request ? request : null;
        } catch (JsonProcessingException e) {
            return null; // the upstream will say what is wrong with it
        }
    }

    /** The catalog model that serves (the route sets it), else the model the taas component is told, else the body's. */
    private static String modelOf(Exchange exchange, ObjectNode request) {
        String used = exchange.getProperty(GatewayHeaders.MODEL_USED, String.class);
        if (used != null && !used.isBlank()) {
            return used;
        }
        String header = exchange.getMessage().getHeader(TaasConstants.MODEL, String.class);
        if (header != null && !header.isBlank()) {
            return header;
        }
        return Json.textOf(request, "model");
    }

    private static ObjectNode replyOf(Object body) {
        if (body instanceof ObjectNode reply) {
            return reply;
        }
        try {
            JsonNode node = body instanceof byte[] bytes ? Json.parse(bytes) : body instanceof String text ? Json.parse(text) : null;
            return node instanceof ObjectNode reply ? reply : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The reply's items by their index, or null unless there is exactly one embedding for each of {@code count} inputs. */
    private static ObjectNode[] itemsByIndex(JsonNode data, int count) {
        if (data == null || !data.isArray() || data.size() != count) {
            return null;
        }
        ObjectNode[] items = new ObjectNode[count];
        for (int k = 0; k < count; k++) {
            JsonNode item = data.get(k);
            if (!(item instanceof ObjectNode object) || object.get("embedding") == null || object.get("embedding").isNull()) {
                return null;
            }
            JsonNode index = object.get("index");
            int j = index == null ? k : index.isIntegralNumber() ? index.asInt() : -1;
            if (j < 0 || j >= count || items[j] != null) {
                return null;
            }
            items[j] = object;
        }
        return items;
    }

    /** The request with only the items not cached as {@code input}; every other field as the client sent it. */
    private static ObjectNode missesOnly(ObjectNode request, List<JsonNode> missItems) {
        ObjectNode misses = Json.object();
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            if (field.getKey().equals("input")) {
                ArrayNode input = misses.putArray("input");
                missItems.forEach(input::add);
            } else {
                misses.set(field.getKey(), field.getValue());
            }
        }
        return misses;
    }

    /** OpenAI's reply, built from the cache alone. */
    private ObjectNode cachedReply(List<CachedEmbedding> cached, String model, ObjectNode request) {
        ObjectNode reply = Json.object();
        reply.put("object", "list");
        ArrayNode data = reply.putArray("data");
        int cachedTokens = 0;
        for (int i = 0; i < cached.size(); i++) {
            data.add(item(i, cached.get(i)));
            cachedTokens += cached.get(i).promptTokens();
        }
        String requested = Json.textOf(request, "model");
        reply.put("model", upstreamModels.getOrDefault(model, requested != null ? requested : model));
        reply.putObject("usage").put("prompt_tokens", 0).put("total_tokens", 0).put("cached_tokens", cachedTokens);
        return reply;
    }

    private static ObjectNode item(int index, CachedEmbedding cached) {
        ObjectNode item = Json.object();
        item.put("object", "embedding");
        item.put("index", index);
        item.putRawValue("embedding", RawJson.node(cached.json())); // written out as stored, not parsed again
        return item;
    }

    private void rememberUpstreamModel(String model, String reported) {
        if (reported != null && (upstreamModels.size() < MAX_REMEMBERED_MODELS || upstreamModels.containsKey(model))) {
            upstreamModels.put(model, reported);
        }
    }

    /** What {@link #store} needs from {@link #lookup}, kept in the exchange property {@value #PENDING}. */
    static final class Pending {

        final Object originalBody;
        final String model;
        final List<EmbeddingsCacheKey> keys;
        /** By original position; null where the item was not cached. */
        final List<CachedEmbedding> cached;
        final int hits;
        /** The original position of each item sent upstream, in the order they were sent. */
        final int[] missPositions;
        final List<JsonNode> missItems;

        Pending(Object originalBody, String model, List<EmbeddingsCacheKey> keys, List<CachedEmbedding> cached, int hits,
                int[] missPositions, List<JsonNode> missItems) {
            this.originalBody = originalBody;
            this.model = model;
            this.keys = keys;
            this.cached = cached;
            this.hits = hits;
            this.missPositions = missPositions;
            this.missItems = missItems;
        }

        int cachedTokens() {
            int total = 0;
            for (CachedEmbedding c : cached) {
                total += c != null ? c.promptTokens() : 0;
            }
            return total;
        }

        /** The original positions of the items sent upstream (for logs and tests). */
        int[] missPositions() {
            return missPositions.clone();
        }
    }
}
