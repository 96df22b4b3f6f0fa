package org.cameltaas.bench;

/**
 * What one stretch of load did (latencies go to a shared {@link LatencySamples}).
 *
 * @param completed good replies inside the measurement window
 * @param errors    failed requests
 * @param seconds   length of the measurement window
 */
record Slice(long completed, long errors, double seconds) {

    Slice plus(Slice other) {
        return new Slice(completed + other.completed, errors + other.errors, seconds + other.seconds);
    }
}
