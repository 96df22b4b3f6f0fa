package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stores' behaviour, run against each database (H2 and PostgreSQL subclasses). */
abstract class StoreContract {

    Tenancy tenancy;

    abstract TenancySettings settings() throws Exception;

    @BeforeEach
    void open() throws Exception {
        tenancy = Tenancy.open(settings());
    }

    @AfterEach
    void close() {
        tenancy.close();
    }

    @Test
    void teamsProjectsAndTokens() {
        Team team = tenancy.teams().create("platform");
        assertTrue(team.id().startsWith("team_"));
        assertEquals(team, tenancy.teams().find(team.id()).orElseThrow());
        TenancyException duplicate = assertThrows(TenancyException.class, () -> tenancy.teams().create("platform"));
        assertEquals(409, duplicate.status());

        Project project = tenancy.projects().create(team.id(), "ci");
        assertEquals(409, assertThrows(TenancyException.class, () -> tenancy.projects().create(team.id(), "ci")).status());
        assertEquals(404, assertThrows(TenancyException.class, () -> tenancy.projects().create("team_nope", "ci")).status());

        IssuedToken issued = tenancy.tokens().create(project.id(), "deploy", Token.CLIENT, List.of("gpt-4o"), null);
        assertTrue(issued.secret().startsWith("taas_") && issued.secret().length() >= 37, issued.secret());
        assertEquals(issued.secret().substring(0, 9), issued.token().prefix());
        assertEquals(team.id(), issued.token().teamId());
        assertEquals(List.of("gpt-4o"), issued.token().models());
        assertEquals(404, assertThrows(TenancyException.class,
                () -> tenancy.tokens().create("proj_nope", "x", Token.CLIENT, List.of(), null)).status());
        assertEquals(409, assertThrows(TenancyException.class,
                () -> tenancy.tokens().create(project.id(), "deploy", Token.CLIENT, List.of(), null)).status());
    }

    @Test
    void listsPageById() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(tenancy.teams().create("team-" + i).id());
        }
        Page<Team> first = tenancy.teams().list(null, null, 2);
        assertEquals(ids.subList(0, 2), first.data().stream().map(Team::id).toList());
        assertTrue(first.hasMore());
        Page<Team> last = tenancy.teams().list(null, ids.get(3), 2);
        assertEquals(List.of(ids.get(4)), last.data().stream().map(Team::id).toList());
        assertFalse(last.hasMore());
        assertEquals(List.of(ids.get(2)), tenancy.teams().list(ids.get(2), null, 10).data().stream().map(Team::id).toList());
    }

    @Test
    void theCacheSeesCreationRevocationRotationAndExpiry() throws Exception {
        Project project = tenancy.projects().create(tenancy.teams().create("t").id(), "p");
        IssuedToken issued = tenancy.tokens().create(project.id(), "a", Token.CLIENT, List.of(), null);
        TokenCache cache = tenancy.tokenCache();
        cache.refresh();
        assertEquals(issued.token().id(), cache.authenticate(issued.secret()).orElseThrow().id());
        assertTrue(cache.authenticate(issued.secret() + "x").isEmpty());
        assertTrue(cache.authenticate("not-a-taas-token").isEmpty());

        IssuedToken rotated = tenancy.tokens().rotate(issued.token().id(), Duration.ofMinutes(5));
        cache.refresh();
        assertTrue(cache.authenticate(rotated.secret()).isPresent(), "the new secret works");
        assertTrue(cache.authenticate(issued.secret()).isPresent(), "the old one works during the grace period");
        IssuedToken again = tenancy.tokens().rotate(issued.token().id(), Duration.ZERO);
        cache.refresh();
        assertTrue(cache.authenticate(again.secret()).isPresent());
        assertTrue(cache.authenticate(rotated.secret()).isEmpty(), "no grace: the replaced secret stops at once");
        assertTrue(cache.authenticate(issued.secret()).isEmpty(), "only one previous secret is kept");

        Token revoked = tenancy.tokens().revoke(issued.token().id());
        assertNotNull(revoked.revokedAt());
        cache.refresh();
        assertTrue(cache.authenticate(again.secret()).isEmpty());
        assertEquals(409, assertThrows(TenancyException.class, () -> tenancy.tokens().rotate(issued.token().id(), Duration.ZERO)).status());

        IssuedToken expiring = tenancy.tokens().create(project.id(), "b", Token.CLIENT, List.of(), Instant.now().plusMillis(300));
        cache.refresh();
        assertTrue(cache.authenticate(expiring.secret()).isPresent());
        Thread.sleep(400); // expiry is a time: this waits past it once
        assertTrue(cache.authenticate(expiring.secret()).isEmpty());
    }

    @Test
    void theLedgerIsIdempotentOnTheRequestId() {
        long now = System.currentTimeMillis();
        UsageEvent a = event("req-a", now - 2000, "tok_1", "team_1", "s1", 200, 10, 5);
        UsageEvent b = event("req-b", now - 1000, "tok_1", "team_1", "s1", 502, 0, 0);
        UsageEvent c = event("req-c", now, "tok_2", "team_2", "s2", 200, 7, 3);
        assertEquals(3, tenancy.ledger().record(List.of(a, b, c)));
        assertEquals(0, tenancy.ledger().record(List.of(a, b)), "a replay adds nothing");
        assertEquals(1, tenancy.ledger().record(List.of(c, event("req-d", now, "tok_2", "team_2", "s2", 200, 1, 1))));

        UsageTotals team1 = tenancy.ledger().totals(new UsageFilter("team_1", null, null, null, null, null, null));
        assertEquals(2, team1.requests());
        assertEquals(1, team1.errors());
        assertEquals(10, team1.promptTokens());
        assertEquals(5, team1.completionTokens());
        assertEquals(0, new BigDecimal("1.5").compareTo(team1.credits()));
        assertEquals(4, tenancy.ledger().totals(new UsageFilter(null, null, null, null, null, null, null)).requests());
        assertEquals(1, tenancy.ledger().totals(new UsageFilter(null, null, null, null, null,
                Instant.ofEpochMilli(now - 1500), Instant.ofEpochMilli(now - 500))).requests());

        Page<UsageEvent> session = tenancy.ledger().list(new UsageFilter(null, null, null, "s1", null, null, null), null, 1);
        assertEquals("req-a", session.data().get(0).requestId());
        assertTrue(session.hasMore());
        Page<UsageEvent> rest = tenancy.ledger().list(new UsageFilter(null, null, null, "s1", null, null, null), "req-a", 10);
        assertEquals(List.of("req-b"), rest.data().stream().map(UsageEvent::requestId).toList());
        UsageEvent stored = tenancy.ledger().find("req-b").orElseThrow();
        assertEquals(b.status(), stored.status());
        assertEquals("upstream_error", stored.errorCode());
        assertNull(stored.ttftMs());
        assertEquals(a.createdAt(), tenancy.ledger().find("req-a").orElseThrow().createdAt());
    }

    static UsageEvent event(String id, long at, String token, String team, String session, int status, int prompt, int completion) {
        return new UsageEvent(id, at, session, token, team, "proj_1", "chatCompletions", "gpt-4o", "gpt-4o", "openai", 0,
                prompt, completion, 0, status, status >= 400 ? "upstream_error" : null, 12.5, null,
                status >= 400 ? UsageEvent.FAILED : UsageEvent.COMPLETED, new BigDecimal("0.75"));
    }

    static String newRequestId() {
        return UUID.randomUUID().toString();
    }
}
