package org.cameltaas.gateway.limits;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;

/**
 * Limits of one process (the default, no Redis): Bucket4j's lock-free local buckets, dropped after two idle periods
 * (a bucket left alone that long is full again) and bounded in number (client IPs are many).
 */
public final class EmbeddedRateLimiter implements RateLimiter {

    static final int MAX_BUCKETS = 500_000;

    private record Entry(Bucket bucket, Duration period) {
    }

    private final Cache<String, Entry> buckets = Caffeine.newBuilder()
            .maximumSize(MAX_BUCKETS)
            .expireAfter(new Expiry<String, Entry>() {
                public long expireAfterCreate(String key, Entry entry, long now) {
                    return entry.period.multipliedBy(2).toNanos();
                }

                public long expireAfterUpdate(String key, Entry entry, long now, long current) {
                    return current;
                }

                public long expireAfterRead(String key, Entry entry, long now, long current) {
                    return entry.period.multipliedBy(2).toNanos();
                }
            })
            .build();
    private final ConcurrentHashMap<String, Integer> slots = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Probe> tryConsume(String key, Rate rate, long amount) {
        return CompletableFuture.completedFuture(Buckets.probe(bucket(key, rate).tryConsumeAndReturnRemaining(amount)));
    }

    @Override
    public CompletableFuture<Void> adjust(String key, Rate rate, long delta) {
        Bucket bucket = bucket(key, rate);
        if (delta > 0) {
            bucket.consumeIgnoringRateLimits(delta);
        } else if (delta < 0) {
            bucket.addTokens(-delta);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> acquireSlot(String key, int max, String leaseId) {
        boolean[] taken = new boolean[1];
        slots.compute(key, (k, held) -> {
            int count = held == null ? 0 : held;
            taken[0] = count < max;
            return taken[0] ? count + 1 : held;
        });
        return CompletableFuture.completedFuture(taken[0]);
    }

    @Override
    public CompletableFuture<Void> releaseSlot(String key, String leaseId) {
        slots.computeIfPresent(key, (k, held) -> held <= 1 ? null : held - 1);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public void close() {
    }

    private Bucket bucket(String key, Rate rate) {
        return buckets.get(key, k -> new Entry(Bucket.builder().addLimit(Buckets.bandwidth(rate)).build(), rate.period())).bucket;
    }
}
