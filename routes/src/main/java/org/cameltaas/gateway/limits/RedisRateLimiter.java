package org.cameltaas.gateway.limits;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * Limits shared by every replica through one Redis ({@code TAAS_REDIS_URL}).
 * <ul>
 * <li>Buckets: Bucket4j's Lettuce back end (compare-and-swap in Redis, so concurrent replicas never both take the
 * last token); keys expire once a bucket would be full again.</li>
 * <li>Slots (requests in flight): one sorted set per key whose members are leases scored by their expiry in Redis'
 * own clock. Taking a slot drops expired leases and counts the rest in one script; this replica renews the leases
 * it holds every {@link #LEASE_TTL}/3, so a replica that dies without releasing its slots frees them within
 * {@link #LEASE_TTL}. A stream longer than that keeps its slot as long as its replica is alive.</li>
 * </ul>
 * Commands fail fast when Redis is unreachable (no queueing while disconnected, a short timeout), so a request
 * never waits long for a decision; what then happens is {@link LimiterFailures}' decision.
 */
public final class RedisRateLimiter implements RateLimiter {

    static final Duration LEASE_TTL = Duration.ofSeconds(30);
    private static final String PREFIX = "taas:rl:";

    // KEYS[1] the slot set; ARGV: max, lease id, ttl ms
    private static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = t[1] * 1000 + math.floor(t[2] / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return 1
            end
            return 0
            """;
    // KEYS[1] the slot set; ARGV: lease id, ttl ms
    private static final String RENEW = """
            if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
              local t = redis.call('TIME')
              redis.call('ZADD', KEYS[1], t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[2]), ARGV[1])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """;

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final AsyncProxyManager<byte[]> buckets;
    /**
     * One proxy per bucket, kept while in use: its batching merges the requests of this replica that arrive while
     * one is in flight into one exact compare-and-swap. Without it, 200 concurrent requests on one bucket were 200
     * CAS rounds racing each other, and some timed out.
     */
    private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private final Map<Lease, Boolean> leases = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    private record Lease(String key, String id) {
    }

    /** Connects to {@code redis://host:port} (fails at once when Redis is not there at start). */
    public RedisRateLimiter(String url, Duration timeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        redis = connection.async();
        buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .requestTimeout(timeout)
                .build()
                .asAsync();
        renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "TaasRateLimitLeases");
            thread.setDaemon(true);
            return thread;
        });
        long every = LEASE_TTL.toMillis() / 3;
        renewer.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Probe> tryConsume(String key, Rate rate, long amount) {
        return bucket(key, rate).tryConsumeAndReturnRemaining(amount).thenApply(Buckets::probe);
    }

    @Override
    public CompletableFuture<Void> adjust(String key, Rate rate, long delta) {
        if (delta > 0) {
            return bucket(key, rate).consumeIgnoringRateLimits(delta).thenApply(ignored -> null);
        }
        return delta < 0 ? bucket(key, rate).addTokens(-delta) : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> acquireSlot(String key, int max, String leaseId) {
        byte[][] keys = {bytes(PREFIX + key)};
        return redis.<Long>eval(ACQUIRE, ScriptOutputType.INTEGER, keys, bytes(String.valueOf(max)), bytes(leaseId),
                bytes(String.valueOf(LEASE_TTL.toMillis()))).toCompletableFuture().thenApply(taken -> {
                    if (taken == 1L) {
                        leases.put(new Lease(key, leaseId), Boolean.TRUE);
                    }
                    return taken == 1L;
                });
    }

    @Override
    public CompletableFuture<Void> releaseSlot(String key, String leaseId) {
        leases.remove(new Lease(key, leaseId));
        return redis.zrem(bytes(PREFIX + key), bytes(leaseId)).toCompletableFuture().thenApply(ignored -> null);
    }

    /** Pushes the expiry of every lease this replica holds; a lease Redis no longer knows is forgotten. */
    private void renewLeases() {
        String ttl = String.valueOf(LEASE_TTL.toMillis());
        for (Lease lease : leases.keySet()) {
            redis.<Long>eval(RENEW, ScriptOutputType.INTEGER, new byte[][] {bytes(PREFIX + lease.key())}, bytes(lease.id()),
                    bytes(ttl)).thenAccept(renewed -> {
                        if (renewed == 0L) {
                            leases.remove(lease);
                        }
                    });
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private AsyncBucketProxy bucket(String key, Rate rate) {
        return proxies.get(key, k -> buckets.builder().withOptimization(Optimizations.batching())
                .build(bytes(PREFIX + k), () -> CompletableFuture.completedFuture(Buckets.configuration(rate))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
