package org.cameltaas.tenancy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two replicas on one PostgreSQL: a token revoked through one is refused by the other within 5 seconds. */
class ReplicaRevocationTest {

    @Test
    void aRevocationReachesTheOtherReplicaWithinFiveSeconds() throws Exception {
        TenancySettings first = TestDatabases.postgres();
        try (Tenancy a = Tenancy.open(first); Tenancy b = Tenancy.open(TestDatabases.secondReplica(first))) {
            Project project = a.projects().create(a.teams().create("t").id(), "p");
            IssuedToken issued = a.tokens().create(project.id(), "shared", Token.CLIENT, List.of(), null);
            assertTrue(waitFor(() -> b.tokenCache().authenticate(issued.secret()).isPresent()), "a new token reaches B");
            long revokedAt = System.nanoTime();
            a.tokens().revoke(issued.token().id());
            assertTrue(waitFor(() -> b.tokenCache().authenticate(issued.secret()).isEmpty()), "the revocation reaches B");
            long millis = (System.nanoTime() - revokedAt) / 1_000_000;
            assertTrue(millis < 5000, "took " + millis + " ms");
        }
    }

    /** Polls a condition for up to 5 s, 20 ms apart (a bounded loop). */
    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
