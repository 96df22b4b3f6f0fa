package org.cameltaas.tenancy;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A project belongs to one team; tokens belong to one project. Its default limits apply to its tokens that set
 * none of their own; its {@code balance} is null until the first top-up (not metered), {@code reserved} is what
 * open requests hold of it.
 */
public record Project(String id, String teamId, String name, Instant createdAt, Integer defaultRpm, Integer defaultTpm,
                      Integer defaultMaxConcurrent, BigDecimal balance, BigDecimal reserved) {

    public Project(String id, String teamId, String name, Instant createdAt) {
        this(id, teamId, name, createdAt, null, null, null, null, BigDecimal.ZERO);
    }

    public boolean metered() {
        return balance != null;
    }
}
