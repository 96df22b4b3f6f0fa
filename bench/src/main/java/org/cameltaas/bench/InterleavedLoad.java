package org.cameltaas.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures several clients in short alternating slices instead of one after the other, so a build or a test run
 * starting on a shared machine slows every client alike instead of whichever happened to be running. Each round
 * starts with a different client, so none always follows the same one.
 */
final class InterleavedLoad {

    private static final int SAMPLES_PER_CLIENT = 2_000_000;

    private InterleavedLoad() {
    }

    /** Closed loop at {@code concurrency}, {@code total} per client in {@code slices} slices. */
    static List<LoadResult> closedLoop(List<ChatCaller> callers, int concurrency, Duration total, int slices)
            throws InterruptedException {
        Duration slice = total.dividedBy(slices);
        return interleave(callers, concurrency + " in flight", slices,
                (caller, samples) -> ClosedLoopRun.run(caller, concurrency, Duration.ZERO, slice, samples));
    }

    /** Open loop at {@code rate} requests per second, {@code total} per client in {@code slices} slices. */
    static List<LoadResult> openLoop(List<ChatCaller> callers, int rate, Duration total, int slices)
            throws InterruptedException {
        Duration slice = total.dividedBy(slices);
        return interleave(callers, rate + " req/s", slices,
                (caller, samples) -> OpenLoopRun.run(caller, rate, slice, samples));
    }

    private interface SliceRunner {
        Slice run(ChatCaller caller, LatencySamples samples) throws InterruptedException;
    }

    private static List<LoadResult> interleave(List<ChatCaller> callers, String load, int slices, SliceRunner runner)
            throws InterruptedException {
        int n = callers.size();
        List<LatencySamples> samples = new ArrayList<>();
        List<Slice> sums = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new LatencySamples(SAMPLES_PER_CLIENT));
            sums.add(new Slice(0, 0, 0));
        }
        for (int round = 0; round < slices; round++) {
            for (int k = 0; k < n; k++) {
                int i = (round + k) % n;
                sums.set(i, sums.get(i).plus(runner.run(callers.get(i), samples.get(i))));
            }
        }
        List<LoadResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChatCaller caller = callers.get(i);
            Slice sum = sums.get(i);
            results.add(new LoadResult(caller.name(), caller.isBaseline(), load, sum.completed(), sum.errors(),
                    sum.seconds(), samples.get(i).percentiles()));
        }
        return results;
    }
}
