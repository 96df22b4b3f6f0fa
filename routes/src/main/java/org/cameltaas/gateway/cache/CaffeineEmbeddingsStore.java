package org.cameltaas.gateway.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

/**
 * The in-process store: a Caffeine cache bounded by weight (the serialized bytes of keys and vectors, so the bound
 * holds whatever the dimensions) with a time-to-live counted from the write. Hits do not extend the life of an entry.
 */
public final class CaffeineEmbeddingsStore implements EmbeddingsStore {

    public static final long DEFAULT_MAX_MEGABYTES = 256;
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private final Cache<EmbeddingsCacheKey, CachedEmbedding> cache;
    private final long maxBytes;
    private final Duration ttl;

    /**
     * @param maxMegabytes the bound, in MiB of serialized keys and vectors; must be positive
     * @param ttl          how long an entry lives after it is written; zero or null: until evicted for size
     */
    public CaffeineEmbeddingsStore(long maxMegabytes, Duration ttl) {
        this(checkedMegabytes(maxMegabytes) * 1024 * 1024, ttl, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /**
     * A store with a bound in bytes, a clock and an executor of its own, for tests: a fake {@link Ticker} makes
     * entries expire without waiting, {@code Runnable::run} makes evictions happen on the caller's thread.
     */
    public CaffeineEmbeddingsStore(long maxBytes, Duration ttl, Ticker ticker, Executor executor) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the embeddings cache needs a positive size, not " + maxBytes + " bytes");
        }
        this.maxBytes = maxBytes;
        this.ttl = ttl == null || ttl.isNegative() || ttl.isZero() ? null : ttl;
        Caffeine<EmbeddingsCacheKey, CachedEmbedding> builder = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((EmbeddingsCacheKey key, CachedEmbedding value) -> weight(key, value))
                .ticker(ticker)
                .executor(executor)
                .recordStats();
        if (this.ttl != null) {
            builder.expireAfterWrite(this.ttl);
        }
        this.cache = builder.build();
    }

    private static long checkedMegabytes(long maxMegabytes) {
        if (maxMegabytes <= 0 || maxMegabytes > Long.MAX_VALUE / (1024 * 1024)) {
            throw new IllegalArgumentException("the embeddings cache needs a positive size, not " + maxMegabytes + " MB");
        }
        return maxMegabytes;
    }

    static int weight(EmbeddingsCacheKey key, CachedEmbedding value) {
        long weight = (long) key.weight() + value.weight();
        return (int) Math.min(Integer.MAX_VALUE, weight);
    }

    @Override
    public CachedEmbedding get(EmbeddingsCacheKey key) {
        return cache.getIfPresent(key);
    }

    @Override
    public List<CachedEmbedding> getAll(List<EmbeddingsCacheKey> keys) {
        Map<EmbeddingsCacheKey, CachedEmbedding> present = cache.getAllPresent(keys);
        List<CachedEmbedding> values = new ArrayList<>(keys.size());
        for (EmbeddingsCacheKey key : keys) {
            values.add(present.get(key));
        }
        return values;
    }

    @Override
    public void put(EmbeddingsCacheKey key, CachedEmbedding value) {
        cache.put(key, value);
    }

    @Override
    public void clear() {
        cache.invalidateAll();
    }

    @Override
    public Stats stats() {
        CacheStats stats = cache.stats();
        long weight = cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(-1L)).orElse(-1L);
        return new Stats(stats.hitCount(), stats.missCount(), stats.evictionCount(), cache.estimatedSize(), weight);
    }

    /** Runs pending maintenance (evictions, expirations) now; Caffeine otherwise does it on its executor. */
    public void cleanUp() {
        cache.cleanUp();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The time-to-live, or null when entries live until evicted for size. */
    public Duration ttl() {
        return ttl;
    }

    @Override
    public String toString() {
        return "CaffeineEmbeddingsStore[max " + maxBytes + " bytes, ttl " + (ttl == null ? "none" : ttl) + "]";
    }
}
