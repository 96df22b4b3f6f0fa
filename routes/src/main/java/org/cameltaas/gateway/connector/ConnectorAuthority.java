package org.cameltaas.gateway.connector;

import java.util.List;
import java.util.Set;

/**
 * Who may open a tunnel, and for what: connector tokens to the deployments they name. Calls may block (a store
 * behind them): the gateway makes them off its event loops.
 */
public interface ConnectorAuthority {

    /** A deployment a tunnel may serve. */
    record Deployment(String id, String name, String projectId, List<String> models) {
    }

    /** What a HELLO's tokens allow: each token's id, and the deployments they name together. */
    record Grant(List<String> tokenIds, List<Deployment> deployments) {
    }

    /** @throws SecurityException when any token is unknown or revoked (the message never holds a token) */
    Grant authenticate(List<String> tokens);

    /** The token ids among these that no longer hold (revoked, or their deployment gone). */
    Set<String> revoked(Set<String> tokenIds);
}
