package org.cameltaas.connector;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: doubling from {@code min} to {@code max}, each drawn uniformly from its upper half ("equal
 * jitter"), so a gateway restart is not met by every connector at the same instant. Reset once a tunnel is up.
 */
final class Backoff {

    private final long minMillis;
    private final long maxMillis;
    private long current;

    Backoff(long minMillis, long maxMillis) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.current = minMillis;
    }

    synchronized long next() {
        long ceiling = current;
        current = Math.min(maxMillis, current * 2);
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }

    synchronized void reset() {
        current = minMillis;
    }
}
