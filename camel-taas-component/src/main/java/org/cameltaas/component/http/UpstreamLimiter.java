package org.cameltaas.component.http;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps the requests in flight to one upstream without holding a thread: a caller over the limit gets a future
 * that completes when a permit is released. A waiter that gives up cancels its future and is skipped.
 */
public final class UpstreamLimiter {

    /** Released exactly once, however often {@link #release()} is called. */
    public interface Permit {
        void release();
    }

    private static final Permit NO_LIMIT = () -> {
    };

    private final int maxConcurrent;
    private final Queue<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
    private int inFlight;

    /** @param maxConcurrent the cap; 0 or less means unlimited */
    public UpstreamLimiter(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    public CompletableFuture<Permit> acquire() {
        if (maxConcurrent <= 0) {
            return CompletableFuture.completedFuture(NO_LIMIT);
        }
        synchronized (this) {
            if (inFlight < maxConcurrent) {
                inFlight++;
                return CompletableFuture.completedFuture(newPermit());
            }
            CompletableFuture<Permit> waiter = new CompletableFuture<>();
            waiters.add(waiter);
            return waiter;
        }
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int waiting() {
        return waiters.size();
    }

    private Permit newPermit() {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                handOver();
            }
        };
    }

    // The permit goes to the next live waiter; completing it outside the lock keeps callers' code out of it.
    private void handOver() {
        while (true) {
            CompletableFuture<Permit> next;
            synchronized (this) {
                next = waiters.poll();
                if (next == null) {
                    inFlight--;
                    return;
                }
            }
            if (next.complete(newPermit())) {
                return;
            }
        }
    }
}
