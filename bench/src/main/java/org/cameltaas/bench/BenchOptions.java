package org.cameltaas.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how hard each part of the benchmark runs. {@link #full()} is the documented run (about four
 * minutes on two cores); {@link #smoke()} only proves the harness works.
 *
 * @param warmup             closed-loop load before each client's measurements, to let the JIT settle
 * @param measure            length of each client's closed-loop measurement, split into {@code slices}
 * @param concurrencies      requests kept in flight in the closed-loop measurements
 * @param openLoopRate       requests per second of the open-loop measurement
 * @param openLoopDuration   length of each client's open-loop measurement, split into {@code slices}
 * @param streams            concurrent streams held open for the memory measurement
 * @param streamWords        words of each slow stream's reply, enough to outlive the measurement
 * @param streamChunkDelay   delay before each event of a slow stream
 * @param raiseCamelQueueLimit raise Camel's default 1000-task queue limit (see docs/BENCHMARKS.md)
 * @param gcRounds           full collections per heap reading (the smallest reading is kept)
 * @param slices             how many alternating slices each measurement is cut into (see InterleavedLoad)
 */
public record BenchOptions(Duration warmup, Duration measure, List<Integer> concurrencies, int openLoopRate,
                           Duration openLoopDuration, int streams, int streamWords, Duration streamChunkDelay,
                           boolean raiseCamelQueueLimit, int gcRounds, int slices) {

    public static BenchOptions full() {
        return new BenchOptions(Duration.ofSeconds(5), Duration.ofSeconds(10), List.of(16, 64), 500,
                Duration.ofSeconds(10), 2000, 600, Duration.ofSeconds(1), true, 5, 5);
    }

    /** About 200 requests per measurement and 50 streams: seconds, not minutes. */
    public static BenchOptions smoke() {
        return new BenchOptions(Duration.ofMillis(300), Duration.ofMillis(300), List.of(4), 200,
                Duration.ofSeconds(1), 50, 100, Duration.ofMillis(200), true, 1, 2);
    }

    public BenchOptions withRaiseCamelQueueLimit(boolean raise) {
        return new BenchOptions(warmup, measure, concurrencies, openLoopRate, openLoopDuration, streams, streamWords,
                streamChunkDelay, raise, gcRounds, slices);
    }

    public BenchOptions withStreams(int count) {
        return new BenchOptions(warmup, measure, concurrencies, openLoopRate, openLoopDuration, count, streamWords,
                streamChunkDelay, raiseCamelQueueLimit, gcRounds, slices);
    }
}
