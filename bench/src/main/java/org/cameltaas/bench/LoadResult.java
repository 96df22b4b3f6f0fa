package org.cameltaas.bench;

/**
 * One client's figures in one load shape, summed over its slices.
 *
 * @param load      "16 in flight", "500 req/s", ...
 * @param completed good replies inside the measurement windows
 * @param errors    failed requests
 * @param seconds   total length of the measurement windows
 */
record LoadResult(String client, boolean baseline, String load, long completed, long errors, double seconds,
                  LatencySamples.Percentiles latency) {

    double requestsPerSecond() {
        return seconds <= 0 ? 0 : completed / seconds;
    }
}
