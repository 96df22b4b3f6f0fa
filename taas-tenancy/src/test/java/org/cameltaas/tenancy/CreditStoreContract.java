package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/** Balances, slices and charges on each database (H2 and PostgreSQL subclasses), two replicas where it matters. */
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

    /** A metered request's usage event, charged to {@code slice}. */
    UsageEvent charged(String requestId, String slice, String cost) {
        return new UsageEvent(requestId, System.currentTimeMillis(), null, "tok", "team", project, "chatCompletions",
                "m", "m", "openai", 0, 1, 1, 0, 200, null, 1.0, null, UsageEvent.COMPLETED, credits(cost), slice);
    }

    static CreditStore.Grant grant(String slice, String project, String need, String want) {
        return new CreditStore.Grant(slice, project, credits(need), credits(want));
    }

    @Test
    void aSliceGrowsOnlyByWhatIsFreeAndTheLedgerChargesEachEventOnce() {
        CreditStore store = a.credits();
        String slice = store.sliceId(project);
        List<Map<String, CreditStore.Charged>> told = new ArrayList<>();
        store.onCharged(told::add);
        assertEquals(0, store.grantAll(List.of(grant(slice, project, "1", "1"))).get(0).amount().signum(),
                "no balance: not metered, nothing to grant");
        assertEquals(0, credits("3").compareTo(store.topUp(project, credits("3"), "first")));
        assertEquals(0, credits("2").compareTo(store.grantAll(List.of(grant(slice, project, "2", "2"))).get(0).amount()),
                "its need, more than a quarter of what is free");
        CreditStore.Granted refused = store.grantAll(List.of(grant(slice, project, "1.5", "1.5"))).get(0);
        assertEquals(0, refused.amount().signum(), "1 is free, 1.5 needed");
        assertEquals(0, credits("3").compareTo(refused.balance()));
        assertEquals(0, credits("2").compareTo(refused.reserved()));

        UsageEvent event = charged("r1", slice, "0.25");
        assertEquals(3, a.ledger().record(List.of(event, charged("free", slice, "0"), charged("unsliced", null, "5"))));
        assertEquals(0, a.ledger().record(List.of(event)), "stored once");
        assertEquals(1, told.size(), "charged once: " + told);
        assertEquals(0, credits("0.25").compareTo(told.get(0).get(slice).fromSlice()));
        Project after = a.projects().find(project).orElseThrow();
        assertEquals(0, credits("2.75").compareTo(after.balance()));
        assertEquals(0, credits("1.75").compareTo(after.reserved()), "the charge came out of the slice");
        assertEquals(0, credits("1.75").compareTo(store.giveBack(slice, project, credits("10"))), "no more than it held");
        after = a.projects().find(project).orElseThrow();
        assertEquals(0, after.reserved().signum());
        assertEquals(0, store.slices());
        assertEquals(0, after.balance().compareTo(store.ledgerSum(project, null)));
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
    void concurrentGrantsOverReplicasNeverHoldMoreThanTheBalance() throws Exception {
        a.credits().topUp(project, credits("25"), null);
        CreditStore[] stores = b == null ? new CreditStore[] {a.credits()} : new CreditStore[] {a.credits(), b.credits()};
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<BigDecimal>> granted = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                CreditStore store = stores[i % stores.length];
                granted.add(pool.submit(() -> store.grantAll(List.of(grant(store.sliceId(project), project, "1", "1"))).get(0).amount()));
            }
            BigDecimal sum = BigDecimal.ZERO;
            for (Future<BigDecimal> f : granted) {
                sum = sum.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(0, credits("25").compareTo(sum));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, credits("25").compareTo(a.projects().find(project).orElseThrow().reserved()));
    }

    @Test
    void theSlicesOfASilentReplicaAreGivenBackAndWhatItAnsweredIsChargedFromItsEvents() {
        CreditStore store = a.credits();
        store.topUp(project, credits("10"), null);
        String slice = store.sliceId(project);
        assertEquals(0, credits("4").compareTo(store.grantAll(List.of(grant(slice, project, "4", "4"))).get(0).amount()));
        CreditStore other = b != null ? b.credits() : new CreditStore(a.database(), "another-replica");
        store.heartbeat();
        assertEquals(0, other.releaseOrphans(Duration.ofSeconds(60), false), "its replica is alive");
        assertEquals(1, other.releaseOrphans(Duration.ZERO, false), "silent for longer than allowed");
        Project after = a.projects().find(project).orElseThrow();
        assertEquals(0, credits("10").compareTo(after.balance()), "given back, not charged");
        assertEquals(0, after.reserved().signum());
        // its journal reaches the ledger later (its restart): what it answered is charged then
        assertEquals(1, (b != null ? b : a).ledger().record(List.of(charged("answered", slice, "3"))));
        after = a.projects().find(project).orElseThrow();
        assertEquals(0, credits("7").compareTo(after.balance()));
        assertEquals(0, after.reserved().signum());
        assertEquals(0, credits("-3").compareTo(store.ledgerSum(project, CreditStore.CHARGE)));
    }

    @Test
    void aGroupGrantsInOrderWhatTheBalanceCoversAndAnOverspendIsCharged() {
        CreditStore store = a.credits();
        store.topUp(project, credits("5"), null);
        String sliceA = "slice:a:" + project;
        String sliceB = "slice:b:" + project;
        List<CreditStore.Granted> granted = store.grantAll(List.of(
                grant(sliceA, project, "2", "2"),
                grant(sliceB, project, "4", "4"),
                grant(sliceB, "proj_missing", "1", "1"),
                grant(sliceB, project, "3", "10")));
        assertEquals(List.of("2", "0", "0", "3"), granted.stream().map(g -> g.amount().stripTrailingZeros().toPlainString()).toList(),
                "4 does not fit after 2; 3 does, all of what is left");
        assertEquals(0, credits("5").compareTo(granted.get(3).reserved()));
        assertEquals(2, a.ledger().record(List.of(charged("g1", sliceA, "1.5"), charged("g4", sliceB, "9"))));
        Project after = a.projects().find(project).orElseThrow();
        assertEquals(0, credits("-5.5").compareTo(after.balance()), "an actual above its estimate is charged in full");
        assertEquals(0, credits("0.5").compareTo(after.reserved()), "slice a keeps 0.5, slice b is spent");
        assertEquals(0, after.balance().compareTo(store.ledgerSum(project, null)), "the ledger sums to the balance");
        assertEquals(1, store.slices());
    }
}
