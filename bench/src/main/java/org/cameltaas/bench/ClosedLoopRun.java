package org.cameltaas.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load: a fixed number of requests in flight, each completion sending the next one at once. Figures
 * cover only the requests that complete inside the measurement window that follows the warm-up; the run ends
 * once the last reply is in, so the next run starts on a quiet client.
 */
final class ClosedLoopRun {

    /** More failures than this and the run gives up: a harness bug, not a figure. */
    private static final long MAX_ERRORS = 10_000;

    private final ChatCaller caller;
    private final int concurrency;
    private final long windowStart;
    private final long windowEnd;
    private final LatencySamples samples;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final CountDownLatch slotsDone;

    private ClosedLoopRun(ChatCaller caller, int concurrency, Duration warmup, Duration measure,
                          LatencySamples samples) {
        this.caller = caller;
        this.concurrency = concurrency;
        this.windowStart = System.nanoTime() + warmup.toNanos();
        this.windowEnd = windowStart + measure.toNanos();
        this.samples = samples;
        this.slotsDone = new CountDownLatch(concurrency);
    }

    /** @param samples where the latencies of the measurement window go */
    static Slice run(ChatCaller caller, int concurrency, Duration warmup, Duration measure, LatencySamples samples)
            throws InterruptedException {
        return new ClosedLoopRun(caller, concurrency, warmup, measure, samples).execute(warmup.plus(measure));
    }

    private Slice execute(Duration total) throws InterruptedException {
        for (int slot = 0; slot < concurrency; slot++) {
            sendNext();
        }
        // bounded: every slot stops sending at windowEnd, so this waits for the last replies only
        if (!slotsDone.await(total.toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(caller.name() + ": requests still in flight a minute after the run");
        }
        return new Slice(completed.get(), errors.get(), (windowEnd - windowStart) / 1e9);
    }

    private void sendNext() {
        long start = System.nanoTime();
        if (start >= windowEnd || errors.get() > MAX_ERRORS) {
            slotsDone.countDown();
            return;
        }
        CompletableFuture<Boolean> reply = ChatCaller.safely(caller);
        if (reply.isDone()) {
            // completed on this very thread: continue elsewhere so the stack cannot grow with each request
            reply.whenCompleteAsync((ok, failure) -> completed(start, ok, failure));
        } else {
            reply.whenComplete((ok, failure) -> completed(start, ok, failure));
        }
    }

    private void completed(long start, Boolean ok, Throwable failure) {
        long end = System.nanoTime();
        if (failure != null || !Boolean.TRUE.equals(ok)) {
            errors.incrementAndGet();
        } else if (end >= windowStart && end < windowEnd) {
            completed.incrementAndGet();
            samples.record(end - start);
        }
        sendNext();
    }
}
