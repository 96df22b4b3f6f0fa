package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.tenancy.CreditStore;
import org.cameltaas.tenancy.Tenancy;
import org.cameltaas.tenancy.TenancySettings;
import org.cameltaas.tenancy.UsageEvent;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a stopped gateway (a kill -9) leaves is put right when it starts again: its slice is given back, and what it
 * answered but the ledger had not stored yet is charged from its journal, once.
 */
class CreditsRestartTest {

    @Test
    void aRestartGivesBackTheSliceLeftAndChargesWhatTheJournalHolds() throws Exception {
        Path dir = Files.createTempDirectory("taas-credits-restart");
        Path prices = dir.resolve("prices.yaml");
        Files.writeString(prices, CreditsTest.PRICES);
        String project;
        // the database and journal as a killed gateway leaves them: a balance of 10, a slice of 5 taken, one reply
        // of cost 3 journaled but not in the ledger yet
        try (Tenancy before = Tenancy.open(TenancySettings.fromEnv(Map.of("TAAS_DATA_DIR", dir.toString())))) {
            String team = before.teams().create("killed").id();
            project = before.projects().create(team, "p").id();
            before.credits().topUp(project, new BigDecimal("10"), null);
            String slice = before.credits().sliceId(project);
            assertEquals(0, new BigDecimal("5").compareTo(before.credits().grantAll(List.of(
                    new CreditStore.Grant(slice, project, new BigDecimal("5"), new BigDecimal("5")))).get(0).amount()));
            CountDownLatch journaled = new CountDownLatch(1);
            before.journal().append(new UsageEvent("req-answered", System.currentTimeMillis(), null, "tok", team, project,
                    "chatCompletions", "m", "m", "openai", 0, 3, 0, 0, 200, null, 1.0, null, UsageEvent.COMPLETED,
                    new BigDecimal("3"), slice), journaled::countDown);
            assertTrue(journaled.await(10, TimeUnit.SECONDS));
        }
        try (FakeUpstream upstream = FakeUpstream.start();
             CreditsGateway gateway = CreditsGateway.start(upstream, dir, prices, Map.of())) {
            CreditStore credits = gateway.tenancy().credits();
            JsonNode shown = gateway.project(project);
            for (int i = 0; i < 200 && shown.get("balance").decimalValue().compareTo(new BigDecimal("7")) != 0; i++) {
                Thread.sleep(50); // the shipper delivers the journal of the run before
                shown = gateway.project(project);
            }
            assertEquals(0, new BigDecimal("7").compareTo(shown.get("balance").decimalValue()), "charged what it answered: " + shown);
            assertEquals(0, shown.get("reserved").decimalValue().signum(), "the slice given back: " + shown);
            assertEquals(0, credits.slices());
            assertEquals(0, new BigDecimal("7").compareTo(credits.ledgerSum(project, null)), "the ledger says so too");
            assertEquals(0, new BigDecimal("-3").compareTo(credits.ledgerSum(project, CreditStore.CHARGE)));
        }
    }
}
