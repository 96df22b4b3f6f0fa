package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Balances and reservations on each database (H2 and PostgreSQL subclasses), two replicas where it matters. */
abstract class CreditStoreContract {

    Tenancy a;
    Tenancy b;
    String project;

    abstract TenancySettings settings() throws Exception;

    @BeforeEach
    void open() throws Exception {
        TenancySettings settings = settings();
        a = Tenancy.open(settings);
        b = settings.embedded() ? null : Tenancy.open(TestDatabases.secondReplica(settings));
        project = a.projects().create(a.teams().create("credits").id(), "p").id();
    }

    @AfterEach
    void close() {
        if (b != null) {
            b.close();
        }
        a.close();
    }

    static BigDecimal credits(String value) {
        return new BigDecimal(value);
    }

    @Test
    void aReservationHoldsOnlyWhatTheBalanceCoversAndSettlesOnce() {
        CreditStore store = a.credits();
        assertFalse(store.reserve("r0", project, credits("1")).held(), "no balance: not metered, nothing to hold");
        assertEquals(0, credits("3").compareTo(store.topUp(project, credits("3"), "first")));
        assertTrue(store.reserve("r1", project, credits("2")).held());
        CreditStore.Reservation refused = store.reserve("r2", project, credits("1.5"));
        assertFalse(refused.held());
        assertEquals(0, credits("3").compareTo(refused.balance()));
        assertEquals(0, credits("2").compareTo(refused.reserved()));
        assertTrue(store.settle("r1", credits("0.25"), null));
        assertFalse(store.settle("r1", credits("0.25"), null), "a second settlement is a no-op");
        Project after = a.projects().find(project).orElseThrow();
        assertEquals(0, credits("2.75").compareTo(after.balance()));
        assertEquals(0, after.reserved().signum());
        assertEquals(0, after.balance().compareTo(store.ledgerSum(project, null)));
        assertEquals(0, store.openReservations());
    }

    @Test
    void aCorrectionBelowZeroIsRefusedAndLeavesNothing() {
        CreditStore store = a.credits();
        store.topUp(project, credits("1"), null);
        TenancyException e = assertThrows(TenancyException.class, () -> store.topUp(project, credits("-1.000001"), "too much"));
        assertEquals(409, e.status());
        assertEquals(0, credits("0.5").compareTo(store.topUp(project, credits("-0.5"), "refund")));
        assertEquals(0, credits("0.5").compareTo(store.ledgerSum(project, null)));
        assertThrows(TenancyException.class, () -> store.topUp("proj_missing", credits("1"), null));
    }

    @Test
    void concurrentReservationsOverReplicasNeverHoldMoreThanTheBalance() throws Exception {
        a.credits().topUp(project, credits("25"), null);
        CreditStore[] stores = b == null ? new CreditStore[] {a.credits()} : new CreditStore[] {a.credits(), b.credits()};
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> held = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                CreditStore store = stores[i % stores.length];
                String id = "c" + i;
                held.add(pool.submit(() -> store.reserve(id, project, BigDecimal.ONE).held()));
            }
            int count = 0;
            for (Future<Boolean> f : held) {
                count += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(25, count);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, credits("25").compareTo(a.projects().find(project).orElseThrow().reserved()));
    }

    @Test
    void theReservationsOfASilentReplicaAreSettledByTheirAmountAndALiveOnesAreNot() {
        CreditStore store = a.credits();
        store.topUp(project, credits("10"), null);
        assertTrue(store.reserve("gone-1", project, credits("4")).held());
        CreditStore other = b != null ? b.credits() : new CreditStore(a.database(), "another-replica");
        store.heartbeat();
        assertEquals(0, other.settleOrphans(Duration.ofSeconds(60), false), "its replica is alive");
        assertEquals(1, other.settleOrphans(Duration.ZERO, false), "silent for longer than allowed");
        Project after = a.projects().find(project).orElseThrow();
        assertEquals(0, credits("6").compareTo(after.balance()), "settled by the amount it held");
        assertEquals(0, after.reserved().signum());
        assertEquals(0, credits("-4").compareTo(store.ledgerSum(project, CreditStore.CHARGE)));
    }

    @Test
    void aGroupHoldsInOrderWhatTheBalanceCoversAndSettlesEachOnce() {
        CreditStore store = a.credits();
        store.topUp(project, credits("5"), null);
        List<CreditStore.Reservation> held = store.reserveAll(List.of(
                new CreditStore.Hold("g1", project, credits("2")),
                new CreditStore.Hold("g2", project, credits("4")),
                new CreditStore.Hold("g3", "proj_missing", credits("1")),
                new CreditStore.Hold("g4", project, credits("3"))));
        assertEquals(List.of(true, false, false, true), held.stream().map(CreditStore.Reservation::held).toList(),
                "g2 does not fit after g1; g4 does");
        assertEquals(0, credits("5").compareTo(held.get(3).reserved()));
        assertEquals(2, store.settleAll(List.of(
                new CreditStore.Settlement("g1", credits("1.5"), null),
                new CreditStore.Settlement("g2", credits("9"), null),
                new CreditStore.Settlement("g4", credits("0"), "nothing delivered"))), "g2 never held");
        assertEquals(0, store.settleAll(List.of(new CreditStore.Settlement("g1", credits("1.5"), null))), "settled once");
        Project after = a.projects().find(project).orElseThrow();
        assertEquals(0, credits("3.5").compareTo(after.balance()));
        assertEquals(0, after.reserved().signum());
        assertEquals(0, after.balance().compareTo(store.ledgerSum(project, null)), "the ledger sums to the balance");
        assertEquals(0, store.openReservations());
    }
}
