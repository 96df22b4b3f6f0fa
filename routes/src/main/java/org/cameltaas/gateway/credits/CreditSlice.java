package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.cameltaas.tenancy.CreditStore;

/**
 * This replica's slice of one project's balance, in memory: the requests in flight hold their worst case of it,
 * the requests answered keep their cost in it until the ledger has charged them. A request the slice covers is
 * admitted at once, with no database; one it does not cover waits for the slice to grow (one grant in flight per
 * slice, group-committed with every other slice's), or is refused when the balance cannot cover it.
 * <p>
 * What is free of the slice is {@code amount - held - spent}; each change in the database (a grant, a charge, a
 * give-back) is applied here exactly once, so the two agree whatever the order.
 */
final class CreditSlice {

    /** The grant a waiting request needs: at least its shortfall, and this many requests like it ahead. */
    private static final int AHEAD = 32;
    /** How long of the recent rate a grant covers ahead. */
    private static final long AHEAD_NANOS = 2_000_000_000L;

    /** What a request waiting for credits is told: held, or refused with what the database showed. */
    record Admission(boolean held, BigDecimal balance, BigDecimal reserved) {
        static final Admission HELD = new Admission(true, null, null);
    }

    private record Waiter(BigDecimal worst, CompletableFuture<Admission> admitted) {
    }

    final String id;
    final String projectId;
    private final Function<CreditStore.Grant, CompletableFuture<CreditStore.Granted>> grants;
    private BigDecimal amount = BigDecimal.ZERO;
    private BigDecimal held = BigDecimal.ZERO;
    private BigDecimal spent = BigDecimal.ZERO;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private boolean growing;
    private long lastUsedNanos = System.nanoTime();
    private long grownAtNanos = System.nanoTime();
    private BigDecimal takenSinceGrown = BigDecimal.ZERO;

    CreditSlice(String id, String projectId, Function<CreditStore.Grant, CompletableFuture<CreditStore.Granted>> grants) {
        this.id = id;
        this.projectId = projectId;
        this.grants = grants;
    }

    /** Holds the request's worst case: done at once when the slice covers it, else when a grant decides. */
    CompletableFuture<Admission> take(BigDecimal worst) {
        synchronized (this) {
            lastUsedNanos = System.nanoTime();
            if (waiting.isEmpty() && free().compareTo(worst) >= 0) {
                hold(worst);
                return CompletableFuture.completedFuture(Admission.HELD);
            }
            Waiter waiter = new Waiter(worst, new CompletableFuture<>());
            waiting.add(waiter);
            if (!growing) {
                grow();
            }
            return waiter.admitted;
        }
    }

    /** The request ended: it holds nothing now, and its cost stays in the slice until the ledger charges it. */
    void settled(BigDecimal worst, BigDecimal cost) {
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
            held = held.subtract(worst);
            spent = spent.add(cost);
            admitWaiting(done);
        }
        done.forEach(Runnable::run);
    }

    /** The ledger charged {@code charged.cost()} of this slice's requests, {@code fromSlice} of it out of the slice. */
    synchronized void charged(CreditStore.Charged charged) {
        spent = spent.subtract(charged.cost());
        amount = amount.subtract(charged.fromSlice());
    }

    /**
     * What an idle slice can give back now (taken off it at once: the caller gives it back in the database, and
     * {@link #notGivenBack} restores it if that fails); zero when it is in use.
     */
    synchronized BigDecimal takeUnused(long idleNanos, boolean stopping) {
        if (!stopping && (growing || !waiting.isEmpty() || System.nanoTime() - lastUsedNanos < idleNanos)) {
            return BigDecimal.ZERO;
        }
        BigDecimal unused = free();
        if (unused.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        amount = amount.subtract(unused);
        return unused;
    }

    synchronized void notGivenBack(BigDecimal amount) {
        this.amount = this.amount.add(amount);
    }

    /** Nothing held and nothing waiting for the ledger. */
    synchronized boolean quiet() {
        return held.signum() == 0 && spent.signum() == 0 && waiting.isEmpty();
    }

    private BigDecimal free() {
        return amount.subtract(held).subtract(spent);
    }

    private void hold(BigDecimal worst) {
        held = held.add(worst);
        takenSinceGrown = takenSinceGrown.add(worst);
    }

    /** Asks for what the first waiter lacks at least, and for everyone waiting plus what the recent rate needs ahead. */
    private void grow() {
        growing = true;
        BigDecimal free = free().max(BigDecimal.ZERO);
        BigDecimal first = waiting.peek().worst();
        BigDecimal all = BigDecimal.ZERO;
        for (Waiter waiter : waiting) {
            all = all.add(waiter.worst());
        }
        long now = System.nanoTime();
        long since = Math.max(1, now - grownAtNanos);
        BigDecimal rate = takenSinceGrown.multiply(BigDecimal.valueOf(AHEAD_NANOS)).divide(BigDecimal.valueOf(since),
                6, java.math.RoundingMode.UP);
        BigDecimal ahead = first.multiply(BigDecimal.valueOf(AHEAD)).max(rate);
        grownAtNanos = now;
        takenSinceGrown = BigDecimal.ZERO;
        BigDecimal need = first.subtract(free).max(BigDecimal.ZERO);
        BigDecimal want = all.subtract(free).max(BigDecimal.ZERO).add(ahead);
        grants.apply(new CreditStore.Grant(id, projectId, need, want)).whenComplete(this::grown);
    }

    private void grown(CreditStore.Granted granted, Throwable error) {
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
            growing = false;
            if (error != null) {
                for (Waiter waiter : waiting) {
                    done.add(() -> waiter.admitted.completeExceptionally(error));
                }
                waiting.clear();
            } else {
                amount = amount.add(granted.amount());
                admitWaiting(done);
                if (granted.amount().signum() == 0 && !waiting.isEmpty()) {
                    // what is free in the database does not cover the first waiter: refuse everyone it cannot cover
                    BigDecimal elsewhere = granted.balance() == null ? BigDecimal.ZERO
                            : granted.balance().subtract(granted.reserved()).max(BigDecimal.ZERO);
                    BigDecimal coverable = free().max(BigDecimal.ZERO).add(elsewhere);
                    Admission refused = new Admission(false, granted.balance(), granted.reserved());
                    for (java.util.Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
                        Waiter waiter = it.next();
                        if (waiter.worst().compareTo(coverable) > 0) {
                            it.remove();
                            done.add(() -> waiter.admitted.complete(refused));
                        }
                    }
                }
                if (!waiting.isEmpty()) {
                    grow();
                }
            }
        }
        done.forEach(Runnable::run); // outside the lock: a waiter's route goes on from here
    }

    /** Admits waiters in order while the slice covers them. */
    private void admitWaiting(List<Runnable> done) {
        while (!waiting.isEmpty() && free().compareTo(waiting.peek().worst()) >= 0) {
            Waiter waiter = waiting.poll();
            hold(waiter.worst());
            done.add(() -> waiter.admitted.complete(Admission.HELD));
        }
    }
}
