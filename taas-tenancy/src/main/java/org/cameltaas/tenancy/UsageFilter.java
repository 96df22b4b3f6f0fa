package org.cameltaas.tenancy;

import java.time.Instant;

/** Which usage events a query covers; null fields do not filter. {@code from} inclusive, {@code to} exclusive. */
public record UsageFilter(String teamId, String projectId, String tokenId, String sessionId, String model,
                          Instant from, Instant to) {
}
