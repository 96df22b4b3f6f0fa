package org.cameltaas.tenancy;

import java.time.Instant;

/** A project belongs to one team; tokens belong to one project. */
public record Project(String id, String teamId, String name, Instant createdAt) {
}
