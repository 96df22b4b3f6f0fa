package org.cameltaas.gateway.limits;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.metrics.GatewayMetrics;

/**
 * The token's own limits, checked once the request is read and before it is routed: a slot among
 * {@code max_concurrent}, one of {@code rpm}, and the prompt estimate from {@code tpm}. A refusal gives back what
 * the earlier checks took. An admitted request leaves a {@link RateLimitLease} that gives its slot back and
 * corrects the tokens when the reply (or the stream) ends.
 */
public final class TokenLimits extends AsyncProcessorSupport {

    static final long CONCURRENCY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RateLimiter limiter;
    private final LimiterFailures failures;
    private final GatewayMetrics metrics;
    /** Lease ids name their replica, so a slot's holder can be told in Redis. */
    private final String replica = UUID.randomUUID().toString().substring(0, 8);
    /** Lease ids only need to be unique per replica: a counter, not a random UUID per request. */
    private final AtomicLong leases = new AtomicLong();

    public TokenLimits(RateLimiter limiter, LimiterFailures failures, GatewayMetrics metrics) {
        this.limiter = limiter;
        this.failures = failures;
        this.metrics = metrics;
    }

    /** What the checks took so far, to give back on a refusal. */
    private static final class Admission {
        boolean slot;
        RateLimiter.Probe rpm;
        RateLimiter.Probe tpm;
        String rejected;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        if (principal == null || principal.limits().none()) {
            callback.done(true);
            return true;
        }
        Limits limits = principal.limits();
        String token = principal.tokenId();
        String slotKey = limits.maxConcurrent() != null ? "conc:" + token : null;
        String leaseId = replica + ":" + leases.incrementAndGet();
        Rate rpm = limits.rpm() != null ? Rate.perMinute(limits.rpm()) : null;
        String rpmKey = rpm != null ? "rpm:" + token + ":" + rpm.keyPart() : null;
        Rate tpm = limits.tpm() != null ? Rate.perMinute(limits.tpm()) : null;
        String tpmKey = tpm != null ? "tpm:" + token + ":" + tpm.keyPart() : null;
        long estimate = tpm != null ? PromptTokens.of(exchange) : 0;

        Admission admission = new Admission();
        CompletableFuture<Admission> checks = CompletableFuture.completedFuture(admission);
        if (slotKey != null) {
            checks = checks.thenCompose(a -> limiter.acquireSlot(slotKey, limits.maxConcurrent(), leaseId).thenApply(taken -> {
                a.slot = taken;
                a.rejected = taken ? null : "concurrency";
                return a;
            }));
        }
        if (rpm != null) {
            checks = checks.thenCompose(a -> a.rejected != null ? CompletableFuture.completedFuture(a)
                    : limiter.tryConsume(rpmKey, rpm, 1).thenApply(probe -> {
                        a.rpm = probe;
                        a.rejected = probe.consumed() ? null : "rpm";
                        return a;
                    }));
        }
        if (tpm != null) {
            checks = checks.thenCompose(a -> a.rejected != null ? CompletableFuture.completedFuture(a)
                    : limiter.tryConsume(tpmKey, tpm, estimate).thenApply(probe -> {
                        a.tpm = probe;
                        a.rejected = probe.consumed() ? null : "tpm";
                        return a;
                    }));
        }
        return Decisions.await(exchange, checks, callback, (a, error) -> {
            if (error != null) {
                giveBack(admission, slotKey, leaseId, rpmKey, rpm);
                failures.failed(exchange, error); // throws unless failing open
                return;
            }
            failures.succeeded();
            RateLimitHeaders headers = RateLimitHeaders.of(exchange);
            if (a.rpm != null) {
                headers.requests(rpm.amount(), a.rpm);
            }
            if (a.tpm != null) {
                headers.tokens(tpm.amount(), a.tpm);
            }
            if (a.rejected != null) {
                giveBack(a, slotKey, leaseId, rpmKey, rpm);
                throw switch (a.rejected) {
                    case "concurrency" -> Rejections.tooMany(exchange, metrics, "concurrency", "requests",
                            "Too many requests in flight for token " + token + ": limit " + limits.maxConcurrent() + ".",
                            CONCURRENCY_RETRY_NANOS);
                    case "rpm" -> Rejections.tooMany(exchange, metrics, "rpm", "requests",
                            "Rate limit reached for requests per minute (RPM) for token " + token + ": limit " + rpm.amount()
                                    + ", remaining 0.", a.rpm.nanosToRetry());
                    default -> Rejections.tooMany(exchange, metrics, "tpm", "tokens",
                            (estimate > tpm.amount() ? "Request too large for tokens per minute (TPM)" : "Rate limit reached for "
                                    + "tokens per minute (TPM)") + " for token " + token + ": limit " + tpm.amount()
                                    + ", remaining " + a.tpm.remaining() + ", requested about " + estimate + ".",
                            estimate > tpm.amount() ? a.tpm.nanosToReset() : a.tpm.nanosToRetry());
                };
            }
            RateLimitLease.open(exchange, new RateLimitLease(limiter, metrics, slotKey, leaseId, tpmKey, tpm, estimate));
        });
    }

    /** Gives back what a refused (or failed) admission took; best effort, the reply does not wait for it. */
    private void giveBack(Admission a, String slotKey, String leaseId, String rpmKey, Rate rpm) {
        if (a.slot) {
            limiter.releaseSlot(slotKey, leaseId);
        }
        if (a.rpm != null && a.rpm.consumed()) {
            limiter.adjust(rpmKey, rpm, -1);
        }
    }
}
