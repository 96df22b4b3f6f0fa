package org.cameltaas.gateway.limits;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Processor;
import org.cameltaas.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits as the environment sets them up: the back end ({@code TAAS_REDIS_URL}, else in process), the
 * per-IP net ({@code TAAS_IP_LIMIT}, {@code TAAS_TRUSTED_PROXIES}) and what a Redis outage does
 * ({@code TAAS_REDIS_FAIL_OPEN}). See docs/limits.md.
 */
public final class RateLimits implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    static final String DEFAULT_IP_LIMIT = "5000/10m";

    private final RateLimiter limiter;
    private final LimiterFailures failures;
    private final Rate ipRate;
    private final ClientIps clientIps;
    private final GatewayMetrics metrics;

    RateLimits(RateLimiter limiter, LimiterFailures failures, Rate ipRate, ClientIps clientIps, GatewayMetrics metrics) {
        this.limiter = limiter;
        this.failures = failures;
        this.ipRate = ipRate;
        this.clientIps = clientIps;
        this.metrics = metrics;
    }

    public static RateLimits fromEnv(Map<String, String> env, GatewayMetrics metrics) {
        String redisUrl = env.get("TAAS_REDIS_URL");
        Duration timeout = Duration.ofMillis(Long.parseLong(env.getOrDefault("TAAS_REDIS_TIMEOUT_MS", "1000")));
        RateLimiter limiter = redisUrl == null || redisUrl.isBlank() ? new EmbeddedRateLimiter()
                : new RedisRateLimiter(redisUrl.trim(), timeout);
        boolean failOpen = "true".equalsIgnoreCase(env.get("TAAS_REDIS_FAIL_OPEN"));
        String ipSpec = env.getOrDefault("TAAS_IP_LIMIT", DEFAULT_IP_LIMIT).trim();
        Rate ipRate = ipSpec.equalsIgnoreCase("off") ? null : Rate.parse(ipSpec);
        LOG.info("Rate limits in {} ({}); per client IP: {}", limiter.name(),
                limiter instanceof RedisRateLimiter ? (failOpen ? "fail open" : "fail closed") : "this replica only",
                ipRate == null ? "off" : ipSpec);
        return new RateLimits(limiter, new LimiterFailures(failOpen, limiter.name(), metrics), ipRate,
                new ClientIps(env.get("TAAS_TRUSTED_PROXIES")), metrics);
    }

    /** The per-IP net, then {@code authentication}: the step the YAML calls {@code authenticate}. */
    public Processor beforeAuthentication(Processor authentication) {
        return new ClientIpLimit(limiter, ipRate, clientIps, failures, metrics, authentication);
    }

    /** The token's limits: the step the YAML calls {@code rateLimits}, before routing by model. */
    public Processor tokenLimits() {
        return new TokenLimits(limiter, failures, metrics);
    }

    @Override
    public void close() {
        limiter.close();
    }
}
