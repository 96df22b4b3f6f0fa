package org.cameltaas.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registered deployments and connector tokens on each database (H2 and PostgreSQL subclasses). */
abstract class DeploymentStoreContract {

    Tenancy tenancy;
    String project;

    abstract TenancySettings settings() throws Exception;

    @BeforeEach
    void open() throws Exception {
        tenancy = Tenancy.open(settings());
        project = tenancy.projects().create(tenancy.teams().create("acme").id(), "web").id();
    }

    @AfterEach
    void close() {
        tenancy.close();
    }

    @Test
    void deploymentsAreStoredWithTheirModels() {
        JdbcDeployments store = tenancy.deployments();
        Deployment created = store.create("gemma-tunnel", project, List.of("gemma-tunnel", "gemma-embed"));
        assertTrue(created.id().startsWith("dep_"));
        Deployment found = store.find(created.id()).orElseThrow();
        assertEquals(created, found);
        assertEquals(List.of(created), store.all());
        TenancyException duplicate = assertThrows(TenancyException.class, () -> store.create("gemma-tunnel", project, List.of("x")));
        assertEquals(409, duplicate.status());
        TenancyException sameModel = assertThrows(TenancyException.class, () -> store.create("other", project, List.of("gemma-embed")));
        assertEquals("duplicate_model", sameModel.code());
        assertEquals(404, assertThrows(TenancyException.class, () -> store.create("x", "proj_nope", List.of("x"))).status());
        assertEquals(1, store.all().size(), "a refused create leaves nothing behind");
    }

    @Test
    void tokensAreHashedFoundBySecretAndRevoked() throws Exception {
        JdbcDeployments store = tenancy.deployments();
        Deployment d = store.create("gemma-tunnel", project, List.of("gemma-tunnel"));
        ConnectorToken.Issued issued = store.issueToken(d.id(), "laptop");
        assertTrue(issued.secret().startsWith("taasc_") && issued.secret().length() == 46, issued.secret().length() + "");
        assertEquals(issued.secret().substring(0, 10), issued.token().prefix());
        try (var c = tenancy.database().dataSource().getConnection();
             var s = c.createStatement(); var rows = s.executeQuery("SELECT hash FROM connector_tokens")) {
            assertTrue(rows.next());
            assertEquals(Secrets.hash(issued.secret()), rows.getString(1));
            assertNotEquals(issued.secret(), rows.getString(1));
        }
        assertEquals(issued.token().id(), store.tokenBySecret(issued.secret()).orElseThrow().id());
        assertTrue(store.tokenBySecret(issued.secret() + "x").isEmpty());
        ConnectorToken other = store.issueToken(d.id(), null).token();
        assertEquals(Set.of(), store.invalidTokens(Set.of(issued.token().id(), other.id())));
        ConnectorToken revoked = store.revokeToken(issued.token().id());
        assertTrue(revoked.revoked());
        assertEquals(revoked.revokedAt(), store.revokeToken(issued.token().id()).revokedAt(), "revoking again keeps the first time");
        assertTrue(store.tokenBySecret(issued.secret()).orElseThrow().revoked());
        assertEquals(Set.of(issued.token().id(), "ctok_unknown"), store.invalidTokens(Set.of(issued.token().id(), other.id(), "ctok_unknown")));
        assertEquals(2, store.tokens(d.id()).size());
        assertFalse(store.tokens(d.id()).get(1).revoked());
        assertEquals(404, assertThrows(TenancyException.class, () -> store.issueToken("dep_nope", null)).status());
        assertEquals(404, assertThrows(TenancyException.class, () -> store.revokeToken("ctok_nope")).status());
    }
}
