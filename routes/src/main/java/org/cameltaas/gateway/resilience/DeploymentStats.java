package org.cameltaas.gateway.resilience;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the gateway has seen of each deployment (a model route): requests in flight, a latency average that follows
 * recent calls (EWMA), and the last failure. The balancing policies read it; the health endpoint shows it.
 */
public class DeploymentStats {

    /** Weight of the newest sample in the latency average: about the last ten calls matter. */
    private static final double ALPHA = 0.2;
    /** How long a failed deployment is ranked last; after that it gets traffic again, which tells if it recovered. */
    private static final long FAILING_FOR_MILLIS = 10_000;

    /** One deployment's numbers. */
    public static final class Deployment {
        final AtomicInteger inFlight = new AtomicInteger();
        volatile double latencyMillis = -1;
        volatile long successes;
        volatile long failures;
        volatile String lastError;
        volatile long lastErrorAt;
        volatile long lastSuccessAt;

        public int inFlight() {
            return inFlight.get();
        }

        /** The recent average latency in ms, or -1 before the first success. */
        public double latencyMillis() {
            return latencyMillis;
        }

        public long successes() {
            return successes;
        }

        public long failures() {
            return failures;
        }

        public String lastError() {
            return lastError;
        }

        public long lastErrorAt() {
            return lastErrorAt;
        }

        /** Failing now: its latest outcome was a failure, and a recent one. */
        public boolean failing() {
            return lastErrorAt > lastSuccessAt && System.currentTimeMillis() - lastErrorAt < FAILING_FOR_MILLIS;
        }
    }

    private final Map<String, Deployment> deployments = new ConcurrentHashMap<>();

    public Deployment of(String name) {
        return deployments.computeIfAbsent(name, n -> new Deployment());
    }

    public Map<String, Deployment> all() {
        return deployments;
    }

    void started(String name) {
        of(name).inFlight.incrementAndGet();
    }

    synchronized void succeeded(String name, double millis) {
        Deployment d = of(name);
        d.inFlight.decrementAndGet();
        d.latencyMillis = d.latencyMillis < 0 ? millis : ALPHA * millis + (1 - ALPHA) * d.latencyMillis;
        d.successes++;
        d.lastSuccessAt = System.currentTimeMillis();
    }

    synchronized void failed(String name, String error) {
        Deployment d = of(name);
        d.inFlight.decrementAndGet();
        d.failures++;
        d.lastError = error;
        d.lastErrorAt = System.currentTimeMillis();
    }
}
