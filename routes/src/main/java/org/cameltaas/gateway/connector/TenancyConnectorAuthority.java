package org.cameltaas.gateway.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.cameltaas.tenancy.ConnectorToken;

import org.cameltaas.tenancy.JdbcDeployments;

/** Connector tokens checked against the tenancy store (hashed, revocable; separate from client tokens). */
public final class TenancyConnectorAuthority implements ConnectorAuthority {

    private final JdbcDeployments store;

    public TenancyConnectorAuthority(JdbcDeployments store) {
        this.store = store;
    }

    @Override
    public Grant authenticate(List<String> tokens) {
        List<String> ids = new ArrayList<>();
        Map<String, ConnectorAuthority.Deployment> deployments = new LinkedHashMap<>();
        for (String secret : tokens) {
            Optional<ConnectorToken> token = secret.startsWith(JdbcDeployments.TOKEN_PREFIX) ? store.tokenBySecret(secret) : Optional.empty();
            if (token.isEmpty() || token.get().revoked()) {
                throw new SecurityException("invalid or revoked connector token (issue one with POST /admin/v1/deployments/{id}/connector-tokens)");
            }
            org.cameltaas.tenancy.Deployment d = store.find(token.get().deploymentId())
                    .orElseThrow(() -> new SecurityException("the connector token's deployment is gone"));
            ids.add(token.get().id());
            deployments.put(d.id(), new ConnectorAuthority.Deployment(d.id(), d.name(), d.projectId(), d.models()));
        }
        return new Grant(ids, List.copyOf(deployments.values()));
    }

    @Override
    public Set<String> revoked(Set<String> tokenIds) {
        return store.invalidTokens(tokenIds);
    }
}
