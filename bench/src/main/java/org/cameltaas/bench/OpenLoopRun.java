package org.cameltaas.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: requests leave on a fixed schedule whatever the replies do, and latency is measured from the
 * moment a request was due, so a stall shows in the figures instead of silently lowering the rate.
 */
final class OpenLoopRun {

    /** Requests allowed to wait for a reply at once; beyond it the run counts the request as an error. */
    private static final int MAX_OUTSTANDING = 10_000;

    private OpenLoopRun() {
    }

    /** @param samples where the latencies go */
    static Slice run(ChatCaller caller, int ratePerSecond, Duration duration, LatencySamples samples)
            throws InterruptedException {
        int total = (int) Math.max(1, ratePerSecond * duration.toMillis() / 1000);
        long interval = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger outstanding = new AtomicInteger();
        CountDownLatch allDone = new CountDownLatch(total);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            waitUntil(due);
            if (outstanding.incrementAndGet() > MAX_OUTSTANDING) {
                outstanding.decrementAndGet();
                errors.incrementAndGet();
                allDone.countDown();
                continue;
            }
            ChatCaller.safely(caller).whenComplete((ok, failure) -> {
                long end = System.nanoTime();
                outstanding.decrementAndGet();
                if (failure != null || !Boolean.TRUE.equals(ok)) {
                    errors.incrementAndGet();
                } else {
                    completed.incrementAndGet();
                    samples.record(end - due);
                }
                allDone.countDown();
            });
        }
        if (!allDone.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(caller.name() + ": replies still missing a minute after the run");
        }
        return new Slice(completed.get(), errors.get(), duration.toMillis() / 1000.0);
    }

    /** parkNanos may wake early; re-park until due, never spinning for long. */
    private static void waitUntil(long due) {
        long left;
        while ((left = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
