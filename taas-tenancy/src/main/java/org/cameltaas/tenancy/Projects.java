package org.cameltaas.tenancy;

import java.util.Optional;

/** Where projects live. */
public interface Projects {

    /** @throws TenancyException 404 if the team does not exist, 409 if the team has a project of that name */
    Project create(String teamId, String name);

    Optional<Project> find(String id);

    Page<Project> list(String teamId, String after, int limit);
}
