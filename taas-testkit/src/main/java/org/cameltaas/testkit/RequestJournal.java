package org.cameltaas.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Every request received, in arrival order, plus a queue of those no test has taken yet. */
final class RequestJournal {

    private final List<RecordedRequest> all = new ArrayList<>();
    private final BlockingQueue<RecordedRequest> unseen = new LinkedBlockingQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean keeping = true;

    void record(RecordedRequest request) {
        count.incrementAndGet();
        if (!keeping) {
            return;
        }
        synchronized (all) {
            all.add(request);
        }
        unseen.add(request);
    }

    /** When off, requests are only counted: long benchmark runs would otherwise keep every body in memory. */
    void keepRequests(boolean keep) {
        this.keeping = keep;
    }

    List<RecordedRequest> snapshot() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    RecordedRequest last() {
        synchronized (all) {
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }
    }

    RecordedRequest take(Duration timeout) throws InterruptedException {
        return unseen.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    int count() {
        return count.get();
    }

    void clear() {
        synchronized (all) {
            all.clear();
            unseen.clear();
            count.set(0);
        }
    }
}
