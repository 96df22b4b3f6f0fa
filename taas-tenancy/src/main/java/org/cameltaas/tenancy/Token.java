package org.cameltaas.tenancy;

import java.time.Instant;
import java.util.List;

/**
 * A token as the admin API shows it: never its secret, only a display prefix.
 *
 * @param role   {@code client} (calls the model API) or {@code admin} (also the admin API, for its team)
 * @param models the models it may use; empty for all
 * @param rpm    its own limits ({@code rpm}, {@code tpm}, {@code maxConcurrent}); null: the project's default
 */
public record Token(String id, String projectId, String teamId, String name, String role, List<String> models,
                    String prefix, Instant expiresAt, Instant createdAt, Instant lastUsedAt, Instant revokedAt,
                    Integer rpm, Integer tpm, Integer maxConcurrent) {

    public Token(String id, String projectId, String teamId, String name, String role, List<String> models,
                 String prefix, Instant expiresAt, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
        this(id, projectId, teamId, name, role, models, prefix, expiresAt, createdAt, lastUsedAt, revokedAt, null, null, null);
    }

    public static final String CLIENT = "client";
    public static final String ADMIN = "admin";

    public boolean admin() {
        return ADMIN.equals(role);
    }
}
