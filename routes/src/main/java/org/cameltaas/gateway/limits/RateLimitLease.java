package org.cameltaas.gateway.limits;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an admitted request holds until it ends: its concurrency slot and its tokens-per-minute estimate. Ended
 * exactly once: by the reply ({@link #onReply}, a stream when it ends), by the error reply ({@link #onError}), or,
 * should neither run, when the exchange completes. The tokens are then corrected to the usage the upstream
 * reported (a stream's final usage); a failed request gives its estimate back; a reply without usage keeps it.
 */
public final class RateLimitLease {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitLease.class);
    static final String PROPERTY = "TaasRateLimitLease";

    private final RateLimiter limiter;
    private final GatewayMetrics metrics;
    private final String slotKey;
    private final String leaseId;
    private final String tpmKey;
    private final Rate tpm;
    private final long estimate;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean handedToStream;

    RateLimitLease(RateLimiter limiter, GatewayMetrics metrics, String slotKey, String leaseId, String tpmKey, Rate tpm,
                   long estimate) {
        this.limiter = limiter;
        this.metrics = metrics;
        this.slotKey = slotKey;
        this.leaseId = leaseId;
        this.tpmKey = tpmKey;
        this.tpm = tpm;
        this.estimate = estimate;
    }

    static void open(Exchange exchange, RateLimitLease lease) {
        if (lease.slotKey == null && lease.tpmKey == null) {
            return; // an rpm limit alone holds nothing
        }
        exchange.setProperty(PROPERTY, lease);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                if (!lease.handedToStream) {
                    lease.end(null, done.isFailed());
                }
            }
        });
    }

    /** A reply is ready: a stream ends the lease when it ends, any other reply now, with the reported usage. */
    public static void onReply(Exchange exchange, Object body) {
        RateLimitLease lease = exchange.getProperty(PROPERTY, RateLimitLease.class);
        if (lease == null) {
            return;
        }
        if (body instanceof TaasStream stream) {
            lease.handedToStream = true;
            stream.completion().thenAccept(result -> lease.end(result.usage(), false));
        } else {
            lease.end(exchange.getMessage().getHeader(TaasConstants.USAGE, TaasUsage.class), false);
        }
    }

    /** The request failed before any reply: nothing was generated, the estimate goes back. */
    public static void onError(Exchange exchange) {
        RateLimitLease lease = exchange.getProperty(PROPERTY, RateLimitLease.class);
        if (lease != null) {
            lease.end(null, true);
        }
    }

    void end(TaasUsage usage, boolean failed) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (slotKey != null) {
            watch(limiter.releaseSlot(slotKey, leaseId));
        }
        if (tpmKey != null) {
            long actual = failed ? 0 : usage != null && usage.totalTokens() > 0 ? usage.totalTokens() : estimate;
            if (actual != estimate) {
                watch(limiter.adjust(tpmKey, tpm, actual - estimate));
            }
        }
    }

    /** A release or correction Redis did not take: counted; a lost slot comes back when its lease expires. */
    private void watch(CompletableFuture<Void> done) {
        done.whenComplete((ignored, error) -> {
            if (error != null) {
                metrics.rateLimiterFailure("correction");
                LOG.debug("Rate limit correction not recorded: {}", error.toString());
            }
        });
    }
}
