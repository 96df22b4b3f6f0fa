package org.cameltaas.tenancy;

import java.time.Instant;

/** A connector token's record (never its secret): which deployment it serves, and whether it was revoked. */
public record ConnectorToken(String id, String deploymentId, String name, String prefix, Instant createdAt, Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }

    /** A new token and its secret, shown once. */
    public record Issued(ConnectorToken token, String secret) {
    }
}
