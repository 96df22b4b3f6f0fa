package org.cameltaas.tenancy;

import java.util.Optional;

/** Where teams live. */
public interface Teams {

    Team create(String name);

    Optional<Team> find(String id);

    /** Teams by id (creation order) after {@code after}; {@code onlyId} limits the list to one team (a team admin's). */
    Page<Team> list(String onlyId, String after, int limit);
}
