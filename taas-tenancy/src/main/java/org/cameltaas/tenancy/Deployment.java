package org.cameltaas.tenancy;

import java.time.Instant;
import java.util.List;

/** A registered deployment: models a project serves from its own network through connectors. */
public record Deployment(String id, String name, String projectId, List<String> models, Instant createdAt) {

    public Deployment {
        models = List.copyOf(models);
    }
}
