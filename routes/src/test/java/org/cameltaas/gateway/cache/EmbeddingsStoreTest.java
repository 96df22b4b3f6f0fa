package org.cameltaas.gateway.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CaffeineEmbeddingsStore}: time-to-live on a controlled clock, the weight bound, the stats. */
class EmbeddingsStoreTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private CaffeineEmbeddingsStore store(long maxBytes, Duration ttl) {
        return new CaffeineEmbeddingsStore(maxBytes, ttl, nanos::get, Runnable::run);
    }

    private static EmbeddingsCacheKey key(String text) {
        ObjectNode request = Json.object().put("input", text);
        return EmbeddingsCacheKey.of("emb", request, request.get("input"));
    }

    /** A float vector of about {@code bytes} bytes of JSON. */
    private static CachedEmbedding vector(int bytes) {
        byte[] json = new byte[bytes];
        Arrays.fill(json, (byte) '0');
        json[0] = '[';
        json[bytes - 1] = ']';
        return new CachedEmbedding(json, 1);
    }

    @Test
    void entriesExpireAfterTheTimeToLiveFromTheWrite() {
        CaffeineEmbeddingsStore store = store(1 << 20, Duration.ofHours(24));
        store.put(key("a"), vector(100));
        nanos.addAndGet(TimeUnit.HOURS.toNanos(23));
        assertNotNull(store.get(key("a")));
        nanos.addAndGet(TimeUnit.MINUTES.toNanos(59));
        assertNotNull(store.get(key("a")), "a hit does not extend the life of an entry, but 23h59m is within 24h");
        nanos.addAndGet(TimeUnit.MINUTES.toNanos(2));
        assertNull(store.get(key("a")));
        store.put(key("a"), vector(100));
        assertNotNull(store.get(key("a")), "written again, it lives again");
    }

    @Test
    void aZeroTimeToLiveKeepsEntriesUntilEvictedForSize() {
        CaffeineEmbeddingsStore store = store(1 << 20, Duration.ZERO);
        store.put(key("a"), vector(100));
        nanos.addAndGet(TimeUnit.DAYS.toNanos(365));
        assertNotNull(store.get(key("a")));
        assertNull(store.ttl());
    }

    @Test
    void theWeightBoundEvictsByTheBytesOfTheVectors() {
        CaffeineEmbeddingsStore store = store(10_000, Duration.ofHours(1));
        for (int i = 0; i < 10; i++) {
            store.put(key("text " + i), vector(3_000));
            store.get(key("text " + i)); // some use, so the eviction policy has something to go by
        }
        store.cleanUp();
        EmbeddingsStore.Stats stats = store.stats();
        assertTrue(stats.weightBytes() <= 10_000, "weight " + stats.weightBytes());
        assertTrue(stats.entries() <= 3, "entries " + stats.entries());
        assertTrue(stats.evictions() >= 7, "evictions " + stats.evictions());
        long weight = 0;
        int held = 0;
        for (int i = 0; i < 10; i++) {
            if (store.get(key("text " + i)) != null) {
                held++;
                weight += CaffeineEmbeddingsStore.weight(key("text " + i), vector(3_000));
            }
        }
        assertEquals(stats.entries(), held);
        assertEquals(stats.weightBytes(), weight);
    }

    @Test
    void smallVectorsFitWhereLargeOnesDoNot() {
        CaffeineEmbeddingsStore store = store(10_000, null);
        for (int i = 0; i < 20; i++) {
            store.put(key("small " + i), vector(200));
        }
        store.cleanUp();
        assertEquals(20, store.stats().entries());
        store.put(key("huge"), vector(20_000)); // heavier than the whole bound: not kept
        store.cleanUp();
        assertNull(store.get(key("huge")));
    }

    @Test
    void statsCountHitsAndMissesPerItem() {
        CaffeineEmbeddingsStore store = store(1 << 20, Duration.ofHours(1));
        store.put(key("a"), vector(50));
        List<CachedEmbedding> values = store.getAll(List.of(key("a"), key("b"), key("a"), key("c")));
        assertNotNull(values.get(0));
        assertNull(values.get(1));
        assertNotNull(values.get(2));
        assertNull(values.get(3));
        store.get(key("a"));
        EmbeddingsStore.Stats stats = store.stats();
        assertTrue(stats.hits() >= 2, stats.toString());
        assertTrue(stats.misses() >= 2, stats.toString());
        assertEquals(1, stats.entries());
        assertEquals(CaffeineEmbeddingsStore.weight(key("a"), vector(50)), stats.weightBytes());
        store.clear();
        assertNull(store.get(key("a")));
    }

    @Test
    void theSizeIsInMegabytes() {
        CaffeineEmbeddingsStore store = new CaffeineEmbeddingsStore(256, Duration.ofHours(24));
        assertEquals(256L * 1024 * 1024, store.maxBytes());
        assertEquals(Duration.ofHours(24), store.ttl());
        assertThrows(IllegalArgumentException.class, () -> new CaffeineEmbeddingsStore(0, Duration.ofHours(1)));
    }

    @Test
    void valuesKeepTheirBytesAndTokens() {
        CachedEmbedding value = CachedEmbedding.of(Json.MAPPER.createArrayNode().add(0.5).add(-0.25), 7);
        assertEquals("[0.5,-0.25]", new String(value.json(), StandardCharsets.UTF_8));
        assertEquals(7, value.promptTokens());
        assertEquals(value, CachedEmbedding.of(value.embedding(), 7));
        assertEquals(value.json().length + 4, value.weight());
    }
}
