package org.cameltaas.tenancy;

import java.time.Instant;

public record Team(String id, String name, Instant createdAt) {
}
