package org.cameltaas.gateway.auth;

import java.util.Set;

import org.cameltaas.gateway.limits.Limits;

/**
 * Who is calling: a token's id (never the token), its team and project, the models it may use (empty: all), and
 * its rate limits ({@link Limits#NONE}: none).
 */
public record Principal(String tokenId, String team, String project, Set<String> allowedModels, boolean admin,
                        Limits limits) {

    public Principal {
        limits = limits == null ? Limits.NONE : limits;
    }

    /** A principal without rate limits. */
    public Principal(String tokenId, String team, String project, Set<String> allowedModels, boolean admin) {
        this(tokenId, team, project, allowedModels, admin, Limits.NONE);
    }

    public boolean mayUse(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
