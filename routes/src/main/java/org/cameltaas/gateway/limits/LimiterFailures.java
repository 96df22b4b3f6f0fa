package org.cameltaas.gateway.limits;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request gets when the limiter's back end (Redis) cannot answer. By default it fails closed: 503
 * {@code rate_limiter_unavailable} with {@code Retry-After: 1}. Not 429: the client did nothing wrong, a 429 would
 * tell it (and its dashboards) that its own quota ran out, and 5xx is what operators' alerts watch. SDKs retry both.
 * {@code TAAS_REDIS_FAIL_OPEN=true} lets requests through unlimited instead (never "limited per replica", which would
 * silently multiply every limit by the number of replicas). Either way every such request is counted in
 * {@code taas_rate_limiter_failures_total}, and the outage is logged when it starts and when it ends.
 */
public final class LimiterFailures {

    private static final Logger LOG = LoggerFactory.getLogger(LimiterFailures.class);

    private final boolean failOpen;
    private final String backend;
    private final GatewayMetrics metrics;
    private final AtomicBoolean failing = new AtomicBoolean();

    public LimiterFailures(boolean failOpen, String backend, GatewayMetrics metrics) {
        this.failOpen = failOpen;
        this.backend = backend;
        this.metrics = metrics;
    }

    /** Called when a decision came back: ends an outage in the log. */
    void succeeded() {
        if (failing.get() && failing.compareAndSet(true, false)) {
            LOG.info("Rate limiter back end ({}) answers again: limits are enforced", backend);
        }
    }

    /**
     * Called when the back end failed; returns normally when the request may go on unlimited (fail-open), throws
     * the 503 otherwise.
     */
    void failed(Exchange exchange, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        metrics.rateLimiterFailure(failOpen ? "allowed" : "refused");
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Rate limiter back end ({}) unreachable: {}; requests are {} until it answers again", backend,
                    cause.toString(), failOpen ? "let through unlimited (TAAS_REDIS_FAIL_OPEN=true)" : "refused with 503");
        }
        if (!failOpen) {
            exchange.getMessage().setHeader("Retry-After", "1");
            throw new GatewayException(503, "service_unavailable", "rate_limiter_unavailable", null,
                    "The gateway cannot check rate limits right now; retry in a moment.");
        }
    }

    boolean failOpen() {
        return failOpen;
    }
}
