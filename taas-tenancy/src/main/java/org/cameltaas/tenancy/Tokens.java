package org.cameltaas.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where tokens live, as hashes only. */
public interface Tokens {

    /** A new token of the project; the answer carries its secret. */
    IssuedToken create(String projectId, String name, String role, List<String> models, Instant expiresAt);

    Optional<Token> find(String id);

    /** Tokens by id after {@code after}, of a team and/or a project (null: any). */
    Page<Token> list(String teamId, String projectId, String after, int limit);

    /** Revokes the token (all of its secrets); revoking twice keeps the first time. */
    Token revoke(String id);

    /** A new secret; the old one keeps working for {@code grace}. */
    IssuedToken rotate(String id, Duration grace);

    /** The database's clock now: what {@link #changedSince} compares with, the same for every replica. */
    Instant now();

    /** Every token changed (created, revoked, rotated) at or after {@code since} (null: all tokens). */
    List<TokenEntry> changedSince(Instant since);

    /** Records when tokens were last used; only moves last_used_at forward. */
    void touch(Map<String, Instant> lastUsed);
}
