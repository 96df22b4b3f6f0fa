package org.cameltaas.gateway.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** The one bucket shape every limit uses, for both back ends. */
final class Buckets {

    private Buckets() {
    }

    /**
     * Full at the start; refilled completely once per period (a window that opens at the bucket's first use), so
     * "100 per minute" admits exactly 100 in any such window, however the requests are spread over replicas.
     * A greedy refill would trickle tokens back every 600 ms and admit a few more than the limit in a burst.
     */
    static Bandwidth bandwidth(Rate rate) {
        return Bandwidth.builder().capacity(rate.amount()).refillIntervally(rate.amount(), rate.period()).build();
    }

    static BucketConfiguration configuration(Rate rate) {
        return BucketConfiguration.builder().addLimit(bandwidth(rate)).build();
    }

    static RateLimiter.Probe probe(ConsumptionProbe probe) {
        return new RateLimiter.Probe(probe.isConsumed(), Math.max(0, probe.getRemainingTokens()),
                probe.getNanosToWaitForReset(), probe.getNanosToWaitForRefill());
    }
}
