package org.cameltaas.gateway.auth;

import java.util.Set;

/**
 * Who is calling: a token's id (never the token), its team and project, and the models it may use (empty: all).
 */
public record Principal(String tokenId, String team, String project, Set<String> allowedModels, boolean admin) {

    public boolean mayUse(String model) {
        return allowedModels.isEmpty() || allowedModels.contains(model);
    }
}
