package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.tenancy.CreditStore;
import org.cameltaas.tenancy.Tenancy;
import org.cameltaas.tenancy.TenancySettings;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reservations a stopped gateway left open (a kill -9 mid-request) are settled when it starts again, never forgotten. */
class CreditsRestartTest {

    @Test
    void aRestartSettlesTheReservationsLeftOpenByTheirEstimates() throws Exception {
        Path dir = Files.createTempDirectory("taas-credits-restart");
        Path prices = dir.resolve("prices.yaml");
        Files.writeString(prices, CreditsTest.PRICES);
        String project;
        // the database as a killed gateway leaves it: a balance of 10, two requests in flight holding 3 and 2
        try (Tenancy before = Tenancy.open(TenancySettings.fromEnv(Map.of("TAAS_DATA_DIR", dir.toString())))) {
            String team = before.teams().create("killed").id();
            project = before.projects().create(team, "p").id();
            before.credits().topUp(project, new BigDecimal("10"), null);
            assertTrue(before.credits().reserve("req-1", project, new BigDecimal("3")).held());
            assertTrue(before.credits().reserve("req-2", project, new BigDecimal("2")).held());
        }
        try (FakeUpstream upstream = FakeUpstream.start();
             CreditsGateway gateway = CreditsGateway.start(upstream, dir, prices, Map.of())) {
            JsonNode shown = gateway.project(project);
            assertEquals(0, shown.get("reserved").decimalValue().signum(), shown.toString());
            assertEquals(0, new BigDecimal("5").compareTo(shown.get("balance").decimalValue()), "settled by their estimates: " + shown);
            CreditStore credits = gateway.tenancy().credits();
            assertEquals(0, credits.openReservations());
            assertEquals(0, new BigDecimal("5").compareTo(credits.ledgerSum(project, null)), "the ledger says so too");
            assertEquals(0, new BigDecimal("-5").compareTo(credits.ledgerSum(project, CreditStore.CHARGE)));
        }
    }
}
