package org.cameltaas.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Latencies in nanoseconds in a preallocated array: recording costs one atomic increment and no allocation, so
 * the recorder does not disturb what it measures. Samples beyond the capacity are counted but dropped.
 */
final class LatencySamples {

    private final long[] values;
    private final AtomicInteger next = new AtomicInteger();

    LatencySamples(int capacity) {
        values = new long[capacity];
    }

    void record(long nanos) {
        int i = next.getAndIncrement();
        if (i < values.length) {
            values[i] = nanos;
        }
    }

    int count() {
        return next.get();
    }

    /** Nearest-rank percentiles, in microseconds, of the samples kept; call once recording has stopped. */
    Percentiles percentiles() {
        int n = Math.min(next.get(), values.length);
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return new Percentiles(micros(sorted, 0.50), micros(sorted, 0.99), micros(sorted, 0.999),
                n == 0 ? 0 : sorted[n - 1] / 1000.0);
    }

    private static double micros(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }

    /** Latency percentiles in microseconds. */
    record Percentiles(double p50, double p99, double p999, double max) {
    }
}
