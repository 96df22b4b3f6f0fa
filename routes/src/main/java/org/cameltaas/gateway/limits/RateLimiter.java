package org.cameltaas.gateway.limits;

import java.util.concurrent.CompletableFuture;

/**
 * Where rate-limit state lives: buckets (requests or tokens per period) and slots (requests in flight). The embedded
 * back end keeps them in this process; the Redis one shares them between replicas, so N replicas enforce one limit.
 * Every call is asynchronous (no thread waits on Redis); a future that fails means the back end is unreachable.
 */
public interface RateLimiter extends AutoCloseable {

    /** Takes {@code amount} from the bucket {@code key} (created full at {@code rate}) if it holds that much. */
    CompletableFuture<Probe> tryConsume(String key, Rate rate, long amount);

    /**
     * Corrects a bucket after the fact: a positive {@code delta} is taken even if it leaves the bucket in debt, a
     * negative one is given back (never above the bucket's capacity).
     */
    CompletableFuture<Void> adjust(String key, Rate rate, long delta);

    /** Takes one of {@code max} slots for {@code leaseId}; false when all are held. */
    CompletableFuture<Boolean> acquireSlot(String key, int max, String leaseId);

    /** Gives a slot back (a no-op for a lease that is no longer held). */
    CompletableFuture<Void> releaseSlot(String key, String leaseId);

    /** "embedded" or "redis", for logs and metrics. */
    String name();

    @Override
    void close();

    /**
     * What a bucket said: whether it gave what was asked, what is left, when it is full again, and (when it said
     * no) how long until it could say yes.
     */
    record Probe(boolean consumed, long remaining, long nanosToReset, long nanosToRetry) {
    }
}
