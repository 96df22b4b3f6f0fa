package org.cameltaas.gateway.credits;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit: items queued by many requests are written by a few threads, each taking every item waiting (up to
 * {@code maxGroup}) into one transaction. Under load the groups grow by themselves, so the database sees a few
 * transactions per second per thread instead of one per request; alone, an item waits for one transaction, as
 * before. The threads are the credits' own, never a Netty event loop.
 *
 * @param <T> what is queued
 * @param <R> what each item's future gets
 */
final class GroupCommit<T, R> implements AutoCloseable {

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final Function<List<T>, List<R>> work;
    private final int maxGroup;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    /** {@code work} takes a group and answers one result per item, in order; if it throws, the whole group fails. */
    GroupCommit(String name, int threadCount, int maxGroup, Function<List<T>, List<R>> work) {
        this.work = work;
        this.maxGroup = maxGroup;
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::drain, name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    CompletableFuture<R> submit(T item) {
        CompletableFuture<R> result = new CompletableFuture<>();
        if (!open) {
            result.completeExceptionally(new RejectedExecutionException("stopping"));
            return result;
        }
        queue.add(new Pending<>(item, result));
        return result;
    }

    private void drain() {
        List<Pending<T, R>> group = new ArrayList<>(maxGroup);
        while (open || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                run(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                group.clear();
            }
        }
        for (Pending<T, R> left; (left = queue.poll()) != null; ) {
            left.result().completeExceptionally(new RejectedExecutionException("stopped"));
        }
    }

    private void run(List<Pending<T, R>> group) {
        List<R> results;
        try {
            results = work.apply(group.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            group.forEach(pending -> pending.result().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).result().complete(results.get(i));
        }
    }

    /** Takes no more items, writes those queued (waiting up to {@code millis}), then stops. */
    void close(long millis) {
        open = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.forEach(Thread::interrupt);
    }

    @Override
    public void close() {
        close(5000);
    }
}
